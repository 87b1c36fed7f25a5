import type { RegisterCommand } from '../command.js';

/** `shipgate tag` and `shipgate notes`. Implementations load lazily. */
export const register: RegisterCommand = (program, io, done) => {
  program
    .command('tag')
    .description('Create an annotated semver tag on HEAD, push it when a remote exists, and verify it with `git describe --tags --abbrev=0`')
    .argument('[version]', 'the tag, e.g. v1.4.0 (default: the suggested next version)')
    .option('--migrations <file>', 'JSON list of {migration, class} (none|backward-compatible|breaking) for the suggestion')
    .option('--no-push', 'do not push, even when a remote exists')
    .option('--remote <name>', 'remote to push to (default: origin, else the first remote)')
    .option('-m, --message <text>', 'annotation (default: "Release VERSION")')
    .addHelpText('after', '\nExit codes: 0 tagged (and pushed) · 1 push or verification failed · 2 bad version, tag exists, unknown remote, or nothing to release')
    .action(async (version: string | undefined, opts) => {
      const { tagCommand } = await import('../audit-commands/release-command.js');
      done(await tagCommand(io, version, opts));
    });
  program
    .command('notes')
    .description('Print release notes since the last tag, grouped: breaking changes, new features, fixes, migration requirements; and the suggested next version')
    .option('--since <ref>', 'start after this ref (default: the last tag)')
    .option('--version <v>', 'version for the heading (default: the suggested next version)')
    .option('--migrations <file>', 'JSON list of {migration, class} for the "Migration requirements" section and the suggestion')
    .option('--suggest', 'print only the suggested next version and why')
    .option('--json', 'print {suggestion, version, notes} as JSON')
    .action(async (opts) => {
      const { notesCommand } = await import('../audit-commands/release-command.js');
      done(await notesCommand(io, opts));
    });
};
