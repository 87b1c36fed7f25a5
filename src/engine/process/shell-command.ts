/**
 * How a `run:` script is handed to its shell. bash runs with `-e -o pipefail` so a failing
 * command in the middle of a script (or a pipe) fails the step, as the runbook author expects;
 * PowerShell gets `$ErrorActionPreference = 'Stop'` for the same reason.
 *
 * `gated`: the script first waits for a line on fd 3 and exits 125 without running anything if
 * fd 3 closes first (run-process.ts opens and releases it). Only the POSIX shells have it, and
 * not on Windows, where a child does not get extra descriptors.
 */
export function shellCommand(shell: string, script: string, scriptFile: string, platform: NodeJS.Platform = process.platform): { file: string; args: string[]; script: string; gated: boolean } {
  // The script always goes to a private file (0600, in the run's 0700 temp dir), never into
  // argv: `ps` shows argv to every user, and expanded expressions may hold secrets.
  const gate = platform !== 'win32';
  const posix = (file: string, args: string[]) => ({ file, args, script: gate ? gated(script) : script, gated: gate });
  switch (shell) {
    case 'bash':
      return posix('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', scriptFile]);
    case 'sh':
      return posix('sh', ['-e', scriptFile]);
    case 'pwsh':
    case 'powershell':
      return {
        file: shell,
        args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', scriptFile],
        script: `$ErrorActionPreference = 'Stop'\n${script}`,
        gated: false,
      };
    default: {
      // A custom shell template, e.g. `python3 {0}` or `node {0}`.
      const parts = shell.split(/\s+/).filter(Boolean);
      const [file, ...rest] = parts;
      const args = rest.map((a) => a.replaceAll('{0}', scriptFile));
      if (!rest.some((a) => a.includes('{0}'))) args.push(scriptFile);
      return { file: file ?? 'bash', args, script, gated: false };
    }
  }
}

/** The exit code of a gated script whose gate closed without the line that lets it run. */
export const GATE_CLOSED_EXIT = 125;
/**
 * What such a script prints, so that the step's log says why it did nothing: shipgate stopped
 * before the start was stored, or something closed fd 3 first (a `BASH_ENV` file, a wrapper).
 */
export const GATE_CLOSED_MESSAGE = "shipgate: start gate closed before the step was released (fd 3); none of the step's script ran";

/**
 * The gate goes on the script's first line, before the author's own first line, so that line
 * numbers in the shell's error messages stay the author's. `read` fails on end of file: the
 * engine died or gave up before the start was recorded, and the script must not run. fd 3 is
 * closed before the author's code, so nothing the script starts holds it.
 */
function gated(script: string): string {
  return `IFS= read -r _shipgate_go <&3 || { echo "${GATE_CLOSED_MESSAGE}" >&2; exit ${GATE_CLOSED_EXIT}; }; exec 3<&-; unset _shipgate_go; ${script}`;
}
