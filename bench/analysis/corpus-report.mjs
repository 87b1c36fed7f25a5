// Classify a real-world migrations corpus and print the results tables (markdown):
// migrations per class, findings per rule, guarded findings.
//
//   node bench/analysis/corpus-report.mjs <dir> --tool prisma|alembic|sql --dialect postgres|sqlite|mysql
//
// Runs against the BUILT dist/. Keep corpora outside the repository.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { createAnalyzer, lintMigrations, loadMigrationSources, RULES } = await import(path.join(root, 'dist/analysis/index.js'));
const args = process.argv.slice(2);
const opt = (n, d) => {
  const i = args.indexOf(n);
  return i >= 0 ? args.splice(i, 2)[1] : d;
};
const tool = opt('--tool', 'prisma');
const dialect = opt('--dialect', 'postgres');
const dir = path.resolve(args[0] ?? '.');

const t0 = performance.now();
const analyzer = await createAnalyzer({ alembic: tool === 'alembic' });
const report = lintMigrations(analyzer, await loadMigrationSources({ cwd: dir, paths: ['.'], tool, dialect }));
const ms = performance.now() - t0;
const findings = report.migrations.flatMap((m) => m.findings);
const statements = report.migrations.reduce((n, m) => n + m.statements.length, 0);

console.log(`### ${path.basename(dir)} (${tool}, ${dialect}): ${report.migrations.length} migrations, ${statements} statements, ${findings.length} findings, ${ms.toFixed(0)} ms\n`);
console.log('| class | migrations |\n|---|---:|');
for (const c of ['breaking', 'unknown', 'additive', 'none']) console.log(`| ${c} | ${report.counts[c]} |`);
const byRule = {};
const guarded = {};
const inMigrations = {};
for (const m of report.migrations) for (const f of m.findings) {
  byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  if (f.guarded) guarded[f.rule] = (guarded[f.rule] ?? 0) + 1;
  (inMigrations[f.rule] ??= new Set()).add(m.id);
}
console.log('\n| rule | axis | findings | of which guarded | migrations |\n|---|---|---:|---:|---:|');
for (const [r, n] of Object.entries(byRule).sort((a, b) => b[1] - a[1])) console.log(`| ${r} | ${RULES[r].axis} | ${n} | ${guarded[r] ?? 0} | ${inMigrations[r].size} |`);
console.log('\n| migration | class | rules |\n|---|---|---|');
for (const m of report.migrations) if (m.class === 'breaking' || m.class === 'unknown') console.log(`| ${m.id} | ${m.class} | ${[...new Set(m.findings.filter((f) => RULES[f.rule].class === 'breaking' || RULES[f.rule].class === 'unknown').map((f) => f.rule))].join(', ')} |`);
