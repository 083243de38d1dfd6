// Client-side routing on the History API. Every non-API path is served as
// index.html by the server, so these URLs survive a reload.
import { clearAnnouncements } from './announce.svelte';

/** A matched route: its name and path parameters. */
export type Route =
  | { name: 'login' }
  | { name: 'sessions' }
  | { name: 'overview'; strategy?: number }
  | { name: 'section'; id: number }
  | { name: 'history'; id: number }
  | { name: 'synopse'; id: number }
  | { name: 'abwaegung'; id: number }
  | { name: 'import'; strategy: number }
  | { name: 'moderation' }
  | { name: 'statement' }
  | { name: 'report' }
  | { name: 'audit' }
  | { name: 'users' }
  | { name: 'beschluesse' }
  | { name: 'phases' }
  | { name: 'structure'; strategy?: number }
  | { name: 'search' }
  | { name: 'imprint' }
  | { name: 'privacy' }
  | { name: 'accessibility' }
  | { name: 'passwordReset' }
  | { name: 'notfound' };

/** Maps a path to a route. */
export function match(path: string): Route {
  const p = path.replace(/\/+$/, '') || '/';
  let m: RegExpMatchArray | null;
  if (p === '/') return { name: 'overview' };
  if (p === '/anmelden') return { name: 'login' };
  if (p === '/sitzungen') return { name: 'sessions' };
  if (p === '/passwort-zuruecksetzen') return { name: 'passwordReset' };
  if (p === '/moderation') return { name: 'moderation' };
  if (p === '/stellungnahme') return { name: 'statement' };
  if (p === '/bericht') return { name: 'report' };
  if (p === '/protokoll') return { name: 'audit' };
  if (p === '/benutzer') return { name: 'users' };
  if (p === '/beschluesse') return { name: 'beschluesse' };
  if (p === '/phasen') return { name: 'phases' };
  if (p === '/struktur') return { name: 'structure' };
  if (p === '/suche') return { name: 'search' };
  if (p === '/impressum') return { name: 'imprint' };
  if (p === '/datenschutz') return { name: 'privacy' };
  if (p === '/barrierefreiheit') return { name: 'accessibility' };
  if ((m = p.match(/^\/strategien\/(\d+)$/))) return { name: 'overview', strategy: Number(m[1]) };
  if ((m = p.match(/^\/strategien\/(\d+)\/struktur$/))) return { name: 'structure', strategy: Number(m[1]) };
  if ((m = p.match(/^\/abschnitte\/(\d+)$/))) return { name: 'section', id: Number(m[1]) };
  if ((m = p.match(/^\/abschnitte\/(\d+)\/verlauf$/))) return { name: 'history', id: Number(m[1]) };
  if ((m = p.match(/^\/synopse\/(\d+)$/))) return { name: 'synopse', id: Number(m[1]) };
  if ((m = p.match(/^\/strategien\/(\d+)\/abwaegung$/))) return { name: 'abwaegung', id: Number(m[1]) };
  if ((m = p.match(/^\/strategien\/(\d+)\/import$/))) return { name: 'import', strategy: Number(m[1]) };
  return { name: 'notfound' };
}

/** The current location. */
export const location = $state({ path: globalThis.location?.pathname ?? '/', search: globalThis.location?.search ?? '' });

const guards = new Set<() => string | null>();

/**
 * Registers a check run before the user leaves the page (in-app link,
 * reload, closing the tab): it returns the question to ask when something
 * typed is not saved yet, or null. Returns the function that removes it.
 */
export function guardLeaving(check: () => string | null): () => void {
  guards.add(check);
  return () => guards.delete(check);
}

/** Asks the registered guards; true when nothing is unsaved or the user confirms leaving. */
export function mayLeave(): boolean {
  for (const g of guards) {
    const question = g();
    if (question) return confirm(question);
  }
  return true;
}

/**
 * Goes to path, adding a history entry unless replace is set. Asks first
 * when a form holds unsaved text, unless force is set (the app itself sends
 * the user away, e.g. to the login page after the session ended; the text
 * is kept as a local draft then). Returns false when the user stayed.
 */
export function navigate(path: string, replace = false, force = false): boolean {
  if (!force && !mayLeave()) return false;
  const url = new URL(path, globalThis.location.href);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  go(url.pathname, url.search);
  return true;
}

// A new page starts with an empty live region: a message about the page
// left behind would be read as if it were about the new one.
function go(path: string, search: string): void {
  if (path !== location.path) clearAnnouncements();
  location.path = path;
  location.search = search;
}

/** Installs the popstate and link-click handlers once. */
export function installRouter(): void {
  addEventListener('beforeunload', (ev) => {
    for (const g of guards) {
      if (g()) {
        ev.preventDefault();
        return;
      }
    }
  });
  addEventListener('popstate', () => {
    // Back and forward cannot be cancelled; staying means going forward again.
    if (!mayLeave()) {
      history.pushState(null, '', location.path + location.search);
      return;
    }
    go(globalThis.location.pathname, globalThis.location.search);
  });
  document.addEventListener('click', (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = (ev.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
    ev.preventDefault();
    navigate(href);
  });
}
