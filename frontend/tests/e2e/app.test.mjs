// Browser tests against the real server: login, overview, live co-editing
// of one paragraph by two Themenpaten, an offline period, a read-only
// reader, keyboard-only use, axe-core checks and screenshots.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, editorText, login, newPage, PASSWORD, screenshot, sectionId, useServer, waitSaved } from './harness.mjs';

const SECTION_TITLE = 'Zielbild: Datennutzung';
const env = useServer();

/** Waits until every page's editor shows the same saved text, and returns it. */
async function converged(pages, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const p of pages) await waitSaved(p, Math.max(1000, deadline - Date.now()));
    const texts = await Promise.all(pages.map(editorText));
    if (texts.every((t) => t === texts[0])) return texts[0];
    if (Date.now() > deadline) assert.fail(`editors differ:\n${texts.map((t) => JSON.stringify(t.slice(-200))).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function serverText(page, id) {
  const r = await page.request.get(`${env.server.base}/api/sections/${id}`);
  assert.equal(r.status(), 200);
  return (await r.json()).text;
}

/** Puts the cursor at the end of the editor's first paragraph line. */
async function cursorToFirstParagraph(page) {
  await page.locator('#section-editor .cm-content').click();
  await page.keyboard.press('Control+Home');
  // Skip a heading line if the text starts with one.
  const first = (await editorText(page)).split('\n')[0];
  if (first.startsWith('#')) await page.keyboard.press('ArrowDown');
  if ((await editorText(page)).split('\n')[1] === '' && first.startsWith('#')) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

describe('browser', { timeout: 600_000 }, () => {
  test('login page: German error for a wrong password, accessible, no CSP violations', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await page.goto(`${env.server.base}/anmelden`);
    await page.getByLabel('E-Mail-Adresse').fill('pate1@hh.example');
    await page.getByLabel('Passwort').fill('falsch');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const alert = page.getByRole('alert');
    await alert.locator('.error').waitFor();
    const msg = await alert.textContent();
    assert.match(msg, /[a-zäöüß]{4,}/i, 'a readable message');
    assert.doesNotMatch(msg, /unauthorized|error/i);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'login');
    assert.deepEqual(page.violations, []);
    assert.deepEqual(page.foreign, []);
    await context.close();
  });

  test('overview lists parts, topics with Themenpaten and the phase; accessible', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'beteiligung@by.example');
    await page.getByRole('heading', { level: 1, name: 'Föderale Digitalstrategie' }).waitFor();
    await page.getByRole('heading', { name: 'Datennutzung' }).first().waitFor();
    const body = await page.locator('main').textContent();
    assert.match(body, /Hamburg \(HH\)/);
    assert.match(body, /Aktuelle Phase/);
    assert.match(body, /In Beteiligung/);
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'overview');
    // Reflow: at 320 CSS px nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `horizontal overflow of ${overflow}px at 320px`);
    await screenshot(page, 'overview-320px');
    assert.deepEqual(page.violations, []);
    assert.deepEqual(page.foreign, []);
    await context.close();
  });

  test('two Themenpaten type into the same paragraph at once and converge', async () => {
    const a = await newPage(env.browser, env.server.base);
    const b = await newPage(env.browser, env.server.base);
    await login(a.page, env.server.base, 'pate1@hh.example');
    await login(b.page, env.server.base, 'pate2@hh.example');
    const id = await sectionId(a.page, env.server.base, SECTION_TITLE);
    await Promise.all([a.page.goto(`${env.server.base}/abschnitte/${id}`), b.page.goto(`${env.server.base}/abschnitte/${id}`)]);
    await Promise.all([waitSaved(a.page), waitSaved(b.page)]);
    const before = await editorText(a.page);
    assert.ok(before.length > 0, 'the demo section has text');
    // Each sees the other in the presence list.
    await a.page.locator('.presence').getByText('Lars Hoffmann (HH)').waitFor();
    await b.page.locator('.presence').getByText('Nina Petersen (HH)').waitFor();

    await cursorToFirstParagraph(a.page);
    await cursorToFirstParagraph(b.page);
    const wordsA = ' Grüße aus Hamburg – Änderung 😀 eins';
    const wordsB = ' Übergabe für Ölfelder ß 🚀 zwei';
    await Promise.all([a.page.keyboard.type(wordsA, { delay: 15 }), b.page.keyboard.type(wordsB, { delay: 15 })]);
    const text = await converged([a.page, b.page]);
    assert.ok(text.includes('😀') && text.includes('🚀'));
    for (const w of ['Grüße', 'Änderung', 'Übergabe', 'Ölfelder']) assert.ok(text.includes(w), `missing ${w}`);
    assert.equal(text.length, before.length + wordsA.length + wordsB.length);
    assert.equal(await serverText(a.page, id), text);
    // The remote caret is labelled with name and organisation.
    await a.page.locator('.cm-remote-label', { hasText: 'Lars Hoffmann (HH)' }).waitFor();
    assert.deepEqual(await axe(a.page), []);
    await screenshot(a.page, 'editor');
    assert.deepEqual(a.page.violations, [], 'CodeMirror and the app run under the CSP');
    assert.deepEqual(a.page.foreign, []);
    await a.context.close();
    await b.context.close();
  });

  test('an editor that goes offline keeps typing and loses nothing', async () => {
    const a = await newPage(env.browser, env.server.base);
    const b = await newPage(env.browser, env.server.base);
    await login(a.page, env.server.base, 'pate1@hh.example');
    await login(b.page, env.server.base, 'pate2@hh.example');
    const id = await sectionId(a.page, env.server.base, SECTION_TITLE);
    // Route a's websocket through the test so it can be cut and refused.
    let online = true;
    const live = new Set();
    await a.context.routeWebSocket(/\/api\/ws$/, (ws) => {
      if (!online) {
        ws.close({ code: 1006 });
        return;
      }
      live.add(ws);
      ws.connectToServer();
    });
    await Promise.all([a.page.goto(`${env.server.base}/abschnitte/${id}`), b.page.goto(`${env.server.base}/abschnitte/${id}`)]);
    await Promise.all([waitSaved(a.page), waitSaved(b.page)]);

    online = false;
    await a.context.setOffline(true);
    for (const ws of live) await ws.close({ code: 1006 }).catch(() => {});
    live.clear();
    await a.page.getByText('verbinde neu', { exact: false }).first().waitFor();

    await cursorToFirstParagraph(a.page);
    const offline = ' offline geschrieben: Übermorgen 🎉';
    await a.page.keyboard.type(offline, { delay: 10 });
    await a.page.getByText('offline – ungesicherte Änderungen').waitFor();
    // Meanwhile b keeps editing online.
    await b.page.locator('#section-editor .cm-content').click();
    await b.page.keyboard.press('Control+End');
    await b.page.keyboard.type(' Ergänzung während der Funkstille', { delay: 10 });
    await waitSaved(b.page);

    online = true;
    await a.context.setOffline(false);
    await a.page.getByText('verbunden', { exact: true }).waitFor({ timeout: 30_000 });
    const text = await converged([a.page, b.page]);
    assert.ok(text.includes(offline), 'the offline text survived');
    assert.ok(text.includes(' Ergänzung während der Funkstille'));
    assert.equal(await serverText(b.page, id), text);
    assert.equal(text.split(offline).length, 2, 'the offline text was applied exactly once');
    await a.context.close();
    await b.context.close();
  });

  test('a reader cannot type but sees edits live, announced politely', async () => {
    const r = await newPage(env.browser, env.server.base);
    const w = await newPage(env.browser, env.server.base);
    await login(r.page, env.server.base, 'lesen@fitko.example');
    await login(w.page, env.server.base, 'pate1@hh.example');
    const id = await sectionId(w.page, env.server.base, SECTION_TITLE);
    await r.page.goto(`${env.server.base}/abschnitte/${id}`);
    await waitSaved(r.page);
    await w.page.goto(`${env.server.base}/abschnitte/${id}`);
    await waitSaved(w.page);
    const region = r.page.locator('#announcer');
    await region.filter({ hasText: 'Nina Petersen (HH) hat den Abschnitt geöffnet.' }).waitFor();
    const before = await editorText(r.page);
    await r.page.getByText('Nur lesen').waitFor();
    assert.equal(await r.page.locator('#section-editor .cm-content').getAttribute('aria-readonly'), 'true');
    await r.page.locator('#section-editor .cm-content').click();
    await r.page.keyboard.type('darf nicht erscheinen');
    await r.page.keyboard.press('Enter');
    assert.equal(await editorText(r.page), before);

    await w.page.locator('#section-editor .cm-content').click();
    await w.page.keyboard.press('Control+End');
    const live = ' Live für Lesende ✓';
    await w.page.keyboard.type(live, { delay: 10 });
    await waitSaved(w.page);
    const deadline = Date.now() + 15_000;
    while (!(await editorText(r.page)).endsWith(live)) {
      assert.ok(Date.now() < deadline, 'the reader did not see the edit');
      await new Promise((x) => setTimeout(x, 100));
    }
    assert.equal(await editorText(r.page), await serverText(w.page, id));
    assert.ok(!(await serverText(w.page, id)).includes('darf nicht erscheinen'));
    // One announcement for the whole burst of keystrokes, not one per key.
    await region.filter({ hasText: 'Nina Petersen (HH) hat den Text geändert.' }).waitFor();
    assert.equal((await region.textContent()).match(/hat den Text geändert/g).length, 1);
    assert.deepEqual(await axe(r.page), []);
    await screenshot(r.page, 'editor-readonly');
    // 200 % zoom of a 1280 px window and 400 % (320 px) reflow without sideways scrolling.
    for (const width of [640, 320]) {
      await r.page.setViewportSize({ width, height: 800 });
      const overflow = await r.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `horizontal overflow of ${overflow}px at ${width}px`);
    }
    await screenshot(r.page, 'editor-320px');
    await r.context.close();
    await w.context.close();
  });

  test('history shows revisions, a version text and a diff; accessible', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'pate1@hh.example');
    const id = await sectionId(page, env.server.base, SECTION_TITLE);
    await page.goto(`${env.server.base}/abschnitte/${id}/verlauf`);
    await page.getByRole('heading', { level: 1, name: /Verlauf/ }).waitFor();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 1);
    assert.match(await rows.first().textContent(), /\(HH\)/);
    await page.getByRole('button', { name: /Fassung 0 anzeigen|anzeigen/ }).first().click();
    await page.locator('.version-text').waitFor();
    await page.getByLabel('Von Fassung').fill('0');
    await page.getByRole('button', { name: 'Vergleichen' }).click();
    await page.locator('.diff ins, .diff del').first().waitFor();
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'history');
    // Restoring an older version commits it as a new version.
    const restoreButton = page.getByRole('button', { name: /^Fassung \d+ wiederherstellen$/ }).last();
    const v = Number((await restoreButton.textContent()).match(/\d+/)[0]);
    const old = (await (await page.request.get(`${env.server.base}/api/sections/${id}/text?v=${v}`)).json()).text;
    page.once('dialog', (d) => d.accept());
    await restoreButton.click();
    await page.getByText(`Fassung ${v} wurde als neue Fassung`).waitFor();
    assert.equal(await serverText(page, id), old);
    assert.deepEqual(page.violations, []);
    await context.close();
  });

  test('legal pages are linked from the footer and accessible', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await page.goto(`${env.server.base}/anmelden`);
    for (const [link, name, heading] of [
      ['Impressum', 'impressum', 'Impressum'],
      ['Datenschutz', 'datenschutz', 'Datenschutz'],
      ['Erklärung zur Barrierefreiheit', 'barrierefreiheit', 'Erklärung zur Barrierefreiheit'],
    ]) {
      await page.getByRole('contentinfo').getByRole('link', { name: link }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      // The text comes from the server (the operator's Markdown or the default).
      await page.locator('main .legal h2').first().waitFor();
      assert.deepEqual(await axe(page), [], name);
      await screenshot(page, name);
    }
    const text = await page.locator('main').textContent();
    assert.match(text, /Schlichtungs/);
    assert.match(text, /Feedback/);
    // English is one click away; the legal text stays German and says so.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accessibility statement' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.getByText('This page is available in German only.').waitFor();
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Erklärung zur Barrierefreiheit' }).waitFor();
    await context.close();
  });

  test('sessions: list them and end another one', async () => {
    const one = await newPage(env.browser, env.server.base);
    const two = await newPage(env.browser, env.server.base);
    await login(one.page, env.server.base, 'beteiligung@he.example');
    await login(two.page, env.server.base, 'beteiligung@he.example');
    await one.page.getByRole('link', { name: 'Meine Sitzungen' }).click();
    await one.page.getByRole('heading', { level: 1, name: 'Meine Sitzungen' }).waitFor();
    const rows = one.page.locator('table tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await axe(one.page), []);
    await screenshot(one.page, 'sessions');
    const other = rows.filter({ hasNotText: 'Diese Sitzung' });
    await other.getByRole('button', { name: /beenden/i }).click();
    await one.page.getByText('Die Sitzung wurde beendet.').waitFor();
    // The notice appears before the list is fetched again.
    await rows.nth(1).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    // The ended session is signed out on its next request.
    await two.page.goto(`${env.server.base}/sitzungen`);
    await two.page.waitForURL(/\/anmelden/);
    await one.context.close();
    await two.context.close();
  });

  test('keyboard only: login, overview, editor', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await page.goto(`${env.server.base}/anmelden`);
    const focused = () => page.evaluate(() => {
      const e = document.activeElement;
      return `${e?.tagName} ${e?.getAttribute('id') ?? ''} ${e?.textContent?.trim().slice(0, 60) ?? ''}`;
    });
    async function tabTo(pred, max = 40) {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (pred(await focused())) return;
      }
      assert.fail(`not reached by Tab; focus on ${await focused()}`);
    }
    await page.keyboard.press('Tab');
    assert.match(await focused(), /Zum Inhalt springen/, 'the skip link comes first');
    await tabTo((f) => f.includes('login-email'));
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.keyboard.type('pate1@hh.example');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /login-password/);
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/strategien\/\d+$/);
    await page.getByRole('heading', { level: 1, name: 'Föderale Digitalstrategie' }).waitFor();
    await tabTo((f) => f.includes(SECTION_TITLE), 80);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/abschnitte\/\d+$/);
    await waitSaved(page);
    // The toolbar is one tab stop; the editor follows.
    await tabTo((f) => f.startsWith('BUTTON') && f.includes('Überschrift'));
    await page.keyboard.press('ArrowRight');
    assert.match(await focused(), /Fett/);
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))); i++) {
      await page.keyboard.press('Tab');
    }
    const inEditor = await page.evaluate(() => document.activeElement?.classList.contains('cm-content'));
    assert.ok(inEditor, `focus should be in the editor, is on ${await focused()}`);
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' per Tastatur');
    await waitSaved(page);
    assert.ok((await editorText(page)).endsWith(' per Tastatur'));
    // Tab leaves the editor instead of inserting a tab character.
    await page.keyboard.press('Tab');
    const left = await page.evaluate(() => !document.activeElement?.classList.contains('cm-content'));
    assert.ok(left, 'Tab moved focus out of the editor');
    assert.ok(!(await editorText(page)).includes('\t'));
    await context.close();
  });
});
