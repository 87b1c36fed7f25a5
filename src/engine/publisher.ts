import type { Redactor } from '../core/redact.js';
import type { RunEvent, RunSubscriber } from './events.js';

/**
 * Publishes run events: redacts first (at the source, so no consumer can leak a secret), then
 * hands the event to each subscriber in order and waits for it. The persistence subscriber
 * comes first, so by the time the terminal shows "passed" the store and ledger say so too.
 */
/**
 * Top-level event fields that name things rather than carry data: step and role ids, statuses,
 * counts, the runbook's identity, who acted and how. Texts that can hold expanded values or
 * process output (summary, reason, instructions, checklist, outputs, data, checks, skip) are not
 * in this list and are always redacted.
 */
const STRUCTURAL: ReadonlySet<string> = new Set([
  'kind', 'at', 'run', 'step', 'section', 'status', 'attempt', 'name', 'runbook', 'environment', 'actor',
  'planDigest', 'steps', 'pid', 'host', 'role', 'approvals', 'selfApproval', 'failedStep', 'durationMs', 'exitCode',
  'delayMs', 'rerun', 'logSha256', 'remaining', 'stream',
]);

export class Publisher {
  constructor(
    private readonly redactor: Redactor,
    private readonly subscribers: readonly RunSubscriber[],
  ) {}

  async publish(event: RunEvent): Promise<RunEvent> {
    // Output lines are redacted as they are read (execute-step), so a noisy step does not pay
    // for a second, deep redaction per line.
    if (event.kind === 'step-output') return this.deliver(event);
    // Structural fields are identifiers from the runbook or the engine, not data: redacting
    // inside them (a short secret such as `postgres` matching part of a step id) would corrupt
    // the event and the rows stored from it. Everything else is redacted.
    const structural: Record<string, unknown> = {};
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(event)) (STRUCTURAL.has(k) ? structural : payload)[k] = v;
    return this.deliver({ ...this.redactor.redactData(payload), ...structural } as unknown as RunEvent);
  }

  private async deliver(clean: RunEvent): Promise<RunEvent> {
    for (const s of this.subscribers) await s(clean);
    return clean;
  }
}
