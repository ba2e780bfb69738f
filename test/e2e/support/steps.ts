// A journey's tests are its steps, in order, each building on the last: after a failed step the later
// ones skip, naming it. The accessibility verdict still runs and reports what was checked before.
import { afterEach, beforeEach } from 'vitest';

/** Registers the hooks in the calling file; `broken()` is the first failed step's name, or null. */
export function stepsInOrder(): { broken: () => string | null } {
  let broken: string | null = null;
  beforeEach((ctx) => {
    if (broken && !ctx.task.name.startsWith('accessibility')) ctx.skip(`an earlier step failed: ${broken}`);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') broken ??= ctx.task.name;
  });
  return { broken: () => broken };
}
