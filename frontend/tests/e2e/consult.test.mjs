// Browser tests of the consultation: a Land user starts a change proposal on
// a passage selected by keyboard, the Themenpate sees it appear live and
// accepts it, a third user's editor shows the change, the moderator
// resolves another thread and finds both in the report; the new pages pass
// axe-core and stay within the CSP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, editorText, login, newPage, screenshot, sectionId, typeStatement, useServer, waitSaved } from './harness.mjs';

const SECTION_TITLE = 'Zielbild: Datennutzung';
const env = useServer();

async function until(fn, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A new page that also records script errors (failed requests are expected: 403, 409). */
async function open() {
  const p = await newPage(env.browser, env.server.base);
  p.page.errors = [];
  p.page.on('pageerror', (e) => p.page.errors.push(String(e)));
  p.page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) p.page.errors.push(m.text());
  });
  return p;
}

/** Waits for the page's status notice (the live region repeats it). */
async function notice(page, text) {
  await page.locator('p.notice').filter({ hasText: text }).waitFor();
}

function clean(page) {
  assert.deepEqual(page.errors, [], 'no script errors');
  assert.deepEqual(page.violations, [], 'no CSP violations');
  assert.deepEqual(page.foreign, [], 'no requests to other hosts');
}

describe('consultation', { timeout: 400_000 }, () => {
  test('proposal by keyboard, live in the Themenpate’s sidebar, accepted into a third editor; moderator resolves; report lists it', async () => {
    const land = await open();
    const pate = await open();
    const third = await open();
    await login(land.page, env.server.base, 'beteiligung@by.example');
    await login(pate.page, env.server.base, 'pate1@hh.example');
    await login(third.page, env.server.base, 'lesen@fitko.example');
    const id = await sectionId(land.page, env.server.base, SECTION_TITLE);
    const url = `${env.server.base}/abschnitte/${id}`;
    await Promise.all([land.page.goto(url), pate.page.goto(url), third.page.goto(url)]);
    await Promise.all([waitSaved(land.page), waitSaved(pate.page), waitSaved(third.page)]);
    const sidebar = (p) => p.locator('#threads');
    await sidebar(pate.page).getByText('Zu diesem Abschnitt gibt es noch keine Diskussionen.').waitFor();

    // The Land user selects the first words by keyboard and presses Alt+Shift+K.
    await land.page.locator('#section-editor .cm-content').focus();
    await land.page.keyboard.press('Control+Home');
    for (let i = 0; i < 2; i++) await land.page.keyboard.press('Control+Shift+ArrowRight');
    await land.page.keyboard.press('Alt+Shift+K');
    const form = land.page.locator('form.thread-form');
    await form.waitFor();
    const quote = (await form.locator('blockquote').textContent()).trim();
    assert.equal(quote, 'Die Verwaltung');
    assert.equal(await land.page.evaluate(() => document.activeElement?.id), 'thread-kind', 'focus moves into the form');
    await land.page.keyboard.press('End'); // last kind is Einwand …
    await land.page.getByLabel('Art des Beitrags').selectOption('aenderungsvorschlag');
    await land.page.getByLabel('Ihr Beitrag (Markdown)').fill('Bitte **präziser**: gemeint ist die öffentliche Verwaltung. <img src=x onerror=alert(1)>');
    const replacement = land.page.getByLabel('Vorgeschlagener Text');
    assert.equal(await replacement.inputValue(), 'Die Verwaltung', 'prefilled with the selection');
    await replacement.fill('Die öffentliche Verwaltung');
    await land.page.getByRole('button', { name: 'Beitrag veröffentlichen' }).click();
    const own = sidebar(land.page).locator('article.thread');
    await own.first().waitFor();
    assert.match(await own.first().textContent(), /Änderungsvorschlag · Offen/);
    // The comment arrives as the server's sanitised HTML: bold kept, script handler gone.
    assert.equal(await own.first().locator('.markdown strong').textContent(), 'präziser');
    assert.equal(await own.first().locator('.markdown img[onerror]').count(), 0);
    // The passage is highlighted in the editor.
    await land.page.locator('#section-editor .cm-thread').first().waitFor();
    assert.deepEqual(await axe(land.page), [], 'sidebar with an open thread is accessible');
    await screenshot(land.page, 'consult-sidebar');

    // The Themenpate sees it without reloading.
    const pateThread = sidebar(pate.page).locator('article.thread').first();
    await pateThread.waitFor({ timeout: 12_000 });
    await pate.page.locator('#section-editor .cm-thread').first().waitFor();
    await pateThread.getByRole('button', { name: /Änderungsvorschlag · Offen/ }).click();
    await pateThread.getByRole('button', { name: 'Übernehmen' }).click();
    await pateThread.getByText('Änderungsvorschlag · Übernommen').waitFor();
    // … and reports the proposer's comment to the moderation.
    await pateThread.getByRole('button', { name: 'Melden' }).click();
    await pateThread.getByLabel(/Begründung/).fill('Enthält HTML-Code.');
    await pateThread.getByRole('button', { name: 'Bestätigen' }).click();
    await pateThread.locator('.reason-form').waitFor({ state: 'detached' });
    assert.equal(await pateThread.locator('.error').count(), 0);

    // The third user's editor shows the accepted text live.
    await until(async () => (await editorText(third.page)).startsWith('Die öffentliche Verwaltung'), 'the accepted text in the third editor');
    await until(async () => (await editorText(land.page)).startsWith('Die öffentliche Verwaltung'), 'the accepted text in the proposer’s editor');
    // … and the proposer hears about the decision through the polite live region.
    await until(async () => /Änderungsvorschlag ist jetzt: Übernommen/.test(await land.page.locator('#announcer').textContent()), 'the announcement');
    assert.equal(await land.page.locator('#announcer').getAttribute('aria-live'), 'polite');
    // The reader sees threads but no moderation buttons and cannot start one.
    const readerThread = sidebar(third.page).locator('article.thread').first();
    await readerThread.waitFor();
    assert.equal(await sidebar(third.page).getByRole('button', { name: 'Diskussion zur Markierung beginnen' }).count(), 0);
    await readerThread.getByRole('button', { name: /Änderungsvorschlag/ }).click();
    assert.equal(await readerThread.getByRole('button', { name: 'Als erledigt markieren' }).count(), 0);

    // A second thread (a question) from the Land user, by the button this time.
    await land.page.locator('#section-editor .cm-content').focus();
    await land.page.keyboard.press('Control+End');
    for (let i = 0; i < 3; i++) await land.page.keyboard.press('Control+Shift+ArrowLeft');
    await land.page.getByRole('button', { name: 'Diskussion zur Markierung beginnen' }).click();
    await land.page.getByLabel('Art des Beitrags').selectOption('frage');
    await land.page.getByLabel('Ihr Beitrag (Markdown)').fill('Wer ist zuständig?');
    await land.page.getByRole('button', { name: 'Beitrag veröffentlichen' }).click();
    await sidebar(land.page).getByText('Frage · Offen').waitFor();
    // The author corrects the question; it shows as edited.
    const question = sidebar(land.page).locator('article.thread', { hasText: 'Frage · Offen' });
    await question.getByRole('button', { name: 'Bearbeiten' }).click();
    await question.getByLabel('Beitrag ändern (Markdown)').fill('Wer ist hier zuständig?');
    await question.getByRole('button', { name: 'Speichern' }).click();
    await question.getByText('bearbeitet').waitFor();
    clean(land.page);
    clean(pate.page);
    clean(third.page);
    await Promise.all([land.context.close(), pate.context.close(), third.context.close()]);

    // The moderator resolves the question in the sidebar.
    const mod = await open();
    await login(mod.page, env.server.base, 'moderation@fitko.example');
    await mod.page.goto(url);
    await waitSaved(mod.page);
    const q = sidebar(mod.page).locator('article.thread', { hasText: 'Wer ist hier zuständig?' });
    await q.waitFor();
    await q.getByRole('button', { name: /Frage · Offen/ }).click();
    await q.getByRole('button', { name: 'Als erledigt markieren' }).click();
    await q.getByLabel(/Notiz/).fill('Zuständig ist das Land.');
    await q.getByRole('button', { name: 'Bestätigen' }).click();
    await q.getByText('Frage · Erledigt').waitFor();

    // Dashboard: navigation link, filters, accessible, reflows at 320 px.
    await mod.page.getByRole('link', { name: 'Moderation' }).click();
    await mod.page.getByRole('heading', { level: 1, name: 'Moderation' }).waitFor();
    await mod.page.getByRole('heading', { name: 'Gemeldete Beiträge' }).waitFor();
    await mod.page.getByLabel('Status').selectOption('');
    await mod.page.getByLabel('Art').selectOption('frage');
    await mod.page.getByRole('button', { name: 'Filter anwenden' }).click();
    await until(async () => (await mod.page.locator('tbody tr[data-thread]').count()) === 1, 'one question in the dashboard');
    // The reported comment is in the queue with its text; hide it with a reason.
    const item = mod.page.locator('li.report-item', { hasText: 'Enthält HTML-Code.' });
    await item.locator('.markdown strong', { hasText: 'präziser' }).waitFor();
    await item.getByRole('button', { name: 'Ausblenden' }).click();
    await item.getByLabel(/Begründung/).fill('Bitte sachlich bleiben.');
    await item.getByRole('button', { name: 'Bestätigen' }).click();
    // Hiding settles the report: it leaves the queue, and the comment is hidden.
    await item.waitFor({ state: 'detached' });
    await mod.page.getByText('Keine offenen Meldungen.').waitFor();
    const proposalRow = mod.page.locator('li.report-item');
    assert.equal(await proposalRow.count(), 0);
    assert.deepEqual(await axe(mod.page), []);
    await screenshot(mod.page, 'consult-moderation');
    await mod.page.setViewportSize({ width: 320, height: 800 });
    const overflow = await mod.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `horizontal overflow of ${overflow}px at 320px`);
    await mod.page.setViewportSize({ width: 1280, height: 900 });

    // Report: both threads with their status, downloads work.
    await mod.page.getByRole('link', { name: 'Bericht' }).click();
    await mod.page.getByRole('heading', { level: 1, name: 'Bericht zur Beteiligung' }).waitFor();
    const threads = mod.page.locator('.report-threads li');
    await threads.first().waitFor();
    const reportText = await mod.page.locator('main').textContent();
    assert.match(reportText, /Änderungsvorschlag · Übernommen/);
    assert.match(reportText, /Frage · Erledigt/);
    assert.match(reportText, /Zuständig ist das Land\./);
    await mod.page.locator('ins.syn', { hasText: 'öffentliche' }).first().waitFor();
    for (const [name, type] of [['Excel-Tabelle (XLSX)', /spreadsheet/], ['CSV für Excel: Diskussionen', /csv/], ['CSV für Excel: Übersicht', /csv/], ['Druckansicht (HTML)', /html/]]) {
      const href = await mod.page.getByRole('link', { name }).getAttribute('href');
      const r = await mod.page.request.get(env.server.base + href);
      assert.equal(r.status(), 200, name);
      assert.match(r.headers()['content-type'], type);
      if (/csv/.test(type)) {
        const body = await r.body();
        assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${name}: UTF-8 with BOM`);
        assert.match(body.toString('utf8').split('\r\n')[0], /;/, `${name}: semicolons`);
      }
    }
    assert.deepEqual(await axe(mod.page), []);
    await screenshot(mod.page, 'consult-report');
    clean(mod.page);
    await mod.context.close();
  });

  test('highlights move with edits; selecting a passage selects its thread; a changed passage asks to confirm', async () => {
    const land = await open();
    await login(land.page, env.server.base, 'beteiligung@by.example');
    const id = await sectionId(land.page, env.server.base, SECTION_TITLE);
    const sec = await (await land.page.request.get(`${env.server.base}/api/sections/${id}`)).json();
    const at = sec.text.indexOf('Zielzustand');
    assert.ok(at > 0);
    const start = [...sec.text.slice(0, at)].length;
    const r = await land.page.request.post(`${env.server.base}/api/sections/${id}/threads`, {
      headers: { Origin: env.server.base },
      data: { kind: 'aenderungsvorschlag', start, end: start + 11, version: sec.version, body: 'Besser: Zielbild.', replacement: 'Zielbild' },
    });
    assert.equal(r.status(), 201, await r.text());
    const { id: threadId } = await r.json();
    const at2 = [...sec.text.slice(0, sec.text.indexOf('auffindbar'))].length;
    const r2 = await land.page.request.post(`${env.server.base}/api/sections/${id}/threads`, {
      headers: { Origin: env.server.base },
      data: { kind: 'kommentar', start: at2, end: at2 + 10, version: sec.version, body: 'Wo genau?' },
    });
    assert.equal(r2.status(), 201, await r2.text());
    const { id: gone } = await r2.json();
    await land.context.close();

    const pate = await open();
    await login(pate.page, env.server.base, 'pate2@hh.example');
    await pate.page.goto(`${env.server.base}/abschnitte/${id}`);
    await waitSaved(pate.page);
    const mark = pate.page.locator(`#section-editor .cm-thread[data-thread="${threadId}"]`);
    await mark.waitFor();
    assert.equal(await mark.textContent(), 'Zielzustand');
    // Typing before the passage (and right at its start) moves the highlight with the words.
    await pate.page.locator('#section-editor .cm-content').focus();
    await pate.page.keyboard.press('Control+Home');
    await pate.page.keyboard.type('Vorab: ', { delay: 10 });
    await waitSaved(pate.page);
    assert.equal(await mark.textContent(), 'Zielzustand');
    // Clicking into the passage selects its thread in the sidebar.
    await mark.click();
    const item = pate.page.locator(`#threads article[data-thread="${threadId}"]`);
    await pate.page.locator(`#threads article.selected[data-thread="${threadId}"]`).waitFor();
    // Change the passage, then accept: the current text is shown for confirmation.
    await mark.click(); // the middle of the passage
    await pate.page.keyboard.type('Neu', { delay: 10 });
    await waitSaved(pate.page);
    assert.match(await mark.textContent(), /^Ziel\S*Neu\S*stand$/);
    await item.getByRole('button', { name: 'Übernehmen' }).click();
    const conflict = item.locator('.conflict');
    await conflict.waitFor();
    assert.match(await conflict.locator('blockquote').textContent(), /Neu/);
    await conflict.getByRole('button', { name: 'Trotzdem übernehmen' }).click();
    await item.getByText('Änderungsvorschlag · Übernommen').waitFor();
    await until(async () => (await editorText(pate.page)).includes('Im Zielbild sind Daten'), 'the replacement in the editor');
    // Deleting a whole passage marks its thread "Bezugstext entfernt".
    const goneMark = pate.page.locator(`#section-editor .cm-thread[data-thread="${gone}"]`);
    assert.equal(await goneMark.textContent(), 'auffindbar');
    await goneMark.dblclick();
    await pate.page.keyboard.press('Backspace');
    await goneMark.waitFor({ state: 'detached' });
    await pate.page.locator(`#threads article[data-thread="${gone}"]`).getByText('Bezugstext entfernt').waitFor();
    await waitSaved(pate.page);
    await until(async () => {
      const list = await (await pate.page.request.get(`${env.server.base}/api/sections/${id}/threads`)).json();
      return list.find((x) => x.id === gone)?.anchor.removed;
    }, 'the server marks the passage removed');
    assert.deepEqual(await axe(pate.page), []);
    // The editor page with its sidebar reflows at 320 px.
    await pate.page.setViewportSize({ width: 320, height: 800 });
    const overflow = await pate.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `horizontal overflow of ${overflow}px at 320px`);
    await screenshot(pate.page, 'consult-sidebar-320px');
    clean(pate.page);
    await pate.context.close();
  });

  test('statement: draft, submit with confirmation, frozen; bell counts; accessible', async () => {
    const { context, page } = await open();
    await login(page, env.server.base, 'beteiligung@by.example');
    await page.getByRole('link', { name: 'Stellungnahme' }).click();
    await page.getByRole('heading', { level: 1, name: 'Stellungnahme' }).waitFor();
    await page.getByRole('button', { name: 'Entwurf beginnen' }).click();
    await page.getByLabel('Text der Stellungnahme (Markdown)').waitFor();
    await page.getByLabel('Zustimmung mit Änderungen').check();
    await typeStatement(page, 'Bayern stimmt dem Zielbild **mit Änderungen** zu.');
    await page.getByRole('button', { name: 'Gesamtposition speichern' }).click();
    await notice(page, 'Gesamtposition gespeichert.');
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'consult-statement-draft');
    await page.getByRole('button', { name: 'Einreichen' }).click();
    const yes = page.getByRole('button', { name: 'Ja, einreichen' });
    await yes.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Ja, einreichen', 'focus on the confirmation');
    await yes.click();
    await page.getByRole('heading', { name: /Eingereicht am .* \(Fassung 1\)/ }).waitFor();
    assert.equal(await page.locator('.statement-frozen strong', { hasText: 'mit Änderungen' }).count(), 1);
    assert.equal(await page.getByLabel('Text der Stellungnahme (Markdown)').count(), 0, 'frozen: no editor');
    await page.getByRole('row', { name: /BY/ }).filter({ hasText: 'Zustimmung mit Änderungen' }).waitFor();
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'consult-statement-submitted');
    // A new version: it starts with the submitted text; rewritten and submitted again, both versions are listed, the first unchanged.
    await page.getByRole('button', { name: 'Neue Fassung beginnen' }).click();
    await page.getByLabel('Text der Stellungnahme (Markdown)').waitFor();
    await waitSaved(page);
    assert.equal(await editorText(page, '#st-body'), 'Bayern stimmt dem Zielbild **mit Änderungen** zu.');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('#st-body') !== null), true, 'focus in the new text');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Bayern stimmt zu.');
    await waitSaved(page);
    await page.getByLabel('Zustimmung', { exact: true }).check();
    await page.getByRole('button', { name: 'Einreichen' }).click();
    await page.getByRole('button', { name: 'Ja, einreichen' }).click();
    await page.getByRole('heading', { name: /Eingereicht am .* \(Fassung 2\)/ }).waitFor();
    const versions = page.locator('section[aria-labelledby="st-versions-h"] li');
    await until(async () => (await versions.count()) === 2, 'two submitted versions');
    assert.match(await versions.nth(0).textContent(), /Fassung 1\).*Zustimmung mit Änderungen/);
    // Reading a statement from the list.
    await page.getByRole('button', { name: 'BY', exact: true }).click();
    await page.getByRole('heading', { name: 'Stellungnahme BY, Fassung 2' }).waitFor();

    // The bell shows the proposer that the proposal was accepted.
    const bell = page.getByRole('button', { name: /Benachrichtigungen, \d+ ungelesen/ });
    const label = await bell.getAttribute('aria-expanded');
    assert.equal(label, 'false');
    await bell.click();
    await page.locator('#bell-panel li').first().waitFor();
    await page.getByRole('button', { name: 'Alle als gelesen markieren' }).click();
    await page.getByRole('button', { name: 'Benachrichtigungen, 0 ungelesen' }).waitFor();
    assert.deepEqual(await axe(page), []);
    // No moderation or report links for a Land user.
    assert.equal(await page.getByRole('link', { name: 'Moderation' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Bericht' }).count(), 0);
    clean(page);
    await context.close();
  });

  test('statement: members write the text together and see each other\'s saves live; a position saved on an older revision is refused and names who saved', async () => {
    const a = await open();
    const b = await open();
    const c = await open();
    for (const { page } of [a, b, c]) {
      await login(page, env.server.base, 'beteiligung@ni.example');
      await page.getByRole('link', { name: 'Stellungnahme' }).click();
      await page.getByRole('heading', { level: 1, name: 'Stellungnahme' }).waitFor();
    }
    // a begins the draft: the others' pages open it at once.
    await a.page.getByRole('button', { name: 'Entwurf beginnen' }).click();
    for (const { page } of [a, b, c]) {
      await page.getByLabel('Text der Stellungnahme (Markdown)').waitFor();
      await waitSaved(page);
    }
    await typeStatement(a.page, 'Niedersachsen: gemeinsam geschrieben.');
    for (const { page } of [b, c]) await until(async () => (await editorText(page, '#st-body')) === 'Niedersachsen: gemeinsam geschrieben.', 'the text to arrive');

    // b has chosen a position, c has not; a saves first.
    await b.page.getByLabel('Ablehnung').check();
    await a.page.getByLabel('Zustimmung', { exact: true }).check();
    await a.page.getByRole('button', { name: 'Gesamtposition speichern' }).click();
    await notice(a.page, 'Gesamtposition gespeichert.');
    // c had nothing unsaved: it shows the new position at once.
    await until(async () => await c.page.getByLabel('Zustimmung', { exact: true }).isChecked(), 'c to take the saved position');
    await notice(c.page, 'hat den Entwurf soeben gespeichert.');
    // b is told live, keeps its own choice, and is refused if it saves anyway.
    const choice = b.page.getByRole('group', { name: 'Gesamtposition wurde inzwischen geändert' });
    await choice.filter({ hasText: 'hat den Entwurf soeben gespeichert. Ihre Auswahl der Gesamtposition hier ist noch nicht gespeichert.' }).waitFor();
    assert.equal(await b.page.getByLabel('Ablehnung').isChecked(), true, 'own choice kept');
    await b.page.getByRole('button', { name: 'Gesamtposition speichern' }).click();
    await b.page.getByRole('alert').filter({ hasText: /hat die Stellungnahme am .* geändert/ }).waitFor();
    assert.equal(await choice.evaluate((el) => el === document.activeElement), true, 'focus on the choice');
    assert.equal(await b.page.getByLabel('Ablehnung').isChecked(), true, 'own choice still kept');
    assert.deepEqual(await axe(b.page), []);
    await screenshot(b.page, 'consult-statement-stale');
    await choice.getByRole('button', { name: /Gespeicherte Gesamtposition laden/ }).click();
    await notice(b.page, 'Aktueller Stand geladen.');
    assert.equal(await b.page.getByLabel('Zustimmung', { exact: true }).isChecked(), true);
    assert.equal(await editorText(b.page, '#st-body'), 'Niedersachsen: gemeinsam geschrieben.', 'the text is untouched');
    // a chooses again; b saves on the current revision; a keeps its own on purpose.
    await a.page.getByLabel('Enthaltung').check();
    await b.page.getByLabel('Ablehnung').check();
    await b.page.getByRole('button', { name: 'Gesamtposition speichern' }).click();
    await notice(b.page, 'Gesamtposition gespeichert.');
    const keep = a.page.getByRole('group', { name: 'Gesamtposition wurde inzwischen geändert' }).getByRole('button', { name: 'Meine Auswahl trotzdem speichern' });
    await keep.click();
    await notice(a.page, 'Gesamtposition gespeichert.');
    const org = await a.page.evaluate(async () => (await (await fetch('/api/me')).json()).org_id);
    const res = await a.page.request.get(`${env.server.base}/api/strategies/1/statements/${org}`);
    const stored = await res.json();
    assert.equal(stored.position, 'enthaltung');
    assert.equal(stored.body, 'Niedersachsen: gemeinsam geschrieben.');
    for (const p of [a, b, c]) {
      clean(p.page);
      await p.context.close();
    }
  });
});
