import type { Actor } from '../../core/actor.js';
import { isUserError } from '../../core/errors.js';
import type { ManualPrompter } from '../../engine/drive-run.js';
import { decideStep } from '../../engine/decide-step.js';
import type { StateStore } from '../../store/state-store.js';
import { converse } from '../ask-line.js';
import type { CliIO } from '../io.js';
import { sameActor } from '../../core/actor.js';

/**
 * On a terminal, a waiting step can be decided at once by the operator if the operator holds
 * the role (and self-approval is allowed when the operator started the run). Each checklist
 * item is answered pass/fail with an optional note; the decision goes through the same checks
 * and ledger entry as `shipgate approve`.
 */
export function ttyPrompter(io: CliIO, store: StateStore, actor: Actor, signal?: AbortSignal): ManualPrompter {
  return async (runId, step, policy) => {
    if (!policy.members.some((m) => sameActor(m, actor.id))) return false;
    const rl = converse(io.stdin, io.stdout, signal);
    // The input ended (Ctrl-D, a closed stdin): no decision here; the step waits for `approve`.
    const ask = async (prompt: string): Promise<string> => {
      const answer = await rl.ask(prompt);
      if (answer === null) throw new InputEnded();
      return answer;
    };
    try {
      io.stdout.write(`\n${step.id} needs your decision (role ${policy.role}, you are ${actor.id}).\n`);
      if (step.manual?.instructions) io.stdout.write(`${step.manual.instructions}\n`);
      const items = [];
      for (const [i, text] of policy.checklist.entries()) {
        let answer = '';
        while (!['p', 'f', 'pass', 'fail'].includes(answer)) answer = (await ask(`  ${i + 1}. ${text} — [p]ass / [f]ail? `)).trim().toLowerCase();
        const result = answer.startsWith('p') ? ('pass' as const) : ('fail' as const);
        const note = (await ask('     note (optional): ')).trim();
        items.push({ item: i + 1, text, result, ...(note ? { note } : {}) });
      }
      const failed = items.some((x) => x.result === 'fail');
      let decision = failed ? 'r' : '';
      while (!['a', 'r', 'w'].includes(decision)) decision = (await ask('Approve, reject, or wait (decide later)? [a/r/w] ')).trim().toLowerCase().slice(0, 1);
      if (decision === 'w') return false;
      const note = (await ask(decision === 'r' ? 'Why is it rejected? ' : 'Note (optional): ')).trim() || null;
      try {
        await decideStep({ store, runId, stepId: step.id, actor, decision: decision === 'a' ? 'approved' : 'rejected', note: note ?? (decision === 'r' ? 'rejected at the terminal' : null), items, clock: () => new Date() });
        return true;
      } catch (e) {
        // The same rules as `shipgate approve` (self-approval, quorum…): say why, and wait.
        if (isUserError(e)) io.stdout.write(`not recorded: ${e.message}\n`);
        else throw e;
        return false;
      }
    } catch (e) {
      if (e instanceof InputEnded) return false;
      throw e;
    } finally {
      rl.close();
    }
  };
}

class InputEnded extends Error {}
