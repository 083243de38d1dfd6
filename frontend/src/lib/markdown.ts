// Markdown to safe HTML for the preview: marked renders, DOMPurify removes
// anything that could run script before the HTML reaches the page.
import { Marked } from 'marked';
import DOMPurify, { type Config } from 'dompurify';

// The preview sits under the page's h1 and its own h2, so the text's
// headings start at h3 to keep the page outline intact.
const marked = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type === 'heading') token.depth = Math.min(6, token.depth + 2);
  },
});

/**
 * The sanitiser's allow-list: only what Markdown (CommonMark with GFM
 * tables and strikethrough) produces. No SVG or MathML (their parsers have
 * been the way around sanitisers), no forms or inputs, no style, and no
 * class or id, which could restyle the page or clobber its elements.
 */
export const previewPurify: Config = {
  ALLOWED_TAGS: [
    'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'em', 'strong', 'del', 's', 'code', 'pre',
    'blockquote', 'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  ALLOWED_ATTR: ['href', 'title', 'src', 'alt', 'align', 'start'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  USE_PROFILES: false,
};

/** Renders Markdown to sanitised HTML. */
export function renderMarkdown(src: string): string {
  const html = marked.parse(src, { async: false }) as string;
  return DOMPurify.sanitize(html, { ...previewPurify, RETURN_TRUSTED_TYPE: false }) as string;
}
