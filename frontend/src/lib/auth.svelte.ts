// Who is signed in. The session itself is an HttpOnly cookie; the browser
// only learns the user from GET /api/me.
import { api, call, ApiError, type User } from './api/client';

/**
 * The signed-in user (null when signed out); checked turns true after the
 * first GET /api/me; expired is set when a session ended under the user.
 */
export const auth = $state<{ user: User | null; checked: boolean; expired: boolean }>({ user: null, checked: false, expired: false });

/**
 * Reloads the current user. Only a 401 signs the user out: while the
 * network is gone an open editor must keep its unsaved text.
 */
export async function loadMe(): Promise<void> {
  try {
    auth.user = await call(api.GET('/api/me'));
  } catch (e) {
    if (!auth.checked || (e instanceof ApiError && e.status === 401)) auth.user = null;
  } finally {
    auth.checked = true;
  }
}

/** Signs in; throws ApiError with the server's German detail on failure. */
export async function login(email: string, password: string): Promise<void> {
  auth.user = await call(api.POST('/api/session', { body: { email, password } }));
  auth.expired = false;
}

/** Signs out; the cookie is gone even if the request fails. */
export async function logout(): Promise<void> {
  try {
    await call(api.DELETE('/api/session'));
  } finally {
    auth.user = null;
  }
}

/** Predicts whether the user may edit a section; the server has the last word. */
export function mayEdit(
  user: User | null,
  section: { topic_id?: number | null; status?: string },
  editDuringConsultation: boolean,
): boolean {
  if (!user) return false;
  const roles = user.roles ?? [];
  const staff = roles.includes('admin') || roles.includes('moderator');
  const sponsor = roles.includes('themenpate') && section.topic_id != null && (user.topic_ids ?? []).includes(section.topic_id);
  if (!staff && !sponsor) return false;
  if (section.status === 'draft') return true;
  return section.status === 'consultation' && editDuringConsultation;
}
