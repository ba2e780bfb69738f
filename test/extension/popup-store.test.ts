// The popup's store: drafts in storage.session (the fake browser's), the view used last in the page's
// localStorage — read without a round trip, and only a view's name.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createPopupStore } from '../../extension/popup/store';

beforeEach(() => {
  fakeBrowser.reset();
  localStorage.clear();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('the popup store', () => {
  it('remembers the view at once and the drafts shortly after; nothing else goes to localStorage', async () => {
    const store = createPopupStore();
    expect(store.lastView?.()).toBeNull();
    store.saveDrafts({ view: 'today', add: { firstName: 'Jane', lastName: 'Doe', email: 'j@example.com' } as never });
    expect(store.lastView?.()).toBe('today');
    expect(Object.keys(localStorage)).toEqual(['caseload:view']);
    expect(JSON.stringify({ ...localStorage })).not.toContain('Jane');
    expect(await store.loadDrafts()).toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    expect(await store.loadDrafts()).toMatchObject({ view: 'today', add: { firstName: 'Jane' } });
    // Drafts without a view (an older version's) open Add client next time.
    store.saveDrafts({});
    expect(store.lastView?.()).toBe('add');
  });
});
