// Browser tests of the editor and its history: formatted editing on the
// Markdown text and the switch to the source, a visible selection, remote
// caret labels that cover no text, the start-thread shortcut on the key
// values German keyboards produce, the live region, and the history's word
// diff, restore labels and reflow.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, editorText, login, newPage, screenshot, sectionId, useServer, waitSaved } from './harness.mjs';

const SECTION_TITLE = 'Zielbild: Datennutzung';
const env = useServer();

/** Opens the demo section as the given user and waits for the text. */
async function openEditor(email, opts = {}) {
  const p = await newPage(env.browser, env.server.base, opts);
  p.page.errors = [];
  p.page.on('console', (m) => m.type() === 'error' && !/Failed to load resource/.test(m.text()) && p.page.errors.push(m.text()));
  await login(p.page, env.server.base, email);
  const id = await sectionId(p.page, env.server.base, SECTION_TITLE);
  await p.page.goto(`${env.server.base}/abschnitte/${id}`);
  await waitSaved(p.page);
  return { ...p, id };
}

/** The visible text of the editor line that contains needle. */
function lineText(page, needle) {
  return page.locator('#section-editor .cm-line', { hasText: needle }).first().textContent();
}

/** Polls fn until it returns a truthy value (no fixed sleeps). */
async function until(fn, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('editor', { timeout: 600_000 }, () => {
  test('formats Markdown in place, hides markup away from the caret, switches to the source and back', async () => {
    const { context, page, id } = await openEditor('pate1@hh.example');
    const content = page.locator('#section-editor .cm-content');
    const toggle = page.getByRole('button', { name: 'Markdown-Quelltext anzeigen' });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'the formatted view is the default');
    assert.doesNotMatch(await content.evaluate((e) => getComputedStyle(e).fontFamily), /mono/i, 'a proportional font');

    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\n## Zwischentitel\n\nEin **fettes Wort**, _schräg_ und [Quelle](https://example.org/q).\n\n');
    // Enter continues a list; Enter on an empty item ends it.
    await page.keyboard.type('- Punkt eins\nPunkt zwei\n\n> Ein Zitat');
    await waitSaved(page);
    const doc = await editorText(page);
    assert.ok(doc.includes('Ein **fettes Wort**, _schräg_ und [Quelle](https://example.org/q).'), 'the text stays Markdown');
    assert.ok(doc.includes('- Punkt eins\n- Punkt zwei'), 'Enter continues the list in the text');
    const server = await (await page.request.get(`${env.server.base}/api/sections/${id}`)).json();
    assert.equal(server.text, doc, 'the server holds the same plain Markdown');

    // With the caret elsewhere the markup is hidden and the text formatted.
    await page.keyboard.press('Control+Home');
    assert.equal(await lineText(page, 'Zwischentitel'), 'Zwischentitel');
    assert.equal(await lineText(page, 'fettes Wort'), 'Ein fettes Wort, schräg und Quelle.');
    assert.equal(await page.locator('#section-editor .md-strong').first().textContent(), 'fettes Wort');
    assert.equal(await page.locator('#section-editor .md-em').first().textContent(), 'schräg');
    assert.equal(await page.locator('#section-editor .md-link').first().textContent(), 'Quelle');
    assert.equal(await lineText(page, 'Ein Zitat'), 'Ein Zitat');
    assert.equal(await lineText(page, 'Punkt eins'), '• Punkt eins');
    const size = (sel) => page.locator(sel).first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok((await size('#section-editor .md-h2')) > (await size('#section-editor .cm-line:not(.md-h)')), 'headings are larger');
    assert.equal(await page.locator('#section-editor .md-strong').first().evaluate((e) => getComputedStyle(e).fontWeight), '700');

    // The caret on a passage shows its markup, so it can be edited.
    await page.locator('#section-editor .md-strong').first().click();
    await until(async () => (await lineText(page, 'fettes Wort')).includes('**fettes Wort**'), 'the markup at the caret');
    await page.locator('#section-editor .md-h2').first().click();
    await until(async () => (await lineText(page, 'Zwischentitel')) === '## Zwischentitel', 'the heading mark at the caret');
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'editor-formatted');

    // Toolbar formatting works in the formatted view …
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.getByRole('button', { name: 'Fett' }).click();
    await waitSaved(page);
    assert.ok((await editorText(page)).endsWith('> Ein **Zitat**'));

    // … and the switch (by keyboard) shows the plain Markdown, remembered across visits.
    await page.keyboard.press('Shift+Tab'); // from the text back to the switch
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Markdown-Quelltext anzeigen');
    assert.notEqual(await toggle.evaluate((e) => getComputedStyle(e).outlineStyle), 'none', 'focus is visible');
    await page.keyboard.press('Space');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    await page.keyboard.press('Control+Home');
    assert.match(await content.evaluate((e) => getComputedStyle(e).fontFamily), /mono/i);
    assert.equal(await lineText(page, 'fettes Wort'), 'Ein **fettes Wort**, _schräg_ und [Quelle](https://example.org/q).');
    assert.equal(await page.locator('#section-editor .md-strong').count(), 0);
    await page.reload();
    await waitSaved(page);
    assert.equal(await page.getByRole('button', { name: 'Markdown-Quelltext anzeigen' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await lineText(page, 'Zwischentitel'), '## Zwischentitel');
    await content.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Satz');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.getByRole('button', { name: 'Kursiv' }).click();
    await waitSaved(page);
    assert.ok((await editorText(page)).endsWith('> Ein **Zitat** _Satz_'), 'toolbar formatting works in the source view');
    await screenshot(page, 'editor-source');
    await page.getByRole('button', { name: 'Markdown-Quelltext anzeigen' }).click();
    assert.equal(await page.locator('#section-editor .md-h2').count(), 1);
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.violations, []);
    await context.close();
  });

  test('a selection inside the active paragraph is painted, in both views', async () => {
    const { context, page } = await openEditor('pate2@hh.example');
    const content = page.locator('#section-editor .cm-content');
    for (const source of [false, true]) {
      if (source) await page.getByRole('button', { name: 'Markdown-Quelltext anzeigen' }).click();
      await content.click();
      // The first row of the first paragraph, between its glyph edges.
      const clip = await page.evaluate(() => {
        const line = document.querySelector('#section-editor .cm-line');
        const range = document.createRange();
        range.setStart(line.firstChild, 0);
        range.setEnd(line.firstChild, 1);
        const row = range.getBoundingClientRect();
        const box = line.getBoundingClientRect();
        return { x: box.left + 12, y: row.top + window.scrollY, width: Math.min(300, box.width - 24), height: row.height };
      });
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('ArrowDown'); // caret in the second row: the same (active) line
      const unselected = await page.screenshot({ clip, fullPage: true, animations: 'disabled' });
      await page.keyboard.press('Shift+ArrowUp'); // selects the first row
      const bg = await page.locator('#section-editor .cm-selectionBackground').first().evaluate((e) => {
        const r = e.getBoundingClientRect();
        return { colour: getComputedStyle(e).backgroundColor, width: r.width, height: r.height };
      });
      assert.notEqual(bg.colour, 'rgba(0, 0, 0, 0)');
      assert.ok(bg.width > 0 && bg.height > 0);
      const selected = await page.screenshot({ clip, fullPage: true, animations: 'disabled' });
      assert.ok(!unselected.equals(selected), `the selection is visible ${source ? 'in the source view' : 'in the formatted view'}`);
      if (!source) await screenshot(page, 'editor-selection');
    }
    await page.getByRole('button', { name: 'Markdown-Quelltext anzeigen' }).click();
    await context.close();
  });

  test('remote caret labels name the person and cover no text', async () => {
    const a = await openEditor('pate1@hh.example');
    const b = await openEditor('pate2@hh.example');
    // b's caret in the middle of the first paragraph's second row.
    await b.page.locator('#section-editor .cm-content').click();
    await b.page.keyboard.press('Control+Home');
    await b.page.keyboard.press('ArrowDown');
    for (let i = 0; i < 12; i++) await b.page.keyboard.press('ArrowRight');
    const label = a.page.locator('.cm-remote-label', { hasText: 'Lars Hoffmann (HH)' });
    await label.waitFor();
    const overlaps = await a.page.evaluate(() => {
      const l = document.querySelector('.cm-remote-label').getBoundingClientRect();
      const hits = [];
      const walker = document.createTreeWalker(document.querySelector('#section-editor .cm-content'), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.parentElement.closest('.cm-remote-caret')) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) {
          const w = Math.min(r.right, l.right) - Math.max(r.left, l.left);
          const h = Math.min(r.bottom, l.bottom) - Math.max(r.top, l.top);
          if (w > 0.5 && h > 0.5) hits.push(`${n.textContent.slice(0, 30)}: ${w.toFixed(1)}×${h.toFixed(1)}`);
        }
      }
      return hits;
    });
    assert.deepEqual(overlaps, [], 'the label covers no text');
    await screenshot(a.page, 'editor-remote-caret');
    await a.context.close();
    await b.context.close();
  });

  test('a caret label at the right edge never makes the editor scroll sideways, not even before it is placed', async () => {
    // A label is placed (run left near the edge) in the frame after its
    // caret is drawn. Until then it must not give the editor a sideways
    // scroll: that would flash a scroll bar and make the editor a
    // scrollable region without keyboard access.
    const small = { viewport: { width: 320, height: 700 } };
    const a = await openEditor('pate1@hh.example', small);
    const b = await openEditor('pate2@hh.example', small);
    // On a, a check after every change of the editor's DOM (a microtask,
    // so before the frame in which labels are placed).
    await a.page.evaluate(() => {
      const sc = document.querySelector('#section-editor .cm-scroller');
      const seen = { sideways: [], flipped: 0 };
      window.seen = seen;
      new MutationObserver(() => {
        if (sc.querySelector('.cm-remote-label-end')) seen.flipped++;
        const o = getComputedStyle(sc).overflowX;
        if (sc.scrollWidth > sc.clientWidth + 1 && (o === 'auto' || o === 'scroll')) seen.sideways.push(`${sc.scrollWidth} > ${sc.clientWidth}`);
      }).observe(sc, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    /** Waits until b's caret on a's page is past (or before) the first third of the editor. */
    const caretOnA = (side, what) => until(() => a.page.evaluate((side) => {
      const sc = document.querySelector('#section-editor .cm-scroller').getBoundingClientRect();
      const x = document.querySelector('.cm-remote-caret')?.getBoundingClientRect().left;
      return x !== undefined && (side === 'right') === x > sc.left + sc.width / 3;
    }, side), what);
    // b's caret goes to the end of one row after another: the right edge.
    await b.page.locator('#section-editor .cm-content').click();
    await b.page.keyboard.press('Control+Home');
    await b.page.keyboard.press('ArrowDown');
    for (let i = 0; i < 5; i++) {
      // The end of a row is the start of the next one in the text; one
      // step back is the last word's end, where the caret is drawn.
      await b.page.keyboard.press('End');
      await b.page.keyboard.press('ArrowLeft');
      await caretOnA('right', `caret at the end of row ${i} on the other page`);
      await b.page.keyboard.press('ArrowDown');
      await b.page.keyboard.press('Home');
      await caretOnA('left', `caret at the start of row ${i + 1} on the other page`);
    }
    const seen = await a.page.evaluate(() => window.seen);
    assert.ok(seen.flipped > 0, 'some label reached the edge and was placed to run left');
    assert.deepEqual(seen.sideways, [], 'the editor never scrolled sideways');
    await a.context.close();
    await b.context.close();
  });

  test('announcements: one at a time, by name even for someone not in the editor, none carried to the next page', async () => {
    const r = await openEditor('lesen@fitko.example');
    const region = r.page.locator('#announcer');
    assert.equal(await region.getAttribute('aria-live'), 'polite');
    // Record every text the live region shows.
    await r.page.evaluate(() => {
      const el = document.querySelector('#announcer');
      globalThis.said = [el.textContent];
      new MutationObserver(() => globalThis.said.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const w = await openEditor('pate2@hh.example');
    await w.page.locator('#section-editor .cm-content').click();
    await w.page.keyboard.press('Control+End');
    await w.page.keyboard.type(' Ergänzung.');
    await waitSaved(w.page);
    await w.context.close();
    await region.filter({ hasText: 'Lars Hoffmann (HH) hat den Text geändert.' }).waitFor({ timeout: 30_000 });

    // Nina restores a version from the history without opening the editor.
    const n = await newPage(env.browser, env.server.base);
    await login(n.page, env.server.base, 'pate1@hh.example');
    const res = await n.page.request.post(`${env.server.base}/api/sections/${r.id}/restore`, {
      headers: { origin: env.server.base },
      data: { version: 1 },
    });
    assert.equal(res.status(), 200);
    await region.filter({ hasText: 'Nina Petersen (HH) hat den Text geändert.' }).waitFor({ timeout: 30_000 });
    const said = await r.page.evaluate(() => globalThis.said);
    const messages = said.filter((x) => x);
    assert.ok(messages.includes('Lars Hoffmann (HH) hat den Abschnitt geöffnet.'), said.join(' | '));
    assert.ok(messages.every((m) => !/#\d/.test(m)), `no ids: ${said.join(' | ')}`);
    for (const m of messages) assert.equal(m.match(/\. |\.$/g)?.length, 1, `one message at a time: ${m}`);
    for (let i = 1; i < said.length; i++) if (said[i] && said[i - 1]) assert.fail(`no gap between "${said[i - 1]}" and "${said[i]}"`);

    // The next page starts with an empty region.
    await r.page.getByRole('link', { name: 'Verlauf anzeigen' }).click();
    await r.page.waitForURL(/\/verlauf$/);
    assert.equal(await region.textContent(), '');
    await n.context.close();
    await r.context.close();
  });

  test('history: a word diff within the paragraph, a labelled restore, no sideways scrolling at 320 px', async () => {
    // Nina edits, Lars then inserts one word; Nina compares and restores
    // the version before his edit on the history page.
    const { context, page, id } = await openEditor('pate1@hh.example');
    await page.locator('#section-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Stand: Entwurf.');
    await waitSaved(page);
    const lars = await openEditor('pate2@hh.example');
    await lars.page.locator('#section-editor .cm-content').click();
    await lars.page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await lars.page.keyboard.press('Control+ArrowRight');
    await lars.page.keyboard.type(' nun');
    await waitSaved(lars.page);
    assert.match(await editorText(lars.page), /^Die Verwaltung verfügt nun über/);
    await lars.context.close();
    const [mine, previous] = await (await page.request.get(`${env.server.base}/api/sections/${id}/history?limit=2`)).json();
    assert.equal(mine.user_name, 'Lars Hoffmann');

    await page.getByRole('link', { name: 'Verlauf anzeigen' }).click();
    await page.getByRole('heading', { level: 1, name: /Verlauf/ }).waitFor();
    await page.getByLabel('Von Fassung').fill(String(mine.from_version));
    await page.getByLabel('Bis Fassung').fill(String(mine.to_version));
    await page.getByRole('button', { name: 'Vergleichen' }).click();
    const changed = page.locator('.diff li.diff-changed');
    await changed.first().waitFor();
    assert.equal(await changed.count(), 1, 'one changed paragraph');
    assert.equal(await page.locator('.diff li.diff-add, .diff li.diff-del').count(), 0, 'no paragraph marked as a whole');
    const ins = changed.locator('ins');
    assert.equal(await ins.count(), 1);
    assert.equal((await ins.evaluate((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(''))).trim(), 'nun');
    assert.equal(await ins.locator('.visually-hidden').first().textContent(), '[hinzugefügt: ', 'a text label, not colour alone');
    assert.match(await changed.textContent(), /Die Verwaltung verfügt .*über umfangreiche Daten/);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'history-word-diff');

    // Restoring the version before the edit is listed as a restore.
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: `Fassung ${mine.from_version} wiederherstellen` }).click();
    await page.getByText(`Fassung ${mine.from_version} wurde als neue Fassung`).waitFor();
    const first = page.locator('table.revisions tbody tr').first();
    await first.locator('.tag.restored').waitFor();
    assert.equal(
      await first.locator('.tag.restored').textContent(),
      `Wiederhergestellt aus Fassung ${mine.from_version} von ${previous.user_name} (${previous.org_code})`,
    );
    assert.match(await first.textContent(), /Nina Petersen \(HH\)/);

    // Reflow: at 320 CSS px nothing scrolls sideways, the diff included.
    await page.setViewportSize({ width: 320, height: 800 });
    const overflow = await page.evaluate(() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth);
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px at 320px`);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'history-320px');
    assert.deepEqual(page.errors, []);
    assert.deepEqual(page.violations, []);
    await context.close();
  });

  test('Alt+Shift+K starts a discussion on every layout; AltGr+M stays µ', async () => {
    const { context, page } = await openEditor('beteiligung@by.example');
    const button = page.getByRole('button', { name: /Diskussion zur Markierung beginnen/ });
    assert.equal(await button.getAttribute('aria-keyshortcuts'), 'Alt+Shift+K');
    assert.match(await button.textContent(), /Alt\+Umschalt\+K/);
    await page.locator('#section-editor .cm-content').focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Shift+ArrowRight');
    const press = (init) =>
      page.evaluate((init) => {
        const ev = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
        document.querySelector('#section-editor .cm-content').dispatchEvent(ev);
        return ev.defaultPrevented;
      }, init);
    // German Windows: AltGr+M arrives as Ctrl+Alt with key "µ"; it must type, not open.
    assert.equal(await press({ key: 'µ', code: 'KeyM', ctrlKey: true, altKey: true }), false);
    // German Mac: Option+M gives "µ" too.
    assert.equal(await press({ key: 'µ', code: 'KeyM', altKey: true }), false);
    assert.equal(await page.locator('form.thread-form').count(), 0);
    // German Mac: Option+Shift+K reports a symbol, matched by the key's position.
    assert.equal(await press({ key: '\uF8FF', code: 'KeyK', altKey: true, shiftKey: true }), true);
    await page.locator('form.thread-form').waitFor();
    assert.equal((await page.locator('form.thread-form blockquote').textContent()).trim(), 'Die');
    await page.getByRole('button', { name: 'Abbrechen' }).click();
    await page.locator('form.thread-form').waitFor({ state: 'detached' });
    // German Windows and Linux: Alt+Shift+K gives "K"; a real key press.
    await page.locator('#section-editor .cm-content').focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Alt+Shift+K');
    await page.locator('form.thread-form').waitFor();
    assert.deepEqual(await axe(page), []);
    await context.close();
  });

  test('the preview sanitises: no SVG, forms, inputs, styles, classes or ids survive', async () => {
    const { context, page } = await openEditor('pate2@hh.example');
    await page.getByRole('button', { name: 'Markdown-Quelltext anzeigen' }).click();
    await page.locator('#section-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    // Unquoted attributes: the editor completes quotes and brackets as typed.
    await page.keyboard.type('\n\nProbe <svg><a xlink:href=javascript:alert(1)>svg</a></svg> <form action=/x><input name=q></form> ' +
      '<span class=alarm id=main style=color:red data-x=1 aria-hidden=true>markiert</span> Ende\n');
    await waitSaved(page);
    const preview = page.locator('.preview .markdown');
    await preview.filter({ hasText: 'Ende' }).waitFor();
    const found = await preview.evaluate((root) => ({
      bad: [...root.querySelectorAll('svg, math, form, input, style, script, [class], [id], [style], [data-x], [aria-hidden]')].map((e) => e.outerHTML),
      text: root.textContent,
    }));
    assert.deepEqual(found.bad, [], 'nothing outside Markdown\'s own tags and attributes');
    assert.match(found.text, /markiert/, 'the words themselves stay');
    await context.close();
  });
});
