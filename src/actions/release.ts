import type { ActionDefinition } from './action.js';
import { defineAction } from './action.js';
import { NotesWithSchema, TagWithSchema } from './release/schemas.js';

/** Actions of the release family (docs/audit.md, "Release"). Implementations load lazily. */
export const releaseActions: readonly ActionDefinition[] = [
  defineAction({
    name: 'git/tag',
    summary: 'Annotated semver tag on HEAD (suggested from conventional commits + migration classes), pushed, verified with git describe',
    with: TagWithSchema,
    load: async () => (await import('./release/tag-action.js')).tagAction,
  }),
  defineAction({
    name: 'notes',
    summary: 'Release notes since the last tag: breaking changes, features, fixes, migration requirements (Markdown)',
    with: NotesWithSchema,
    load: async () => (await import('./release/notes-action.js')).notesAction,
  }),
];
