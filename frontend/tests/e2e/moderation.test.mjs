// Browser tests of moderation and account pages: a report names who made it
// and can be dismissed (logged, named in words in the Protokoll); a hidden
// comment is marked in the Bericht; "Meine Sitzungen" names browser and
// system and asks before ending the session one works in.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, screenshot, sectionId, useServer } from './harness.mjs';

const env = useServer();

/** Calls the API from inside the page (cookies and Origin as the app sends them). */
function api(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json' }, body: b ? JSON.stringify(b) : undefined });
      return { status: r.status, json: r.status === 204 ? null : await r.json() };
    },
    [method, path, body],
  );
}

describe('moderation', { timeout: 180_000 }, () => {
  test('reports name the reporter and can be dismissed; hidden comments are marked in the Bericht', async () => {
    const land = await newPage(env.browser, env.server.base);
    const pate = await newPage(env.browser, env.server.base);
    await login(land.page, env.server.base, 'beteiligung@by.example');
    await login(pate.page, env.server.base, 'pate1@hh.example');
    const id = await sectionId(land.page, env.server.base, 'Zielbild: Datennutzung');
    const sec = (await api(land.page, 'GET', `/api/sections/${id}`)).json;
    const th = await api(land.page, 'POST', `/api/sections/${id}/threads`, { kind: 'frage', start: 0, end: 3, version: sec.version, body: 'Was heißt das?' });
    assert.equal(th.status, 201);
    const a = await api(pate.page, 'POST', `/api/threads/${th.json.id}/comments`, { body: 'Das steht im Glossar, wie jeder wissen sollte.' });
    const b = await api(pate.page, 'POST', `/api/threads/${th.json.id}/comments`, { body: 'Nachtrag ohne Bezug.' });
    assert.equal((await api(land.page, 'POST', `/api/comments/${a.json.id}/reports`, { reason: 'herablassend' })).status, 201);
    assert.equal((await api(land.page, 'POST', `/api/comments/${b.json.id}/reports`, { reason: 'Spam' })).status, 201);
    const me = (await api(land.page, 'GET', '/api/me')).json;

    const { context, page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'moderation@fitko.example');
    await page.locator('header a[href="/moderation"]').click();
    const items = page.locator('li.report-item');
    await items.nth(1).waitFor();
    assert.match(await items.first().textContent(), new RegExp(`Gemeldet von ${me.name}`));

    // Dismiss the first by keyboard, with a note.
    await items.first().getByRole('button', { name: 'Meldung verwerfen' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id?.startsWith('report-reason-'));
    await page.keyboard.type('sachlich genug');
    await page.keyboard.press('Enter');
    await page.locator('#mod-report-done').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'mod-report-done');
    assert.equal(await items.count(), 1, 'the dismissed report left the queue');
    // Hide the second.
    await items.first().getByRole('button', { name: 'Ausblenden' }).click();
    await page.getByLabel(/Begründung/).fill('Werbung');
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await page.getByText('Keine offenen Meldungen.').waitFor();
    assert.deepEqual(await axe(page), [], 'moderation page');

    // The Bericht marks the hidden comment.
    await page.locator('header a[href="/bericht"]').click();
    const item = page.locator(`li[data-thread="${th.json.id}"]`);
    await item.waitFor();
    const hidden = item.locator('.comment-hidden');
    assert.equal(await hidden.count(), 1, 'one hidden comment marked');
    assert.match(await hidden.locator('.badge-hidden').textContent(), /Ausgeblendet: Werbung/);
    assert.deepEqual(await axe(page), [], 'report page');
    await screenshot(page, 'report-hidden-comment');

    // The Protokoll names the dismissal in words.
    await page.locator('header a[href="/protokoll"]').click();
    await page.getByLabel('Aktion').selectOption({ label: 'Meldung verworfen' });
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.locator('tbody tr[data-action="report_dismissed"]').first().waitFor();
    assert.match(await page.locator('tbody tr[data-action="report_dismissed"]').first().textContent(), /Meldung verworfen.*sachlich genug/s);
    await context.close();
    await land.context.close();
    await pate.context.close();
  });

  test('Meine Sitzungen names browser and system and asks before ending the own session', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'beteiligung@by.example');
    await page.locator('header a[href="/sitzungen"]').click();
    const row = page.locator('tbody tr', { hasText: 'Diese Sitzung' });
    await row.waitFor();
    assert.match(await row.locator('td').first().textContent(), /^\s*Chrom(e|ium) \d+ auf Linux/);
    assert.doesNotMatch(await page.locator('tbody').textContent(), /Mozilla|AppleWebKit/);

    await row.getByRole('button').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'sessions-confirm-yes');
    assert.deepEqual(await axe(page), [], 'sessions page with the question');
    await screenshot(page, 'sessions-confirm');
    await dialog.getByRole('button', { name: 'Abbrechen' }).click();
    assert.equal(await dialog.count(), 0);
    assert.equal((await page.request.get(`${env.server.base}/api/me`)).status(), 200, 'still signed in after cancelling');
    await page.waitForFunction(() => document.activeElement?.closest('tr')?.dataset.session !== undefined);

    await row.getByRole('button').click();
    await dialog.getByRole('button', { name: 'Ja, beenden und abmelden' }).click();
    await page.waitForURL(/\/anmelden/);
    assert.equal((await page.request.get(`${env.server.base}/api/me`)).status(), 401);
    await context.close();
  });
});
