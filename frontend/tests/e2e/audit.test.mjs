// Browser tests of the audit log page: a moderator finds the own sign-in,
// filters by action, downloads nothing unexpected and the page passes
// axe-core at full width and 320 px; a Land user sees no link and is refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, screenshot, useServer } from './harness.mjs';

const env = useServer();

describe('audit log', { timeout: 120_000 }, () => {
  test('moderator sees the sign-in, filters by action, page is accessible', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await login(page, env.server.base, 'moderation@fitko.example');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Protokoll' }).click();
    await page.waitForURL(/\/protokoll$/);
    await page.getByRole('heading', { level: 1, name: 'Protokoll' }).waitFor();
    const table = page.getByRole('region', { name: /Protokolleinträge 1 bis/ });
    await table.waitFor();
    assert.ok((await page.locator('tbody tr[data-action="login"]').count()) >= 1, 'at least one login event');
    assert.match(await page.locator('tbody tr[data-action="login"]').first().textContent(), /UTC.*Berlin: /s);
    // The person is named, with the user id beside the name.
    assert.match(await page.locator('tbody tr[data-action="login"]').first().locator('td').first().textContent(), /\S.* \(#\d+\)/);

    // A failed sign-in adds another action, which the filter must leave out.
    const bad = await fetch(`${env.server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: env.server.base },
      body: JSON.stringify({ email: 'beteiligung@by.example', password: 'falsch' }),
    });
    assert.equal(bad.status, 401);
    await page.reload();
    await table.waitFor();
    assert.ok((await page.locator('tbody tr:not([data-action="login"])').count()) >= 1, 'other actions listed before filtering');
    // Actions are named in words, in the filter and in the table.
    assert.equal(await page.locator('tbody tr[data-action="login"] td:nth-child(4)').first().textContent(), 'Anmeldung');
    assert.equal(await page.locator('tbody td', { hasText: /^login(_failed)?$/ }).count(), 0, 'no raw action codes');
    await page.getByLabel('Aktion').selectOption({ label: 'Anmeldung' });
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.locator('#announcer').filter({ hasText: /Protokolleintr(ag|äge) gefunden/ }).waitFor();
    const shown = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.action));
    assert.ok(shown.length >= 1, 'filtered list not empty');
    assert.deepEqual([...new Set(shown)], ['login'], 'only login events after filtering');
    const href = await page.getByRole('link', { name: /Protokoll als CSV-Datei/ }).getAttribute('href');
    assert.match(href, /^\/api\/audit\/export\?action=login&limit=1000$/);
    const csv = await page.request.get(env.server.base + href);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /login/);

    // By organisation and kind of target: FITKO's sign-ins are on user:…,
    // none of Bayern's (the failed one has no actor).
    await page.getByLabel('Organisation').fill('fitko');
    await page.getByLabel('Ziel', { exact: true }).fill('user:');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.locator('#announcer').filter({ hasText: /Protokolleintr(ag|äge) gefunden/ }).waitFor();
    const orgs = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    assert.ok(orgs.length >= 1 && orgs.every((o) => o === 'FITKO'), `FITKO only: ${orgs}`);
    await page.getByLabel('Organisation').fill('BY');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.getByText('Keine Einträge für diese Filter.').waitFor();
    await page.getByLabel('Organisation').fill('');
    await page.getByLabel('Ziel', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await table.waitFor();

    // By person, chosen by name.
    const me = await (await page.request.get(`${env.server.base}/api/me`)).json();
    await page.getByLabel('Person').selectOption({ label: `${me.name} (FITKO)` });
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.locator('#announcer').filter({ hasText: /Protokolleinträge gefunden/ }).waitFor();
    const people = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    assert.ok(people.length >= 1 && people.every((p) => p.startsWith(me.name)), `only ${me.name}: ${people}`);

    // English names the actions in English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('tbody tr[data-action="login"] td:nth-child(4)', { hasText: 'Sign-in' }).first().waitFor();
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByLabel('Person').selectOption({ label: 'Alle Personen' });
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await table.waitFor();

    // Keyboard: the table region takes focus and shows it.
    await page.getByRole('link', { name: /Protokoll als CSV-Datei/ }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await table.evaluate((el) => el === document.activeElement && getComputedStyle(el).outlineStyle !== 'none'), true);

    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'audit');
    await page.setViewportSize({ width: 320, height: 800 });
    assert.deepEqual(await axe(page), [], 'accessible at 320 px');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no page-wide horizontal scrolling at 320 px (overflow ${overflow})`);
    await screenshot(page, 'audit-320px');
    assert.deepEqual(errors, []);
    assert.deepEqual(page.violations, [], 'no CSP violations');
    assert.deepEqual(page.foreign, []);
    await context.close();
  });

  test('a Land user has no link and is refused', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'beteiligung@by.example');
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await nav.getByRole('link', { name: 'Meine Sitzungen' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Protokoll' }).count(), 0, 'no audit link for Land users');
    await page.goto(`${env.server.base}/protokoll`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    assert.ok(text.trim().length > 10, `clear refusal, got "${text}"`);
    assert.equal(await page.locator('table').count(), 0, 'no events shown');
    assert.deepEqual(page.violations, []);
    await context.close();
  });
});
