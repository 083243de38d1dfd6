// The notification bell's state: the unread count, refreshed when the server
// pushes a notification, after the user's own actions and every 20 seconds
// (pushes may be lost), and the list when the panel is open.
import { api, call, type Notification } from '../api/client';

/** Unread count and the loaded list. */
export const bell = $state<{ unread: number; items: Notification[] }>({ unread: 0, items: [] });

/** Reloads the unread count; errors keep the last known count. */
export async function refreshBell(): Promise<void> {
  try {
    bell.unread = (await call(api.GET('/api/notifications/unread'))).unread;
  } catch {
    // offline or signed out: keep the last count
  }
}

/** Loads the newest notifications. */
export async function loadNotifications(): Promise<void> {
  bell.items = await call(api.GET('/api/notifications', { params: { query: { limit: 30 } } }));
}

/** Marks the given notifications (or all, without ids) as read. */
export async function markRead(ids?: number[]): Promise<void> {
  const r = await call(api.POST('/api/notifications/read', { body: ids ? { ids } : {} }));
  bell.unread = r.unread;
  const now = new Date().toISOString();
  bell.items = bell.items.map((n) => (!ids || ids.includes(n.id) ? { ...n, read_at: n.read_at ?? now } : n));
}
