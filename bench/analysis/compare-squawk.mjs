// Compare shipgate's classification with squawk's on a Postgres migrations folder.
// Every statement squawk flags with one of the BREAKING_RULES must be classified `breaking`
// by shipgate; any that is not is listed as a disagreement (exit 1).
//
//   node bench/analysis/compare-squawk.mjs <migrations-dir> [--squawk PATH] [--tool prisma|sql]
//
// squawk comes from `npm i squawk-cli` (its binary ships in @squawk-cli/<platform>); pass its
// path with --squawk or SQUAWK, else `squawk` on PATH. Runs against the BUILT dist/.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { createAnalyzer, lintMigrations, loadMigrationSources } = await import(path.join(root, 'dist/analysis/index.js'));

const BREAKING_RULES = ['ban-drop-column', 'ban-drop-table', 'renaming-column', 'renaming-table', 'adding-required-field', 'changing-column-type', 'ban-drop-not-null'];

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const squawk = opt('--squawk') ?? process.env.SQUAWK ?? 'squawk';
const tool = opt('--tool') ?? 'prisma';
const dir = path.resolve(args[0] ?? '.');

const analyzer = await createAnalyzer({ alembic: false });
const sources = await loadMigrationSources({ cwd: dir, paths: ['.'], tool, dialect: 'postgres' });
const report = lintMigrations(analyzer, sources);

const files = report.migrations.map((m) => m.file);
let raw;
try {
  raw = execFileSync(squawk, ['--reporter', 'json', ...files], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
} catch (e) {
  // squawk exits 1 when it found something; its JSON is still on stdout.
  if (typeof e.stdout !== 'string' || e.stdout === '') throw e;
  raw = e.stdout;
}
const squawkFindings = JSON.parse(raw);

// shipgate statements per file, by start line, to find the statement a squawk line falls in.
const byFile = new Map(report.migrations.map((m) => [m.file, [...m.statements].sort((a, b) => a.line - b.line)]));
const statementAt = (file, line) => {
  const list = byFile.get(file) ?? [];
  let hit;
  for (const s of list) if (s.line <= line) hit = s;
  return hit;
};

const disagreements = [];
const checked = {};
for (const f of squawkFindings) {
  if (!BREAKING_RULES.includes(f.rule_name)) continue;
  const line = f.line + 1; // squawk reports 0-based lines
  const s = statementAt(f.file, line);
  checked[f.rule_name] = (checked[f.rule_name] ?? 0) + 1;
  if (!s || s.class !== 'breaking') disagreements.push({ rule: f.rule_name, file: f.file, line, shipgate: s ? `${s.class} (${s.kind}: ${s.text})` : 'no statement' });
}

const count = (list, key) => list.reduce((acc, x) => ((acc[key(x)] = (acc[key(x)] ?? 0) + 1), acc), {});
const shipgateRules = count(report.migrations.flatMap((m) => m.findings), (f) => f.rule);
const squawkRules = count(squawkFindings, (f) => f.rule_name);

console.log(`# shipgate vs squawk on ${dir}`);
console.log(`migrations: ${report.migrations.length}; shipgate classes: ${JSON.stringify(report.counts)}`);
console.log('\n| squawk rule (must be breaking in shipgate) | squawk findings | shipgate breaking | disagreements |');
console.log('|---|---:|---:|---:|');
for (const r of BREAKING_RULES) {
  const n = checked[r] ?? 0;
  const bad = disagreements.filter((d) => d.rule === r).length;
  console.log(`| ${r} | ${n} | ${n - bad} | ${bad} |`);
}
console.log('\n| squawk rule | findings |\n|---|---:|');
for (const [r, n] of Object.entries(squawkRules).sort((a, b) => b[1] - a[1])) console.log(`| ${r} | ${n} |`);
console.log('\n| shipgate rule | findings |\n|---|---:|');
for (const [r, n] of Object.entries(shipgateRules).sort((a, b) => b[1] - a[1])) console.log(`| ${r} | ${n} |`);
if (disagreements.length) {
  console.log(`\n${disagreements.length} disagreement(s):`);
  for (const d of disagreements) console.log(`- ${d.file}:${d.line} squawk ${d.rule}; shipgate: ${d.shipgate}`);
  process.exitCode = 1;
} else console.log('\nno disagreements: every statement squawk flags with a breaking rule is classified breaking by shipgate');
