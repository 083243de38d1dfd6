// Formatted editing on the Markdown text: headings, emphasis, links, lists
// and quotes are styled in place from the syntax tree, and their markup
// characters are hidden unless the selection touches them, as in a word
// processor. Decorations never change the document: the op log, positions
// and remote cursors see the same plain Markdown in both modes.
import { type EditorState, type Extension, type Range } from '@codemirror/state';
import { Decoration, EditorView, ViewPlugin, WidgetType, type DecorationSet, type ViewUpdate } from '@codemirror/view';
import { syntaxTree } from '@codemirror/language';
import type { SyntaxNodeRef } from '@lezer/common';

const hide = Decoration.replace({});

class BulletWidget extends WidgetType {
  eq(): boolean {
    return true;
  }

  toDOM(): HTMLElement {
    const s = document.createElement('span');
    s.className = 'md-bullet';
    s.textContent = '•';
    return s;
  }
}

const bullet = Decoration.replace({ widget: new BulletWidget() });

/** Inline nodes whose content gets a class and whose marks hide. */
const INLINE: Record<string, { cls: string; marks: string[] }> = {
  StrongEmphasis: { cls: 'md-strong', marks: ['EmphasisMark'] },
  Emphasis: { cls: 'md-em', marks: ['EmphasisMark'] },
  Strikethrough: { cls: 'md-strike', marks: ['StrikethroughMark'] },
  InlineCode: { cls: 'md-code', marks: ['CodeMark'] },
};

function touches(state: EditorState, from: number, to: number): boolean {
  return state.selection.ranges.some((r) => r.from <= to && r.to >= from);
}

/** Hides a block mark (#, >) together with the spaces after it. */
function hideMark(state: EditorState, from: number, to: number, out: Range<Decoration>[]): void {
  const line = state.doc.lineAt(from);
  while (to < line.to && state.doc.sliceString(to, to + 1) === ' ') to++;
  if (to > from) out.push(hide.range(from, to));
}

function inline(state: EditorState, node: SyntaxNodeRef, out: Range<Decoration>[]): void {
  const spec = INLINE[node.name];
  const reveal = touches(state, node.from, node.to);
  out.push(Decoration.mark({ class: spec.cls }).range(node.from, node.to));
  if (reveal) return;
  const cur = node.node.cursor();
  if (!cur.firstChild()) return;
  do {
    if (spec.marks.includes(cur.name) && cur.to > cur.from) out.push(hide.range(cur.from, cur.to));
  } while (cur.nextSibling());
}

function link(state: EditorState, node: SyntaxNodeRef, out: Range<Decoration>[]): void {
  const marks: { from: number; to: number }[] = [];
  const cur = node.node.cursor();
  if (cur.firstChild()) {
    do if (cur.name === 'LinkMark') marks.push({ from: cur.from, to: cur.to });
    while (cur.nextSibling());
  }
  // [text](url): the text lies between the first two marks.
  if (marks.length < 2 || marks[1].from <= marks[0].to) return;
  out.push(Decoration.mark({ class: 'md-link' }).range(marks[0].to, marks[1].from));
  if (touches(state, node.from, node.to)) return;
  out.push(hide.range(marks[0].from, marks[0].to));
  out.push(hide.range(marks[1].from, node.to));
}

function lineClass(state: EditorState, from: number, to: number, cls: string, out: Range<Decoration>[]): void {
  const deco = Decoration.line({ class: cls });
  for (let pos = from; pos <= to; ) {
    const line = state.doc.lineAt(pos);
    out.push(deco.range(line.from));
    pos = line.to + 1;
  }
}

function build(view: EditorView): DecorationSet {
  const { state } = view;
  const out: Range<Decoration>[] = [];
  for (const { from, to } of view.visibleRanges) {
    syntaxTree(state).iterate({
      from,
      to,
      enter(node) {
        const heading = /^(?:ATX|Setext)Heading(\d)$/.exec(node.name);
        if (heading) {
          lineClass(state, node.from, node.from, `md-h md-h${heading[1]}`, out);
        } else if (node.name === 'HeaderMark') {
          const line = state.doc.lineAt(node.from);
          if (node.from === line.from && !touches(state, line.from, line.to)) hideMark(state, node.from, node.to, out);
        } else if (node.name in INLINE) {
          inline(state, node, out);
        } else if (node.name === 'Link') {
          link(state, node, out);
          return false;
        } else if (node.name === 'Blockquote') {
          lineClass(state, node.from, node.to, 'md-quote', out);
        } else if (node.name === 'QuoteMark') {
          const line = state.doc.lineAt(node.from);
          if (!touches(state, line.from, line.to)) hideMark(state, node.from, node.to, out);
        } else if (node.name === 'ListItem') {
          lineClass(state, node.from, node.from, 'md-li', out);
        } else if (node.name === 'ListMark') {
          const mark = state.doc.sliceString(node.from, node.to);
          if (/^[-*+]$/.test(mark) && !touches(state, node.from, node.to + 1)) out.push(bullet.range(node.from, node.to));
          else out.push(Decoration.mark({ class: 'md-listmark' }).range(node.from, node.to));
        }
      },
    });
  }
  return Decoration.set(out, true);
}

const plugin = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;

    constructor(view: EditorView) {
      this.decorations = build(view);
    }

    update(u: ViewUpdate): void {
      if (u.docChanged || u.viewportChanged || u.selectionSet || syntaxTree(u.startState) !== syntaxTree(u.state)) {
        this.decorations = build(u.view);
      }
    }
  },
  { decorations: (p) => p.decorations },
);

/**
 * The extension for one display mode: formatted (markup hidden around the
 * selection only) or the plain Markdown source. Both carry a class on the
 * editor so that the stylesheet can choose the font.
 */
export function displayMode(raw: boolean): Extension {
  return raw
    ? EditorView.editorAttributes.of({ class: 'md-raw' })
    : [plugin, EditorView.editorAttributes.of({ class: 'md-live' })];
}

const KEY = 'editor.markdown';

/** Whether the user last chose to see the plain Markdown. */
export function prefersRaw(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

/** Remembers the display mode for the next visit. */
export function rememberRaw(raw: boolean): void {
  try {
    if (raw) localStorage.setItem(KEY, '1');
    else localStorage.removeItem(KEY);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
