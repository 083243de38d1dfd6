// Browser test of passwords: an administrator issues a one-time reset link
// on "Benutzer" (the person's open page loses its session at once), the
// person sets a new password with the link (a common password is refused
// with a German message, the link works once), signs in with it and changes
// it on "Meine Sitzungen", which ends the other session. axe-core clean,
// no sideways scrolling at 320 px.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, screenshot, useServer } from './harness.mjs';

const env = useServer();

async function signInWith(page, base, email, password) {
  await page.goto(`${base}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(/\/strategien\/\d+$/);
}

async function noSidewaysScrolling(page) {
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no page-wide horizontal scrolling at 320 px (overflow ${overflow})`);
  assert.deepEqual(await axe(page), [], 'accessible at 320 px');
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('passwords', { timeout: 180_000 }, () => {
  test('reset by an administrator, redeemed once, then changed by the person', async () => {
    const base = env.server.base;
    const email = 'pate1@hb.example';
    const person = await newPage(env.browser, base);
    await login(person.page, base, email);

    const admin = await newPage(env.browser, base);
    const errors = [];
    admin.page.on('pageerror', (e) => errors.push(String(e)));
    await login(admin.page, base, 'admin@fitko.example');
    await admin.page.goto(`${base}/benutzer`);
    const row = admin.page.locator(`tr[data-user="${email}"]`);
    await row.waitFor();
    await row.getByRole('button', { name: /^Passwort zurücksetzen: / }).click();
    const shown = admin.page.getByTestId('reset-link');
    await shown.waitFor();
    // The shown link takes focus (and keeps it after the list reloads).
    await admin.page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'reset-link');
    assert.equal(await shown.evaluate((el) => el === document.activeElement), true, 'focus on the shown link');
    const link = (await shown.locator('code').textContent()).trim();
    assert.match(link, /\/passwort-zuruecksetzen#srp_/);
    assert.deepEqual(await axe(admin.page), []);
    await screenshot(admin.page, 'password-reset-issued');

    // The person's session ended with the reset.
    const me = await person.page.evaluate(async () => (await fetch('/api/me')).status);
    assert.equal(me, 401, 'the session of the reset account ended');

    // Redeem: a common password is refused, then a good one works.
    const fresh = await newPage(env.browser, base);
    await fresh.page.goto(link);
    await fresh.page.getByRole('heading', { level: 1, name: 'Neues Passwort festlegen' }).waitFor();
    assert.doesNotMatch(fresh.page.url(), /#/, 'the code is taken out of the address bar');
    assert.match(await fresh.page.getByLabel('Einmal-Code').inputValue(), /^srp_/);
    await fresh.page.getByLabel('Neues Passwort', { exact: true }).fill('Passwort2026!');
    await fresh.page.getByLabel('Neues Passwort wiederholen').fill('Passwort2026!');
    await fresh.page.getByRole('button', { name: 'Passwort festlegen' }).click();
    await fresh.page.locator('#reset-error').filter({ hasText: 'zu verbreitet' }).waitFor();
    assert.deepEqual(await axe(fresh.page), []);
    const second = 'Grüner Tee am Nachmittag';
    await fresh.page.getByLabel('Neues Passwort', { exact: true }).fill(second);
    await fresh.page.getByLabel('Neues Passwort wiederholen').fill(second);
    await fresh.page.getByRole('button', { name: 'Passwort festlegen' }).click();
    const done = fresh.page.locator('#reset-done');
    await done.waitFor();
    assert.equal(await done.evaluate((el) => el === document.activeElement), true, 'focus on the outcome');
    await noSidewaysScrolling(fresh.page);

    // The link works once.
    const again = await fetch(`${base}/api/password-reset`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ code: link.split('#')[1], password: 'Noch ein ganz anderes Passwort' }),
    });
    assert.equal(again.status, 400);

    // Sign in with the new password in two browsers, change it in one: the other ends.
    await signInWith(person.page, base, email, second);
    await signInWith(fresh.page, base, email, second);
    await fresh.page.goto(`${base}/sitzungen`);
    await fresh.page.getByRole('heading', { level: 2, name: 'Passwort ändern' }).waitFor();
    await fresh.page.getByLabel('Bisheriges Passwort').fill('falsch');
    await fresh.page.getByLabel('Neues Passwort', { exact: true }).fill('Kaffee am Morgen im Amt');
    await fresh.page.getByLabel('Neues Passwort wiederholen').fill('Kaffee am Morgen im Amt');
    await fresh.page.getByRole('button', { name: 'Passwort ändern' }).click();
    await fresh.page.locator('#pw-error').filter({ hasText: 'Das bisherige Passwort ist falsch.' }).waitFor();
    await fresh.page.getByLabel('Bisheriges Passwort').fill(second);
    await fresh.page.getByRole('button', { name: 'Passwort ändern' }).click();
    const notice = fresh.page.locator('#pw-notice');
    await notice.waitFor();
    assert.equal(await notice.evaluate((el) => el === document.activeElement), true, 'focus on the notice');
    assert.deepEqual(await axe(fresh.page), []);
    await noSidewaysScrolling(fresh.page);
    assert.equal(await person.page.evaluate(async () => (await fetch('/api/me')).status), 401, 'the other session ended');
    assert.equal(await fresh.page.evaluate(async () => (await fetch('/api/me')).status), 200, 'this session stays');
    const signIn = await fetch(`${base}/api/session`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email, password: 'Kaffee am Morgen im Amt' }),
    });
    assert.equal(signIn.status, 200, 'the changed password works');
    assert.deepEqual(errors, []);
    for (const p of [admin.page, fresh.page]) {
      assert.deepEqual(p.violations, []);
      assert.deepEqual(p.foreign, []);
    }
    await Promise.all([person.context.close(), admin.context.close(), fresh.context.close()]);
  });
});
