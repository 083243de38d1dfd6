// The reactive state of one live document shown on a page (a section's text,
// a Stellungnahme): connection, version, whether everything is saved, who
// else is there, and why it cannot be edited. LiveText.svelte mounts the
// editor into it; pages read it (LiveStatus.svelte, Presence.svelte) and add
// their own behaviour through LiveEditorOptions.
import { announce } from '../announce.svelte';
import { auth, loadMe } from '../auth.svelte';
import type { ConnState } from '../connection';
import { liveErrorText } from '../i18n/problems';
import { t, type MessageKey } from '../i18n/index.svelte';
import { connection } from '../live';
import type { PresenceUser } from '../protocol';
import { LiveEditor, type LiveEditorOptions } from './binding';

/** What a page adds to the editor's options; LiveDoc fills in the rest. */
export type LiveDocOptions = Omit<LiveEditorOptions, 'connection' | 'onChange' | 'onRemoteEdit' | 'ownUser'> & {
  /** Called after every change, after the state here was updated. */
  onChange?(editor: LiveEditor): void;
};

export class LiveDoc {
  conn = $state<ConnState>(connection.state);
  version = $state<number | null>(null);
  pending = $state(false);
  unavailable = $state(false);
  canEdit = $state(false);
  lock = $state<string | null>(null);
  presence = $state<PresenceUser[]>([]);
  serverError = $state<{ text: string; lang?: 'de' } | null>(null);
  editor: LiveEditor | null = null;

  /** What the connection state line says. */
  readonly connText = $derived(
    this.conn === 'open' ? (this.unavailable ? t('conn.unavailable') : t('conn.open')) : this.pending ? t('conn.offline') : t('conn.reconnecting'),
  );

  private rawPresence: PresenceUser[] | null = null; // the client's array, to notice replacements
  // Display names of everyone seen in this document, kept after they leave:
  // their last edits may arrive after their presence has gone.
  private names = new Map<number, string>();
  private editors = new Set<number>();
  private editTimer: ReturnType<typeof setTimeout> | null = null;
  private stopState: (() => void) | null = null;
  private beforeUnload = (ev: BeforeUnloadEvent) => {
    if (this.editor?.client.pending) ev.preventDefault();
  };

  /**
   * resolveNames may look up authors not seen in the presence list (e.g. a
   * restore from the history page) and add them to the map; joined and left
   * are the announcements when someone opens or leaves the document.
   */
  constructor(
    private opts: {
      resolveNames?: (names: Map<number, string>) => Promise<void>;
      joined?: MessageKey;
      left?: MessageKey;
    } = {},
  ) {}

  /** Creates the editor in host and starts following the connection. */
  mount(host: HTMLElement, opts: LiveDocOptions): LiveEditor {
    this.destroy();
    this.stopState = connection.onState((s) => {
      this.conn = s;
      // A handshake refused for an ended session looks like a lost
      // network; after a few failures ask the API who we are.
      if (s === 'connecting' && connection.attempts === 3) loadMe();
    });
    this.editor = new LiveEditor(host, {
      ...opts,
      connection,
      ownUser: auth.user?.id,
      onChange: (ed) => {
        this.changed(ed);
        opts.onChange?.(ed);
      },
      onRemoteEdit: (u) => this.remoteEdit(u),
    });
    this.conn = connection.state;
    // Warn before closing the tab while changes are not yet on the server.
    addEventListener('beforeunload', this.beforeUnload);
    return this.editor;
  }

  /** Closes the document and stops every timer. */
  destroy(): void {
    this.stopState?.();
    this.stopState = null;
    removeEventListener('beforeunload', this.beforeUnload);
    if (this.editTimer) clearTimeout(this.editTimer);
    this.editTimer = null;
    this.editors.clear();
    this.editor?.destroy();
    this.editor = null;
    // The document is closed: nothing is known about it any more.
    this.version = null;
    this.pending = this.unavailable = this.canEdit = false;
    this.lock = null;
    this.presence = [];
    this.rawPresence = null;
    this.serverError = null;
    this.names.clear();
  }

  /**
   * The text the server has confirmed and its version (what every member
   * sees once pending changes are through), or null before it is known.
   */
  confirmed(): { text: string; version: number } | null {
    const c = this.editor?.client;
    return c && c.version !== null ? { text: c.base, version: c.version } : null;
  }

  /** The current text ('' before the editor exists). */
  text(): string {
    return this.editor?.text() ?? '';
  }

  private changed(ed: LiveEditor): void {
    const c = ed.client;
    this.version = c.version;
    this.pending = c.pending;
    this.unavailable = c.unavailable;
    this.canEdit = ed.canEdit;
    this.lock = c.lock;
    if (c.presence !== this.rawPresence) {
      this.rawPresence = c.presence;
      this.presenceChanged(c.presence);
    }
    const e = c.lastError;
    if (e?.code === 'unauthorized') auth.user = null; // the app sends the user to the login page
    else if (e && e.code !== 'resync' && e.code !== 'version_ahead' && e.code !== 'unavailable') this.serverError = liveErrorText(e);
  }

  private presenceChanged(next: PresenceUser[]): void {
    const before = new Map(this.presence.map((p) => [p.user, p]));
    const after = new Map(next.map((p) => [p.user, p]));
    for (const p of next) this.names.set(p.user, `${p.name} (${p.org})`);
    if (this.version !== null) {
      for (const [u, p] of after) if (!before.has(u) && u !== auth.user?.id) announce(t(this.opts.joined ?? 'editor.joined', { name: p.name, org: p.org }));
      for (const [u, p] of before) if (!after.has(u) && u !== auth.user?.id) announce(t(this.opts.left ?? 'editor.left', { name: p.name, org: p.org }));
    }
    this.presence = next;
  }

  // Who edited recently, collected between announcements.
  private remoteEdit(user: number): void {
    this.editors.add(user);
    if (this.editTimer) return;
    this.editTimer = setTimeout(() => {
      this.editTimer = null;
      const users = [...this.editors];
      this.editors.clear();
      void this.announceEdits(users);
    }, 5000);
  }

  private async announceEdits(users: number[]): Promise<void> {
    if (this.opts.resolveNames && users.some((u) => !this.names.has(u))) {
      try {
        await this.opts.resolveNames(this.names);
      } catch {
        // Not fatal: the announcement says "someone" instead.
      }
    }
    const list = users.map((u) => this.names.get(u) ?? t('editor.someone'));
    announce(list.length === 1 ? t('editor.editedOne', { name: list[0] }) : t('editor.edited', { names: list.join(', ') }));
  }
}
