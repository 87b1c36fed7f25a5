import type { RunId, StepId } from '../core/brand.js';
import { unreachable } from '../core/unreachable.js';
import type { PlannedStep } from '../plan/plan.js';
import type { StateStore } from '../store/state-store.js';
import type { RunStatus, StepStatus } from '../store/records.js';
import { approvalState, type ApprovalPolicy } from './approvals.js';
import type { Section } from './events.js';
import { executeStep, expressionContext, type StepResult } from './execute-step.js';
import { evaluateCondition, interpolate } from '../runbook/expressions/index.js';
import { resumeHint, resumeHintText } from './resume-hint.js';
import type { StepRuntime } from './step-runtime.js';
import { policyForStep, waitingPolicy } from './waiting-policy.js';

/** Asks the operator at a terminal to decide a waiting step; resolves false when it cannot ask. */
export type ManualPrompter = (runId: RunId, step: PlannedStep, policy: ApprovalPolicy) => Promise<boolean>;

export interface RunOutcome {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly summary: string;
  /** Steps waiting for a decision when status is `waiting`. */
  readonly waiting: readonly StepId[];
}

/** A step's conclusion lets the steps that need it start. */
const SATISFIED: ReadonlySet<StepStatus> = new Set(['passed', 'failed-continued', 'skipped']);
const FAILING: ReadonlySet<StepStatus> = new Set(['failed', 'rejected']);

/**
 * Drives a run from whatever state the store holds to the next resting point: finished,
 * waiting for a person, or interrupted. Used for a fresh run and for `resume` alike.
 *
 *   forward steps (DAG, ≤ concurrency at once)
 *        │ a step fails (not continue-on-error) → stop launching, let running steps end
 *        ▼
 *   rollback steps (in order) — only if the failed step's phase has rollback-on-failure
 */
export async function driveRun(rt: StepRuntime, store: StateStore, prompt?: ManualPrompter): Promise<RunOutcome> {
  const started = Date.now();
  const status = new Map<string, StepStatus>();
  // A standalone rollback reads the forward steps of the release it rolls back (plan.priorRun).
  for (const [id, r] of Object.entries(rt.plan.priorRun?.steps ?? {})) rt.stepResults.set(id, { outputs: { ...r.outputs }, status: r.status });
  for (const r of await store.getSteps(rt.runId)) {
    status.set(r.stepId, r.status);
    if (SATISFIED.has(r.status)) rt.stepResults.set(r.stepId, { outputs: { ...r.outputs }, status: r.status });
  }

  const forward = await driveSection(rt, store, rt.plan.steps, 'forward', status, prompt);
  let outcome: RunOutcome;
  if (forward.kind === 'interrupted') outcome = { status: 'interrupted', summary: `interrupted; ${interruptedNext(rt, status)}`, waiting: [] };
  else if (forward.kind === 'waiting') outcome = { status: 'waiting', summary: waitingSummary(rt, forward.waiting), waiting: forward.waiting };
  else if (forward.kind === 'failed') outcome = await rollbackAfter(rt, store, forward.step, forward.summary, status, prompt);
  else outcome = { status: 'succeeded', summary: `${rt.plan.steps.length} step(s) done`, waiting: [] };

  const at = rt.clock().toISOString();
  if (outcome.status === 'waiting') {
    await rt.publisher.publish({ kind: 'run-waiting', at, run: rt.runId, steps: outcome.waiting });
  } else {
    await rt.publisher.publish({ kind: 'run-finished', at, run: rt.runId, status: outcome.status, durationMs: Date.now() - started, summary: outcome.summary });
  }
  return outcome;
}

type SectionEnd =
  | { kind: 'done' }
  | { kind: 'failed'; step: PlannedStep; summary: string }
  | { kind: 'waiting'; waiting: StepId[] }
  | { kind: 'interrupted' };

async function driveSection(
  rt: StepRuntime,
  store: StateStore,
  steps: readonly PlannedStep[],
  section: Section,
  status: Map<string, StepStatus>,
  prompt: ManualPrompter | undefined,
): Promise<SectionEnd> {
  const running = new Map<StepId, Promise<{ step: PlannedStep; result: StepResult; ms: number }>>();
  const waiting: StepId[] = [];
  let failure: { step: PlannedStep; summary: string } | undefined = steps
    .filter((s) => FAILING.has(status.get(s.id) ?? 'pending'))
    .map((s) => ({ step: s, summary: `step ${s.id} failed earlier` }))[0];

  const ready = (s: PlannedStep) => s.needs.every((n) => SATISFIED.has(status.get(n) ?? 'pending'));
  // Which steps to look at: all at first, then only the dependents of steps that concluded (a
  // step that was not ready stays so until one of its needs concludes). Checking every step on
  // every pass made a long sequential runbook quadratic; now a pass costs one flag per step.
  // Flags are scanned in plan order, so a dependent flagged during a pass (a manual step just
  // decided) is still reached in that pass, as before.
  const dependents = new Map<string, number[]>();
  for (const [i, s] of steps.entries()) {
    for (const n of s.needs) {
      const list = dependents.get(n);
      if (list) list.push(i);
      else dependents.set(n, [i]);
    }
  }
  const toExamine = new Uint8Array(steps.length).fill(1);
  // No flag is set below this index, so a pass starts here: scanning from 0 each time cost a
  // long sequential runbook a pass over all earlier steps per step (profiled: ~11 ms on 400).
  let firstFlagged = 0;
  const settle = (step: PlannedStep, st: StepStatus) => {
    status.set(step.id, st);
    for (const i of dependents.get(step.id) ?? []) {
      toExamine[i] = 1;
      if (i < firstFlagged) firstFlagged = i;
    }
  };
  for (;;) {
    // Set when a manual step concludes without running anything: it may make more steps ready.
    let decidedSome = false;
    if (!failure && !rt.signal.aborted) {
      let i = firstFlagged;
      firstFlagged = steps.length; // lowered by settle() for any flag set during this pass
      for (; i < steps.length; i++) {
        if (!toExamine[i]) continue;
        const step = steps[i]!;
        const st = status.get(step.id) ?? 'pending';
        if ((st !== 'pending' && st !== 'waiting') || waiting.includes(step.id) || running.has(step.id) || !ready(step)) {
          toExamine[i] = 0;
          continue;
        }
        if (st === 'pending' && step.kind === 'manual' && step.if !== null) {
          // A manual step's `if:` is judged before anyone is asked, like any step's.
          const cond = evaluateCondition(step.if, expressionContext(rt));
          if (!cond.ok || !cond.value) {
            const skipped = !cond.ok ? ('failed' as const) : ('skipped' as const);
            const summary = !cond.ok ? `if: ${cond.error}` : `skipped: if ${step.if} is false`;
            toExamine[i] = 0;
            settle(step, await conclude(rt, step, section, { status: skipped, summary, exitCode: null, outputs: {}, checks: [], artifacts: [], data: null, attempt: 1, logSha256: null }, 0));
            if (skipped === 'failed' && !step.continueOnError) failure = { step, summary };
            else decidedSome = true;
            if (failure) break;
            continue;
          }
        }
        if (st === 'waiting' || step.kind === 'manual') {
          const decided = await decideWaiting(rt, store, step, section, st === 'waiting', prompt);
          toExamine[i] = 0;
          settle(step, decided.status);
          if (decided.status === 'waiting') waiting.push(step.id);
          if (FAILING.has(decided.status)) failure = { step, summary: decided.summary };
          else if (decided.status !== 'waiting') decidedSome = true;
          if (failure) break;
          continue;
        }
        if (running.size >= rt.plan.concurrency) break;
        toExamine[i] = 0;
        status.set(step.id, 'running');
        const t0 = Date.now();
        running.set(step.id, executeStep(rt, step, section).then((result) => ({ step, result, ms: Date.now() - t0 })));
      }
      // Stopped early (concurrency, a failure): the flags from here on are still to examine.
      firstFlagged = Math.min(firstFlagged, i);
    }
    if (running.size === 0) {
      if (decidedSome) continue;
      break;
    }
    const { step, result, ms } = await Promise.race(running.values());
    running.delete(step.id);
    const concluded = await conclude(rt, step, section, result, ms);
    settle(step, concluded);
    if (concluded === 'waiting') waiting.push(step.id);
    if (concluded === 'failed' && !failure) failure = { step, summary: result.summary };
  }
  if (rt.signal.aborted) return { kind: 'interrupted' };
  if (failure) return { kind: 'failed', ...failure };
  if (waiting.length > 0) return { kind: 'waiting', waiting };
  return { kind: 'done' };
}

/** Publishes a step's end and maps the result to the stored status. */
async function conclude(rt: StepRuntime, step: PlannedStep, section: Section, r: StepResult, ms: number): Promise<StepStatus> {
  const at = rt.clock().toISOString();
  if (r.status === 'inconclusive') {
    const policy = waitingPolicy(rt.plan, step, r.decideRole);
    await rt.publisher.publish({
      kind: 'step-waiting', at, run: rt.runId, step: step.id, section, role: policy.role, approvals: policy.approvals,
      selfApproval: policy.selfApproval, checklist: policy.checklist, instructions: null, reason: `inconclusive: ${r.summary}`,
      checks: r.checks, artifacts: r.artifacts.map((a) => ({ name: a.name, sha256: a.sha256 })), data: r.data,
    });
    return 'waiting';
  }
  if (r.status === 'not-started') {
    // Nothing ran: the step is pending again, and a resume runs it without asking.
    rt.publisher.publishSoon({ kind: 'step-not-started', at, run: rt.runId, step: step.id, section, attempt: r.attempt, summary: r.summary, logSha256: r.logSha256 });
    return 'pending';
  }
  const final: StepStatus = (() => {
    switch (r.status) {
      case 'passed':
      case 'skipped':
      case 'interrupted':
        return r.status;
      case 'failed':
        return step.continueOnError ? 'failed-continued' : 'failed';
      default:
        return unreachable(r.status);
    }
  })();
  if (final === 'passed' || final === 'skipped' || final === 'failed-continued') rt.stepResults.set(step.id, { outputs: r.outputs, status: final });
  // Written with the next event (the next step's start, which is awaited before that step runs).
  rt.publisher.publishSoon({
    kind: 'step-finished', at, run: rt.runId, step: step.id, section, status: final, attempt: r.attempt, exitCode: r.exitCode,
    durationMs: Math.round(ms), summary: r.summary, outputs: r.outputs, checks: r.checks, logSha256: r.logSha256,
    artifacts: r.artifacts.map((a) => ({ name: a.name, sha256: a.sha256 })), data: r.data,
  });
  return final;
}

/**
 * A manual step (or an inconclusive action) that is ready: decided by the approvals recorded so
 * far, or by the operator at the terminal, or it waits.
 */
async function decideWaiting(
  rt: StepRuntime,
  store: StateStore,
  step: PlannedStep,
  section: Section,
  alreadyWaiting: boolean,
  prompt: ManualPrompter | undefined,
): Promise<{ status: StepStatus; summary: string }> {
  const policy = await policyForStep(store, rt.plan, rt.runId, step);
  let state = approvalState(policy, await store.listApprovals(rt.runId, step.id));
  if (state.state === 'pending' && !alreadyWaiting) {
    // What the approver reads may name vars, outputs or the release: expand it (unquoted).
    const ctx = expressionContext(rt);
    const text = (t: string) => {
      const r = interpolate(t, ctx, { quote: 'none' });
      return r.ok ? r.value : t;
    };
    await rt.publisher.publish({
      kind: 'step-waiting', at: rt.clock().toISOString(), run: rt.runId, step: step.id, section, role: policy.role,
      approvals: policy.approvals, selfApproval: policy.selfApproval, checklist: policy.checklist.map(text),
      instructions: step.manual?.instructions ? text(step.manual.instructions) : null, reason: step.kind === 'manual' ? 'manual step' : 'inconclusive result',
    });
  }
  if (state.state === 'pending' && prompt && (await prompt(rt.runId, step, policy))) {
    state = approvalState(policy, await store.listApprovals(rt.runId, step.id));
  }
  const at = rt.clock().toISOString();
  const finish = async (st: 'passed' | 'rejected', summary: string) => {
    if (st === 'passed') rt.stepResults.set(step.id, { outputs: {}, status: 'passed' });
    // A decided step's duration is how long it waited for people.
    const since = (await store.getSteps(rt.runId)).find((r) => r.stepId === step.id)?.startedAt;
    const durationMs = since ? Math.max(0, Date.parse(at) - Date.parse(since)) : 0;
    await rt.publisher.publish({
      kind: 'step-finished', at, run: rt.runId, step: step.id, section, status: st, attempt: 1, exitCode: null, durationMs,
      summary, outputs: {}, checks: [], logSha256: null, artifacts: [], data: null,
    });
    return { status: st, summary };
  };
  switch (state.state) {
    case 'approved':
      return finish('passed', `approved by ${state.by.join(', ')}`);
    case 'rejected':
      return finish('rejected', `rejected by ${state.by}${state.note ? `: ${state.note}` : ''}`);
    case 'pending':
      return { status: 'waiting', summary: `waiting for ${state.need - state.have} approval(s) from ${policy.role}` };
    default:
      return unreachable(state);
  }
}


async function rollbackAfter(
  rt: StepRuntime,
  store: StateStore,
  failed: PlannedStep,
  why: string,
  status: Map<string, StepStatus>,
  prompt: ManualPrompter | undefined,
): Promise<RunOutcome> {
  const failedSummary = `step ${failed.id} failed: ${why}`;
  if (!failed.rollbackOnFailure || rt.plan.rollback.length === 0) return { status: 'failed', summary: failedSummary, waiting: [] };
  const alreadyStarted = rt.plan.rollback.some((s) => status.has(s.id));
  if (!alreadyStarted) {
    await rt.publisher.publish({ kind: 'rollback-started', at: rt.clock().toISOString(), run: rt.runId, failedStep: failed.id, reason: why });
  }
  const end = await driveSection(rt, store, rt.plan.rollback, 'rollback', status, prompt);
  switch (end.kind) {
    case 'done':
      return { status: 'rolled-back', summary: `${failedSummary}; rolled back`, waiting: [] };
    case 'failed':
      return { status: 'rollback-failed', summary: `${failedSummary}; rollback step ${end.step.id} failed: ${end.summary}`, waiting: [] };
    case 'waiting':
      return { status: 'waiting', summary: `${failedSummary}; rollback ${waitingSummary(rt, end.waiting)}`, waiting: end.waiting };
    case 'interrupted':
      return { status: 'interrupted', summary: `interrupted during rollback; ${interruptedNext(rt, status)}`, waiting: [] };
    default:
      return unreachable(end);
  }
}

/** What to run next after an interruption: plain resume, or the choices a cut-off non-idempotent step needs. */
function interruptedNext(rt: StepRuntime, status: ReadonlyMap<string, StepStatus>): string {
  const hint = resumeHint(rt.runId, rt.plan, [...status].map(([stepId, st]) => ({ stepId: stepId as StepId, status: st })));
  return hint.undecided.length === 0 ? `resume with: ${hint.commands[0]}` : resumeHintText(hint);
}

function waitingSummary(rt: StepRuntime, steps: readonly StepId[]): string {
  return `waiting for approval of ${steps.join(', ')}; approve with: shipgate approve ${rt.runId} ${steps[0]}`;
}
