import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { findNativeBinding, openDatabase, pickDriver } from '../../src/core/sqlite-driver.js';

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

  it('a bundled copy of another version than the installed package gives way to the installed one', async () => {
    const real = createRequire(import.meta.url);
    const installed = (real('better-sqlite3/package.json') as { version: string }).version;
    const { default: Installed } = await import('better-sqlite3');
    class BundledCopy {}
    const own = BundledCopy as unknown as typeof Installed;
    expect(pickDriver(undefined, real, own)).toBe(own); // not in the bundle: the import is the package
    expect(pickDriver(installed, real, own)).toBe(own); // the same release: the bundled copy
    const fallback = pickDriver('0.0.1', real, own); // another release: the installed package
    expect(fallback).not.toBe(own);
    const db = new fallback(':memory:');
    expect(db.prepare('select 2 as two').get()).toEqual({ two: 2 });
    db.close();
  });
});
