// Browser tests that nothing typed is lost: the Stellungnahme (its live text
// on the server, its unsaved position in the tab) and a new discussion
// survive in-app navigation (after a warning), a reload, and a session ended
// on the server (login page → input back); signing out deletes the drafts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, axe, editorText, login, newPage, openStatement, pageApi, screenshot, sectionId, typeStatement, useServer, waitSaved } from './harness.mjs';

const env = useServer();

/** A page whose dialogs (leave warnings) are answered by answer() and recorded. */
async function open(email) {
  const p = await newPage(env.browser, env.server.base);
  p.page.dialogs = [];
  p.page.answer = true;
  p.page.on('dialog', (d) => {
    p.page.dialogs.push(d.type());
    return p.page.answer ? d.accept() : d.dismiss();
  });
  await login(p.page, env.server.base, email);
  return p;
}

const TEXT = 'Der Freistaat Bayern begrüßt die Strategie. Zu Z. 12: bitte Register nennen.';

describe('drafts', { timeout: 240_000 }, () => {
  test('Stellungnahme: the live text and an unsaved position survive in-app navigation, reload and an ended session', async () => {
    const { context, page } = await open('beteiligung@by.example');
    await openStatement(page);
    await typeStatement(page, TEXT);
    await page.locator('#pos-ablehnung').check();

    // Leaving by an in-app link asks (the position is not saved); staying keeps the page.
    page.answer = false;
    await page.locator('header a[href="/sitzungen"]').click();
    assert.deepEqual(page.dialogs, ['confirm']);
    assert.equal(new URL(page.url()).pathname, '/stellungnahme');
    // Leaving anyway keeps the position as a draft; the text is on the server.
    page.answer = true;
    await page.locator('header a[href="/sitzungen"]').click();
    await page.waitForURL(/\/sitzungen$/);
    await page.locator('header a[href="/stellungnahme"]').click();
    await page.locator('p.notice', { hasText: 'Entwurf wurde wiederhergestellt' }).waitFor();
    await waitSaved(page);
    assert.equal(await editorText(page, '#st-body'), TEXT);
    assert.equal(await page.locator('#pos-ablehnung').isChecked(), true);
    assert.equal(
      await page.evaluate(() => {
        const e = new Event('beforeunload', { cancelable: true });
        dispatchEvent(e);
        return e.defaultPrevented;
      }),
      true,
      'closing the tab or reloading warns',
    );

    // A reload restores it too.
    await page.reload();
    await page.locator('p.notice', { hasText: 'Entwurf wurde wiederhergestellt' }).waitFor();
    await waitSaved(page);
    assert.equal(await editorText(page, '#st-body'), TEXT);

    // The session ends on the server (ended from another device).
    const other = await open('beteiligung@by.example');
    const sessions = await (await other.page.request.get(`${env.server.base}/api/me/sessions`)).json();
    const mine = sessions.filter((s) => !s.current);
    assert.ok(mine.length >= 1);
    for (const s of mine) {
      const r = await other.page.evaluate((id) => fetch(`/api/me/sessions/${id}`, { method: 'DELETE' }).then((x) => x.status), s.id);
      assert.equal(r, 204);
    }
    await page.waitForURL(/\/anmelden\?zurueck=/, { timeout: 45_000 });
    await page.getByLabel('E-Mail-Adresse').fill('beteiligung@by.example');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(/\/stellungnahme$/);
    await page.locator('p.notice', { hasText: 'Entwurf wurde wiederhergestellt' }).waitFor();
    await waitSaved(page);
    assert.equal(await editorText(page, '#st-body'), TEXT);
    assert.equal(await page.locator('#pos-ablehnung').isChecked(), true);
    assert.deepEqual(await axe(page), [], 'statement page with a restored draft');
    await screenshot(page, 'drafts-restored');

    // Saved: the draft is gone and leaving does not ask.
    await page.getByRole('button', { name: 'Gesamtposition speichern' }).click();
    await page.locator('#st-status', { hasText: 'Gesamtposition gespeichert.' }).waitFor();
    const asked = page.dialogs.length;
    await page.reload();
    await waitSaved(page);
    assert.equal(await editorText(page, '#st-body'), TEXT);
    assert.equal(await page.locator('#pos-ablehnung').isChecked(), true);
    assert.equal(await page.locator('p.notice', { hasText: 'wiederhergestellt' }).count(), 0);
    assert.equal(page.dialogs.length, asked, 'no warning without unsaved input');
    await context.close();
    await other.context.close();
  });

  test('a new discussion survives a reload; signing out deletes the drafts', async () => {
    const { context, page } = await open('beteiligung@by.example');
    const id = await sectionId(page, env.server.base, 'Zielbild: Datennutzung');
    await page.goto(`${env.server.base}/abschnitte/${id}`);
    await waitSaved(page);
    await page.locator('#section-editor .cm-content').focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Alt+Shift+K');
    await page.getByLabel('Ihr Beitrag (Markdown)').fill('Was ist mit Registern gemeint?');
    await page.reload();
    await page.locator('form.thread-form').waitFor();
    assert.equal(await page.getByLabel('Ihr Beitrag (Markdown)').inputValue(), 'Was ist mit Registern gemeint?');
    assert.equal((await page.locator('form.thread-form blockquote').textContent()).trim(), 'Die');

    page.answer = true;
    const before = page.dialogs.length;
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await page.waitForURL(/\/anmelden/);
    assert.deepEqual(page.dialogs.slice(before), ['confirm'], 'signing out with unsaved text asks');
    const left = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('strategieraum:entwurf:')));
    assert.deepEqual(left, []);
    await context.close();
  });
});

describe('drafts of edits and reasons', { timeout: 240_000 }, () => {
  const api = pageApi;

  test('a comment being edited, the reason for rejecting a proposal and a moderator\'s reason survive a reload', async () => {
    const land = await open('beteiligung@by.example');
    const id = await sectionId(land.page, env.server.base, 'Zielbild: Datennutzung');
    const sec = (await api(land.page, 'GET', `/api/sections/${id}`)).json;
    const th = await api(land.page, 'POST', `/api/sections/${id}/threads`, { kind: 'aenderungsvorschlag', start: 0, end: 3, version: sec.version, body: 'Kürzer.', replacement: 'Das' });
    assert.equal(th.status, 201);
    const comment = th.json.comments[0].id;

    // A comment being edited.
    await land.page.goto(`${env.server.base}/abschnitte/${id}#diskussion-${th.json.id}`);
    const article = land.page.locator(`article[data-thread="${th.json.id}"]`);
    await article.getByRole('button', { name: 'Bearbeiten' }).click();
    await land.page.locator(`#edit-${comment}`).fill('Kürzer und klarer.');
    await land.page.reload();
    await land.page.locator(`#edit-${comment}`).waitFor();
    assert.equal(await land.page.locator(`#edit-${comment}`).inputValue(), 'Kürzer und klarer.');
    const asked = land.page.dialogs.length;
    await land.page.locator('header a[href="/sitzungen"]').click();
    assert.equal(land.page.dialogs.length, asked + 1, 'leaving with an unsaved edit asks');
    await land.page.waitForURL(/\/sitzungen$/);
    await land.page.goBack();
    await land.page.locator(`#edit-${comment}`).waitFor();
    await land.page.getByRole('button', { name: 'Speichern', exact: true }).click();
    await land.page.locator(`#thread-${th.json.id}-done`).waitFor();
    assert.equal(await land.page.locator(`#edit-${comment}`).count(), 0);
    const drafts = () => land.page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('strategieraum:entwurf:')));
    assert.deepEqual(await drafts(), [], 'saved: no draft left');

    // The Themenpate's reason for rejecting the proposal.
    const pate = await open('pate1@hh.example');
    await pate.page.goto(`${env.server.base}/abschnitte/${id}#diskussion-${th.json.id}`);
    await pate.page.locator(`article[data-thread="${th.json.id}"]`).getByRole('button', { name: 'Ablehnen' }).click();
    await pate.page.locator(`#reason-${th.json.id}`).fill('Der Satz bleibt.');
    await pate.page.reload();
    await pate.page.locator(`#reason-${th.json.id}`).waitFor();
    assert.equal(await pate.page.locator(`#reason-${th.json.id}`).inputValue(), 'Der Satz bleibt.');
    assert.match(await pate.page.locator(`label[for="reason-${th.json.id}"]`).textContent(), /Ablehnen/);

    // A moderator's reason for hiding a reported comment.
    const answer = await api(pate.page, 'POST', `/api/threads/${th.json.id}/comments`, { body: 'Unpassend.' });
    assert.equal((await api(land.page, 'POST', `/api/comments/${answer.json.id}/reports`, { reason: 'unsachlich' })).status, 201);
    const mod = await open('moderation@fitko.example');
    await mod.page.locator('header a[href="/moderation"]').click();
    const item = mod.page.locator('li.report-item', { hasText: 'Unpassend.' });
    await item.getByRole('button', { name: 'Ausblenden' }).click();
    await item.locator('input[id^="report-reason-"]').fill('beleidigend');
    await mod.page.reload();
    await item.locator('input[id^="report-reason-"]').waitFor();
    assert.equal(await item.locator('input[id^="report-reason-"]').inputValue(), 'beleidigend');
    await mod.page.locator('#mod-report-done', { hasText: 'wiederhergestellt' }).waitFor();
    assert.deepEqual(await axe(mod.page), [], 'moderation page with a restored reason');
    await item.getByRole('button', { name: 'Bestätigen' }).click();
    await mod.page.locator('#mod-report-done', { hasText: 'Ausblenden' }).waitFor();
    assert.deepEqual(
      await mod.page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('strategieraum:entwurf:'))),
      [],
      'hidden: no draft left',
    );
    for (const p of [land, pate, mod]) await p.context.close();
  });
});
