import type { Redactor } from '../core/redact.js';
import type { RunEvent, RunSubscriber } from './events.js';

/**
 * Publishes run events: redacts first (at the source, so no consumer can leak a secret), then
 * hands the event to each subscriber in order and waits for it. The persistence subscriber
 * comes first, so by the time the terminal shows "passed" the store and ledger say so too.
 */
export class Publisher {
  constructor(
    private readonly redactor: Redactor,
    private readonly subscribers: readonly RunSubscriber[],
  ) {}

  async publish(event: RunEvent): Promise<RunEvent> {
    // Structural fields are ours, not data: redacting inside them (a short secret matching part
    // of `step-started`) would corrupt the event itself. Everything else is redacted.
    const { kind, at, run, ...payload } = event;
    // Output lines are redacted as they are read (execute-step), so a noisy step does not pay
    // for a second, deep redaction per line.
    const clean = kind === 'step-output' ? event : ({ ...this.redactor.redactData(payload), kind, at, run } as RunEvent);
    for (const s of this.subscribers) await s(clean);
    return clean;
  }
}
