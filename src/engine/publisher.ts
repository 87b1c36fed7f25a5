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
    const clean = this.redactor.redactData(event);
    for (const s of this.subscribers) await s(clean);
    return clean;
  }
}
