// Browser test of the Synopse page on the demo data: Bayern comments on a
// passage, opens the Synopse from the section's history and finds its thread
// beside the paragraph ("Z. n") of the Beteiligungsfassung it cites, with the
// old and new text of every paragraph; deletions and insertions are named for
// screen readers, the page is axe-clean and fits 320 px.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, pageApi, sectionId, useServer } from './harness.mjs';

const env = useServer();

describe('Synopse', { timeout: 180_000 }, () => {
  test('the Beteiligungsfassung beside the current text, with the contributions', async () => {
    const { page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'beteiligung@by.example');
    const id = await sectionId(page, env.server.base, 'Zielbild: Datennutzung');
    const sec = await pageApi(page, 'GET', `/api/sections/${id}`);
    assert.equal(sec.status, 200);
    const quote = [...sec.json.text].slice(0, 12).join('');
    const th = await pageApi(page, 'POST', `/api/sections/${id}/threads`, { kind: 'frage', start: 0, end: 12, version: sec.json.version, body: 'Synopse-Frage?' });
    assert.equal(th.status, 201, JSON.stringify(th.json));
    assert.ok(th.json.line_from >= 1, 'the thread cites a line');

    await page.goto(`${env.server.base}/abschnitte/${id}/verlauf`);
    await page.getByRole('link', { name: 'Synopse (Beteiligungsfassung und aktuelle Fassung)' }).click();
    await page.waitForURL(new RegExp(`/synopse/${id}$`));
    await page.getByRole('heading', { level: 1, name: 'Synopse: Zielbild: Datennutzung' }).waitFor();
    const rows = page.getByTestId('synopse-row');
    await rows.first().waitFor();
    const row = rows.filter({ hasText: 'Synopse-Frage?' });
    assert.equal(await row.count(), 1, 'the thread stands beside one paragraph');
    assert.equal(await row.getByRole('heading', { level: 2 }).textContent(), `Z. ${th.json.line_from}`);
    assert.ok((await row.textContent()).includes(`„${quote}“`));
    assert.ok((await row.getByRole('heading', { level: 3, name: /^Beteiligungsfassung / }).count()) === 1);
    assert.equal(await page.locator('#syn-from').evaluate((el) => el.selectedOptions[0].textContent.startsWith('Beteiligungsfassung ')), true);
    assert.deepEqual(await axe(page), [], 'Synopse page');

    // The Beteiligungsfassung against itself: nothing changed, so no row
    // marks a deletion or insertion.
    await page.locator('#syn-to').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Vergleichen' }).click();
    await rows.first().locator('h3').nth(1).filter({ hasText: /^Beteiligungsfassung / }).waitFor();
    assert.equal(await page.locator('.synopse-row del, .synopse-row ins').count(), 0, 'a version compared with itself has no changes');

    await page.setViewportSize({ width: 320, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no sideways scrolling at 320 px');
    assert.deepEqual(await axe(page), [], 'Synopse page at 320 px');
  });
});
