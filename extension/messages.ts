// The one typed message map between the extension's pages and its background:
// names → Valibot payload schema and result type. The background parses every payload with these,
// so a form's fields are checked against the shared schemas before any request reaches the API,
// and the popup (which imports only the types) carries no validation code of its own.
import * as v from 'valibot';
import type { ActivityItem, Appointment, AppointmentDay, Claim, Client, Icd10Match } from '../shared/api-types';
import {
  AppointmentCreateSchema,
  AppointmentDayQuerySchema,
  AppointmentPatchSchema,
  CancelSchema,
  ClaimReplacementSchema,
  ClaimStatusSchema,
  ConfirmSchema,
  NoteDraftSchema,
} from '../shared/schemas/appointment';
import { BillingProfileSchema, FeesSchema } from '../shared/schemas/billing-profile';
import { CodeRequestSchema, TokenRequestSchema } from '../shared/schemas/auth';
import { ClientCreateSchema } from '../shared/schemas/client';
import type { ApiFailure, BillingProfile, ClaimExportOut, ClaimOut } from './api';
import type { ProviderSummary } from './storage';

const Empty = v.object({});
const IdempotencyKey = v.pipe(v.string(), v.minLength(8), v.maxLength(100));
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Query = v.pipe(v.string(), v.maxLength(100));

export const MESSAGE_SCHEMAS = {
  'auth.status': Empty,
  'auth.requestCode': CodeRequestSchema,
  'auth.signIn': v.object({ ...TokenRequestSchema.entries, keepSignedIn: v.boolean() }),
  'auth.signOut': Empty,
  'auth.signOutEverywhere': Empty,
  'account.activity': Empty,
  'clients.search': v.object({ q: Query }),
  'clients.create': v.object({ input: ClientCreateSchema, idempotencyKey: IdempotencyKey }),
  'clients.notify': v.object({
    clientId: Id,
    reason: v.optional(v.picklist(['welcome', 'billing_info']), 'welcome'),
    idempotencyKey: IdempotencyKey,
  }),
  'appointments.create': v.object({ input: AppointmentCreateSchema, idempotencyKey: IdempotencyKey }),
  'appointments.unconfirmed': Empty,
  'appointments.confirm': v.object({ id: Id, input: ConfirmSchema, idempotencyKey: IdempotencyKey }),
  'appointments.day': AppointmentDayQuerySchema,
  'appointments.move': v.object({ id: Id, input: AppointmentPatchSchema }),
  'appointments.cancel': v.object({ id: Id, reason: CancelSchema.entries.reason }),
  'noteDraft.get': v.object({ id: Id }),
  'noteDraft.save': v.object({ id: Id, text: NoteDraftSchema.entries.text }),
  'noteDraft.delete': v.object({ id: Id }),
  'codes.icd10': v.object({ q: Query }),
  'codes.cpt': Empty,
  'cpt.advise': v.object({
    minutes: v.number(),
    cptCode: v.pipe(v.string(), v.maxLength(10)),
    addOnCodes: v.pipe(v.array(v.pipe(v.string(), v.maxLength(10))), v.maxLength(5)),
    /** Add 90840 when the session has reached it (the default); false: the provider unticked it. */
    crisisAddOn: v.optional(v.boolean(), true),
  }),
  'badge.refresh': Empty,
  'settings.setApiBase': v.object({ apiBase: v.pipe(v.string(), v.maxLength(300)) }),
  'calendarFeed.status': Empty,
  'calendarFeed.create': Empty,
  'calendarFeed.turnOff': Empty,
  'billing.profile': Empty,
  'billing.saveProfile': v.object({ input: BillingProfileSchema }),
  'billing.fees': Empty,
  'billing.saveFees': v.object({ input: FeesSchema }),
  'claims.list': Empty,
  'claims.more': v.object({ cursor: v.pipe(v.string(), v.minLength(1), v.maxLength(512)) }),
  'claims.export': v.object({ idempotencyKey: IdempotencyKey }),
  'claims.exportFile': v.object({ id: Id }),
  'claims.get': v.object({ id: Id }),
  'claims.status': v.object({ id: Id, input: ClaimStatusSchema }),
  'claims.replace': v.object({ id: Id, input: ClaimReplacementSchema }),
  'claims.void': v.object({ id: Id }),
} as const;

/** An 837P file as the page saves it. */
export interface ExportFile {
  filename: string;
  text: string;
}

export type BadgeState =
  | { kind: 'signed_out' }
  | { kind: 'unreachable'; apiBase: string }
  | { kind: 'count'; count: number };

export interface MessageResults {
  'auth.status': { provider: ProviderSummary | null; apiBase: string };
  'auth.requestCode': { sent: true };
  'auth.signIn': ProviderSummary;
  'auth.signOut': { signedOut: true };
  /** Every token of the account revoked (the API said so), then signed out here. */
  'auth.signOutEverywhere': { signedOut: true };
  /** The account's recent activity, newest first. */
  'account.activity': ActivityItem[];
  'clients.search': Client[];
  'clients.create': Client;
  'clients.notify': { sent: true };
  /** One item, or the whole series when repeating. */
  'appointments.create': Appointment[];
  'appointments.unconfirmed': Appointment[];
  'appointments.confirm': { appointment: Appointment; claim: Claim };
  /** Today (or the day asked for) in the provider's zone, and the next session after it. */
  'appointments.day': AppointmentDay;
  'appointments.move': Appointment;
  'appointments.cancel': Appointment;
  /** The session's server-side note draft, or null when there is none. */
  'noteDraft.get': { text: string; savedAt: string } | null;
  'noteDraft.save': { saved: true };
  'noteDraft.delete': { deleted: true };
  'codes.icd10': Icd10Match[];
  /** The primary codes a provider picks from (shared/billing/cpt.ts). */
  'codes.cpt': { code: string; description: string }[];
  /** The code the length suggests, and why the chosen codes do not fit (same checks as the API). */
  'cpt.advise': {
    suggested: string | null;
    problems: string[];
    /** 90840 and its units once a 90839 session reaches 75 minutes; null otherwise. */
    crisisAddOn: { code: '90840'; units: number } | null;
  };
  'badge.refresh': BadgeState;
  /** The saved address (an origin); signing in again is needed when it changed. */
  'settings.setApiBase': { apiBase: string; changed: boolean };
  /** Whether the calendar feed is on, and since when (its address is never shown again). */
  'calendarFeed.status': { calendarFeed: { createdAt: string } | null };
  /** The new address: shown once. */
  'calendarFeed.create': { url: string };
  'calendarFeed.turnOff': { calendarFeed: null };
  /** The profile (the tax id as type + last 4 only) and the provider's own NPI, which staff set. */
  'billing.profile': { profile: BillingProfile; npi: string };
  'billing.saveProfile': BillingProfile;
  /** The fee schedule and every code a fee may be set for, in the API's order. */
  'billing.fees': { items: { cptCode: string; amountCents: number }[]; codes: { code: string; description: string }[] };
  'billing.saveFees': { items: { cptCode: string; amountCents: number }[] };
  /**
   * Every `ready` claim (what "Download 837P" sends; up to an export's 1,000, `moreReady` past that);
   * the newest claims of every status, newest first, with the cursor to older ones; the past exports.
   */
  'claims.list': {
    ready: ClaimOut[];
    moreReady: boolean;
    claims: ClaimOut[];
    nextCursor: string | null;
    exports: ClaimExportOut[];
  };
  /** The next older claims of every status. */
  'claims.more': { claims: ClaimOut[]; nextCursor: string | null };
  /** The new export (its claims now `exported`) and its file. */
  'claims.export': { export: ClaimExportOut; file: ExportFile };
  'claims.exportFile': ExportFile;
  /** One claim with its reports (what the payer answered, with the biller's notes). */
  'claims.get': ClaimOut;
  'claims.status': ClaimOut;
  'claims.replace': ClaimOut;
  'claims.void': ClaimOut;
}

export type MessageName = keyof typeof MESSAGE_SCHEMAS;
export type Payload<K extends MessageName> = v.InferInput<(typeof MESSAGE_SCHEMAS)[K]>;
export type ParsedPayload<K extends MessageName> = v.InferOutput<(typeof MESSAGE_SCHEMAS)[K]>;
export type Reply<K extends MessageName> = { ok: true; data: MessageResults[K] } | { ok: false; error: ApiFailure };
export type Send = <K extends MessageName>(type: K, payload: Payload<K>) => Promise<Reply<K>>;

export const EnvelopeSchema = v.object({
  type: v.picklist(Object.keys(MESSAGE_SCHEMAS) as MessageName[]),
  payload: v.unknown(),
});

/** Form fields arrive under `input`; their issues are reported by field name. */
export const INPUT_PREFIX = 'input.';
