/**
 * A command's action, loaded when the command runs. The wiring (`commands/<verb>.ts`: arguments,
 * options, help) names the module of its actions (`actions/<verb>.ts`), which the bundle makes a chunk
 * of its own: `credledger --help` loads no command's code, and a command loads only its own
 * (decision 0039; bench: cli.coldstart.help).
 */
import type { Run } from './context.js';
import { guardOutputStreams } from './reader-gone.js';

/**
 * commander's action for a command whose code `load` imports when the command runs. The command's
 * output goes through `process.stdout` and `process.stderr`, guarded from here on against a reader that
 * goes away.
 */
export function action<A extends unknown[]>(load: () => Promise<Run<A>>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    guardOutputStreams();
    const [{ runAction }, run] = await Promise.all([import('./context.js'), load()]);
    await runAction(run, args);
  };
}
