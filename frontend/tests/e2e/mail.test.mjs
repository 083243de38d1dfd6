// Browser test of mail: a Land account chooses a daily summary instead of
// single notification mails in "E-Mail-Benachrichtigungen" on "Meine Sitzungen" (radio buttons,
// focus on the saved notice, axe-clean), and an administrator's reset
// link reaches the account by e-mail through a real SMTP server (mailpit,
// started here): the mail links to the reset page, which takes the code.
// The language chosen in the header is stored with the account: it
// survives a reload without the browser's memory and writes its mails.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, freePort, login, newPage, useServer } from './harness.mjs';

function mailpitBinary() {
  if (process.env.STRATEGIERAUM_TEST_MAILPIT) return process.env.STRATEGIERAUM_TEST_MAILPIT;
  try {
    const p = join(execFileSync('go', ['env', 'GOPATH']).toString().trim().split(':')[0], 'bin', 'mailpit');
    if (existsSync(p)) return p;
  } catch {
    // no go on the PATH
  }
  return '';
}

const bin = mailpitBinary();
const missing = bin ? false : 'mailpit not found: go install github.com/axllent/mailpit@v1.33.1 (or set STRATEGIERAUM_TEST_MAILPIT)';
if (missing && process.env.CI === 'true') throw new Error(missing);

const pit = { proc: null, api: '', dir: '' };
const env = useServer(async (base) => {
  if (missing) return {};
  const smtp = await freePort();
  const http = await freePort();
  pit.dir = mkdtempSync(join(tmpdir(), 'strategieraum-mailpit-'));
  pit.api = `http://127.0.0.1:${http}`;
  pit.proc = spawn(bin, ['--quiet', '--smtp', `127.0.0.1:${smtp}`, '--listen', `127.0.0.1:${http}`, '--database', join(pit.dir, 'm.db')], { stdio: 'inherit' });
  for (const deadline = Date.now() + 60_000; ; ) {
    try {
      if ((await fetch(`${pit.api}/api/v1/messages`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('mailpit did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    STRATEGIERAUM_SMTP_URL: `smtp://127.0.0.1:${smtp}?tls=none`,
    STRATEGIERAUM_SMTP_FROM: 'Strategieraum <noreply@strategieraum.example>',
    STRATEGIERAUM_PUBLIC_URL: base,
  };
});
after(() => {
  pit.proc?.kill('SIGKILL');
  if (pit.dir) rmSync(pit.dir, { recursive: true, force: true });
});

/** Waits for a message to `to` whose subject matches and returns it with its bodies. */
async function waitForMail(to, subject) {
  for (const deadline = Date.now() + 60_000; ; ) {
    const list = await (await fetch(`${pit.api}/api/v1/messages?limit=500`)).json();
    const hit = list.messages.find((m) => m.To.some((a) => a.Address === to) && subject.test(m.Subject));
    if (hit) return (await fetch(`${pit.api}/api/v1/message/${hit.ID}`)).json();
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Signs in as the administrator and issues a reset link for email's account. */
async function issueReset(base, email) {
  const admin = await newPage(env.browser, base);
  await login(admin.page, base, 'admin@fitko.example');
  await admin.page.goto(`${base}/benutzer`);
  const row = admin.page.locator(`tr[data-user="${email}"]`);
  await row.waitFor();
  await row.getByRole('button', { name: /^Passwort zurücksetzen: / }).click();
  await admin.page.getByTestId('reset-link').waitFor();
}

describe('mail', { timeout: 180_000, skip: missing }, () => {
  test('preferences on the settings page, reset link by e-mail', async () => {
    const base = env.server.base;
    const email = 'beteiligung@he.example';
    const { page } = await newPage(env.browser, base);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await login(page, base, email);
    await page.goto(`${base}/sitzungen`);
    await page.getByRole('heading', { level: 2, name: 'E-Mail-Benachrichtigungen' }).waitFor();
    const group = page.getByRole('group', { name: 'Benachrichtigungen per E-Mail' });
    assert.equal(await group.getByLabel(/Sofort/).isChecked(), true, 'sofort by default');

    // Keyboard only: to the checked radio, arrow to "Täglich", save.
    await group.getByLabel(/Sofort/).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await group.getByLabel(/Täglich/).isChecked(), true);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const notice = page.locator('#mailprefs-notice');
    await notice.waitFor();
    assert.equal(await notice.evaluate((el) => el === document.activeElement), true, 'focus on the notice');
    assert.deepEqual(await axe(page), []);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'E-Mail-Benachrichtigungen' }).waitFor();
    assert.equal(await page.getByRole('group', { name: 'Benachrichtigungen per E-Mail' }).getByLabel(/Täglich/).isChecked(), true, 'kept');

    // An administrator issues a reset link; it arrives by mail.
    await issueReset(base, email);
    const m = await waitForMail(email, /^Strategieraum: Passwort zurücksetzen$/);
    const link = m.Text.match(/https?:\/\/\S+\/passwort-zuruecksetzen#srp_\S+/)?.[0];
    assert.ok(link?.startsWith(base), `link to this server in ${m.Text}`);
    assert.ok(m.HTML.includes(`href="${link}"`), 'the HTML part links the same');
    const fresh = await newPage(env.browser, base);
    await fresh.page.goto(link);
    await fresh.page.getByRole('heading', { level: 1, name: 'Neues Passwort festlegen' }).waitFor();
    assert.match(await fresh.page.getByLabel('Einmal-Code').inputValue(), /^srp_/);
    assert.deepEqual(errors, []);
  });

  test('the language switch is stored with the account and writes its mails', async () => {
    const base = env.server.base;
    const email = 'beteiligung@hb.example';
    const { page } = await newPage(env.browser, base);
    await login(page, base, email);
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/me/language') && r.request().method() === 'PUT');
    await page.getByRole('group', { name: 'Sprache' }).getByRole('button', { name: 'English' }).click();
    assert.equal((await saved).status(), 200);
    // Without the browser's own memory, the reload takes the account's.
    await page.evaluate(() => localStorage.removeItem('lang'));
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    // Another browser signs in in German and switches to English.
    const other = await newPage(env.browser, base);
    await login(other.page, base, email);
    await other.page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.equal(await other.page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');

    // A reset link to the account arrives in English.
    await issueReset(base, email);
    const m = await waitForMail(email, /^Strategieraum: reset your password$/);
    assert.match(m.Text, /^Hello /);
    assert.ok(m.HTML.includes('<html lang="en">'), 'HTML part in English');
  });
});
