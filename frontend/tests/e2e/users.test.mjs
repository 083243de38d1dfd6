// Browser test of the user administration: an administrator creates an
// account (the first password is shown once and works), changes its roles,
// disables and enables it, and deletes it, which leaves a pseudonymised row;
// the page passes axe-core; a moderator has no link and is refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, screenshot, useServer } from './harness.mjs';

const env = useServer();

describe('user administration', { timeout: 120_000 }, () => {
  test('admin creates, changes, disables and deletes an account', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await login(page, env.server.base, 'admin@fitko.example');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Benutzer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Benutzerverwaltung' }).waitFor();
    await page.locator('tr[data-user="pate1@hh.example"]').waitFor();

    await page.getByLabel('Name').fill('Clara Neumann');
    await page.getByLabel('E-Mail-Adresse').fill('clara.neumann@sn.example');
    await page.getByLabel('Organisation').selectOption('SN');
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    const pw = await page.getByTestId('new-password').locator('code').textContent();
    assert.ok(pw && pw.length >= 12, 'a first password is shown');
    const row = page.locator('tr[data-user="clara.neumann@sn.example"]');
    await row.waitFor();
    assert.match(await row.textContent(), /SN.*Beteiligung.*aktiv/s);
    const signIn = await fetch(`${env.server.base}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: env.server.base },
      body: JSON.stringify({ email: 'clara.neumann@sn.example', password: pw }),
    });
    assert.equal(signIn.status, 200, 'the shown password works');
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'users');

    // Roles: reader instead of land.
    await row.getByRole('button', { name: 'Rollen ändern: Clara Neumann' }).click();
    const edit = page.getByRole('region', { name: 'Rollen von Clara Neumann' });
    await edit.getByLabel('Beteiligung (Land, Bund, Verband)').uncheck();
    await edit.getByLabel('Lesen').check();
    await edit.getByRole('button', { name: 'Rollen speichern' }).click();
    await page.locator('p.notice').filter({ hasText: 'Rollen von Clara Neumann gespeichert.' }).waitFor();
    // The list is reloaded after the notice: wait for the new roles in the row (a timeout fails the test).
    await row.filter({ hasText: 'Lesen' }).waitFor();
    assert.doesNotMatch(await row.textContent(), /Beteiligung/);

    // Disable and enable.
    await row.getByRole('button', { name: 'Deaktivieren: Clara Neumann' }).click();
    await row.filter({ hasText: 'deaktiviert' }).waitFor();
    await row.getByRole('button', { name: 'Aktivieren: Clara Neumann' }).click();
    await row.filter({ hasText: 'aktiv' }).waitFor();

    // Delete, with confirmation: the row stays, pseudonymised.
    await row.getByRole('button', { name: 'Löschen: Clara Neumann' }).click();
    const yes = page.getByRole('button', { name: 'Ja, Konto löschen' });
    await yes.waitFor();
    assert.equal(await yes.evaluate((el) => el === document.activeElement), true, 'focus on the confirmation');
    await yes.click();
    await page.locator('p.notice').filter({ hasText: 'Konto von Clara Neumann gelöscht.' }).waitFor();
    // The list is reloaded after the notice: wait for the row to go (a timeout fails the test).
    await page.locator('tr[data-user="clara.neumann@sn.example"]').waitFor({ state: 'detached' });
    await page.getByRole('rowheader', { name: /^Gelöschtes Konto #\d+$/ }).waitFor();
    assert.deepEqual(await axe(page), []);
    await page.setViewportSize({ width: 320, height: 800 });
    assert.deepEqual(await axe(page), [], 'accessible at 320 px');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no page-wide horizontal scrolling at 320 px (overflow ${overflow})`);
    assert.deepEqual(errors, []);
    assert.deepEqual(page.violations, []);
    await context.close();
  });

  test('a moderator has no link and is refused', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'moderation@fitko.example');
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await nav.getByRole('link', { name: 'Protokoll' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Benutzer' }).count(), 0);
    await page.goto(`${env.server.base}/benutzer`);
    await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.locator('tbody tr').count(), 0, 'no accounts shown');
    await context.close();
  });
});
