// Remote cursors and selections as CodeMirror decorations. Each caret
// carries a visible label with name and organisation, so that no one is
// identified by colour alone; colours come from a fixed palette of CSS
// classes because the CSP forbids inline styles.
import { StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view';

/** One remote connection's selection in editor (UTF-16) positions. */
export interface RemoteCursor {
  key: string;
  label: string;
  colour: number;
  ranges: { anchor: number; head: number }[];
}

/** Number of colour classes (.rc-0 … .rc-7) in app.css. */
export const PALETTE_SIZE = 8;

class CaretWidget extends WidgetType {
  constructor(
    readonly label: string,
    readonly colour: number,
  ) {
    super();
  }

  eq(other: CaretWidget): boolean {
    return other.label === this.label && other.colour === this.colour;
  }

  toDOM(): HTMLElement {
    const caret = document.createElement('span');
    caret.className = `cm-remote-caret rc-${this.colour}`;
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

function build(cursors: RemoteCursor[], len: number): DecorationSet {
  const decos = [];
  for (const c of cursors) {
    for (const r of c.ranges) {
      const a = Math.min(Math.max(0, r.anchor), len);
      const h = Math.min(Math.max(0, r.head), len);
      if (a !== h) {
        decos.push(Decoration.mark({ class: `cm-remote-selection rc-${c.colour}` }).range(Math.min(a, h), Math.max(a, h)));
      }
      decos.push(Decoration.widget({ widget: new CaretWidget(c.label, c.colour), side: 1 }).range(h));
    }
  }
  return Decoration.set(decos, true);
}

/** The editor extension that shows remote cursors. */
export function remoteCursors(): Extension {
  return StateField.define<DecorationSet>({
    create: () => Decoration.none,
    update(deco, tr) {
      deco = deco.map(tr.changes);
      for (const e of tr.effects) if (e.is(setRemoteCursors)) deco = build(e.value, tr.state.doc.length);
      return deco;
    },
    provide: (f) => EditorView.decorations.from(f),
  });
}
