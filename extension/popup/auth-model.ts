// Sign-in by emailed code: email → code → signed in.
import { signal } from '@preact/signals';
import type { ApiFailure } from '../api';
import type { ProviderSummary } from '../storage';
import { toFieldErrors, type FieldErrors } from './errors';
import type { ModelContext } from './model-context';

export function createAuthModel(ctx: ModelContext, onSignedIn: (p: ProviderSummary) => void) {
  const step = signal<'email' | 'code'>('email');
  const email = signal('');
  const code = signal('');
  const keepSignedIn = signal(false);
  const errors = signal<FieldErrors>({});
  const failure = signal<ApiFailure | null>(null);
  const busy = signal<string | null>(null);

  async function requestCode(): Promise<boolean> {
    if (busy.value) return false;
    errors.value = {};
    failure.value = null;
    busy.value = 'code';
    const reply = await ctx.send('auth.requestCode', { email: email.value });
    busy.value = null;
    if (!reply.ok) {
      showFailure(reply.error);
      return false;
    }
    step.value = 'code';
    code.value = '';
    ctx.announce(`If ${email.value.trim()} belongs to a Caseload account, a 6-digit code is on its way.`);
    return true;
  }

  async function signIn(): Promise<boolean> {
    if (busy.value) return false;
    errors.value = {};
    failure.value = null;
    busy.value = 'signin';
    const reply = await ctx.send('auth.signIn', {
      email: email.value,
      code: code.value,
      keepSignedIn: keepSignedIn.value,
    });
    busy.value = null;
    if (!reply.ok) {
      // A wrong code is a 401 here: it says so rather than "signed out".
      showFailure(
        reply.error.kind === 'api' && reply.error.code === 'unauthenticated'
          ? {
              ...reply.error,
              message: 'That code is not right, or it has expired. Check the email or send a new code.',
            }
          : reply.error,
      );
      return false;
    }
    step.value = 'email';
    code.value = '';
    onSignedIn(reply.data);
    return true;
  }

  function showFailure(f: ApiFailure): void {
    errors.value = f.kind === 'api' ? toFieldErrors(f.issues) : {};
    failure.value = Object.keys(errors.value).length ? null : f;
  }

  function back(): void {
    step.value = 'email';
    code.value = '';
    errors.value = {};
    failure.value = null;
  }

  return { step, email, code, keepSignedIn, errors, failure, busy, requestCode, signIn, back };
}

export type AuthModel = ReturnType<typeof createAuthModel>;
