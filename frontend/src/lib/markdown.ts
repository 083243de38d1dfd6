// Markdown to safe HTML for the preview: marked renders, DOMPurify removes
// anything that could run script before the HTML reaches the page.
import { marked } from 'marked';
import DOMPurify from 'dompurify';

/** Renders Markdown to sanitised HTML. */
export function renderMarkdown(src: string): string {
  const html = marked.parse(src, { async: false, gfm: true }) as string;
  return DOMPurify.sanitize(html, { FORBID_ATTR: ['style'], FORBID_TAGS: ['style'] });
}
