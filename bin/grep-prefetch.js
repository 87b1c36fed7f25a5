'use strict';
// Starts `audit grep`'s `git ls-files` listings (src/audit/grep/list-git-files.ts) as the process
// starts, before the CLI is loaded.
//
// Why: loading the CLI takes this thread ~30–40 ms while the second core idles, and the listings
// are the longest wait of a search: on a 27k-file tree git needs ~180 ms for the untracked files
// and as long again to say which tracked files are ignored. Started here, they use that idle
// core (bench/RESULTS-audit.md, "eighth session"). list-git-files.ts takes a listing from here
// only when it asks for exactly the same command in the same folder with the same environment;
// anything else (other paths, flags it does not know) is simply not prefetched.
const { spawn } = require('node:child_process');
const { resolve } = require('node:path');

/**
 * The listings and the global excludes file, as list-git-files.ts asks for them (a test checks
 * that they agree). Not `ls-files --cached --ignored`: tracked-ignored.ts mostly does without it.
 */
const LISTINGS = [
  ['ls-files', '-z', '--cached'],
  ['ls-files', '-z', '--others', '--exclude-standard', '--exclude=!.gitignore'],
  ['config', '-z', '--path', '--default', '', '--get', 'core.excludesFile'],
];
/** `audit grep` options that take a value; any other option must be one of BOOLEAN. */
const WITH_VALUE = new Set(['--allow', '--threads', '--max-hits']);
const BOOLEAN = new Set(['--no-marker', '-i', '--ignore-case', '--hidden', '--show-allowed', '--show-skipped', '--json', '--sarif']);
/** At most this many search roots are prefetched (each costs three processes). */
const MAX_ROOTS = 4;

/** The search roots of `audit grep …` arguments (after `audit grep`), or undefined when unsure. */
function roots(args) {
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') positional.push(a);
    else if (WITH_VALUE.has(a)) i++;
    else if (!BOOLEAN.has(a) && !WITH_VALUE.has(a.split('=')[0])) return undefined; // --no-ignore, --help, a typo…
  }
  const paths = positional.slice(1); // the first is the pattern
  if (positional.length === 0 || paths.length > MAX_ROOTS) return undefined;
  return (paths.length ? paths : ['.']).map((p) => resolve(p));
}

/** Map of `cwd \0 args` → a listing under way; list-git-files.ts takes entries out of it. */
const started = new Map();

/** Starts the listings for `args` (the arguments after `audit grep`). */
function prefetch(args) {
  for (const cwd of new Set(roots(args))) {
    // Each started once: `. ./` names one folder twice, and a second start would orphan the first.
    for (const listing of LISTINGS) started.set(key(cwd, listing), run(cwd, listing));
  }
  globalThis.__shipgateGitPrefetch = started;
  // A listing nobody took (the command failed first: a bad pattern) would go on walking a large
  // tree after shipgate has exited; stop it.
  process.on('exit', () => {
    for (const p of started.values()) p.stop();
  });
}

function key(cwd, args) {
  return `${cwd}\0${args.join('\0')}`;
}

/**
 * Runs git; the result resolves to its stdout, or undefined when it failed (not a work tree:
 * the caller then walks, as without a prefetch). The child does not keep the process alive
 * until someone takes its listing (take() below), so a command that ends early (a bad pattern)
 * does not wait for git.
 */
function run(cwd, args) {
  const chunks = [];
  let child;
  try {
    child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return { result: Promise.resolve(undefined), ref() {}, stop() {} };
  }
  const result = new Promise((done) => {
    child.stdout.on('data', (c) => chunks.push(c));
    child.on('error', () => done(undefined));
    child.on('close', (code) => done(code === 0 ? Buffer.concat(chunks) : undefined));
  });
  child.unref();
  child.stdout.unref?.();
  return {
    result,
    ref() {
      child.ref();
      child.stdout.ref?.();
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

module.exports = { prefetch, roots, LISTINGS, key };
