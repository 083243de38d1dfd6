// Test harness for the browser tests: builds and starts the real server
// binary on a free port with a temporary SQLite database and demo data,
// launches the system Chromium through playwright-core, and offers login,
// axe-core and screenshot helpers.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../../..');
export const outDir = join(repoRoot, 'test-output');
export const PASSWORD = 'Demo-Passwort-2026!';
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Builds the binary and starts `serve --demo` (`serve` alone with
 * demo: false); returns {base, bin, databaseURL, stop}. extra returns (or
 * resolves to) more environment for the server, given its base URL.
 */
export async function startServer(extra = () => ({}), { demo = true } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'strategieraum-e2e-'));
  const bin = join(dir, 'strategieraum');
  execFileSync('go', ['build', '-o', bin, './cmd/strategieraum'], { cwd: repoRoot, stdio: 'inherit' });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    STRATEGIERAUM_DEMO_PASSWORD: PASSWORD,
    STRATEGIERAUM_DATABASE_URL: join(dir, 'e2e.db'),
    STRATEGIERAUM_ADDR: `127.0.0.1:${port}`,
    ...(await extra(base)),
  };
  delete env.STRATEGIERAUM_REDIS_URL;
  const proc = spawn(bin, demo ? ['serve', '--demo'] : ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early:\n${log}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    bin,
    databaseURL: env.STRATEGIERAUM_DATABASE_URL,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers before/after hooks that start the server (see startServer) and
 * the browser for a test file; the returned object holds both once the
 * tests run.
 */
export function useServer(extra, opts) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(extra, opts);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** Launches the system Chromium headless. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new browser context and page with CSP violations and requests to other
 * hosts recorded, so tests can assert that neither happens.
 */
export async function newPage(browser, base, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', timezoneId: 'Europe/Berlin', ...opts });
  const page = await context.newPage();
  page.violations = [];
  page.foreign = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) page.violations.push(m.text());
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && u.protocol !== 'data:') page.foreign.push(r.url());
  });
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Signs in through the login form and waits for the overview. */
export async function login(page, base, email) {
  await page.goto(`${base}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.waitForURL(/\/strategien\/\d+$/);
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA) and returns serious and critical violations. */
export async function axe(page) {
  // page.evaluate runs outside the page's CSP, unlike a script tag.
  await page.evaluate(axeSource);
  const res = await page.evaluate(() =>
    globalThis.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** Saves a full-page screenshot to <repo>/test-output/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
}

/** A live editor's current text (the section's, or the one in host), read from the CodeMirror view behind the DOM. */
export function editorText(page, host) {
  // Called as pages.map(editorText) too: the index is no host.
  if (typeof host !== 'string') host = '#section-editor';
  return page.evaluate((host) => {
    const content = document.querySelector(`${host} .cm-content`);
    const view = content?.cmTile?.root?.view;
    if (view) return view.state.doc.toString();
    return [...document.querySelectorAll(`${host} .cm-line`)]
      .map((l) => {
        const c = l.cloneNode(true);
        c.querySelectorAll('.cm-remote-caret, .cm-widgetBuffer').forEach((x) => x.remove());
        return c.textContent;
      })
      .join('\n');
  }, host);
}

/**
 * Opens the Stellungnahme page from the header, begins the draft when the
 * organisation has none, and waits until its live text is open and saved.
 */
export async function openStatement(page) {
  await page.locator('header a[href="/stellungnahme"]').click();
  const begin = page.getByRole('button', { name: 'Entwurf beginnen' });
  const text = page.locator('#st-body .cm-content');
  await begin.or(text).first().waitFor();
  if (await begin.isVisible()) await begin.click();
  await text.waitFor();
  await waitSaved(page);
}

/** Types text at the end of the Stellungnahme's live text and waits until the server has it. */
export async function typeStatement(page, text) {
  await page.locator('#st-body .cm-content').focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(text);
  // The editor takes typed input a moment later; only then is "saved" about it.
  await page.waitForFunction((t) => document.querySelector('#st-body .cm-content')?.cmTile?.root?.view?.state.doc.toString().endsWith(t) ?? true, text);
  await waitSaved(page);
}

/** Waits until the editor shows "Alle Änderungen gespeichert". */
export async function waitSaved(page, timeout = 20_000) {
  await page.getByTestId('save-state').filter({ hasText: 'Alle Änderungen gespeichert' }).waitFor({ timeout });
}

/** Finds a section id by its title through the API, using the page's cookies. */
export async function sectionId(page, base, title) {
  const r = await page.request.get(`${base}/api/strategies/1/sections`);
  const list = await r.json();
  const s = list.find((x) => x.title === title);
  if (!s) throw new Error(`no section titled ${title}`);
  return s.id;
}

/** Calls the API from inside the page (cookies and Origin as the app sends them); returns {status, json}. */
export function pageApi(page, method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const r = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json' }, body: b ? JSON.stringify(b) : undefined });
      return { status: r.status, json: r.status === 204 ? null : await r.json() };
    },
    [method, path, body],
  );
}

/** The value of a datetime-local field for a Date, in the browser's zone. */
export async function localValue(page, date) {
  return page.evaluate((ms) => {
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, date.getTime());
}

/** Changes the current round's closing time on the Phasen page. */
export async function changeDeadline(page, closes, reason) {
  const edit = page.locator('button[id^="phase-edit-"]').first();
  await edit.focus();
  await page.keyboard.press('Enter');
  await page.locator('#phase-opens').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'phase-opens', 'focus moves into the form');
  await page.locator('#phase-closes').fill(await localValue(page, closes));
  await page.locator('#phase-reason').fill(reason);
  await page.getByRole('button', { name: 'Frist speichern' }).click();
  // The form closes and focus returns to its button once the change is saved.
  await page.locator('#phase-opens').waitFor({ state: 'detached' });
  await page.waitForFunction(() => /^phase-edit-\d+$/.test(document.activeElement?.id ?? ''));
  await page.locator('#announcer').filter({ hasText: 'Frist gespeichert' }).waitFor();
}

export { execFileSync };
