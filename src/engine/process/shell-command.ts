/**
 * How a `run:` script is handed to its shell. bash runs with `-e -o pipefail` so a failing
 * command in the middle of a script (or a pipe) fails the step, as the runbook author expects;
 * PowerShell gets `$ErrorActionPreference = 'Stop'` for the same reason.
 */
export function shellCommand(shell: string, script: string, scriptFile: string): { file: string; args: string[]; script: string } {
  // The script always goes to a private file (0600, in the run's 0700 temp dir), never into
  // argv: `ps` shows argv to every user, and expanded expressions may hold secrets.
  switch (shell) {
    case 'bash':
      return { file: 'bash', args: ['--noprofile', '--norc', '-e', '-o', 'pipefail', scriptFile], script };
    case 'sh':
      return { file: 'sh', args: ['-e', scriptFile], script };
    case 'pwsh':
    case 'powershell':
      return {
        file: shell,
        args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', scriptFile],
        script: `$ErrorActionPreference = 'Stop'\n${script}`,
      };
    default: {
      // A custom shell template, e.g. `python3 {0}` or `node {0}`.
      const parts = shell.split(/\s+/).filter(Boolean);
      const [file, ...rest] = parts;
      const args = rest.map((a) => a.replaceAll('{0}', scriptFile));
      if (!rest.some((a) => a.includes('{0}'))) args.push(scriptFile);
      return { file: file ?? 'bash', args, script };
    }
  }
}
