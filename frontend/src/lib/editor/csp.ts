// CodeMirror injects its base styles through style-mod, which writes a
// <style> element into a document's head. The server's CSP (style-src
// 'self') blocks that. Constructed stylesheets (document.adoptedStyleSheets)
// are CSSOM and allowed, and style-mod already uses them for shadow roots,
// so we hand the document a style set created for a root without a head.
import { StyleModule } from 'style-mod';

let done = false;

/** Makes CodeMirror's styles CSP-compatible; call once before creating editors. */
export function adoptEditorStyles(): void {
  if (done) return;
  done = true;
  if (typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) return;
  const headless = { ownerDocument: document, head: null, adoptedStyleSheets: [] as CSSStyleSheet[] };
  StyleModule.mount(headless as unknown as Document, []);
  const key = Object.getOwnPropertySymbols(headless).find((s) => s.description === 'styleSet');
  const doc = document as unknown as Record<symbol, unknown>;
  if (key && !doc[key]) doc[key] = (headless as unknown as Record<symbol, unknown>)[key];
}
