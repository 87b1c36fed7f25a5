import type { Redactor } from '../core/redact.js';
import type { RunEvent, RunSubscriber } from './events.js';
import type { PersistEvents } from './persist.js';

/**
 * Top-level event fields that name things rather than carry data: step and role ids, statuses,
 * counts, the runbook's identity, who acted and how. Texts that can hold expanded values or
 * process output (summary, reason, instructions, checklist, outputs, data, checks, skip) are not
 * in this list and are always redacted.
 */
const STRUCTURAL: ReadonlySet<string> = new Set([
  'kind', 'at', 'run', 'step', 'section', 'status', 'attempt', 'name', 'runbook', 'environment', 'actor',
  'planDigest', 'steps', 'pid', 'host', 'role', 'approvals', 'selfApproval', 'failedStep', 'durationMs', 'exitCode',
  'delayMs', 'rerun', 'logSha256', 'remaining', 'stream', 'tempRoots',
]);

/**
 * Publishes run events: redacts first (at the source, so no consumer can leak a secret), makes
 * them durable (store projection and ledger), then hands them to the displays in order. By the
 * time the terminal shows "passed", the store and ledger say so too.
 *
 * Deliveries are serialised: events reach the store and the displays in the order published.
 */
export class Publisher {
  /** Events accepted by publishSoon, not yet written. */
  private held: RunEvent[] = [];
  private flushScheduled = false;
  /** The tail of the delivery queue. */
  private queue: Promise<void> = Promise.resolve();
  /**
   * A failed write (or a display that failed in a write nobody awaited): every later publish
   * fails with it, so the chain never skips an event.
   */
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly redactor: Redactor,
    private readonly persist: PersistEvents,
    private readonly displays: readonly RunSubscriber[],
  ) {}

  /** Publishes an event; resolves once it is durable and displayed. */
  async publish(event: RunEvent): Promise<RunEvent> {
    // Output lines are redacted as they are read (execute-step), and are neither stored nor
    // ledgered (the log artifact is): they go straight to the displays.
    if (event.kind === 'step-output') {
      for (const d of this.displays) await d(event);
      return event;
    }
    const clean = this.clean(event);
    await this.deliver([clean]);
    return clean;
  }

  /** Publishes events in one commit (all or none); resolves once they are durable and displayed. */
  async publishAll(events: readonly RunEvent[]): Promise<void> {
    await this.deliver(events.map((e) => this.clean(e)));
  }

  /**
   * Publishes an event that nothing waits on (a step's end): it is written together with the
   * next event published, or at the next turn of the event loop, whichever comes first. Every
   * step starts by publishing (and awaiting) `step-started`, so a step's end is still durable
   * before the next step begins, and a sequential run pays one commit for both (measured:
   * bench/engine/overhead.mjs). A write that fails is reported by the next publish.
   */
  publishSoon(event: RunEvent): void {
    this.held.push(this.clean(event));
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      // Nobody awaits this write: a failure (of the store, or of a display) is kept and thrown
      // to the next publish, which is how an awaited publish would have failed the run.
      this.deliver([]).catch((e: unknown) => {
        this.failure ??= { error: e };
      });
    });
  }

  /** Writes and displays any held event now; resolves when everything published is durable. */
  flush(): Promise<void> {
    return this.deliver([]);
  }

  private deliver(events: RunEvent[]): Promise<void> {
    // Taken now, not when the write runs: an event held after this call goes in a later batch.
    const batch = [...this.held.splice(0), ...events];
    const write = async () => {
      if (this.failure) throw this.failure.error;
      if (batch.length === 0) return;
      try {
        await this.persist(batch);
      } catch (e) {
        this.failure = { error: e };
        throw e;
      }
      for (const e of batch) for (const d of this.displays) await d(e);
    };
    const done = this.queue.then(write);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /**
   * Structural fields are identifiers from the runbook or the engine, not data: redacting inside
   * them (a short secret such as `postgres` matching part of a step id) would corrupt the event
   * and the rows stored from it. Everything else is redacted.
   */
  private clean(event: RunEvent): RunEvent {
    if (this.redactor.size === 0) return event; // nothing to redact: no copy either
    const structural: Record<string, unknown> = {};
    const payload: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(event)) (STRUCTURAL.has(k) ? structural : payload)[k] = v;
    return { ...this.redactor.redactData(payload), ...structural } as unknown as RunEvent;
  }
}
