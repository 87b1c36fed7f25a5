import { isMap, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ActionDefinition } from '../actions/action.js';
import { ACTIONS, findAction } from '../actions/registry.js';
import { err, ok, type Result } from '../core/result.js';
import type { Diagnostic, SourcePos } from './diagnostic.js';
import { RULES } from './rules/index.js';
import type { Finding, RuleContext } from './rules/rule.js';
import { RunbookSchema, type Runbook } from './schema.js';
import { collectSteps, StepGraph } from './step-graph.js';
import { locate, posAt, scalarOffset } from './yaml-locate.js';

/** A runbook that passed every rule: the normalized model and where its steps are declared. */
export interface ValidatedRunbook {
  readonly runbook: Runbook;
  stepPos(stepId: string): SourcePos | undefined;
}

export interface ValidateOptions {
  /**
   * The actions `uses:` may name. Default: the built-in registry (src/actions/registry.ts).
   * Tests pass their own to exercise the action rules before the families fill the registry.
   */
  readonly actions?: ReadonlyMap<string, ActionDefinition>;
}

/**
 * Parses and validates runbook text: pure, no IO. Reports EVERY problem at once, each with the
 * `file:line:col` of the offending key or value, sorted by position. `file` is only used to
 * label diagnostics (as the user typed it).
 */
export function validateRunbookText(text: string, file: string, opts: ValidateOptions = {}): Result<ValidatedRunbook, Diagnostic[]> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourcePos => posAt(lineCounter, offset);

  let fatal = false;
  for (const e of doc.errors) {
    // A duplicate key still leaves a usable document: report it and go on to the other rules.
    const duplicate = e.code === 'DUPLICATE_KEY';
    if (!duplicate) fatal = true;
    const message = duplicate ? `duplicate key ${keyAt(text, e.pos[0])}(YAML would keep only one of the values)` : firstLine(e.message);
    diagnostics.push({ file, pos: at(e.pos[0]), severity: 'error', code: duplicate ? 'duplicate-key' : 'yaml-syntax', message });
  }
  if (fatal) return err(diagnostics);

  let data: unknown;
  try {
    // yaml's default alias limit (100) stops "billion laughs" documents.
    data = doc.toJS();
  } catch (e) {
    return err([...diagnostics, { file, pos: { line: 1, col: 1 }, severity: 'error', code: 'yaml-syntax', message: firstLine((e as Error).message) }]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !isMap(doc.contents)) {
    const hint = 'start from an example: examples/selenite/shipgate.yml, or run `shipgate schema` for the format';
    return err([...diagnostics, { file, pos: at(doc.contents?.range?.[0] ?? 0), severity: 'error', code: 'wrong-type', message: 'a runbook is a mapping with version, name, environments and phases', hint }]);
  }

  const actions = opts.actions;
  const steps = collectSteps(data as Record<string, unknown>);
  // Parsed once: the schema rule reports its issues, and the checked data is what is returned.
  const parsed = RunbookSchema.safeParse(data);
  const ctx: RuleContext = {
    text,
    doc,
    lineCounter,
    data: data as Record<string, unknown>,
    parsed,
    steps,
    graph: new StepGraph(steps),
    findAction: actions ? (name) => actions.get(name) : findAction,
    actionNames: () => (actions ?? ACTIONS).keys(),
    report: (f) => diagnostics.push(toDiagnostic(f, file, text, doc, lineCounter)),
  };
  for (const rule of RULES) rule.check(ctx);

  if (diagnostics.length > 0) return err(sortDiagnostics(diagnostics));
  // The schema rule has already reported any failure here; this cannot fail when it reported none.
  if (!parsed.success) throw new Error(`schema rule missed: ${parsed.error.message}`);
  return ok({ runbook: parsed.data, stepPos: (id) => stepPosition(ctx, id) });
}

function toDiagnostic(f: Finding, file: string, text: string, doc: Document, lc: LineCounter): Diagnostic {
  const found = locate(doc, f.path);
  let offset = 0;
  if (found.exact && f.at === 'key' && found.key?.range) offset = found.key.range[0];
  else if (found.exact && found.node?.range) offset = f.offset !== undefined ? scalarOffset(text, found.node, f.offset) : found.node.range[0];
  // The path does not exist (a missing key): point at the nearest enclosing key or node.
  else offset = (found.key ?? found.node)?.range?.[0] ?? 0;
  const d: Diagnostic = { file, pos: posAt(lc, offset), severity: 'error', code: f.code, message: f.message };
  return f.hint ? { ...d, hint: f.hint } : d;
}

function stepPosition(ctx: RuleContext, id: string): SourcePos | undefined {
  const step = ctx.graph.byId.get(id);
  if (!step) return undefined;
  const node: Node | null = locate(ctx.doc, [...step.path, 'id']).node;
  return node?.range ? posAt(ctx.lineCounter, node.range[0]) : undefined;
}

/** By line, column, then code; exact duplicates (two rules, one cause) are dropped. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return [...ds]
    .sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col || a.code.localeCompare(b.code))
    .filter((d) => {
      const k = `${d.pos.line}:${d.pos.col}:${d.code}:${d.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
}

/** The key written at `offset`, quoted and followed by a space, or nothing when it cannot be read. */
function keyAt(text: string, offset: number): string {
  const m = /^["']?([^"':\n]+)/.exec(text.slice(offset, offset + 200));
  return m ? `"${m[1]!.trim()}" ` : '';
}

const firstLine = (s: string) => s.split('\n')[0]!.trim();
