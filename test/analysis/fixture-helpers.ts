import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAnalyzer, type Analyzer, type Dialect, type MigrationResult, type MigrationTool } from '../../src/analysis/index.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/migrations');

let analyzer: Promise<Analyzer> | undefined;
export function getAnalyzer(): Promise<Analyzer> {
  analyzer ??= createAnalyzer();
  return analyzer;
}

/** Analyse one fixture file (path relative to test/fixtures/migrations). */
export async function analyzeFixture(rel: string, tool: MigrationTool, dialect: Dialect): Promise<MigrationResult> {
  const a = await getAnalyzer();
  return a.analyzeMigration({ id: rel, file: rel, tool, dialect, content: new Uint8Array(readFileSync(path.join(FIXTURES, rel))) });
}

/** `rule@line:col` for each finding, sorted: compact, and exact when compared. */
export function findingKeys(m: MigrationResult): string[] {
  return m.findings.map((f) => `${f.rule}@${f.line}:${f.col}`).sort();
}
