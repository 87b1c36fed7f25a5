/** The migration analyzer's public surface. */
export { createAnalyzer, parseSqlStatements, DEFAULT_MAX_BYTES, type Analyzer, type AnalyzerOptions, type MigrationSource } from './analyze-migration.js';
export { lintMigrations, summarize } from './lint.js';
export { findMigrationFiles, loadMigrationSources, type LoadSourcesOptions, type MigrationFile } from './load-sources.js';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './format/format-report.js';
export { renderRulesMarkdown } from './format/rules-markdown.js';
export { RULES, RULE_NAMES, type RuleName, type RuleSpec } from './rules.js';
export * from './types.js';
