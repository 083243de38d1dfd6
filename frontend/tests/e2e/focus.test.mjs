// Browser test of focus management (WCAG 2.4.3): a Land participant works
// by keyboard only through navigation, a new discussion, a reply, a
// notification and the Stellungnahme; after every action focus sits on a
// named place (the page heading, the new thread, the status message) and
// never falls to <body>.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, screenshot, sectionId, useServer, waitSaved } from './harness.mjs';

const env = useServer();

/** Waits until the focused element matches selector; fails if it is <body> instead. */
async function focusedOn(page, selector, what) {
  try {
    await page.waitForFunction((sel) => document.activeElement?.matches(sel), selector, { timeout: 15_000 });
  } catch {
    const now = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120) ?? 'nothing');
    const log = await page.evaluate(() => (globalThis.focusLog ?? []).slice(-8).join('\n'));
    assert.fail(`after ${what} focus should be on ${selector}, is on ${now}; last focused:\n${log}`);
  }
  assert.notEqual(await page.evaluate(() => document.activeElement === document.body), true, `${what}: focus on body`);
}

/** Activates a link or button by keyboard. */
async function press(locator, key = 'Enter') {
  await locator.focus();
  await locator.press(key);
}

describe('focus after every action', { timeout: 180_000 }, () => {
  test('navigation, new thread, reply, notification and Stellungnahme by keyboard', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    const pate = await newPage(env.browser, env.server.base);
    // Where focus went, for the failure message.
    await context.addInitScript(() => {
      globalThis.focusLog = [];
      document.addEventListener('focusin', (e) => globalThis.focusLog.push(e.target.outerHTML.slice(0, 100)));
    });
    await login(page, env.server.base, 'beteiligung@by.example');
    await focusedOn(page, 'main h1', 'signing in');

    // Overview → section by keyboard.
    const id = await sectionId(page, env.server.base, 'Zielbild: Datennutzung');
    await press(page.locator(`main a[href="/abschnitte/${id}"]`).first());
    await focusedOn(page, 'main h1', 'opening a section');
    assert.equal((await page.locator('main h1').textContent()).trim(), 'Zielbild: Datennutzung');
    await waitSaved(page);

    // A new discussion on a passage chosen by keyboard.
    await page.locator('#section-editor .cm-content').focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Alt+Shift+K');
    await focusedOn(page, '#thread-kind', 'opening the form');
    await page.getByLabel('Ihr Beitrag (Markdown)').fill('Bitte den Begriff erläutern.');
    await press(page.getByRole('button', { name: 'Beitrag veröffentlichen' }));
    await focusedOn(page, 'article.thread .thread-title', 'creating a thread');
    const threadId = Number(await page.evaluate(() => document.activeElement.closest('article').dataset.thread));

    // A reply: focus goes to the thread's status message.
    if ((await page.locator(`#reply-${threadId}`).count()) === 0) await page.keyboard.press('Enter');
    await page.locator(`#reply-${threadId}`).focus();
    await page.keyboard.type('Ergänzung: gemeint sind Register.');
    await press(page.locator(`article[data-thread="${threadId}"] .reply-form button[type=submit]`));
    await focusedOn(page, `#thread-${threadId}-done`, 'replying');
    assert.match(await page.locator(`#thread-${threadId}-done`).textContent(), /Antwort/);

    // The Themenpate answers; the notification brings the participant to the thread.
    await login(pate.page, env.server.base, 'pate1@hh.example');
    const status = await pate.page.evaluate(
      (tid) => fetch(`/api/threads/${tid}/comments`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ body: 'Gern, siehe Glossar.' }) }).then((r) => r.status),
      threadId,
    );
    assert.equal(status, 201);
    await press(page.locator('a[href="/"]').nth(1));
    await focusedOn(page, 'main h1', 'going to the overview');
    const bell = page.getByRole('button', { name: /Benachrichtigungen, [1-9]\d* ungelesen/ });
    await press(bell);
    await focusedOn(page, '#bell-panel', 'opening the notifications');
    await press(page.locator('#bell-panel li button.link').first());
    await focusedOn(page, `article[data-thread="${threadId}"] .thread-title`, 'opening a notification');

    // The Stellungnahme: begin, write, save the position and submit by keyboard.
    await press(page.locator('header a[href="/stellungnahme"]'));
    await focusedOn(page, 'main h1', 'opening the Stellungnahme');
    await press(page.getByRole('button', { name: 'Entwurf beginnen' }));
    await focusedOn(page, '#st-body .cm-content', 'beginning the draft');
    await page.keyboard.type('Der Freistaat Bayern stimmt zu.');
    await waitSaved(page);
    await press(page.locator('#pos-zustimmung'), 'Space');
    await press(page.getByRole('button', { name: 'Gesamtposition speichern' }));
    await focusedOn(page, '#st-status', 'saving the position');
    await press(page.getByRole('button', { name: 'Einreichen', exact: true }));
    await focusedOn(page, '[role=alertdialog] button.primary', 'asking to submit');
    await page.keyboard.press('Enter');
    await page.locator('#st-status', { hasText: 'eingereicht' }).waitFor();
    await focusedOn(page, '#st-status', 'submitting');
    assert.deepEqual(await axe(page), [], 'statement page after submitting');
    await screenshot(page, 'focus-statement-submitted');

    await context.close();
    await pate.context.close();
  });
});

describe('focus after the actions of the administration pages', { timeout: 180_000 }, () => {
  test('Benutzer, Moderation and Bericht by keyboard', async () => {
    let { context, page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'admin@fitko.example');
    await press(page.locator('header a[href="/benutzer"]'));
    await focusedOn(page, 'main h1', 'opening Benutzer');

    // Create, change roles, disable, enable and delete: the outcome takes focus each time.
    await page.getByLabel('Name').focus();
    await page.keyboard.type('Fokus Probe');
    await page.getByLabel('E-Mail-Adresse').focus();
    await page.keyboard.type('fokus.probe@sn.example');
    await press(page.getByRole('button', { name: 'Konto anlegen' }));
    await focusedOn(page, '#users-notice', 'creating an account');
    const row = page.locator('tr[data-user="fokus.probe@sn.example"]');
    await row.waitFor();
    await press(row.getByRole('button', { name: 'Rollen ändern: Fokus Probe' }));
    await focusedOn(page, '#users-edit-h', 'opening the roles');
    await press(page.locator('#edit-role-reader'), 'Space');
    await press(page.getByRole('button', { name: 'Rollen speichern' }));
    await focusedOn(page, '#users-notice', 'saving the roles');
    assert.match(await page.locator('#users-notice').textContent(), /Rollen von Fokus Probe gespeichert/);
    await press(row.getByRole('button', { name: 'Deaktivieren: Fokus Probe' }));
    await row.filter({ hasText: 'deaktiviert' }).waitFor();
    await focusedOn(page, '#users-notice', 'disabling');
    await press(row.getByRole('button', { name: 'Aktivieren: Fokus Probe' }));
    await page.locator('#users-notice', { hasText: /aktiviert/ }).waitFor();
    await focusedOn(page, '#users-notice', 'enabling');
    await press(row.getByRole('button', { name: 'Löschen: Fokus Probe' }));
    await focusedOn(page, '#users-delete-yes', 'asking to delete');
    await page.keyboard.press('Enter');
    await page.locator('#users-notice', { hasText: 'gelöscht' }).waitFor();
    await focusedOn(page, '#users-notice', 'deleting');
    // A refused creation (the address exists): the error takes focus.
    await page.getByLabel('Name').focus();
    await page.keyboard.type('Doppelt');
    await page.getByLabel('E-Mail-Adresse').focus();
    await page.keyboard.type('beteiligung@by.example');
    await press(page.getByRole('button', { name: 'Konto anlegen' }));
    await focusedOn(page, '#users-error', 'a refused creation');

    await context.close();

    // Moderation (as the moderator): filtering keeps focus on the button.
    const mod = await newPage(env.browser, env.server.base);
    page = mod.page;
    await login(page, env.server.base, 'moderation@fitko.example');
    await press(page.locator('header a[href="/moderation"]'));
    await focusedOn(page, 'main h1', 'opening Moderation');
    await press(page.getByRole('button', { name: 'Filter anwenden' }));
    await focusedOn(page, 'form.filters button[type=submit]', 'filtering');

    // Bericht: a download keeps focus on its link.
    await press(page.locator('header a[href="/bericht"]'));
    await focusedOn(page, 'main h1', 'opening the Bericht');
    const csv = page.locator('main a[href$="/report/csv?table=uebersicht"]');
    const download = page.waitForEvent('download');
    await press(csv);
    await download;
    await focusedOn(page, 'main a[href$="/report/csv?table=uebersicht"]', 'downloading');
    assert.deepEqual(await axe(page), [], 'report page');
    await mod.context.close();
  });
});
