// The app's single live connection. Pages reach the socket only through it.
import { Connection } from './connection';
import { refreshBell } from './consult/bell.svelte';

/** The shared connection to /api/ws. A pushed notification refreshes the bell at once. */
export const connection = new Connection({
  onGlobal: (f) => {
    if (f.t === 'notification') void refreshBell();
  },
});

addEventListener('online', () => connection.reconnectNow());
