import * as z from 'zod';

const MigrationClass = z.strictObject({ migration: z.string(), class: z.enum(['none', 'backward-compatible', 'breaking', 'unknown']) });

/** `uses: git/tag` inputs. */
export const TagWithSchema = z.strictObject({
  version: z.string().optional().describe('The tag, e.g. v1.4.0. Default: the release version (`--release`), else the suggested next version.'),
  push: z.boolean().default(true).describe('Push the tag when a remote exists. Default: true.'),
  remote: z.string().optional().describe('Remote to push to. Default: origin, else the first remote.'),
  message: z.string().optional().describe('Annotation. Default: "Release VERSION".'),
  migrations: z.array(MigrationClass).default([]).describe('Migration classes (from migrations/lint) for the version suggestion. Default: [].'),
});

/** `uses: notes` inputs. */
export const NotesWithSchema = z.strictObject({
  since: z.string().optional().describe('Start after this ref. Default: the last tag.'),
  version: z.string().optional().describe('Heading version. Default: the release version, else the suggested next version.'),
  out: z.string().optional().describe('Also write the notes to this file (relative to the step cwd).'),
  migrations: z.array(MigrationClass).default([]).describe('Migration classes for the "Migration requirements" section. Default: [].'),
});

export type TagWith = z.output<typeof TagWithSchema>;
export type NotesWith = z.output<typeof NotesWithSchema>;
