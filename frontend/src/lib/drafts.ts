// Text typed into a form is kept in the browser until the server has it:
// across in-app navigation, a reload, and a session that ended meanwhile
// (save → login page → back). Drafts live in sessionStorage, not
// localStorage: on a shared office computer they are gone when the tab is
// closed, and they are deleted when their user signs out. Keys name the
// user, so a colleague signing in in the same tab does not see them.

const PREFIX = 'strategieraum:entwurf:';

/** The storage key of one form's draft for one user. */
export function draftKey(userId: number, ...parts: (string | number)[]): string {
  return `${PREFIX}${userId}:${parts.join(':')}`;
}

function store(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null; // storage disabled by policy: forms work, drafts are not kept
  }
}

/** The stored draft under key, or null. */
export function loadDraft<T>(key: string): T | null {
  const raw = store()?.getItem(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** Stores value under key (quietly does nothing when storage is full or off). */
export function saveDraft(key: string, value: unknown): void {
  try {
    store()?.setItem(key, JSON.stringify(value));
  } catch {
    // full or disabled: the leave warning still protects the text
  }
}

/** Deletes the draft under key. */
export function clearDraft(key: string): void {
  store()?.removeItem(key);
}

/** Deletes all drafts of a user (at sign-out). */
export function clearDrafts(userId: number): void {
  const s = store();
  if (!s) return;
  const mine = `${PREFIX}${userId}:`;
  for (const k of Object.keys(s)) if (k.startsWith(mine)) s.removeItem(k);
}

/** Stores value under key, or deletes the draft when value is null (nothing unsaved); key '' (no user) does nothing. */
export function syncDraft(key: string, value: unknown): void {
  if (!key) return;
  if (value === null) clearDraft(key);
  else saveDraft(key, value);
}
