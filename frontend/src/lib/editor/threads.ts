// Highlights of thread passages in CodeMirror: mark decorations set from the
// sidebar's anchors (already converted to UTF-16 positions) and mapped
// through changes in between, so they never lag behind the text.
import { RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** One highlighted passage (UTF-16 positions of the current document). */
export interface ThreadMark {
  id: number;
  from: number;
  to: number;
  active: boolean;
}

/** Replaces all thread highlights. */
export const setThreadMarks = StateEffect.define<ThreadMark[]>();

function build(marks: ThreadMark[], docLen: number): DecorationSet {
  const b = new RangeSetBuilder<Decoration>();
  const sorted = marks
    .map((m) => ({ ...m, from: Math.max(0, Math.min(m.from, docLen)), to: Math.max(0, Math.min(m.to, docLen)) }))
    .filter((m) => m.to > m.from)
    .sort((a, b) => a.from - b.from || a.to - b.to);
  for (const m of sorted) {
    b.add(
      m.from,
      m.to,
      Decoration.mark({
        class: m.active ? 'cm-thread cm-thread-active' : 'cm-thread',
        attributes: { 'data-thread': String(m.id) },
      }),
    );
  }
  return b.finish();
}

/** The state field holding the thread highlights. */
export const threadMarks = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setThreadMarks)) next = build(e.value, tr.state.doc.length);
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The ids of the threads whose highlight covers pos (UTF-16). */
export function threadsAt(view: EditorView, pos: number): number[] {
  const ids: number[] = [];
  view.state.field(threadMarks).between(pos, pos, (from, to, d) => {
    if (pos >= from && pos <= to) ids.push(Number(d.spec.attributes?.['data-thread']));
  });
  return ids;
}
