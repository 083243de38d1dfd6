// Browser test of the TOTP second factor: with STRATEGIERAUM_REQUIRE_2FA=
// moderator, the moderator is sent to the set-up after the password and
// reaches nothing else; sets up the factor (codes computed here from the
// shown secret, RFC 6238), keeps the recovery codes, signs out, signs in
// with a code (a wrong one first), and then with a recovery code; an
// administrator resets the factor, which ends the moderator's session;
// every page passes axe-core.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { axe, login, newPage, PASSWORD, screenshot, useServer } from './harness.mjs';

const env = useServer(() => ({ STRATEGIERAUM_REQUIRE_2FA: 'moderator' }));

/** RFC 6238 (SHA-1, 6 digits, 30 s) for a base32 secret at time ms. */
function totp(secret, ms) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 1000 / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const off = h[h.length - 1] & 0xf;
  const n = (h.readUInt32BE(off) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id);

async function password(page, base) {
  await page.goto(`${base}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill('moderation@fitko.example');
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Abmelden' }).click();
  await page.waitForURL(/\/anmelden/);
}

describe('two-factor sign-in', { timeout: 180_000 }, () => {
  test('set up, sign in with a code and with a recovery code', async () => {
    const base = env.server.base;
    const { context, page } = await newPage(env.browser, base);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));

    // The password alone leads only to the set-up.
    await password(page, base);
    await page.waitForURL(/\/sitzungen$/);
    await page.getByText('Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben').waitFor();
    const refused = await page.evaluate(async () => (await fetch('/api/strategies')).status);
    assert.equal(refused, 403, 'the server refuses the rest of the API');
    assert.deepEqual(await axe(page), []);

    await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
    await page.getByRole('heading', { name: 'Authenticator-App verbinden' }).waitFor();
    assert.equal(await focusedId(page), 'tfa-heading-setup', 'focus moves to the set-up');
    await page.getByRole('img', { name: /QR-Code/ }).waitFor();
    const secret = (await page.locator('#tfa-secret').textContent()).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.deepEqual(await axe(page), []);
    await page.setViewportSize({ width: 320, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scrolling at 320 px');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByLabel('Code aus der App').fill('000000');
    await page.getByRole('button', { name: 'Bestätigen und einschalten' }).click();
    await page.locator('#tfa-error').waitFor();
    await page.getByLabel('Code aus der App').fill(totp(secret, Date.now()));
    await page.getByRole('button', { name: 'Bestätigen und einschalten' }).click();
    await page.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' }).waitFor();
    const codes = await page.locator('.recovery-codes code').allTextContents();
    assert.equal(codes.length, 10);
    assert.ok(await page.getByRole('link', { name: 'Als Textdatei herunterladen' }).isVisible());
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'totp-codes');
    await page.getByRole('button', { name: 'Ich habe die Codes gesichert' }).click();
    await page.getByText(/eingeschaltet\. Unbenutzte Wiederherstellungscodes: 10/).waitFor();
    // The page's own list of sessions appears once the set-up is done.
    await page.locator('tr[data-session]').first().waitFor();
    // Now the rest is open.
    assert.equal(await page.evaluate(async () => (await fetch('/api/strategies')).status), 200);
    await signOut(page);

    // Password, then a code: a wrong one is refused with a clear message.
    await password(page, base);
    const codeField = page.getByLabel('Code', { exact: true });
    await codeField.waitFor();
    assert.equal(await focusedId(page), 'login-code', 'focus moves to the code field');
    assert.equal(await codeField.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await codeField.getAttribute('inputmode'), 'numeric');
    assert.deepEqual(await axe(page), []);
    await codeField.fill('000000');
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await page.locator('#login-error').filter({ hasText: 'Der Code ist falsch oder abgelaufen.' }).waitFor();
    // The next step's code (the current one may be spent at set-up; ±1 step is allowed).
    await codeField.fill(totp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await page.waitForURL(/\/strategien\/\d+$/);
    await signOut(page);

    // A recovery code instead.
    await password(page, base);
    await codeField.waitFor();
    await codeField.fill(codes[3]);
    await page.getByRole('button', { name: 'Bestätigen' }).click();
    await page.waitForURL(/\/strategien\/\d+$/);
    await page.goto(`${base}/sitzungen`);
    await page.getByText(/Unbenutzte Wiederherstellungscodes: 9/).waitFor();
    assert.deepEqual(await axe(page), []);

    assert.deepEqual(errors, []);
    assert.deepEqual(page.violations, []);

    // An administrator resets the factor: the moderator's session ends, and
    // the next sign-in leads to the set-up again.
    const admin = await newPage(env.browser, base);
    await login(admin.page, base, 'admin@fitko.example');
    await admin.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Benutzer' }).click();
    const reset = admin.page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung zurücksetzen: Jonas Wiegand' });
    await reset.click();
    await admin.page.locator('p.notice').filter({ hasText: 'Die Zwei-Faktor-Anmeldung von Jonas Wiegand ist zurückgesetzt' }).waitFor();
    await reset.waitFor({ state: 'detached' });
    assert.deepEqual(await axe(admin.page), []);
    await admin.context.close();
    assert.equal(await page.evaluate(async () => (await fetch('/api/me')).status), 401, 'the session ended');
    await password(page, base);
    await page.waitForURL(/\/sitzungen$/);
    await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).waitFor();
    await context.close();
  });
});
