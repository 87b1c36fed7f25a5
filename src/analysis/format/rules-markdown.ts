import { RULES, RULE_NAMES } from '../rules.js';

/** The rules catalogue as a markdown table (docs/migrations.md embeds it; a test keeps them equal). */
export function renderRulesMarkdown(): string {
  const rows = RULE_NAMES.map((id) => {
    const r = RULES[id];
    return `| \`${id}\` | ${r.axis} | ${r.severity} | ${r.class} | ${r.summary.replace(/\|/g, '\\|')} | ${r.safe.replace(/\|/g, '\\|')} |`;
  });
  return ['| rule | axis | severity | class | detects | safe alternative |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
