// Browser test of the server's permission flags and translated refusals:
// an account whose role an administrator changes through the API sees the
// editing and discussion controls come and go after a reload, with no role
// logic in the browser; in English mode a refused sign-in is shown in
// English (from the problem's reason) and German content (section text, strategy, topic and section names) is
// marked lang="de"; the pages pass axe-core.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, pageApi, PASSWORD, sectionId, useServer, waitSaved } from './harness.mjs';

const env = useServer();
const SECTION_TITLE = 'Zielbild: Datennutzung';
const PATE = 'pate1@hh.example';

/** Signs the administrator in through the API and returns a JSON caller with that session. */
async function adminApi(base) {
  const r = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email: 'admin@fitko.example', password: PASSWORD }),
  });
  assert.equal(r.status, 200);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method, path, body) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, origin: base, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
}

describe('permissions come from the server', { timeout: 180_000 }, () => {
  test('a reader sees no edit or discussion controls, a Themenpate does', async () => {
    const base = env.server.base;
    const admin = await adminApi(base);
    const users = await admin('GET', '/api/users');
    const pate = users.find((u) => u.email === PATE);
    assert.ok(pate?.roles.includes('themenpate'));

    await admin('PATCH', `/api/users/${pate.id}`, { roles: ['reader'] });
    const { context, page } = await newPage(env.browser, base);
    await login(page, base, PATE);
    const me = await (await page.request.get(`${base}/api/me`)).json();
    assert.equal(me.can.manage_users, false);
    const id = await sectionId(page, base, SECTION_TITLE);
    await page.goto(`${base}/abschnitte/${id}`);
    await waitSaved(page);
    await page.getByText('Nur lesen').waitFor();
    const start = page.getByRole('button', { name: /Diskussion zur Markierung beginnen/ });
    assert.equal(await start.count(), 0, 'a reader gets no button to start a discussion');
    assert.equal(await page.getByRole('toolbar').count(), 0, 'a reader gets no formatting toolbar');
    assert.equal(await page.locator('#section-editor .cm-content').getAttribute('aria-readonly'), 'true');
    assert.deepEqual(await axe(page), []);

    await admin('PATCH', `/api/users/${pate.id}`, { roles: pate.roles, topic_ids: pate.topic_ids });
    // A role change may end the account's sessions; sign in again if so.
    await page.goto(`${base}/abschnitte/${id}`);
    if (page.url().includes('/anmelden')) {
      await login(page, base, PATE);
      await page.goto(`${base}/abschnitte/${id}`);
    }
    await waitSaved(page);
    await start.waitFor();
    await page.getByRole('toolbar').first().waitFor();
    assert.notEqual(await page.locator('#section-editor .cm-content').getAttribute('aria-readonly'), 'true');
    assert.deepEqual(await axe(page), []);

    // The roles stay those of a Themenpate, but the flags say otherwise: the
    // page follows the flags, so nothing in the browser reads the roles.
    await page.route(/\/api\/(me|sections\/\d+)$/, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      if (body.can && 'edit' in body.can) Object.assign(body.can, { edit: false, comment: false, propose: false, restore: false });
      else if (body.can) body.can.manage_users = true;
      await route.fulfill({ response: res, json: body });
    });
    await page.reload();
    await waitSaved(page);
    await page.getByText('Nur lesen').waitFor();
    assert.equal(await start.count(), 0, 'no discussion button when the server says no');
    assert.equal(await page.getByRole('toolbar').count(), 0, 'no toolbar when the server says no');
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Benutzer' }).waitFor();
    await context.close();
  });

  test('English mode translates a refused sign-in and marks German text lang="de"', async () => {
    const base = env.server.base;
    const { context, page } = await newPage(env.browser, base);
    await page.goto(`${base}/anmelden`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('input[type="email"]').fill(PATE);
    await page.locator('input[type="password"]').fill('definitely wrong');
    await page.locator('button[type="submit"]').click();
    const error = page.locator('#login-error');
    await error.filter({ hasText: 'E-mail address or password is wrong.' }).waitFor();
    assert.equal(await error.getAttribute('lang'), null, 'the translated message is English');
    assert.deepEqual(await axe(page), []);

    await page.locator('input[type="password"]').fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/strategien\/\d+$/);
    assert.equal((await pageApi(page, 'GET', '/api/me')).json.language, 'en', 'the language chosen before signing in is stored for the account');
    const id = await sectionId(page, base, SECTION_TITLE);
    // The overview: the strategy's name, topic names and section titles are German content.
    const link = page.locator(`main a[href="/abschnitte/${id}"]`).first();
    await link.waitFor();
    assert.equal(await link.getAttribute('lang'), 'de', 'a section title on the overview is marked German');
    assert.equal(await page.locator('main h1').getAttribute('lang'), 'de', 'the strategy name is marked German');
    const topics = page.locator('section.topic h3');
    assert.ok((await topics.count()) >= 5);
    assert.deepEqual([...new Set(await topics.evaluateAll((hs) => hs.map((h) => h.getAttribute('lang'))))], ['de'], 'topic names are marked German');
    assert.equal(await page.locator('#phase-h').getAttribute('lang'), null, 'interface text is not');
    await page.goto(`${base}/abschnitte/${id}`);
    await page.locator('#section-editor .cm-content').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    const contentLang = await page.locator('#section-editor .cm-content').evaluate((el) => el.closest('[lang]')?.getAttribute('lang'));
    assert.equal(contentLang, 'de', 'the section text is marked German');
    assert.equal(await page.getByRole('heading', { level: 1 }).getAttribute('lang'), 'de', 'the section title is marked German');
    assert.deepEqual(await axe(page), []);
    await context.close();
  });

  test('English mode marks comments and quoted passages lang="de"', async () => {
    const base = env.server.base;
    const { context, page } = await newPage(env.browser, base);
    await login(page, base, 'beteiligung@bb.example');
    const id = await sectionId(page, base, SECTION_TITLE);
    const sec = (await pageApi(page, 'GET', `/api/sections/${id}`)).json;
    const th = await pageApi(page, 'POST', `/api/sections/${id}/threads`, { kind: 'kommentar', start: 0, end: 3, version: sec.version, body: 'Bitte präzisieren.' });
    assert.equal(th.status, 201);
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${base}/abschnitte/${id}#diskussion-${th.json.id}`);
    const article = page.locator(`article[data-thread="${th.json.id}"]`);
    await article.locator('.markdown', { hasText: 'Bitte präzisieren.' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await article.locator('.markdown').first().getAttribute('lang'), 'de', 'the comment is marked German');
    assert.equal(await article.locator('blockquote.quote').first().getAttribute('lang'), 'de', 'the quoted passage is marked German');
    assert.equal(await article.locator('.thread-title').getAttribute('lang'), null, 'interface text is not');
    assert.deepEqual(await axe(page), []);
    await context.close();
  });

  test('English mode shows an error frame of the websocket by its code', async () => {
    const base = env.server.base;
    const { context, page } = await newPage(env.browser, base);
    // The socket passes through unchanged; the test can add a frame from the server.
    let toPage = null;
    await page.routeWebSocket(/\/api\/ws/, (ws) => {
      ws.connectToServer();
      toPage = (frame) => ws.send(JSON.stringify(frame));
    });
    await login(page, base, PATE);
    const id = await sectionId(page, base, SECTION_TITLE);
    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${base}/abschnitte/${id}`);
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor({ timeout: 20_000 });
    assert.ok(toPage, 'the socket was routed');
    toPage({ t: 'error', code: 'invalid_op', message: 'Die Operation ist ungültig.', section: id });
    const alert = page.locator('p.error[role=alert]');
    await alert.filter({ hasText: 'The change is not valid and was discarded.' }).waitFor();
    assert.doesNotMatch(await alert.textContent(), /ungültig/);
    toPage({ t: 'error', code: 'no_such_code', message: 'Etwas Unbekanntes.', section: id });
    await alert.filter({ hasText: 'Etwas Unbekanntes.' }).waitFor();
    assert.equal(await alert.locator('span').getAttribute('lang'), 'de', 'an untranslated German message is marked');
    await context.close();
  });
});
