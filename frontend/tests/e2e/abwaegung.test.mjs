// Browser test of the Auswertung on the demo data: Bayern proposes a change,
// Hessen co-signs it in the sidebar and Bayern sees that live; after the
// round the Themenpatin of Datennutzung (HH) assesses the proposal inline on
// the Abwägungstabelle, by keyboard; Bayern does not see the draft; the
// moderator renames a category and publishes, and Bayern sees the
// assessment of its proposal in the table and in the sidebar and downloads
// the table. Every state of the page is axe-clean and focus never falls to
// <body>.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, pageApi, screenshot, sectionId, useServer } from './harness.mjs';

const env = useServer();

const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

describe('Abwägung', { timeout: 240_000 }, () => {
  test('Themenpatin assesses, moderation publishes, Bayern sees it and downloads the table', async () => {
    const base = env.server.base;
    const by = await newPage(env.browser, base);
    await login(by.page, base, 'beteiligung@by.example');
    const secId = await sectionId(by.page, base, 'Zielbild: Datennutzung');
    const sec = await (await by.page.request.get(`${base}/api/sections/${secId}`)).json();
    const created = await pageApi(by.page, 'POST', `/api/sections/${secId}/threads`, {
      kind: 'aenderungsvorschlag', start: 4, end: 14, version: sec.version,
      body: 'Verbindlicher formulieren.', replacement: 'Verwaltung von Bund und Ländern',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const proposal = created.json;
    await by.page.goto(`${base}/abschnitte/${secId}`);
    const byThread = by.page.locator(`article[data-thread="${proposal.id}"]`);
    await byThread.waitFor();

    // Bayern cannot co-sign its own proposal; Hessen can, with one click.
    const own = await pageApi(by.page, 'POST', `/api/threads/${proposal.id}/cosign`);
    assert.equal(own.status, 403);
    assert.equal(own.json.reason, 'own_contribution');
    assert.match(own.json.detail, /eigenen Organisation/);
    const he = await newPage(env.browser, base);
    await login(he.page, base, 'beteiligung@he.example');
    await he.page.goto(`${base}/abschnitte/${secId}`);
    const heThread = he.page.locator(`article[data-thread="${proposal.id}"]`);
    await heThread.locator('.thread-title').click();
    await heThread.getByRole('button', { name: 'Mitzeichnen' }).click();
    await heThread.getByRole('button', { name: 'Mitzeichnung zurückziehen' }).waitFor();
    assert.notEqual(await focused(he.page), 'BODY', 'focus stays in the thread');
    // Bayern sees it without reloading.
    await byThread.locator('.cosigners', { hasText: 'Mitgezeichnet von 1 Organisation: HE' }).waitFor();

    // The round ends: the moderation starts the Auswertung.
    const mod = await newPage(env.browser, base);
    await login(mod.page, base, 'moderation@fitko.example');
    const phase = await pageApi(mod.page, 'POST', '/api/strategies/1/phases', { kind: 'auswertung', title: 'Auswertung' });
    assert.equal(phase.status, 201, JSON.stringify(phase.json));

    // The Themenpatin assesses Bayern's proposal, by keyboard.
    const hh = await newPage(env.browser, base);
    await login(hh.page, base, 'pate1@hh.example');
    await hh.page.goto(`${base}/strategien/1/abwaegung`);
    await hh.page.getByRole('heading', { level: 1, name: 'Abwägungstabelle' }).waitFor();
    const row = hh.page.locator(`tr[data-row="t${proposal.id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), /HE/, 'the co-signer is listed');
    assert.deepEqual(await axe(hh.page), [], 'table of the Themenpatin');
    const assess = row.locator('button[id^="abw-assess-"]');
    const assessId = await assess.evaluate((b) => b.id);
    await assess.focus();
    await hh.page.keyboard.press('Enter');
    await hh.page.waitForFunction(() => document.activeElement?.tagName === 'LEGEND');
    await hh.page.keyboard.press('Tab');
    await hh.page.keyboard.press('ArrowDown'); // teilweise berücksichtigt
    await hh.page.keyboard.press('Tab');
    await hh.page.keyboard.type('Die Ebenen werden genannt, die Formulierung bleibt offen.');
    assert.deepEqual(await axe(hh.page), [], 'the inline form');
    await hh.page.getByRole('button', { name: 'Bewertung speichern' }).click();
    await hh.page.locator('#announcer', { hasText: 'gespeichert' }).waitFor();
    await hh.page.waitForFunction((id) => document.activeElement?.id === id, assessId);
    assert.match(await row.textContent(), /teilweise berücksichtigt/);
    await screenshot(hh.page, 'abwaegung-pate');

    // Before publication Bayern does not see the draft.
    await by.page.goto(`${base}/strategien/1/abwaegung`);
    const byRow = by.page.locator(`tr[data-row="t${proposal.id}"]`);
    await byRow.waitFor();
    assert.match(await byRow.textContent(), /noch nicht veröffentlicht/);
    assert.doesNotMatch(await byRow.textContent(), /Formulierung bleibt offen/);
    const draftSeen = await pageApi(by.page, 'GET', `/api/threads/${proposal.id}`);
    assert.equal(draftSeen.json.assessment, undefined, 'no draft in the thread of Bayern');

    // The moderator renames a category; the table uses the new label.
    await mod.page.goto(`${base}/strategien/1/abwaegung`);
    const modRow = mod.page.locator(`tr[data-row="t${proposal.id}"]`);
    await modRow.waitFor();
    await mod.page.locator('#abw-label-teilweise_beruecksichtigt').fill('teilweise übernommen');
    await mod.page.getByRole('button', { name: 'Bezeichnungen speichern' }).click();
    await mod.page.waitForFunction(() => document.activeElement?.id === 'abw-labels-status');
    await mod.page.locator('#abw-labels-status', { hasText: 'gespeichert' }).waitFor();
    assert.match(await modRow.textContent(), /teilweise übernommen/);
    assert.deepEqual(await axe(mod.page), [], 'the labels form');

    // The moderator publishes.
    const publish = mod.page.getByRole('button', { name: 'Abwägung veröffentlichen' });
    await publish.focus();
    await mod.page.keyboard.press('Enter');
    await mod.page.locator('#abw-status', { hasText: 'Veröffentlicht am' }).waitFor();
    await mod.page.waitForFunction(() => document.activeElement?.id === 'abw-status');
    assert.deepEqual(await axe(mod.page), [], 'table after publication');

    // Bayern is notified, sees the assessment and downloads the table.
    const notes = await (await by.page.request.get(`${base}/api/notifications`)).json();
    assert.ok(notes.some((n) => n.kind === 'abwaegung'), 'Bayern was told of the publication');
    // The sidebar of the section shows the published assessment on the thread.
    await by.page.goto(`${base}/abschnitte/${secId}`);
    await byThread.locator('.thread-title').click();
    const inSidebar = byThread.locator('.assessment', { hasText: 'Abwägung: teilweise übernommen.' });
    await inSidebar.waitFor();
    assert.match(await inSidebar.textContent(), /Formulierung bleibt offen/);
    assert.deepEqual(await axe(by.page), [], 'the sidebar with the assessment');
    await by.page.goto(`${base}/strategien/1/abwaegung`);
    await byRow.waitFor();
    assert.match(await byRow.textContent(), /teilweise übernommen/);
    assert.match(await byRow.textContent(), /Formulierung bleibt offen/);
    assert.equal(await byRow.locator('button[id^="abw-assess-"]').count(), 0, 'Bayern does not assess');
    await by.page.selectOption('#abw-f-org', 'BY');
    await by.page.selectOption('#abw-f-cat', 'teilweise_beruecksichtigt');
    await by.page.getByRole('button', { name: 'Filtern', exact: true }).click();
    await by.page.locator('#abw-rows-h', { hasText: /\d+ Beitr/ }).waitFor();
    assert.equal(await by.page.locator('tbody tr').count(), 1, 'the filter leaves Bayern\'s assessed proposal');
    assert.deepEqual(await axe(by.page), [], 'table of Bayern');
    const [download] = await Promise.all([by.page.waitForEvent('download'), by.page.getByRole('link', { name: 'Excel-Datei (XLSX)' }).click()]);
    assert.match(download.suggestedFilename(), /^abwaegung-strategie-1-.*\.xlsx$/);
    const file = await download.createReadStream();
    const chunks = [];
    for await (const c of file) chunks.push(c);
    const bytes = Buffer.concat(chunks);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) file');
    const odt = await by.page.request.get(`${base}/api/strategies/1/abwaegung/document?format=odt&org=BY`);
    assert.equal(odt.status(), 200);
    assert.equal(odt.headers()['content-type'], 'application/vnd.oasis.opendocument.text');
    await screenshot(by.page, 'abwaegung-land');

    // 320 px: the page reflows; only the table scrolls inside its region.
    await by.page.setViewportSize({ width: 320, height: 800 });
    const overflow = await by.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px at 320 px`);
    assert.deepEqual(await axe(by.page), [], 'table of Bayern at 320 px');

    for (const p of [by, he, mod, hh]) await p.context.close();
  });
});
