// Markdown to safe HTML for the preview: marked renders, DOMPurify removes
// anything that could run script before the HTML reaches the page.
import { Marked } from 'marked';
import DOMPurify from 'dompurify';

// The preview sits under the page's h1 and its own h2, so the text's
// headings start at h3 to keep the page outline intact.
const marked = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type === 'heading') token.depth = Math.min(6, token.depth + 2);
  },
});

/** Renders Markdown to sanitised HTML. */
export function renderMarkdown(src: string): string {
  const html = marked.parse(src, { async: false }) as string;
  return DOMPurify.sanitize(html, { FORBID_ATTR: ['style'], FORBID_TAGS: ['style'] });
}
