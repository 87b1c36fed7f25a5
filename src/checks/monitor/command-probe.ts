import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { parseJsonPath, readJsonPath } from '../json-path.js';
import type { Probe, ProbeReading } from './probe.js';

export interface CommandProbeOptions {
  /** Run by the shell (`sh -c`). */
  readonly run: string;
  readonly cwd: string;
  /** The whole environment of the command (nothing is inherited implicitly). */
  readonly env: Readonly<Record<string, string>>;
  /** Read the metric from stdout parsed as JSON at this path. */
  readonly json?: string;
  /** Read the metric from the first capture group (or whole match) of this pattern on stdout. */
  readonly regex?: string;
}

/**
 * Runs a command each tick. Exit 0 with a readable metric is a success; another exit code or an
 * unreadable metric is a failure (it ran and said no); a spawn error or timeout is an error.
 */
export function commandProbe(o: CommandProbeOptions, timeoutMs: number): Probe {
  const path = o.json !== undefined ? parseJsonPath(o.json) : undefined;
  if (typeof path === 'string') throw new Error(path);
  const re = o.regex !== undefined ? new RegExp(o.regex) : undefined;
  return {
    async measure(signal): Promise<ProbeReading> {
      const t0 = performance.now();
      const r = await execa(o.run, { shell: true, cwd: o.cwd, env: o.env, extendEnv: false, timeout: timeoutMs, cancelSignal: signal, reject: false, stripFinalNewline: true, maxBuffer: 1024 * 1024 });
      const ms = performance.now() - t0;
      if (r.timedOut) return { outcome: 'error', ms, cause: { reason: 'timeout', message: `command did not finish within ${timeoutMs}ms` } };
      if (r.failed && r.exitCode === undefined) return { outcome: 'error', ms, cause: { reason: 'command', message: r.shortMessage ?? 'command could not run' } };
      if (r.exitCode !== 0) return { outcome: 'failure', ms, detail: `exit ${r.exitCode}: ${String(r.stderr || r.stdout).slice(0, 200)}` };
      const out = String(r.stdout);
      if (path) {
        let doc: unknown;
        try {
          doc = JSON.parse(out);
        } catch {
          return { outcome: 'failure', ms, detail: `stdout is not JSON: ${out.slice(0, 80)}` };
        }
        const got = readJsonPath(doc, path);
        const n = Number(got.value);
        return got.found && Number.isFinite(n) ? { outcome: 'success', ms, value: n } : { outcome: 'failure', ms, detail: `${o.json} is not a number in stdout` };
      }
      if (re) {
        const m = re.exec(out);
        const n = Number(m?.[1] ?? m?.[0]);
        return m && Number.isFinite(n) ? { outcome: 'success', ms, value: n } : { outcome: 'failure', ms, detail: `/${re.source}/ found no number in stdout` };
      }
      return { outcome: 'success', ms };
    },
  };
}
