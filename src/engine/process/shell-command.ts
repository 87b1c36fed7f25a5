/**
 * How a `run:` script is handed to its shell. bash runs with `-e -o pipefail` so a failing
 * command in the middle of a script (or a pipe) fails the step, as the runbook author expects;
 * PowerShell gets `$ErrorActionPreference = 'Stop'` for the same reason.
 */
export function shellCommand(shell: string, script: string, scriptFile: string): { file: string; args: string[]; writeScript: boolean } {
  switch (shell) {
    case 'bash':
      return { file: 'bash', args: ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], writeScript: false };
    case 'sh':
      return { file: 'sh', args: ['-e', '-c', script], writeScript: false };
    case 'pwsh':
    case 'powershell':
      return {
        file: shell,
        args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', `$ErrorActionPreference = 'Stop'\n${script}`],
        writeScript: false,
      };
    default: {
      // A custom shell template, e.g. `python3 {0}` or `node {0}`: the script goes to a file.
      const parts = shell.split(/\s+/).filter(Boolean);
      const [file, ...rest] = parts;
      const args = rest.map((a) => a.replaceAll('{0}', scriptFile));
      if (!rest.some((a) => a.includes('{0}'))) args.push(scriptFile);
      return { file: file ?? 'bash', args, writeScript: true };
    }
  }
}
