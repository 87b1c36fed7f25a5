/**
 * A promise-chain mutex. The SQLite dialect has one connection; a transaction whose callback
 * awaits must not interleave with another caller's statements on that connection, so every
 * SQLite operation runs through one of these. (Hand-written: four lines, no library needed.)
 */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
