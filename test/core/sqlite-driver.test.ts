import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findNativeBinding, openDatabase } from '../../src/core/sqlite-driver.js';

describe('openDatabase (better-sqlite3 with its addon named)', () => {
  it('opens a real database through the addon npm built', () => {
    const db = openDatabase(':memory:');
    expect(db.prepare('select 41 + 1 as n').get()).toEqual({ n: 42 });
    db.close();
  });

  it('finds the addon file where npm puts it', () => {
    expect(findNativeBinding(createRequire(import.meta.url))).toMatch(/build[/\\]Release[/\\]better_sqlite3\.node$/);
  });

  it('elsewhere, loads the addon the way better-sqlite3 would, and that addon works', async () => {
    const real = createRequire(import.meta.url);
    // A layout without build/Release (a debug build, say): only the addon path fails to resolve.
    const load = Object.assign((id: string) => real(id), real, {
      resolve: Object.assign((id: string) => {
        if (id.endsWith('.node')) throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
        return real.resolve(id);
      }, real.resolve),
    }) as NodeJS.Require;
    const addon = findNativeBinding(load);
    expect(typeof addon).toBe('object');
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:', { nativeBinding: addon as unknown as string });
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    db.close();
  });
});
