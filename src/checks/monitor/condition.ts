import { UserError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { compareNumbers } from '../assertion.js';

export type ConditionOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A numeric condition such as `< 500ms`, `>= 99.5%`, `<= 3`. */
export interface Condition {
  readonly op: ConditionOp;
  readonly value: number;
  /** As written, for reports. */
  readonly text: string;
}

const FORM = /^\s*(<=|>=|==|!=|<|>)?\s*(-?\d+(?:\.\d+)?)\s*(ms|s|m|%)?\s*$/;

/**
 * Parses a condition. A bare value takes `defaultOp` (`500ms` for a latency means `<= 500ms`,
 * `99%` for availability means `>= 99%`). Durations become milliseconds; `%` is dropped.
 */
export function parseCondition(input: string | number, defaultOp: ConditionOp, where: string): Condition {
  const text = String(input);
  const m = FORM.exec(text);
  if (!m) throw new UserError('SG_MONITOR_BAD_CONDITION', `${where}: "${text}" is not a condition`, 'write it like "< 500ms", ">= 99.5%" or "<= 3"');
  const op = (m[1] as ConditionOp | undefined) ?? defaultOp;
  const unit = m[3];
  const value = unit && unit !== '%' ? parseDuration(`${m[2]}${unit}`)! : Number(m[2]);
  return { op, value, text: `${op} ${m[2]}${unit ?? ''}` };
}

export function holds(c: Condition, measured: number): boolean {
  return compareNumbers(measured, c.op, c.value);
}
