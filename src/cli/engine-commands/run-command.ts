import { availableParallelism } from 'node:os';
import { asRunId } from '../../core/brand.js';
import { UserError } from '../../core/errors.js';
import { ExitCode } from '../../core/exit-codes.js';
import type { ManualPrompter } from '../../engine/drive-run.js';
import { resolveEnvironment } from '../../engine/environment.js';
import type { RunSubscriber } from '../../engine/events.js';
import { isProcessGroupRunning, isProcessRunning } from '../../engine/process/process-group.js';
import { loadResumableRun, resumeRun } from '../../engine/resume-run.js';
import { startRun, type RunDeps, type RunHandle } from '../../engine/start-run.js';
import { planRun } from '../../plan/plan-run.js';
import type { Plan } from '../../plan/plan.js';
import { loadRunbook } from '../../runbook/load.js';
import type { LoadedRunbook } from '../../runbook/loaded-runbook.js';
import { resolveActor } from '../actor.js';
import type { CliIO } from '../io.js';
import { shortSecretWarnings } from './short-secrets.js';
import { loadRunbookOrExit } from '../load-or-exit.js';
import { ndjsonReporter } from '../output/ndjson-reporter.js';
import { plainReporter, type ReportContext } from '../output/plain-reporter.js';
import { ttyReporter } from '../output/tty-reporter.js';
import { openExistingWorkspace, openWorkspace, type Workspace } from '../workspace.js';
import { exitForRun } from './exit-for.js';
import { ttyPrompter } from './tty-prompt.js';

interface RunFlags {
  json?: boolean;
  state?: string;
  prompt: boolean;
}

export async function runCommand(io: CliIO, file: string, opts: RunFlags & { env: string; release?: string }): Promise<ExitCode> {
  const loaded = await loadRunbookOrExit(io, file);
  const environment = await resolveEnvironment(loaded, opts.env, io.env);
  for (const w of shortSecretWarnings(environment)) io.stderr.write(w);
  const plan = planRun(loaded, { environment: opts.env, release: opts.release ?? null, cpus: availableParallelism() });
  await using ws = await openWorkspace(io, { state: opts.state, file: loaded.path });
  return await driveWith(io, ws, loaded, plan, opts, (deps) => startRun({ ...deps, environment }, plan));
}

export async function resumeCommand(io: CliIO, runArg: string, opts: RunFlags & { rerun?: string[]; skip?: string[]; reason?: string }): Promise<ExitCode> {
  if (opts.skip?.length && !opts.reason) {
    throw new UserError('SG_SKIP_NEEDS_REASON', '--skip needs --reason saying why the step may be treated as done', `shipgate resume ${runArg} --skip ${opts.skip[0]} --reason "…"`);
  }
  await using ws = await openExistingWorkspace(io, { state: opts.state }, runArg);
  const { run, plan } = await loadResumableRun(ws.store, asRunId(runArg), isProcessRunning, process.pid);
  const loaded = await loadFrozenRunbook(io, run.runbookPath, run.runbookDigest);
  const environment = await resolveEnvironment(loaded, run.environment, io.env);
  const decisions = { rerun: opts.rerun ?? [], skip: (opts.skip ?? []).map((step) => ({ step, reason: opts.reason ?? '' })) };
  // The run's duration counts from its start, not from this resume (the reporters say both).
  return await driveWith(io, ws, loaded, plan, opts, (deps) => resumeRun({ ...deps, environment }, run, plan, decisions), { runStartedAt: run.startedAt });
}

/** Drives a run with the CLI's reporters, prompt and Ctrl-C handling. */
export async function driveWith(
  io: CliIO,
  ws: Workspace,
  loaded: LoadedRunbook,
  plan: Plan,
  opts: RunFlags,
  go: (deps: Omit<RunDeps, 'environment'>) => Promise<RunHandle>,
  report: ReportContext = {},
): Promise<ExitCode> {
  const actor = resolveActor(io.env, loaded.dir);
  const live = !opts.json && io.stdout.isTTY ? ttyReporter(io.stdout, plan, io.color, report) : undefined;
  const display: RunSubscriber = opts.json ? ndjsonReporter(io.stdout) : (live ?? plainReporter(io.stdout, io.color, report));
  // Ctrl-C: the first stops the run cleanly (process trees killed, state saved, exit 130); an
  // open prompt closes with it.
  const controller = new AbortController();
  // stdout first: io.stdin is made on first use, and a run whose output is not a terminal never prompts.
  const ask = opts.prompt && !opts.json && io.stdout.isTTY && io.stdin.isTTY ? ttyPrompter(io, ws.store, actor, controller.signal) : undefined;
  const prompt: ManualPrompter | undefined = ask
    ? (runId, step, policy) => {
        live?.freeze();
        return ask(runId, step, policy);
      }
    : undefined;

  const onSignal = () => {
    if (controller.signal.aborted) return;
    // Which resume command fits depends on what gets cut off; the run's last line names it.
    io.stderr.write('\nshipgate: interrupting — stopping running steps and saving state (the command to resume with follows)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const handle = await go({
      loaded, store: ws.store, artifacts: ws.artifacts, stateDir: ws.stateDir, actor, processEnv: io.env,
      subscribers: [display], signal: controller.signal, clock: () => new Date(), pid: process.pid, ...(prompt ? { prompt } : {}),
      isProcessGroupAlive: isProcessGroupRunning,
      isProcessAlive: isProcessRunning,
    });
    return exitForRun(handle.outcome.status);
  } finally {
    live?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * A resumed run executes the plan frozen when it started; the runbook is loaded again only for
 * the blocks actions read (data:, migrations:). If it changed since, say so.
 */
async function loadFrozenRunbook(io: CliIO, path: string, digest: string): Promise<LoadedRunbook> {
  const r = await loadRunbook(path, { cwd: io.cwd });
  if (!r.ok) {
    throw new UserError('SG_RUNBOOK_INVALID', `the run's runbook ${path} no longer loads cleanly`, `restore it, or cancel the run: shipgate cancel RUN --reason "…"`, ExitCode.InvalidInput);
  }
  if (r.value.digest !== digest) {
    io.stderr.write(`warning: ${path} changed since this run started; the run continues with the plan frozen at its start\n`);
  }
  return r.value;
}


