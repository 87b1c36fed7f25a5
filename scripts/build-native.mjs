// Compiles the optional native pre-filter of `audit grep` (native/grep-scan.c) with node-gyp.
//
// Optional on purpose: where there is no C compiler (or no node-gyp), shipgate searches in
// JavaScript alone, with the same results, and this script only says so. It never fails the
// build. Skipped when the addon is newer than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'native');
const addon = join(dir, 'build', 'Release', 'grep_scan.node');
const sources = ['grep-scan.c', 'binding.gyp'].map((f) => join(dir, f));
const mtime = (p) => statSync(p, { throwIfNoEntry: false })?.mtimeMs ?? 0;

if (process.env.SHIPGATE_GREP_NATIVE === '0') {
  console.log('build-native: SHIPGATE_GREP_NATIVE=0, not building the native grep pre-filter');
} else if (mtime(addon) > Math.max(...sources.map(mtime))) {
  // Up to date.
} else {
  const gyp = nodeGyp();
  if (!gyp) {
    warn('node-gyp was not found (it comes with npm)');
  } else {
    const args = [gyp, 'rebuild', '--directory', dir];
    // Without a header directory node-gyp downloads Node's headers; use the installed ones when
    // this Node has them (a Linux distribution's Node, or one built from source).
    const headers = join(dirname(process.execPath), '..', 'include', 'node', 'node_api.h');
    if (!process.env.npm_config_nodedir && existsSync(headers)) args.push(`--nodedir=${join(dirname(process.execPath), '..')}`);
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status === 0 && existsSync(addon)) console.log('build-native: built native/build/Release/grep_scan.node');
    else warn(`node-gyp failed (exit ${r.status ?? r.signal}):\n${(r.stderr || r.stdout || '').split('\n').filter((l) => !l.startsWith('gyp info')).slice(-15).join('\n')}`);
  }
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), // Windows layout
  ];
  return candidates.find((p) => p && existsSync(p));
}

function warn(why) {
  console.warn(`build-native: ${why}\nbuild-native: audit grep will search in JavaScript alone (same results, slower).`);
}
