// Browser test of the office downloads: the strategy (whole, one part, one
// focus topic), the report with its Synopse and the receipt of a submitted
// statement download as ODT, DOCX and PDF from their pages; labels in
// German and English; axe-core clean; no sideways scrolling at 320 px.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axe, login, newPage, openStatement, typeStatement, useServer } from './harness.mjs';

const env = useServer();

/** Clicks a link that downloads and returns the file's bytes. */
async function fetchDownload(page, link) {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return readFileSync(await download.path());
}

/** Checks that bytes are an office file of the given kind. */
function assertKind(bytes, kind) {
  if (kind === 'pdf') {
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    return;
  }
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip package');
  if (kind === 'odt') {
    // ODF: the stored mimetype entry comes first.
    assert.equal(bytes.subarray(30, 38).toString('latin1'), 'mimetype');
    assert.ok(bytes.includes(Buffer.from('application/vnd.oasis.opendocument.text')));
  } else {
    assert.ok(bytes.includes(Buffer.from('word/document.xml')));
  }
}

describe('Office documents', { timeout: 180_000 }, () => {
  test('strategy and report downloads for the moderation', async () => {
    const { context, page } = await newPage(env.browser, env.server.base, { acceptDownloads: true });
    await login(page, env.server.base, 'moderation@fitko.example');
    const whole = page.getByRole('list', { name: 'Als Dokument herunterladen: Gesamte Strategie' });
    await whole.waitFor();
    assertKind(await fetchDownload(page, whole.getByRole('link', { name: /^ODT/ })), 'odt');
    assertKind(await fetchDownload(page, whole.getByRole('link', { name: /^DOCX/ })), 'docx');
    const topic = page.getByRole('list', { name: /^Als Dokument herunterladen: Schwerpunktthema Datennutzung/ });
    assertKind(await fetchDownload(page, topic.getByRole('link', { name: /^PDF/ })), 'pdf');
    assert.equal(await page.getByRole('list', { name: /^Als Dokument herunterladen: Teil / }).count() >= 1, true);
    assert.deepEqual(await axe(page), [], 'overview with downloads');
    assert.deepEqual(page.violations, []);

    // At 320 px the lists wrap instead of scrolling sideways.
    await page.setViewportSize({ width: 320, height: 800 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scrolling at 320 px');
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('link', { name: 'Bericht' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bericht zur Beteiligung' }).waitFor();
    const report = page.getByRole('list', { name: 'Als Dokument herunterladen: Auswertung mit Synopse' });
    await report.waitFor();
    for (const kind of ['odt', 'docx', 'pdf']) {
      assertKind(await fetchDownload(page, report.getByRole('link', { name: new RegExp(`^${kind.toUpperCase()}`) })), kind);
    }
    assert.deepEqual(await axe(page), [], 'report with downloads');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('list', { name: 'Download as a document: Report with Synopse' }).waitFor();
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await context.close();
  });

  test('the receipt of a submitted statement as a document', async () => {
    const { context, page } = await newPage(env.browser, env.server.base, { acceptDownloads: true });
    await login(page, env.server.base, 'beteiligung@hb.example');
    await openStatement(page);
    await page.locator('label[for="pos-zustimmung"]').click();
    await typeStatement(page, 'Bremen stimmt zu – „gern“.');
    await page.getByRole('button', { name: 'Einreichen', exact: true }).click();
    await page.getByRole('button', { name: 'Ja, einreichen' }).click();
    const receipt = page.locator('section.receipt');
    await receipt.waitFor();
    const list = receipt.getByRole('list', { name: 'Als Dokument herunterladen: Eingangsbestätigung' });
    for (const kind of ['odt', 'docx', 'pdf']) {
      assertKind(await fetchDownload(page, list.getByRole('link', { name: new RegExp(`^${kind.toUpperCase()}`) })), kind);
    }
    assert.deepEqual(await axe(page), [], 'statement page with document downloads');
    await context.close();
  });
});
