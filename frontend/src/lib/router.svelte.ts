// Client-side routing on the History API. Every non-API path is served as
// index.html by the server, so these URLs survive a reload.

/** A matched route: its name and path parameters. */
export type Route =
  | { name: 'login' }
  | { name: 'sessions' }
  | { name: 'overview'; strategy?: number }
  | { name: 'section'; id: number }
  | { name: 'history'; id: number }
  | { name: 'moderation' }
  | { name: 'statement' }
  | { name: 'report' }
  | { name: 'audit' }
  | { name: 'users' }
  | { name: 'imprint' }
  | { name: 'privacy' }
  | { name: 'accessibility' }
  | { name: 'notfound' };

/** Maps a path to a route. */
export function match(path: string): Route {
  const p = path.replace(/\/+$/, '') || '/';
  let m: RegExpMatchArray | null;
  if (p === '/') return { name: 'overview' };
  if (p === '/anmelden') return { name: 'login' };
  if (p === '/sitzungen') return { name: 'sessions' };
  if (p === '/moderation') return { name: 'moderation' };
  if (p === '/stellungnahme') return { name: 'statement' };
  if (p === '/bericht') return { name: 'report' };
  if (p === '/protokoll') return { name: 'audit' };
  if (p === '/benutzer') return { name: 'users' };
  if (p === '/impressum') return { name: 'imprint' };
  if (p === '/datenschutz') return { name: 'privacy' };
  if (p === '/barrierefreiheit') return { name: 'accessibility' };
  if ((m = p.match(/^\/strategien\/(\d+)$/))) return { name: 'overview', strategy: Number(m[1]) };
  if ((m = p.match(/^\/abschnitte\/(\d+)$/))) return { name: 'section', id: Number(m[1]) };
  if ((m = p.match(/^\/abschnitte\/(\d+)\/verlauf$/))) return { name: 'history', id: Number(m[1]) };
  return { name: 'notfound' };
}

/** The current location. */
export const location = $state({ path: globalThis.location?.pathname ?? '/', search: globalThis.location?.search ?? '' });

/** Goes to path, adding a history entry unless replace is set. */
export function navigate(path: string, replace = false): void {
  const url = new URL(path, globalThis.location.href);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  location.path = url.pathname;
  location.search = url.search;
}

/** Installs the popstate and link-click handlers once. */
export function installRouter(): void {
  addEventListener('popstate', () => {
    location.path = globalThis.location.pathname;
    location.search = globalThis.location.search;
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
