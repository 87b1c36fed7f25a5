import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sha256Hex } from '../../src/core/canonical-json.js';
import type { LoadedRunbook } from '../../src/runbook/loaded-runbook.js';
import { RunbookSchema } from '../../src/runbook/schema.js';

/** A temp project folder; `cleanup()` removes it. */
export function tempProject(): { dir: string; write(rel: string, text: string): string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-migrations-'));
  return {
    dir,
    write(rel, text) {
      const p = path.join(dir, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A loaded runbook object for library calls (the engine tests load real files instead). */
export function loadedRunbook(dir: string, doc: Record<string, unknown>): LoadedRunbook {
  const full = { version: 1, name: 'test', environments: { prod: {} }, phases: [{ id: 'p', steps: [{ id: 's', run: 'true' }] }], ...doc };
  return { runbook: RunbookSchema.parse(full), path: path.join(dir, 'shipgate.yml'), dir, digest: sha256Hex(JSON.stringify(full)), stepPos: () => undefined };
}

/** Three Prisma migrations: init (additive), add_bio (additive), drop_nickname (breaking). */
export function writePrismaMigrations(write: (rel: string, text: string) => string, dir = 'prisma/migrations'): string[] {
  write(`${dir}/20240101000000_init/migration.sql`, 'CREATE TABLE "users" ("id" SERIAL PRIMARY KEY, "nickname" TEXT);\n');
  write(`${dir}/20240201000000_add_bio/migration.sql`, 'ALTER TABLE "users" ADD COLUMN "bio" TEXT;\n');
  write(`${dir}/20240301000000_drop_nickname/migration.sql`, 'ALTER TABLE "users" DROP COLUMN "nickname";\n');
  return ['20240101000000_init', '20240201000000_add_bio', '20240301000000_drop_nickname'];
}
