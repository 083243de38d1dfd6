// Remote cursors and selections as CodeMirror decorations. Each caret
// carries a visible label with name and organisation, so that no one is
// identified by colour alone; colours come from a fixed palette of CSS
// classes because the CSP forbids inline styles.
import { StateEffect, StateField, type Extension, type Text } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, WidgetType, type DecorationSet, type ViewUpdate } from '@codemirror/view';

/** One remote connection's selection in editor (UTF-16) positions. */
export interface RemoteCursor {
  key: string;
  label: string;
  colour: number;
  ranges: { anchor: number; head: number }[];
}

/** Number of colour classes (.rc-0 … .rc-7) in app.css. */
export const PALETTE_SIZE = 8;

/** How many label rows carets close together stack into. */
export const STACK_LEVELS = 3;

/** Carets this close (in characters, on one line) would overlap their labels. */
const NEAR = 16;

/**
 * The label row of each caret, given carets sorted by position: a caret
 * near the previous one on the same line goes one row higher (cycling
 * through STACK_LEVELS), so that labels at one spot stay readable.
 */
export function stackLevels(carets: { pos: number; line: number }[]): number[] {
  const out: number[] = [];
  carets.forEach((c, i) => {
    const prev = carets[i - 1];
    out.push(prev && prev.line === c.line && c.pos - prev.pos < NEAR ? (out[i - 1] + 1) % STACK_LEVELS : 0);
  });
  return out;
}

class CaretWidget extends WidgetType {
  constructor(
    readonly label: string,
    readonly colour: number,
    readonly level: number,
  ) {
    super();
  }

  eq(other: CaretWidget): boolean {
    return other.label === this.label && other.colour === this.colour && other.level === this.level;
  }

  toDOM(): HTMLElement {
    const caret = document.createElement('span');
    caret.className = `cm-remote-caret rc-${this.colour} stack-${this.level}`;
    // The presence list names everyone for screen readers; the label here
    // is the visual equivalent and would only interrupt the text.
    caret.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'cm-remote-label';
    label.textContent = this.label;
    caret.appendChild(label);
    return caret;
  }

  ignoreEvent(): boolean {
    return true;
  }
}

/** Replaces all remote cursors. */
export const setRemoteCursors = StateEffect.define<RemoteCursor[]>();

function build(cursors: RemoteCursor[], doc: Text): DecorationSet {
  const len = doc.length;
  const decos = [];
  const carets: { pos: number; line: number; label: string; colour: number }[] = [];
  for (const c of cursors) {
    for (const r of c.ranges) {
      const a = Math.min(Math.max(0, r.anchor), len);
      const h = Math.min(Math.max(0, r.head), len);
      if (a !== h) {
        decos.push(Decoration.mark({ class: `cm-remote-selection rc-${c.colour}` }).range(Math.min(a, h), Math.max(a, h)));
      }
      carets.push({ pos: h, line: doc.lineAt(h).number, label: c.label, colour: c.colour });
    }
  }
  carets.sort((x, y) => x.pos - y.pos);
  const levels = stackLevels(carets);
  carets.forEach((c, i) => decos.push(Decoration.widget({ widget: new CaretWidget(c.label, c.colour, levels[i]), side: 1 }).range(c.pos)));
  return Decoration.set(decos, true);
}

/**
 * A label starts at its caret and runs right; near the editor's right edge
 * it would stick out and make the editor scroll sideways (at 320 px that is
 * most of the line). After every update, labels that would pass the edge
 * run left from their caret instead (class cm-remote-label-end).
 */
const keepLabelsInside = ViewPlugin.fromClass(
  class {
    constructor(view: EditorView) {
      this.check(view);
    }
    update(u: ViewUpdate) {
      this.check(u.view);
    }
    check(view: EditorView) {
      view.requestMeasure({
        read: () => {
          const edge = view.contentDOM.getBoundingClientRect().right;
          return [...view.contentDOM.querySelectorAll<HTMLElement>('.cm-remote-caret')].map((caret) => {
            const label = caret.firstElementChild as HTMLElement | null;
            const x = caret.getBoundingClientRect().left;
            return { caret, flip: !!label && x + label.offsetWidth > edge };
          });
        },
        write: (all) => {
          for (const { caret, flip } of all) caret.classList.toggle('cm-remote-label-end', flip);
        },
      });
    }
  },
);

/** The editor extension that shows remote cursors. */
export function remoteCursors(): Extension {
  return [keepLabelsInside, StateField.define<DecorationSet>({
    create: () => Decoration.none,
    update(deco, tr) {
      deco = deco.map(tr.changes);
      for (const e of tr.effects) if (e.is(setRemoteCursors)) deco = build(e.value, tr.state.doc);
      return deco;
    },
    provide: (f) => EditorView.decorations.from(f),
  })];
}
