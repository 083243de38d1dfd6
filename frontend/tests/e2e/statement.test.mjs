// Browser tests of the Stellungnahme page: an incomplete statement is refused
// per field before it is submitted, the radio buttons are large enough and
// their labels select them, and a submission shows an acknowledgement of
// receipt with the text's SHA-256, downloadable as text and as a page. Two
// members of one Land write the text live at once, one of them offline for a
// while; the submitted Fassung holds both texts exactly once, and another
// Land can neither open the draft nor read it before it is submitted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PASSWORD, axe, editorText, execFileSync, login, newPage, openStatement, screenshot, typeStatement, useServer, waitSaved } from './harness.mjs';

const env = useServer();
const TEXT = 'Der Freistaat Bayern stimmt der Strategie zu.\n\nZu Z. 12–14: bitte die Register nennen.';

/** Waits until the live texts of all pages agree and returns it. */
async function converged(pages) {
  let texts = [];
  for (let i = 0; i < 100; i++) {
    texts = await Promise.all(pages.map((p) => editorText(p, '#st-body')));
    if (texts.every((t) => t === texts[0])) return texts[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the texts did not converge: ${JSON.stringify(texts)}`);
}

/**
 * Opens a document over a websocket of its own from inside the page (with
 * its cookies); with op, also sends an edit. Returns the first error code,
 * or 'opened' when the open was answered and the edit accepted.
 */
function openOver(page, doc, { op = false } = {}) {
  return page.evaluate(
    ([doc, op]) =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`);
        const done = (v) => (ws.close(), resolve(v));
        setTimeout(() => done('no answer'), 10_000);
        ws.onopen = () => ws.send(JSON.stringify({ t: 'open', doc }));
        ws.onmessage = (ev) => {
          const f = JSON.parse(ev.data);
          if (f.doc !== undefined && f.doc !== doc) return;
          if (f.t === 'error') return done(f.code);
          if (f.t === 'snapshot') {
            if (!op) return done('opened');
            ws.send(JSON.stringify({ t: 'op', doc, v: f.v, op: ['x'], client: 'e2e', seq: 1 }));
          }
          if (f.t === 'ack') done('opened');
        };
      }),
    [doc, op],
  );
}

describe('Stellungnahme', { timeout: 180_000 }, () => {
  test('checked before saving, usable radios, acknowledgement of receipt', async () => {
    const { context, page } = await newPage(env.browser, env.server.base, { acceptDownloads: true });
    await login(page, env.server.base, 'beteiligung@by.example');
    const me = await (await page.request.get(`${env.server.base}/api/me`)).json();
    await page.locator('header a[href="/stellungnahme"]').click();
    await page.getByRole('button', { name: 'Entwurf beginnen' }).waitFor();
    assert.equal((await page.request.get(`${env.server.base}/api/strategies/1/statements/${me.org_id}`)).status(), 404, 'visiting creates nothing');
    await openStatement(page);
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest('#st-body') !== null),
      true,
      'after beginning the draft focus is in its text',
    );
    const content = page.locator('#st-body .cm-content');
    assert.equal(await content.getAttribute('aria-label'), 'Text der Stellungnahme (Markdown)');

    // Empty: both fields are marked, focus goes to the first, nothing is submitted.
    await page.getByRole('button', { name: 'Einreichen', exact: true }).click();
    await page.locator('#st-position-error').waitFor();
    assert.equal(await content.getAttribute('aria-invalid'), 'true');
    assert.match(await content.getAttribute('aria-describedby'), /\bst-body-error\b/);
    assert.match(await page.locator('#st-body-error').textContent(), /Text der Stellungnahme/);
    assert.equal(await page.locator('fieldset[role=radiogroup]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'pos-zustimmung');
    assert.equal(await page.locator('[role=alertdialog]').count(), 0, 'no confirmation for an incomplete statement');
    const stored = await (await page.request.get(`${env.server.base}/api/strategies/1/statements/${me.org_id}`)).json();
    assert.equal(stored.submitted_at, null, 'nothing was submitted');
    assert.equal(stored.body, '');
    assert.deepEqual(await axe(page), [], 'statement page with field errors');
    await screenshot(page, 'statement-errors');

    // Radio buttons: at least 24 × 24 px, and the label selects.
    for (const id of ['pos-zustimmung', 'pos-ablehnung']) {
      const box = await page.locator(`#${id}`).boundingBox();
      assert.ok(box.width >= 24 && box.height >= 24, `${id} is ${box.width} × ${box.height}`);
    }
    await page.locator('label[for="pos-zustimmung_mit_aenderungen"]').click();
    assert.equal(await page.locator('#pos-zustimmung_mit_aenderungen').isChecked(), true);
    assert.equal(await page.locator('#st-position-error').count(), 0, 'choosing clears the message');

    // Text present: submitted after confirming; the receipt names who, which version, the hash.
    await typeStatement(page, TEXT);
    assert.equal(await editorText(page, '#st-body'), TEXT);
    assert.equal(await content.getAttribute('aria-invalid'), null, 'typing clears the mark');
    await page.getByRole('button', { name: 'Einreichen', exact: true }).click();
    await page.getByRole('button', { name: 'Ja, einreichen' }).click();
    await page.locator('#st-status', { hasText: 'eingereicht' }).waitFor();
    const receipt = page.locator('section.receipt');
    await receipt.waitFor();
    const sha = createHash('sha256').update(TEXT, 'utf8').digest('hex');
    assert.equal((await receipt.locator('code.hash').textContent()).trim(), sha);
    assert.match(await receipt.textContent(), new RegExp(me.name));
    assert.deepEqual(await axe(page), [], 'statement page with the receipt');
    await screenshot(page, 'statement-receipt');

    const [download] = await Promise.all([page.waitForEvent('download'), receipt.getByRole('link', { name: /Textdatei/ }).click()]);
    const txt = readFileSync(await download.path(), 'utf8');
    assert.match(txt, /Eingangsbestätigung/);
    assert.ok(txt.includes(sha) && txt.includes(me.name) && txt.includes('Fassung:         1'), txt);
    const html = await page.request.get(`${env.server.base}${await receipt.getByRole('link', { name: /drucken/ }).getAttribute('href')}`);
    assert.match(html.headers()['content-type'], /^text\/html/);
    assert.ok((await html.text()).includes(sha));

    // In English the German text is marked as German (WCAG 3.1.2), in German it needs no mark.
    const text = page.locator('.statement-frozen .markdown').first();
    assert.equal(await text.getAttribute('lang'), null);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Statement' }).waitFor();
    assert.equal(await text.getAttribute('lang'), 'de');
    assert.deepEqual(await axe(page), [], 'statement page in English');
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await context.close();
  });
  test('two members write at once, one offline for a while; the submitted Fassung holds both texts once; another Land cannot open the draft', async () => {
    // A second member of Bayern, added the way an operator does.
    execFileSync(env.server.bin, ['user', 'add', '--email', 'referat@by.example', '--name', 'Anna Weber', '--org', 'BY', '--role', 'land', '--password-stdin'], {
      env: { ...process.env, STRATEGIERAUM_DATABASE_URL: env.server.databaseURL },
      input: PASSWORD + '\n',
    });
    const a = await newPage(env.browser, env.server.base);
    const b = await newPage(env.browser, env.server.base);
    // Route a's websocket through the test so that it can be cut.
    let online = true;
    const sockets = new Set();
    await a.context.routeWebSocket(/\/api\/ws$/, (ws) => {
      if (!online) {
        ws.close({ code: 1006 });
        return;
      }
      sockets.add(ws);
      ws.connectToServer();
    });
    await login(a.page, env.server.base, 'beteiligung@by.example');
    await login(b.page, env.server.base, 'referat@by.example');
    const me = await (await a.page.request.get(`${env.server.base}/api/me`)).json();
    // The first test submitted a Fassung: Anna begins the next one; Florian's page follows.
    await b.page.locator('header a[href="/stellungnahme"]').click();
    await b.page.getByRole('button', { name: 'Neue Fassung beginnen' }).click();
    await b.page.locator('#st-body .cm-content').waitFor();
    await waitSaved(b.page);
    await openStatement(a.page);
    const start = await editorText(a.page, '#st-body');
    assert.equal(await editorText(b.page, '#st-body'), start, 'the new Fassung starts with the submitted text');
    const draft = await (await a.page.request.get(`${env.server.base}/api/strategies/1/statements/${me.org_id}`)).json();
    assert.equal(draft.submitted_at, null);
    assert.equal(draft.version, 2);

    // Both type at the same time, at the two ends of the text.
    const A = ' Ergänzung aus dem Referat Digitales 🚀.';
    const B = 'Vorbemerkung des Staatsministeriums. ';
    await a.page.locator('#st-body .cm-content').focus();
    await a.page.keyboard.press('Control+End');
    await b.page.locator('#st-body .cm-content').focus();
    await b.page.keyboard.press('Control+Home');
    await Promise.all([a.page.keyboard.type(A, { delay: 15 }), b.page.keyboard.type(B, { delay: 15 })]);
    await Promise.all([waitSaved(a.page), waitSaved(b.page)]);
    let text = await converged([a.page, b.page]);
    assert.equal(text, B + start + A);

    // Each sees the other in the list and as a named caret in the text.
    await a.page.locator('.presence li', { hasText: 'Anna Weber (BY)' }).waitFor();
    await b.page.locator('.presence li', { hasText: 'Florian Huber (BY)' }).waitFor();
    await b.page.keyboard.press('Control+Home');
    await b.page.keyboard.press('ArrowRight');
    await a.page.locator('#st-body .cm-remote-label', { hasText: 'Anna Weber (BY)' }).waitFor();
    assert.deepEqual(await axe(a.page), [], 'statement page with a colleague writing');
    await screenshot(a.page, 'statement-live');

    // Florian goes offline and keeps typing; Anna writes meanwhile.
    online = false;
    await a.context.setOffline(true);
    for (const ws of sockets) await ws.close({ code: 1006 }).catch(() => {});
    sockets.clear();
    await a.page.getByText('verbinde neu', { exact: false }).first().waitFor();
    const OFF = ' Offline ergänzt: Übermorgen 🎉';
    await a.page.locator('#st-body .cm-content').focus();
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type(OFF, { delay: 10 });
    await a.page.getByText('offline – ungesicherte Änderungen').waitFor();
    const ON = 'Zweiter Satz während der Funkstille. ';
    await b.page.keyboard.press('Control+Home');
    await b.page.keyboard.type(ON, { delay: 10 });
    await waitSaved(b.page);
    online = true;
    await a.context.setOffline(false);
    await a.page.getByText('verbunden', { exact: true }).waitFor({ timeout: 30_000 });
    await waitSaved(a.page, 30_000);
    text = await converged([a.page, b.page]);
    for (const part of [A, B, OFF, ON]) assert.equal(text.split(part).length, 2, `exactly once: ${part} in ${JSON.stringify(text)}`);

    // Another Land can neither read the draft nor open its live text.
    const he = await newPage(env.browser, env.server.base);
    await login(he.page, env.server.base, 'beteiligung@he.example');
    const heGet = await he.page.request.get(`${env.server.base}/api/strategies/1/statements/${me.org_id}`);
    if (heGet.status() === 200) {
      // Published statements: another Land sees the last submitted Fassung, never the draft.
      const seen = await heGet.json();
      assert.notEqual(seen.id, draft.id, 'another Land does not see the draft');
      assert.ok(seen.submitted_at);
      assert.ok(!seen.body.includes(A) && !seen.body.includes(B));
    } else assert.ok([403, 404].includes(heGet.status()), `GET by another Land: ${heGet.status()}`);
    assert.equal(await openOver(he.page, `statement:${draft.id}`), 'forbidden');

    // Florian chooses the position (a form with the revision check); Anna's page takes it and she submits.
    await a.page.locator('label[for="pos-zustimmung"]').click();
    await a.page.getByRole('button', { name: 'Gesamtposition speichern' }).click();
    await a.page.locator('#st-status', { hasText: 'Gesamtposition gespeichert.' }).waitFor();
    assert.equal(await a.page.evaluate(() => document.activeElement?.id), 'st-status');
    await b.page.waitForFunction(() => document.querySelector('#pos-zustimmung')?.checked);
    await b.page.getByRole('button', { name: 'Einreichen', exact: true }).click();
    await b.page.getByRole('button', { name: 'Ja, einreichen' }).click();
    await b.page.locator('#st-status', { hasText: 'eingereicht' }).waitFor();
    assert.equal(await b.page.evaluate(() => document.activeElement?.id), 'st-status');
    // Florian's page shows the submitted text instead of the editor.
    await a.page.locator('#st-status', { hasText: 'Anna Weber hat die Stellungnahme soeben eingereicht.' }).waitFor();
    await a.page.getByTestId('st-submitted-text').waitFor();
    assert.equal(await a.page.locator('#st-body').count(), 0);

    const versions = await (await b.page.request.get(`${env.server.base}/api/strategies/1/statements/${me.org_id}/versions`)).json();
    const submitted = versions.find((v) => v.version === 2);
    assert.ok(submitted?.submitted_at, 'Fassung 2 is submitted');
    assert.equal(submitted.body, text);
    for (const part of [A, B, OFF, ON]) assert.equal(submitted.body.split(part).length, 2, `submitted exactly once: ${part}`);
    // The submitted text cannot be changed live any more.
    assert.equal(await openOver(b.page, `statement:${draft.id}`, { op: true }), 'section_locked');

    // Another Land reads it only if the strategy publishes statements.
    const strategy = await (await he.page.request.get(`${env.server.base}/api/strategies/1`)).json();
    const after = await he.page.request.get(`${env.server.base}/api/strategies/1/statements/${me.org_id}`);
    if (strategy.statements_public) {
      assert.equal(after.status(), 200);
      assert.equal((await after.json()).body, text);
    } else assert.ok([403, 404].includes(after.status()), `GET by another Land after submitting: ${after.status()}`);
    await a.context.close();
    await b.context.close();
    await he.context.close();
  });
});
