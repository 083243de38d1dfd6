// The app's single live connection. Pages reach the socket only through it.
import { Connection } from './connection';

/** The shared connection to /api/ws. */
export const connection = new Connection();

addEventListener('online', () => connection.reconnectNow());
