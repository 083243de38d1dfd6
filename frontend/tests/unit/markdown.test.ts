import { describe, expect, it } from 'vitest';
import { previewPurify } from '../../src/lib/markdown';

// The unit tests run without a DOM, so DOMPurify itself cannot run here;
// these check the allow-list it is given; tests/e2e/editor.test.mjs checks
// what the sanitiser leaves of hostile markup in the real preview.
describe('previewPurify', () => {
  const tags = previewPurify.ALLOWED_TAGS as string[];
  const attrs = previewPurify.ALLOWED_ATTR as string[];

  it('allows no SVG, MathML, forms, inputs or styles', () => {
    for (const t of ['svg', 'math', 'form', 'input', 'button', 'style', 'script', 'iframe', 'object', 'template', 'textarea', 'select']) {
      expect(tags).not.toContain(t);
    }
  });

  it('allows no style, class, id, name or event attributes', () => {
    for (const a of ['style', 'class', 'id', 'name', 'onerror', 'onclick', 'srcset', 'xlink:href', 'action', 'formaction']) {
      expect(attrs).not.toContain(a);
    }
    expect(previewPurify.ALLOW_DATA_ATTR).toBe(false);
  });

  it('keeps what Markdown produces', () => {
    for (const t of ['p', 'strong', 'em', 'a', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote', 'h3', 'table', 'td', 'img']) {
      expect(tags).toContain(t);
    }
    expect(attrs).toEqual(expect.arrayContaining(['href', 'src', 'alt']));
  });
});
