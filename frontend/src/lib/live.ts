// The app's single live connection. Pages reach the socket only through it.
import { Connection } from './connection';
import { refreshBell } from './consult/bell.svelte';
import type { BeschlussFrame, StatementFrame } from './protocol';

const statementListeners = new Set<(f: StatementFrame) => void>();

/** Calls fn for every statement event of the user's organisation; returns the unsubscribe. */
export function onStatement(fn: (f: StatementFrame) => void): () => void {
  statementListeners.add(fn);
  return () => statementListeners.delete(fn);
}

const beschlussListeners = new Set<(f: BeschlussFrame) => void>();

/** Calls fn for every change of a Beschlussvorlage; returns the unsubscribe. */
export function onBeschluss(fn: (f: BeschlussFrame) => void): () => void {
  beschlussListeners.add(fn);
  return () => beschlussListeners.delete(fn);
}

/**
 * The shared connection to /api/ws. A pushed notification refreshes the
 * bell at once; statement events go to the page that shows the statement.
 */
export const connection = new Connection({
  onGlobal: (f) => {
    if (f.t === 'notification') void refreshBell();
    if (f.t === 'statement') for (const fn of statementListeners) fn(f);
    if (f.t === 'beschluss') for (const fn of beschlussListeners) fn(f);
  },
});

addEventListener('online', () => connection.reconnectNow());

/**
 * Keeps the socket open while someone is signed in, so that pushed
 * notifications reach the bell on every page, not only in the editor.
 * Returns the function that releases it (at sign-out).
 */
export function keepOpenForFeed(): () => void {
  return connection.keepOpen();
}
