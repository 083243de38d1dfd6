// Where keyboard focus goes after an action (WCAG 2.4.3). Pages move focus
// on purpose after their own actions (focusSoon); after a client-side
// navigation the new page's h1 takes it (focusHeading); and whenever the
// focused element vanishes or is disabled underneath the user, focus is put
// back on a nearby heading instead of falling to <body>, where a screen
// reader starts again at the top of the page.
import { tick } from 'svelte';

/**
 * Focuses, once the DOM is updated, the element with the id target, or the
 * one target returns.
 */
export async function focusSoon(target: string | (() => HTMLElement | null | undefined)): Promise<void> {
  await tick();
  const el = typeof target === 'string' ? document.getElementById(target) : target();
  el?.focus();
}

let headingWanted = false;
let lastFocused: HTMLElement | null = null;
let lastAncestors: HTMLElement[] = [];

/** Asks for the next page's h1 to take focus as soon as it is rendered. */
export function focusHeading(): void {
  headingWanted = true;
  void tick().then(check);
}

function lost(): boolean {
  const a = document.activeElement;
  return !a || a === document.body || a === document.documentElement;
}

function heading(): HTMLElement | null {
  return document.querySelector<HTMLElement>('main h1');
}

// The element to take focus when el, which had it, disappeared: the heading
// of the closest container still on the page, else the page's h1.
function nearby(): HTMLElement | null {
  for (const a of lastAncestors) {
    if (!a.isConnected || a === document.body) continue;
    if (a.tagName === 'MAIN') break;
    const h = a.matches('h1,h2,h3,h4') ? a : a.querySelector<HTMLElement>(':scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > header h2, :scope > header h3');
    if (h) {
      if (!h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
      return h;
    }
  }
  return heading();
}

function check(): void {
  if (headingWanted) {
    const h = heading();
    if (h) {
      headingWanted = false;
      h.focus();
    }
    return;
  }
  if (!lost() || !lastFocused) return;
  // A button disabled while its request runs gets focus back when it is
  // enabled again (unless the page moved focus elsewhere meanwhile).
  if (lastFocused.isConnected && (lastFocused as HTMLButtonElement).disabled) return;
  const target = lastFocused.isConnected ? lastFocused : nearby();
  target?.focus();
}

/** Installs the focus tracking once; returns a function that removes it. */
export function installFocusKeeper(): () => void {
  const onFocus = (ev: FocusEvent) => {
    const el = ev.target;
    if (!(el instanceof HTMLElement)) return;
    headingWanted = false; // the user (or a page) chose a place already
    lastFocused = el;
    lastAncestors = [];
    for (let a = el.parentElement; a; a = a.parentElement) lastAncestors.push(a);
  };
  // Leaving an element that stays usable (a click on plain text, Escape in
  // a menu) is the user's choice: nothing is restored then.
  const onBlur = (ev: FocusEvent) => {
    const el = ev.target as HTMLElement;
    queueMicrotask(() => {
      if (el === lastFocused && el.isConnected && !(el as HTMLButtonElement).disabled && lost()) lastFocused = null;
    });
  };
  document.addEventListener('focusin', onFocus);
  document.addEventListener('focusout', onBlur);
  // A task later, so that a page that moves focus itself after its update
  // (focusSoon) has done so before anything is restored.
  let queued = false;
  const obs = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    setTimeout(() => {
      queued = false;
      check();
    });
  });
  obs.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled', 'hidden'] });
  return () => {
    document.removeEventListener('focusin', onFocus);
    document.removeEventListener('focusout', onBlur);
    obs.disconnect();
  };
}
