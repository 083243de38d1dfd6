// Browser test of the search on the demo data: Bayern writes a comment,
// searches for one of its words in the header, finds the passage marked on
// the results page (the number of hits announced, focus on the results
// heading), filters and follows the link to the thread in the editor. The
// page is axe-clean, keyboard operable and fits 320 px.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, pageApi, sectionId, useServer } from './harness.mjs';

const env = useServer();

describe('Suche', { timeout: 180_000 }, () => {
  test('header search, marked hits, filters and a link to the passage', async () => {
    const { page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'beteiligung@by.example');
    const id = await sectionId(page, env.server.base, 'Zielbild: Datennutzung');
    const sec = await pageApi(page, 'GET', `/api/sections/${id}`);
    assert.equal(sec.status, 200);
    const th = await pageApi(page, 'POST', `/api/sections/${id}/threads`, {
      kind: 'kommentar', start: 0, end: 12, version: sec.json.version, body: 'Bayern bittet um ein Leuchtturmregister für alle Länder.',
    });
    assert.equal(th.status, 201, JSON.stringify(th.json));

    // The header's search field, by keyboard.
    const field = page.getByRole('search', { name: 'Suche' }).getByRole('searchbox', { name: 'Suchbegriff' });
    await field.focus();
    await page.keyboard.type('Leuchtturmregister');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/suche\?/);
    const results = page.getByRole('heading', { level: 2, name: '1 Treffer für „Leuchtturmregister“' });
    await results.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'search-results-h');
    await page.waitForFunction(() => [...document.querySelectorAll('[aria-live]')].some((el) => el.textContent.includes('1 Treffer')));
    const hit = page.locator('.search-hits > li');
    assert.equal(await hit.count(), 1);
    assert.equal(await hit.locator('mark').textContent(), 'Leuchtturmregister');
    assert.ok((await hit.textContent()).includes('Kommentar'));
    assert.deepEqual(await axe(page), [], 'search results');

    // German inflection and the filters: the plural finds the section texts.
    await page.getByLabel('Suchbegriff', { exact: true }).last().fill('Verwaltungen');
    await page.getByLabel('Art').selectOption('section');
    await page.getByRole('button', { name: 'Suchen' }).last().click();
    await page.getByRole('heading', { level: 2, name: /Treffer für „Verwaltungen“/ }).waitFor();
    const sections = page.locator('.search-hits > li');
    assert.ok((await sections.count()) >= 2, 'several sections speak of the Verwaltung');
    assert.ok((await sections.locator('mark').first().textContent()).toLowerCase().startsWith('verwaltung'));
    assert.equal(await page.locator('.search-hits .badge').filter({ hasNotText: 'Abschnittstext' }).count(), 0);

    // A bad query is a German message, not an error page.
    await page.getByLabel('Suchbegriff', { exact: true }).last().fill('"Verwaltung');
    await page.getByRole('button', { name: 'Suchen' }).last().click();
    await page.getByRole('alert').filter({ hasText: 'Anführungszeichen' }).waitFor();

    // Back to the comment, and its link opens the thread in the editor.
    await page.goBack();
    await page.goBack();
    await results.waitFor();
    await page.getByRole('link', { name: 'Zielbild: Datennutzung' }).first().click();
    await page.waitForURL(new RegExp(`/abschnitte/${id}#diskussion-${th.json.id}$`));
    await page.waitForFunction((tid) => document.activeElement?.closest(`[data-thread="${tid}"]`) != null, th.json.id);

    await page.goto(`${env.server.base}/suche?q=Leuchtturmregister`);
    await results.waitFor();
    await page.setViewportSize({ width: 320, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no sideways scrolling at 320 px');
    assert.deepEqual(await axe(page), [], 'search results at 320 px');
  });
});
