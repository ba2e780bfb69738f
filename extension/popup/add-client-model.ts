// The Add client form: fields, inline errors and the create request.
import { signal } from '@preact/signals';
import type { Client } from '../../shared/api-types';
import type { ApiFailure } from '../api';
import { toFieldErrors, type FieldErrors } from './errors';
import { fullName } from './format';
import type { ModelContext } from './model-context';
import { createSubmission } from './submission';

export interface AddClientFields {
  firstName: string;
  lastName: string;
  email: string;
}

export const emptyAddClient = (): AddClientFields => ({ firstName: '', lastName: '', email: '' });

export function createAddClientModel(ctx: ModelContext) {
  const fields = signal<AddClientFields>(emptyAddClient());
  const errors = signal<FieldErrors>({});
  const failure = signal<ApiFailure | null>(null);
  const submission = createSubmission(ctx.newKey);

  function update<K extends keyof AddClientFields>(key: K, value: AddClientFields[K]): void {
    fields.value = { ...fields.value, [key]: value };
    if (errors.value[key]) errors.value = { ...errors.value, [key]: '' };
  }

  /** "Save and notify" (notify) or "Save only". Resolves true when the client was created. */
  async function submit(notify: boolean): Promise<boolean> {
    if (submission.busy.value) return false;
    const input = { ...fields.value, notify };
    errors.value = {};
    failure.value = null;
    submission.busy.value = notify ? 'notify' : 'save';
    const reply = await ctx.send('clients.create', { input, idempotencyKey: submission.keyFor(input) });
    submission.busy.value = null;
    submission.settle(reply.ok ? null : reply.error);
    if (reply.ok) {
      fields.value = emptyAddClient();
      ctx.announce(`${fullName(reply.data)} added${notify ? '; the welcome email is on its way' : ''}.`);
      return true;
    }
    // Field issues (from the shared schema, checked before any request) show inline; others as a sentence.
    errors.value = reply.error.kind === 'api' ? toFieldErrors(reply.error.issues) : {};
    failure.value = Object.keys(errors.value).length ? null : reply.error;
    ctx.onFailure(reply.error);
    return false;
  }

  /** The client a duplicate email belongs to, from the roster search. */
  async function findExisting(): Promise<Client | null> {
    const f = failure.value;
    if (f?.kind !== 'api' || f.code !== 'client_exists') return null;
    const reply = await ctx.send('clients.search', { q: fields.value.email.trim() });
    if (!reply.ok) return null;
    return reply.data.find((c) => c.id === f.existingClientId) ?? reply.data[0] ?? null;
  }

  return { fields, errors, failure, busy: submission.busy, update, submit, findExisting };
}

export type AddClientModel = ReturnType<typeof createAddClientModel>;
