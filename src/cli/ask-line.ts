import { createInterface, type Interface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

/**
 * A terminal conversation: `ask` resolves to the line typed, or to null once the input has ended
 * (Ctrl-D, a closed stdin) or `signal` aborts (the run was interrupted while it asked). Written by
 * hand around readline because readline leaves a pending `question()` unsettled when its input
 * ends (the command would stop without a result), rejects it with an AbortError on Ctrl-D, and
 * never closes over an input that had already ended. Ctrl-C at a prompt is Ctrl-C: the
 * conversation closes and the process's own SIGINT handling runs (a run stops cleanly, exit 130),
 * or, without any, the process gets the signal.
 */
export interface Conversation {
  ask(prompt: string): Promise<string | null>;
  close(): void;
}

export function converse(input: Readable, output: Writable, signal?: AbortSignal): Conversation {
  const rl: Interface = createInterface({ input, output });
  let closed = input.readableEnded || input.destroyed || signal?.aborted === true;
  rl.once('close', () => (closed = true));
  rl.on('SIGINT', () => {
    rl.close();
    if (process.listenerCount('SIGINT') > 0) process.emit('SIGINT', 'SIGINT');
    else process.kill(process.pid, 'SIGINT');
  });
  signal?.addEventListener('abort', () => rl.close(), { once: true });
  return {
    ask(prompt) {
      if (closed) return Promise.resolve(null);
      return new Promise((resolve) => {
        // Later than an answer typed just before the end: its line and the close arrive together.
        const onClose = () => setImmediate(() => resolve(null));
        rl.once('close', onClose);
        rl.question(prompt).then(
          (answer) => {
            rl.off('close', onClose);
            resolve(answer);
          },
          () => resolve(null),
        );
      });
    },
    close: () => rl.close(),
  };
}
