import { RULES, RULE_NAMES } from '../rules.js';
import type { LintReport, Severity } from '../types.js';

export interface SarifOptions {
  /** The tool version reported in the log. */
  readonly version: string;
}

/** SARIF 2.1.0 log: one run, every catalogue rule described, one result per finding. */
export function formatSarif(report: LintReport, opts: SarifOptions): string {
  const index = new Map(RULE_NAMES.map((r, i) => [r as string, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'shipgate',
            version: opts.version,
            rules: RULE_NAMES.map((id) => {
              const r = RULES[id];
              return {
                id, name: id,
                shortDescription: { text: r.summary },
                help: { text: r.safe },
                defaultConfiguration: { level: level(r.severity) },
                properties: { axis: r.axis, class: r.class },
              };
            }),
          },
        },
        results: report.migrations.flatMap((m) =>
          m.findings.map((f) => ({
            ruleId: f.rule,
            ruleIndex: index.get(f.rule) ?? 0,
            level: level(f.severity),
            message: { text: `${f.reason}. Safe alternative: ${f.safe}` },
            locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(f.file) }, region: { startLine: f.line, startColumn: f.col } } }],
            properties: { migration: m.id, class: f.class, axis: f.axis, ...(f.guarded ? { guarded: true, condition: f.condition } : {}) },
          })),
        ),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function level(s: Severity): 'error' | 'warning' | 'note' {
  return s === 'info' ? 'note' : s;
}
