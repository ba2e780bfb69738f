// The toolbar badge: how many past sessions wait for confirmation, or why that is unknown.
import { browser } from 'wxt/browser';
import { ApiError, type ApiClient } from '../api';
import { hostOf } from '../host';
import type { BadgeState } from '../messages';
import { getApiBase, getAuth } from '../storage';

export const BADGE_COLORS = {
  count: '#d93025', // red: work is waiting
  signed_out: '#6b7280', // grey
  unreachable: '#b45309', // amber
} as const;

export interface BadgeView {
  text: string;
  color: string;
  title: string;
}

export function badgeView(state: BadgeState): BadgeView {
  switch (state.kind) {
    case 'signed_out':
      return { text: '!', color: BADGE_COLORS.signed_out, title: 'Caseload: signed out. Open Caseload to sign in.' };
    case 'unreachable':
      return {
        text: '?',
        color: BADGE_COLORS.unreachable,
        title: `Caseload can't reach its server at ${hostOf(state.apiBase)}`,
      };
    case 'count':
      if (state.count <= 0) return { text: '', color: BADGE_COLORS.count, title: 'Caseload: no sessions to confirm' };
      return {
        text: state.count > 99 ? '99+' : String(state.count),
        color: BADGE_COLORS.count,
        title: `${state.count} ${state.count === 1 ? 'session' : 'sessions'} to confirm`,
      };
  }
}

/** Recomputed every time from storage and the API: the service worker keeps nothing between wakes. */
export async function computeBadgeState(api: ApiClient): Promise<BadgeState> {
  if (!(await getAuth())) return { kind: 'signed_out' };
  try {
    const { count } = await api.unconfirmedCount();
    return { kind: 'count', count };
  } catch (err) {
    // A 401 has already cleared the stored token (the API client's onUnauthorized).
    if (err instanceof ApiError && err.failure.kind === 'signed_out') return { kind: 'signed_out' };
    return { kind: 'unreachable', apiBase: await getApiBase() };
  }
}

/** `action` in MV3, `browserAction` in Firefox MV2. */
export function toolbarAction() {
  return browser.action ?? browser.browserAction;
}

export async function applyBadge(state: BadgeState): Promise<void> {
  const view = badgeView(state);
  const action = toolbarAction();
  await Promise.all([
    action.setBadgeText({ text: view.text }),
    action.setBadgeBackgroundColor({ color: view.color }),
    action.setTitle({ title: view.title }),
  ]);
  // Not in every browser version; the default text colour is readable on these backgrounds anyway.
  try {
    await action.setBadgeTextColor?.({ color: '#ffffff' });
  } catch {
    /* optional */
  }
}

export async function refreshBadge(api: ApiClient): Promise<BadgeState> {
  const state = await computeBadgeState(api);
  await applyBadge(state);
  return state;
}
