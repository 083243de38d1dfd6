// Markdown formatting commands for the toolbar and keyboard shortcuts.
import { EditorSelection, type ChangeSpec } from '@codemirror/state';
import type { EditorView } from '@codemirror/view';

/** The formatting a toolbar button applies. */
export type FormatKind = 'heading' | 'bold' | 'italic' | 'list' | 'link';

function wrap(view: EditorView, before: string, after: string, placeholder: string): boolean {
  if (view.state.readOnly) return false;
  view.dispatch(
    view.state.changeByRange((range) => {
      const text = view.state.sliceDoc(range.from, range.to) || placeholder;
      const insert = before + text + after;
      return {
        changes: { from: range.from, to: range.to, insert },
        range: EditorSelection.range(range.from + before.length, range.from + before.length + text.length),
      };
    }),
    { scrollIntoView: true, userEvent: 'input.format' },
  );
  return true;
}

function togglePrefix(view: EditorView, prefix: string, pattern: RegExp): boolean {
  if (view.state.readOnly) return false;
  const changes: ChangeSpec[] = [];
  const seen = new Set<number>();
  for (const r of view.state.selection.ranges) {
    for (let pos = r.from; pos <= r.to; ) {
      const line = view.state.doc.lineAt(pos);
      if (!seen.has(line.number)) {
        seen.add(line.number);
        const m = line.text.match(pattern);
        if (m) changes.push({ from: line.from, to: line.from + m[0].length, insert: '' });
        else changes.push({ from: line.from, insert: prefix });
      }
      pos = line.to + 1;
    }
  }
  view.dispatch({ changes, userEvent: 'input.format' });
  return true;
}

/** Applies one kind of formatting to the selection; returns false when read-only. */
export function applyFormat(view: EditorView, kind: FormatKind, linkText = 'Link'): boolean {
  switch (kind) {
    case 'bold':
      return wrap(view, '**', '**', 'fett');
    case 'italic':
      return wrap(view, '_', '_', 'kursiv');
    case 'link':
      return wrap(view, '[', '](https://)', linkText);
    case 'heading':
      return togglePrefix(view, '## ', /^#{1,6} /);
    case 'list':
      return togglePrefix(view, '- ', /^[-*] /);
  }
}
