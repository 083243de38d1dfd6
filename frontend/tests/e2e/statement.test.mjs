// Browser test of the Stellungnahme page: an incomplete statement is refused
// per field before anything is saved, the radio buttons are large enough and
// their labels select them, and a submission shows an acknowledgement of
// receipt with the text's SHA-256, downloadable as text and as a page.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { axe, login, newPage, screenshot, useServer } from './harness.mjs';

const env = useServer();
const TEXT = 'Der Freistaat Bayern stimmt der Strategie zu.\n\nZu Z. 12–14: bitte die Register nennen.';

describe('Stellungnahme', { timeout: 180_000 }, () => {
  test('checked before saving, usable radios, acknowledgement of receipt', async () => {
    const { context, page } = await newPage(env.browser, env.server.base, { acceptDownloads: true });
    await login(page, env.server.base, 'beteiligung@by.example');
    await page.locator('header a[href="/stellungnahme"]').click();
    await page.locator('#st-body').waitFor();

    // Empty: both fields are marked, focus goes to the first, nothing is saved.
    await page.getByRole('button', { name: 'Einreichen', exact: true }).click();
    await page.locator('#st-position-error').waitFor();
    assert.equal(await page.locator('#st-body').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#st-body').getAttribute('aria-describedby'), 'st-body-error');
    assert.match(await page.locator('#st-body-error').textContent(), /Text der Stellungnahme/);
    assert.equal(await page.locator('fieldset[role=radiogroup]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'pos-zustimmung');
    assert.equal(await page.locator('p.notice', { hasText: 'Entwurf gespeichert' }).count(), 0);
    assert.equal(await page.locator('[role=alertdialog]').count(), 0, 'no confirmation for an incomplete statement');
    const me = await (await page.request.get(`${env.server.base}/api/me`)).json();
    const stored = await page.request.get(`${env.server.base}/api/strategies/1/statements/${me.org_id}`);
    assert.equal(stored.status(), 404, 'nothing was saved');
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
    await page.locator('#st-body').fill(TEXT);
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
});
