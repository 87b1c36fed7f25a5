import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ActionContext, ActionOutcome, CheckRecord } from '../actions/action.js';
import { findAction } from '../actions/registry.js';
import type { StepId } from '../core/brand.js';
import { valueAt } from '../core/value-at.js';
import type { PlannedStep } from '../plan/plan.js';
import type { ExpressionContext } from '../runbook/expressions/context.js';
import type { ArtifactRef } from '../store/artifact-store.js';
import { evaluateCondition, interpolate, interpolateData } from '../runbook/expressions/index.js';
import type { RunEvent, Section, StepConclusion } from './events.js';
import { judgeProcess, StreamExpectations } from './expect.js';
import { runProcess } from './process/run-process.js';
import { parseStepOutputs } from './step-outputs.js';
import { evidenceFor } from './step-evidence.js';
import type { StepRuntime } from './step-runtime.js';

/** How one attempt (or the whole step) ended, before it is published. */
export interface StepResult {
  /** `not-started`: interrupted before the command began (its start gate stayed shut): nothing ran. */
  readonly status: 'passed' | 'failed' | 'inconclusive' | 'skipped' | 'interrupted' | 'not-started';
  readonly summary: string;
  readonly exitCode: number | null;
  readonly outputs: Record<string, string>;
  readonly checks: readonly CheckRecord[];
  readonly artifacts: readonly ArtifactRef[];
  readonly data: Record<string, unknown> | null;
  readonly decideRole?: string;
  readonly attempt: number;
  readonly logSha256: ArtifactRef['sha256'] | null;
}

export function expressionContext(rt: StepRuntime, stepEnv: Record<string, string> = {}): ExpressionContext {
  return {
    vars: rt.environment.vars,
    // Copying the whole process env per call showed up in profiles; only merge when needed.
    env: Object.keys(stepEnv).length ? { ...rt.processEnv, ...stepEnv } : rt.processEnv,
    secrets: rt.environment.secrets,
    // Built only when an expression names `steps`: copying every finished step for every
    // expression made a long runbook quadratic (profiled on 200 steps).
    get steps() {
      return Object.fromEntries(rt.stepResults);
    },
    run: { id: rt.runId },
    release: { version: rt.plan.release ?? '' },
    environment: { name: rt.plan.environment },
  };
}

/**
 * Runs a `run:` or `uses:` step to its end, with retries and exponential backoff, publishing
 * step-started / step-output / step-retrying. The caller publishes the final step-finished.
 */
export async function executeStep(rt: StepRuntime, step: PlannedStep, section: Section): Promise<StepResult> {
  const base = { exitCode: null, outputs: {}, checks: [], artifacts: [], data: null, logSha256: null, attempt: 1 };
  if (step.if !== null) {
    const cond = evaluateCondition(step.if, expressionContext(rt));
    if (!cond.ok) return { ...base, status: 'failed', summary: `if: ${cond.error}` };
    if (!cond.value) return { ...base, status: 'skipped', summary: `skipped: if ${step.if} is false` };
  }
  for (let attempt = 1; ; attempt++) {
    const started: RunEvent = { kind: 'step-started', at: now(rt), run: rt.runId, step: step.id, section, name: step.name, attempt };
    let result: StepResult;
    if (step.kind === 'uses') {
      await rt.publisher.publish(started);
      result = await attemptAction(rt, step, attempt);
    } else {
      // Published by attemptCommand: with the pid when the shell waits at its start gate.
      result = await attemptCommand(rt, step, attempt, started);
    }
    const retryable = result.status === 'failed' && attempt <= step.retries.count && !rt.signal.aborted;
    if (!retryable) return result;
    const delayMs = Math.min(step.retries.delayMs * 2 ** (attempt - 1), step.retries.maxDelayMs);
    await rt.publisher.publish({ kind: 'step-retrying', at: now(rt), run: rt.runId, step: step.id, section, attempt, delayMs, reason: result.summary });
    await sleep(delayMs, rt.signal);
    // Interrupted while waiting to retry: the failed attempt ran, so the step is interrupted,
    // not started again (a not-started next attempt would read as "nothing ran").
    if (rt.signal.aborted) return { ...result, status: 'interrupted', summary: `interrupted while waiting to retry (attempt ${attempt}: ${result.summary})` };
  }
}

/**
 * `started` is published before the command can run: together with `step-spawned` (one commit,
 * made while the shell starts) when the shell has a start gate, or before the spawn otherwise.
 */
async function attemptCommand(rt: StepRuntime, step: PlannedStep, attempt: number, started: RunEvent): Promise<StepResult> {
  const fail = async (summary: string): Promise<StepResult> => {
    await rt.publisher.publish(started);
    return { status: 'failed', summary, exitCode: null, outputs: {}, checks: [], artifacts: [], data: null, attempt, logSha256: null };
  };
  const stepEnv = interpolateData(step.env, expressionContext(rt));
  if (!stepEnv.ok) return fail(`env: ${stepEnv.error}`);
  const quote = step.shell === 'pwsh' || step.shell === 'powershell' ? 'pwsh' : 'posix';
  const script = interpolate(step.run ?? '', expressionContext(rt, stepEnv.value as Record<string, string>), { quote });
  if (!script.ok) return fail(`run: ${script.error}`);
  const spawned = (pid: number): RunEvent => ({ kind: 'step-spawned', at: now(rt), run: rt.runId, step: step.id, attempt, pid, host: hostname() });

  // Not created up front: `>> "$SHIPGATE_OUTPUT"` creates it, and a missing file means no outputs.
  const outputFile = join(rt.scriptDir, `${step.id}.${attempt}.output`);
  const env = stepEnvironment(rt, step, stepEnv.value as Record<string, string>, outputFile);
  const log = openLog(rt, step.id, attempt);
  const streamed = new StreamExpectations(step.expect);
  const end = await runProcess({
    shell: step.shell,
    script: script.value,
    cwd: step.cwd,
    env,
    timeoutMs: step.timeoutMs,
    signal: rt.signal,
    scriptFile: join(rt.scriptDir, `${step.id}.${attempt}${step.shell === 'pwsh' || step.shell === 'powershell' ? '.ps1' : '.sh'}`),
    recordStart: (pid) => rt.publisher.publishAll(pid === undefined ? [started] : [started, spawned(pid)]),
    onSpawn: (pid) => rt.publisher.publish(spawned(pid)).then(() => undefined),
    onLine: (stream, line) => {
      streamed.onLine(stream, line);
      const clean = rt.redactor.redact(line);
      log.write(stream, clean);
      // Fire-and-forget is not allowed for persistence, but output lines go only to displays.
      void rt.publisher.publish({ kind: 'step-output', at: now(rt), run: rt.runId, step: step.id, stream, line: clean });
    },
  });
  const logRef = await log.close();
  const verdict = judgeProcess(end, step.expect, step.timeoutMs, streamed);
  const written = readOutputFile(outputFile);
  const parsed = parseStepOutputs(written.text);
  if (written.error) parsed.errors.push(written.error);
  const outputs = rt.redactor.redactData(parsed.outputs);
  const exitCode = end.reason === 'exited' ? end.exitCode : null;
  if (end.reason === 'aborted' || end.reason === 'not-started') {
    // Only a first attempt can have run nothing at all: an earlier attempt of a retried step ran.
    const status = end.reason === 'not-started' && attempt === 1 ? 'not-started' : 'interrupted';
    return { status, summary: verdict.summary, exitCode, outputs: {}, checks: [], artifacts: [], data: null, attempt, logSha256: logRef?.sha256 ?? null };
  }
  const outputProblem = parsed.errors.length ? `; $SHIPGATE_OUTPUT: ${parsed.errors.join('; ')}` : '';
  return {
    status: verdict.passed && !outputProblem ? 'passed' : 'failed',
    summary: verdict.summary + outputProblem,
    exitCode,
    outputs,
    checks: [],
    artifacts: logRef ? [logRef] : [],
    data: null,
    attempt,
    logSha256: logRef?.sha256 ?? null,
  };
}

async function attemptAction(rt: StepRuntime, step: PlannedStep, attempt: number): Promise<StepResult> {
  const fail = (summary: string): StepResult => ({ status: 'failed', summary, exitCode: null, outputs: {}, checks: [], artifacts: [], data: null, attempt, logSha256: null });
  const def = findAction(step.uses ?? '');
  if (!def) return fail(`unknown action ${step.uses} (run: shipgate validate)`);
  const expanded = interpolateData(step.with, expressionContext(rt));
  if (!expanded.ok) return fail(`with: ${expanded.error}`);
  const input = def.with.safeParse(expanded.value);
  if (!input.success) {
    return fail(`with: ${input.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}${fromExpression(step.with, expanded.value, i.path)}`).join('; ')}`);
  }
  const stepEnv = interpolateData(step.env, expressionContext(rt));
  if (!stepEnv.ok) return fail(`env: ${stepEnv.error}`);
  const log = openLog(rt, step.id, attempt);
  const timeout = AbortSignal.timeout(step.timeoutMs);
  const signal = AbortSignal.any([rt.signal, timeout]);
  const ctx: ActionContext = {
    runbook: rt.loaded,
    environment: rt.plan.environment,
    release: rt.plan.release,
    runId: rt.runId,
    stepId: step.id,
    cwd: step.cwd,
    env: stepEnvironment(rt, step, stepEnv.value as Record<string, string>, ''),
    vars: rt.environment.vars,
    secrets: rt.environment.secrets,
    signal,
    clock: rt.clock,
    actor: rt.actor,
    stateDir: rt.stateDir,
    log: (line) => log.write('stdout', rt.redactor.redact(line)),
    artifacts: rt.artifacts,
    evidence: evidenceFor(rt, step.id),
  };
  let outcome: ActionOutcome;
  try {
    const impl = await def.load();
    outcome = await impl.run(input.data, ctx);
  } catch (e) {
    // An action that throws has a bug or met something it did not expect: the step fails with the cause.
    const why = timeout.aborted ? `timed out after ${Math.round(step.timeoutMs / 1000)}s` : (e as Error)?.message ?? String(e);
    outcome = { status: 'failed', summary: `${def.name}: ${why}` };
  }
  const logRef = await log.close();
  if (rt.signal.aborted) return { ...fail('interrupted'), status: 'interrupted' };
  return {
    status: outcome.status,
    summary: rt.redactor.redact(outcome.summary),
    exitCode: null,
    outputs: rt.redactor.redactData({ ...(outcome.outputs ?? {}) }),
    checks: rt.redactor.redactData([...(outcome.checks ?? [])]),
    artifacts: [...(logRef ? [logRef] : []), ...(outcome.artifacts ?? [])],
    data: outcome.data ? rt.redactor.redactData({ ...outcome.data }) : null,
    ...(outcome.decideRole ? { decideRole: outcome.decideRole } : {}),
    attempt,
    logSha256: logRef?.sha256 ?? null,
  };
}

/**
 * When an invalid input came from an expression, says which: "expected string, received null"
 * alone does not tell the operator that `${{ steps.backup.outputs.id }}` was empty.
 */
function fromExpression(raw: unknown, expanded: unknown, path: readonly PropertyKey[]): string {
  const v = valueAt(raw, path);
  const got = valueAt(expanded, path);
  const empty = got === null || got === undefined || got === '';
  return typeof v === 'string' && v.includes('${{') && empty ? ` (from ${v}, which has no value here)` : '';
}

/** Process env, then environment vars, then secrets, then the step's own env, then shipgate's. */
function stepEnvironment(rt: StepRuntime, step: PlannedStep, stepEnv: Record<string, string>, outputFile: string): Record<string, string> {
  return {
    ...inheritedEnvironment(rt),
    ...rt.environment.vars,
    ...rt.environment.secrets,
    ...stepEnv,
    SHIPGATE: '1',
    SHIPGATE_RUN_ID: rt.runId,
    SHIPGATE_STEP_ID: step.id,
    SHIPGATE_ENV: rt.plan.environment,
    SHIPGATE_RELEASE: rt.plan.release ?? '',
    SHIPGATE_OUTPUT: outputFile,
  };
}

/**
 * The step log: every line (already redacted), written to a temp file that is opened only when
 * the first line arrives (most gate steps print little or nothing), then stored as an artifact.
 */
function openLog(rt: StepRuntime, stepId: StepId, attempt: number) {
  const path = join(rt.tmpDir, `${stepId}.${attempt}.log`);
  let out: ReturnType<typeof createWriteStream> | undefined;
  return {
    write(stream: 'stdout' | 'stderr', line: string) {
      out ??= createWriteStream(path);
      out.write(stream === 'stderr' ? `stderr| ${line}\n` : `${line}\n`);
    },
    async close(): Promise<ArtifactRef | null> {
      if (!out) return null;
      const file = out;
      await new Promise<void>((r) => file.end(r));
      return rt.artifacts.put(`${stepId}.attempt-${attempt}.log`, createReadStream(path), 'text/plain');
    },
  };
}

/**
 * What the step appended to $SHIPGATE_OUTPUT; '' when it wrote nothing (the file never existed).
 * Synchronously: a small local file, read once per step, and a missing one is the usual case —
 * a rejected promise with a stack for every output-less step was a visible per-step cost.
 */
function readOutputFile(path: string): { text: string; error?: string } {
  // statSync without throwing: existsSync builds and discards an error for a missing file, which
  // most steps' output file is (profiled at ~30 µs a step).
  if (!statSync(path, { throwIfNoEntry: false })) return { text: '' };
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    return { text: '', error: `cannot read it: ${(e as Error).message}` };
  }
}

/**
 * The defined entries of the process environment, once per run (keyed by the run's runtime, so
 * a library caller that changes its env object between runs is seen): reading `process.env`
 * entry by entry crosses into C++ each time and was a visible per-step cost.
 */
const inherited = new WeakMap<StepRuntime, Record<string, string>>();
function inheritedEnvironment(rt: StepRuntime): Record<string, string> {
  let env = inherited.get(rt);
  if (!env) {
    env = Object.fromEntries(Object.entries(rt.processEnv).filter((e): e is [string, string] => e[1] !== undefined));
    inherited.set(rt, env);
  }
  return env;
}

const now = (rt: StepRuntime) => rt.clock().toISOString();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}

export type { StepConclusion };
