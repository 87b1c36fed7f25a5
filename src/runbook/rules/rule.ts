import type { Document, LineCounter } from 'yaml';
import type { ActionDefinition } from '../../actions/action.js';
import type { StepEntry, StepGraph } from '../step-graph.js';
import type { RunbookSchema } from '../schema.js';
import type { DataPath } from '../yaml-locate.js';

/** One problem found by a rule, before it gets a file position. */
export interface Finding {
  /** Stable code, e.g. `unknown-key`. Documented in docs/runbook.md. */
  readonly code: string;
  /** Where in the data: the diagnostic points at this key or value. */
  readonly path: DataPath;
  readonly message: string;
  /** Point at the map key (`key`) or at its value (`value`). Default: value. */
  readonly at?: 'key' | 'value';
  /** Offset inside a string value (e.g. of a bad expression). */
  readonly offset?: number;
  readonly hint?: string;
}

/** What every rule can read. Rules only read and report: they never change the data. */
export interface RuleContext {
  readonly text: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  /** The YAML as plain data (not yet schema-checked: rules read it defensively). */
  readonly data: Record<string, unknown>;
  /** `data` checked against the runbook schema, once for every rule and for the caller. */
  readonly parsed: ReturnType<typeof RunbookSchema.safeParse>;
  readonly steps: readonly StepEntry[];
  readonly graph: StepGraph;
  readonly findAction: (name: string) => ActionDefinition | undefined;
  readonly actionNames: () => Iterable<string>;
  report(finding: Finding): void;
}

/** A named validation rule. Rules are independent; each reports every problem it finds. */
export interface Rule {
  readonly name: string;
  check(ctx: RuleContext): void;
}

export const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
export const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
