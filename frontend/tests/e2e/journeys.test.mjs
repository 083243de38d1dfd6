// The three journeys of the consultation by keyboard alone (page.keyboard
// only: no clicks, no focusing by script), each at a 320 px wide window and
// at 200 % zoom: a 1280 × 900 window zoomed to 200 % is a 640 × 450 CSS px
// viewport drawn with two device pixels per CSS pixel (deviceScaleFactor 2),
// which is what Chromium's page zoom gives the layout. After every key that
// moves or acts, focus must not be on <body> and nothing may scroll
// sideways (scrollWidth ≤ innerWidth).
//  1. Co-editing: a Themenpate signs in, tabs to a section, writes in the
//     editor; a second Themenpate sees the text live, and the first sees the
//     second's.
//  2. Comment and propose: a Land participant selects a passage with the
//     keyboard, opens the form with Alt+Umschalt+K and proposes a change.
//  3. Moderate and report: the participant reports a comment, the moderator
//     hides it in the moderation queue and finds it marked in the Bericht.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, axe, editorText, newPage, pageApi, screenshot, sectionId, useServer } from './harness.mjs';

const env = useServer();

const SIZES = [
  { name: '320px', viewport: { width: 320, height: 640 }, deviceScaleFactor: 1 },
  { name: 'zoom200', viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 },
];

/** Fails if focus is on <body> or the page scrolls sideways; what names the step. */
async function sound(page, what) {
  const s = await page.evaluate(() => ({
    body: document.activeElement === document.body || document.activeElement === null,
    scroll: document.documentElement.scrollWidth,
    inner: innerWidth,
    focused: document.activeElement?.outerHTML.slice(0, 100),
  }));
  assert.equal(s.body, false, `${what}: focus fell to <body>`);
  assert.ok(s.scroll <= s.inner, `${what}: the page scrolls sideways (${s.scroll} > ${s.inner}) with focus on ${s.focused}`);
}

/**
 * Fails if the editor's own scroller scrolls sideways (the text wraps, so
 * only something sticking out, such as a caret label, could make it),
 * naming what sticks out.
 */
async function editorFits(page, what) {
  // Labels are placed in the animation frame after an update: wait for it.
  const fits = () => {
    const sc = document.querySelector('#section-editor .cm-scroller');
    return sc.scrollWidth <= sc.clientWidth;
  };
  if (await page.waitForFunction(fits, null, { timeout: 5_000 }).then(() => true, () => false)) return;
  const r = await page.evaluate(() => {
    const sc = document.querySelector('#section-editor .cm-scroller');
    const right = sc.getBoundingClientRect().right;
    const out = [...sc.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > right + 1).map((e) => e.className || e.tagName);
    return { scroll: sc.scrollWidth, client: sc.clientWidth, out: [...new Set(out)].slice(0, 5) };
  });
  assert.fail(`${what}: the editor scrolls sideways (${r.scroll} > ${r.client}); sticking out: ${r.out.join(', ')}`);
}

/** Presses a key and checks the page afterwards. */
async function key(page, k, what) {
  await page.keyboard.press(k);
  await sound(page, `${what} (${k})`);
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches selector,
 * checking the page after every press; fails after max presses.
 */
async function tabTo(page, selector, what, { back = false, max = 250 } = {}) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => !!document.activeElement?.matches(sel), selector)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (i > 0) await sound(page, `${what}: tabbing`);
  }
  assert.fail(`${what}: ${selector} not reached by ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses`);
}

/** Waits until the focused element matches selector, then checks the page. */
async function focusedOn(page, selector, what) {
  try {
    await page.waitForFunction((sel) => document.activeElement?.matches(sel), selector, { timeout: 15_000 });
  } catch {
    const now = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing');
    assert.fail(`after ${what} focus should be on ${selector}, is on ${now}`);
  }
  await sound(page, what);
}

/** Signs in with the keyboard alone and waits for the overview's heading to take focus. */
async function keyboardLogin(page, email) {
  await page.goto(`${env.server.base}/anmelden`);
  await page.locator('#login-email').waitFor();
  await tabTo(page, '#login-email', 'sign-in');
  await page.keyboard.type(email);
  await key(page, 'Tab', 'to the password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/strategien\/\d+$/);
  await focusedOn(page, 'main h1', 'signing in');
}

/** Opens a section from the overview by Tab and Enter; focus goes to its heading, the editor is ready. */
async function openSection(page, id, title) {
  await tabTo(page, `main a[href="/abschnitte/${id}"]`, `link to ${title}`);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/abschnitte/${id}$`));
  await focusedOn(page, 'main h1', `opening ${title}`);
  await page.locator('main h1', { hasText: title }).waitFor();
  await page.getByTestId('save-state').filter({ hasText: 'Alle Änderungen gespeichert' }).waitFor({ timeout: 20_000 });
}

/** Waits for the editor to say that everything is saved, then checks the page. */
async function saved(page, what) {
  await page.getByTestId('save-state').filter({ hasText: 'Alle Änderungen gespeichert' }).waitFor({ timeout: 20_000 });
  await sound(page, what);
}

async function open(size, email) {
  const p = await newPage(env.browser, env.server.base, { viewport: size.viewport, deviceScaleFactor: size.deviceScaleFactor });
  await keyboardLogin(p.page, email);
  return p;
}

for (const size of SIZES) {
  describe(`journeys by keyboard alone at ${size.name}`, { timeout: 300_000 }, () => {
    test('co-editing a section', async () => {
      const a = await open(size, 'pate1@hh.example');
      const b = await open(size, 'pate2@hh.example');
      const title = 'Zielbild: Datennutzung';
      const id = await sectionId(a.page, env.server.base, title);
      await openSection(a.page, id, title);
      await openSection(b.page, id, title);

      const mine = ` Ergänzt von Pate eins (${size.name}).`;
      await tabTo(a.page, '#section-editor .cm-content', 'into the editor');
      await key(a.page, 'Control+End', 'to the end of the text');
      await a.page.keyboard.type(mine);
      await saved(a.page, 'typing');
      await b.page.waitForFunction((s) => document.querySelector('#section-editor .cm-content')?.textContent.includes(s), mine.trim());

      const theirs = ` Und von Pate zwei (${size.name}).`;
      await tabTo(b.page, '#section-editor .cm-content', 'into the editor (second)');
      await key(b.page, 'Control+End', 'to the end of the text (second)');
      await b.page.keyboard.type(theirs);
      await saved(b.page, 'typing (second)');
      await a.page.waitForFunction((s) => document.querySelector('#section-editor .cm-content')?.textContent.includes(s), theirs.trim());
      assert.ok((await editorText(a.page)).endsWith(mine + theirs), 'both edits in order');
      await editorFits(a.page, 'with the other caret at the end of the text');

      // Bold by shortcut on a keyboard selection, then out of the editor by Tab.
      await key(a.page, 'Control+End', 'to the end');
      await key(a.page, 'Control+Shift+ArrowLeft', 'selecting a word');
      await key(a.page, 'Control+b', 'bold');
      await saved(a.page, 'formatting');
      assert.match(await editorText(a.page), /\*\*[^*]+\*\*\.?$/);
      await key(a.page, 'Tab', 'leaving the editor');
      assert.equal(await a.page.evaluate(() => !!document.activeElement?.closest('#section-editor .cm-content')), false, 'Tab leaves the editor');
      await editorFits(a.page, 'after leaving the editor');
      assert.deepEqual(await axe(a.page), [], 'editor page');
      await screenshot(a.page, `journey-coedit-${size.name}`);
      await a.context.close();
      await b.context.close();
    });

    test('commenting on a keyboard selection and proposing a change', async () => {
      const { context, page } = await open(size, 'beteiligung@by.example');
      const title = 'Zielbild: Datennutzung';
      const id = await sectionId(page, env.server.base, title);
      await openSection(page, id, title);

      // A comment on the first word.
      await tabTo(page, '#section-editor .cm-content', 'into the editor');
      await key(page, 'Control+Home', 'to the start');
      await key(page, 'Control+Shift+ArrowRight', 'selecting a word');
      await page.keyboard.press('Alt+Shift+K');
      await focusedOn(page, '#thread-kind', 'opening the form by shortcut');
      await key(page, 'Tab', 'to the text');
      await page.keyboard.type(`Bitte erläutern (${size.name}).`);
      await tabTo(page, 'form.thread-form button[type=submit]', 'to the submit button');
      await page.keyboard.press('Enter');
      await focusedOn(page, 'article.thread.selected .thread-title', 'publishing the comment');
      const commentThread = await page.evaluate(() => Number(document.activeElement.closest('article').dataset.thread));

      // A proposal on the next two words: back into the editor by Shift+Tab.
      await tabTo(page, '#section-editor .cm-content', 'back into the editor', { back: true });
      await key(page, 'Control+Home', 'to the start');
      await key(page, 'Control+ArrowRight', 'past the first word');
      await key(page, 'Control+Shift+ArrowRight', 'selecting');
      await key(page, 'Control+Shift+ArrowRight', 'selecting more');
      await page.keyboard.press('Alt+Shift+K');
      await focusedOn(page, '#thread-kind', 'opening the form again');
      // The kind list: Kommentar, Frage, Änderungsvorschlag.
      await key(page, 'ArrowDown', 'choosing the kind');
      await key(page, 'ArrowDown', 'choosing the kind');
      assert.equal(await page.locator('#thread-kind').inputValue(), 'aenderungsvorschlag');
      await key(page, 'Tab', 'to the reason');
      await page.keyboard.type('Klarer formuliert.');
      await tabTo(page, '#thread-replacement', 'to the replacement');
      await key(page, 'Control+a', 'selecting the replacement');
      await page.keyboard.type('neuer Wortlaut');
      await tabTo(page, 'form.thread-form button[type=submit]', 'to the submit button');
      await page.keyboard.press('Enter');
      await focusedOn(page, 'article.thread.selected .thread-title', 'publishing the proposal');
      const proposal = page.locator('article.thread.selected');
      assert.notEqual(Number(await proposal.getAttribute('data-thread')), commentThread);
      assert.match(await proposal.textContent(), /Änderungsvorschlag/);
      assert.match(await proposal.locator('blockquote.replacement').textContent(), /neuer Wortlaut/);
      assert.deepEqual(await axe(page), [], 'editor page with the proposal');
      await screenshot(page, `journey-propose-${size.name}`);
      await context.close();
    });

    test('reporting a comment, moderating it and finding it in the Bericht', async () => {
      // The participant starts a discussion and a Themenpate answers (set-up by API).
      const land = await open(size, 'beteiligung@by.example');
      const title = 'Zielbild: Datennutzung';
      const id = await sectionId(land.page, env.server.base, title);
      const api = pageApi;
      const sec = (await api(land.page, 'GET', `/api/sections/${id}`)).json;
      const th = await api(land.page, 'POST', `/api/sections/${id}/threads`, { kind: 'frage', start: 0, end: 3, version: sec.version, body: `Frage (${size.name})` });
      assert.equal(th.status, 201);
      const pate = await newPage(env.browser, env.server.base);
      await pate.page.goto(`${env.server.base}/anmelden`);
      await pate.page.getByLabel('E-Mail-Adresse').fill('pate1@hh.example');
      await pate.page.getByLabel('Passwort').fill(PASSWORD);
      await pate.page.getByRole('button', { name: 'Anmelden' }).click();
      await pate.page.waitForURL(/\/strategien\/\d+$/);
      const answer = await api(pate.page, 'POST', `/api/threads/${th.json.id}/comments`, { body: `Unsachliche Antwort (${size.name}).` });
      assert.equal(answer.status, 201);

      // The participant reports the answer by keyboard.
      await openSection(land.page, id, title);
      const article = `article[data-thread="${th.json.id}"]`;
      await land.page.locator(`${article} .thread-title`).waitFor();
      await tabTo(land.page, `${article} .thread-title`, 'to the thread');
      await key(land.page, 'Enter', 'selecting the thread');
      await land.page.locator(`${article}.selected`).waitFor();
      await tabTo(land.page, `${article} li.comment:last-child .comment-actions button`, "to the report button");
      assert.equal((await land.page.evaluate(() => document.activeElement.textContent)).trim(), 'Melden');
      await land.page.keyboard.press('Enter');
      await focusedOn(land.page, `#reason-${th.json.id}`, 'opening the report form');
      await land.page.keyboard.type('unsachlich');
      await land.page.keyboard.press('Enter');
      await focusedOn(land.page, `#thread-${th.json.id}-done`, 'reporting');

      // The moderator hides the reported comment.
      const mod = await open(size, 'moderation@fitko.example');
      await tabTo(mod.page, 'header a[href="/moderation"]', 'to Moderation', { back: true });
      await mod.page.keyboard.press('Enter');
      await focusedOn(mod.page, 'main h1', 'opening Moderation');
      const report = mod.page.locator('li.report-item', { hasText: `Unsachliche Antwort (${size.name})` });
      await report.waitFor();
      const reportId = await report.getAttribute('id');
      // The item's first button is Ausblenden, the second Meldung verwerfen.
      await tabTo(mod.page, `#${reportId} .buttons button:first-child`, 'to Ausblenden');
      assert.equal((await mod.page.evaluate(() => document.activeElement.textContent)).trim(), 'Ausblenden');
      await mod.page.keyboard.press('Enter');
      await focusedOn(mod.page, 'input[id^="report-reason-"]', 'opening the hide form');
      await mod.page.keyboard.type('unsachlich');
      await mod.page.keyboard.press('Enter');
      await focusedOn(mod.page, '#mod-report-done', 'hiding the comment');
      assert.deepEqual(await axe(mod.page), [], 'moderation page');
      await screenshot(mod.page, `journey-moderate-${size.name}`);

      // The Bericht marks it.
      await tabTo(mod.page, 'header a[href="/bericht"]', 'to the Bericht', { back: true });
      await mod.page.keyboard.press('Enter');
      await focusedOn(mod.page, 'main h1', 'opening the Bericht');
      const entry = mod.page.locator(`li[data-thread="${th.json.id}"]`);
      await entry.waitFor();
      assert.match(await entry.locator('.comment-hidden .badge-hidden').textContent(), /Ausgeblendet: unsachlich/);
      await tabTo(mod.page, 'main a[href$="/report/xlsx"]', 'to the XLSX download');
      await sound(mod.page, 'on the Bericht');
      assert.deepEqual(await axe(mod.page), [], 'report page');
      await screenshot(mod.page, `journey-report-${size.name}`);
      await land.context.close();
      await pate.context.close();
      await mod.context.close();
    });
  });
}
