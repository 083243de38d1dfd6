// Binds a CodeMirror view to an OTClient: local transactions become ops in
// code points, remote ops become transactions that are kept out of the
// local undo history, and selections travel as cursor frames.
import { Annotation, Compartment, EditorState, Transaction } from '@codemirror/state';
import { EditorView, keymap, drawSelection, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import type { Connection } from '../connection';
import { OTClient } from '../otclient';
import type { DocKey, PresenceUser, Range, TextOp } from '../protocol';
import { changesToOp, cpToUtf16, opToChanges, utf16ToCp, type Utf16Change } from '../unicode';
import { remoteCursors, setRemoteCursors, PALETTE_SIZE, type RemoteCursor } from './cursors';
import { applyFormat, type FormatKind } from './format';
import { adoptEditorStyles } from './csp';
import { threadMarks, threadsAt, setThreadMarks, type ThreadMark } from './threads';
import { displayMode } from './livepreview';
import { isStartThreadKey } from './shortcuts';

const remote = Annotation.define<boolean>();

/** Options of a LiveEditor. */
export interface LiveEditorOptions {
  /** The live document, e.g. "section:12" or "statement:42". */
  doc: DocKey;
  connection: Connection;
  editable: boolean;
  label: string;
  describedBy: string;
  linkText: string;
  ownUser?: number;
  /** Show the plain Markdown instead of the formatted text. */
  raw?: boolean;
  /** Called after any change of text, version, presence or error. */
  onChange(editor: LiveEditor): void;
  /** Called for each remote op with the author's user id. */
  onRemoteEdit?(user: number): void;
  /** Called with every op on the local text (local edits and remote ones), in code points. */
  onOp?(op: TextOp, remote: boolean): void;
  /** Called when the user moves the cursor into highlighted passages. */
  onThreadsAt?(ids: number[]): void;
  /** Called by the start-thread shortcut (see shortcuts.ts). */
  onStartThread?(): void;
  /** Called when the server reports a changed discussion thread of the document. */
  onThreadsChanged?(): void;
}

/** Colour class index for a user: stable per user id. */
export function colourOf(user: number): number {
  return ((user % PALETTE_SIZE) + PALETTE_SIZE) % PALETTE_SIZE;
}

/** LiveEditor is one live-edited document (a section's text, a Stellungnahme) in one CodeMirror view. */
export class LiveEditor {
  readonly view: EditorView;
  readonly client: OTClient;
  private editable = new Compartment();
  private mode = new Compartment();
  private unsubscribe: () => void;
  private cursorTimer: ReturnType<typeof setTimeout> | null = null;
  private cursorDirty = false;
  private refreshQueued = false;
  private destroyed = false;
  private cursors = new Map<string, { user: number; ranges: Range[] }>();

  constructor(parent: HTMLElement, private opts: LiveEditorOptions) {
    adoptEditorStyles();
    this.client = new OTClient(opts.doc, {
      send: (f) => opts.connection.send(f),
      remoteOp: (op, from) => this.applyRemote(op, from?.user),
      changed: () => this.changed(),
      cursor: (user, conn, ranges) => {
        this.cursors.set(conn ?? `u${user}`, { user, ranges });
        if (!this.destroyed) this.renderCursors();
      },
    });
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: '',
        extensions: [
          history(),
          drawSelection(),
          highlightActiveLine(),
          EditorView.lineWrapping,
          markdown(),
          syntaxHighlighting(defaultHighlightStyle),
          EditorView.domEventHandlers({
            keydown: (ev) => {
              if (!opts.onStartThread || !isStartThreadKey(ev)) return false;
              ev.preventDefault();
              opts.onStartThread();
              return true;
            },
          }),
          keymap.of([
            { key: 'Mod-b', run: (v) => applyFormat(v, 'bold') },
            { key: 'Mod-i', run: (v) => applyFormat(v, 'italic') },
            { key: 'Mod-k', run: (v) => applyFormat(v, 'link', opts.linkText) },
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          this.mode.of(displayMode(opts.raw ?? false)),
          remoteCursors(),
          threadMarks,
          this.editable.of(this.editableExt(false)),
          EditorView.contentAttributes.of({ 'aria-label': opts.label, 'aria-describedby': opts.describedBy }),
          EditorView.updateListener.of((u) => {
            for (const tr of u.transactions) if (tr.docChanged && !tr.annotation(remote)) this.local(tr);
            if (u.selectionSet || u.docChanged) this.scheduleCursor();
            if (u.selectionSet && u.transactions.some((tr) => tr.isUserEvent('select'))) {
              const ids = threadsAt(u.view, u.state.selection.main.head);
              // The callback redraws the highlights: not allowed inside this update.
              if (ids.length) queueMicrotask(() => !this.destroyed && opts.onThreadsAt?.(ids));
            }
          }),
        ],
      }),
    });
    this.unsubscribe = opts.connection.subscribe({
      doc: opts.doc,
      connected: () => this.client.connected(),
      disconnected: () => this.client.disconnected(),
      receive: (f) => (f.t === 'threads' ? opts.onThreadsChanged?.() : this.client.receive(f)),
    });
  }

  /** True when the user may type (predicted, and not refused by the server). */
  get canEdit(): boolean {
    return this.opts.editable && this.client.lock === null && this.client.version !== null;
  }

  /** Applies toolbar formatting and returns focus to the text. */
  format(kind: FormatKind): void {
    applyFormat(this.view, kind, this.opts.linkText);
    this.view.focus();
  }

  /** Marks the text invalid and describes it by the message errorId too; null clears the mark. */
  setInvalid(errorId: string | null): void {
    // Set on the element directly rather than by a transaction, which could
    // come in the middle of typing; CodeMirror leaves attributes it did not
    // change alone.
    if (this.destroyed) return;
    const el = this.view.contentDOM;
    el.setAttribute('aria-describedby', errorId ? `${this.opts.describedBy} ${errorId}`.trim() : this.opts.describedBy);
    if (errorId) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }

  /** Switches between the formatted text and the plain Markdown. */
  setRaw(raw: boolean): void {
    if (!this.destroyed) this.view.dispatch({ effects: this.mode.reconfigure(displayMode(raw)) });
  }

  /** The current text. */
  text(): string {
    return this.view.state.doc.toString();
  }

  /** The main selection in code points with its text (empty when collapsed). */
  selection(): { start: number; end: number; text: string } {
    const doc = this.view.state.doc.toString();
    const r = this.view.state.selection.main;
    return { start: utf16ToCp(doc, r.from), end: utf16ToCp(doc, r.to), text: doc.slice(r.from, r.to) };
  }

  /** Draws the thread highlights (code points of the local text). */
  setThreads(marks: ThreadMark[]): void {
    if (this.destroyed) return;
    const doc = this.view.state.doc.toString();
    const list = marks.map((m) => ({ ...m, from: cpToUtf16(doc, m.from), to: cpToUtf16(doc, m.to) }));
    this.view.dispatch({ effects: setThreadMarks.of(list) });
  }

  /** Scrolls a passage (code points) into view and selects it, without moving focus. */
  reveal(start: number, end: number): void {
    if (this.destroyed) return;
    const doc = this.view.state.doc.toString();
    const from = cpToUtf16(doc, start);
    const to = cpToUtf16(doc, end);
    this.view.dispatch({ selection: { anchor: from, head: to }, effects: EditorView.scrollIntoView(from, { y: 'center' }) });
  }

  /** Moves keyboard focus into the text. */
  focus(): void {
    this.view.focus();
  }

  /** Closes the document and removes the view. */
  destroy(): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.destroyed = true;
    this.client.stop();
    this.unsubscribe();
    this.view.destroy();
  }

  private editableExt(on: boolean) {
    return [EditorState.readOnly.of(!on), EditorView.contentAttributes.of({ 'aria-readonly': on ? 'false' : 'true' })];
  }

  private local(tr: Transaction): void {
    const changes: Utf16Change[] = [];
    const old = tr.startState.doc.toString();
    tr.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
      changes.push({ from: fromA, to: toA, insert: inserted.toString() });
    });
    const op = changesToOp(old, changes);
    this.client.applyLocal(op);
    this.opts.onOp?.(op, false);
  }

  private applyRemote(op: TextOp, user: number | undefined): void {
    const changes = opToChanges(this.view.state.doc.toString(), op);
    this.view.dispatch({
      changes,
      annotations: [remote.of(true), Transaction.addToHistory.of(false), Transaction.remote.of(true)],
    });
    this.opts.onOp?.(op, true);
    if (user !== undefined) this.opts.onRemoteEdit?.(user);
  }

  private changed(): void {
    this.opts.onChange(this);
    // Local edits report changes from inside CodeMirror's update cycle,
    // where dispatching is not allowed: refresh the view afterwards.
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    queueMicrotask(() => {
      this.refreshQueued = false;
      if (!this.destroyed) this.refresh();
    });
  }

  private refresh(): void {
    const want = this.canEdit;
    if (this.view.state.readOnly === want) {
      this.view.dispatch({ effects: this.editable.reconfigure(this.editableExt(want)) });
    }
    this.syncPresenceCursors(this.client.presence);
    if (this.cursorDirty && !this.client.pending) this.scheduleCursor();
  }

  private syncPresenceCursors(users: PresenceUser[]): void {
    const live = new Set<string>();
    for (const p of users) {
      const key = p.conn ?? `u${p.user}`;
      live.add(key);
      if (!this.cursors.has(key) && p.ranges && p.v === this.client.version) this.cursors.set(key, { user: p.user, ranges: p.ranges });
    }
    let removed = false;
    for (const k of this.cursors.keys()) {
      if (!live.has(k)) {
        this.cursors.delete(k);
        removed = true;
      }
    }
    if (removed) this.renderCursors();
  }

  private renderCursors(): void {
    const doc = this.view.state.doc.toString();
    const names = new Map(this.client.presence.map((p) => [p.conn ?? `u${p.user}`, p]));
    const list: RemoteCursor[] = [];
    for (const [key, c] of this.cursors) {
      const p = names.get(key);
      if (c.user === this.opts.ownUser) continue; // our own selection is drawn by CodeMirror
      list.push({
        key,
        label: p ? `${p.name} (${p.org})` : `#${c.user}`,
        colour: colourOf(c.user),
        ranges: c.ranges.map(([a, h]) => ({ anchor: cpToUtf16(doc, a), head: cpToUtf16(doc, h) })),
      });
    }
    this.view.dispatch({ effects: setRemoteCursors.of(list) });
  }

  private scheduleCursor(): void {
    this.cursorDirty = true;
    if (this.cursorTimer) return;
    this.cursorTimer = setTimeout(() => {
      this.cursorTimer = null;
      const doc = this.view.state.doc.toString();
      const ranges = this.view.state.selection.ranges.map((r) => [utf16ToCp(doc, r.anchor), utf16ToCp(doc, r.head)] as Range);
      const f = this.client.cursorFrame(ranges);
      if (f && this.opts.connection.send(f)) this.cursorDirty = false;
    }, 200);
  }
}
