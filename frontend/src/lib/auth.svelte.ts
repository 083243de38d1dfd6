// Who is signed in. The session itself is an HttpOnly cookie; the browser
// only learns the user from GET /api/me.
import { api, call, ApiError, type Me } from './api/client';
import { clearDrafts } from './drafts';
import { setLang, type Lang } from './i18n/index.svelte';

/**
 * The signed-in user with the global permissions the server grants (null
 * when signed out); checked turns true after the first GET /api/me; expired
 * is set when a session ended under the user.
 */
export const auth = $state<{ user: Me | null; checked: boolean; expired: boolean }>({ user: null, checked: false, expired: false });

/**
 * Reloads the current user. Only a 401 signs the user out: while the
 * network is gone an open editor must keep its unsaved text.
 */
export async function loadMe(): Promise<void> {
  try {
    const first = !auth.checked;
    auth.user = await call(api.GET('/api/me'));
    if (first) takeLanguage(auth.user);
  } catch (e) {
    if (!auth.checked || (e instanceof ApiError && e.status === 401)) auth.user = null;
  } finally {
    auth.checked = true;
  }
}

/**
 * Signs in; throws ApiError with the server's German detail on failure.
 * Returns 'second_factor' when the password was right but the account
 * asks for a code next (loginCode); no session exists until then.
 */
export async function login(email: string, password: string): Promise<'done' | 'second_factor'> {
  const r = await call(api.POST('/api/session', { body: { email, password } }));
  // 202: a challenge (second_factor, expires_at) instead of the user.
  if ('expires_at' in r) return 'second_factor';
  auth.user = r;
  auth.expired = false;
  await settleLanguage();
  return 'done';
}

/** The second sign-in step: a code from the app or a recovery code. */
export async function loginCode(code: string): Promise<void> {
  auth.user = await call(api.POST('/api/session/second-factor', { body: { code } }));
  auth.expired = false;
  await settleLanguage();
}

/** The account's language stored on the server becomes the UI's. */
function takeLanguage(u: Me | null): void {
  if (u?.language) setLang(u.language);
}

// A language chosen on this page before signing in (on the login page, say).
let chosenSignedOut: Lang | null = null;

/**
 * On sign-in: a language the person just chose before signing in is stored
 * for the account; otherwise the account's stored language becomes the UI's.
 */
async function settleLanguage(): Promise<void> {
  const chosen = chosenSignedOut;
  chosenSignedOut = null;
  if (chosen && auth.user && chosen !== auth.user.language) {
    try {
      auth.user = await call(api.PUT('/api/me/language', { body: { language: chosen } }));
    } catch {
      // The UI keeps the choice; the next switch tries to store it again.
    }
    return;
  }
  takeLanguage(auth.user);
}

/**
 * Switches the UI language and, while signed in, stores it on the server,
 * where it also decides the language of the account's mails.
 */
export async function chooseLanguage(lang: Lang): Promise<void> {
  setLang(lang);
  if (!auth.user) {
    chosenSignedOut = lang;
    return;
  }
  auth.user = await call(api.PUT('/api/me/language', { body: { language: lang } }));
}

/** Signs out and deletes the user's local drafts; the cookie is gone even if the request fails. */
export async function logout(): Promise<void> {
  if (auth.user) clearDrafts(auth.user.id);
  try {
    await call(api.DELETE('/api/session'));
  } finally {
    auth.user = null;
  }
}
