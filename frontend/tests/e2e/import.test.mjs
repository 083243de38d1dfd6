// Browser test of the import page on the demo data: the administration
// uploads a DOCX into a new Schwerpunktthema and an ODT (both made by
// LibreOffice, backend/importdoc/testdata) to the end of an existing one,
// sees the preview, imports, and finds the sections; a file that is not
// what its name says is refused with the message in focus and nothing
// created; moderation is turned away. Focus never falls to <body>, and the
// page is axe-clean, also at 320 px.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axe, login, newPage, pageApi, repoRoot, useServer } from './harness.mjs';

const env = useServer();
const testdata = join(repoRoot, 'backend', 'importdoc', 'testdata');

/** The id of the element that has focus; fails if focus is on <body>. */
async function focused(page) {
  const id = await page.evaluate(() => (document.activeElement === document.body ? 'BODY' : document.activeElement?.id ?? ''));
  assert.notEqual(id, 'BODY', 'focus fell to <body>');
  return id;
}

async function sectionTitles(page, strategy) {
  const r = await pageApi(page, 'GET', `/api/strategies/${strategy}/sections`);
  assert.equal(r.status, 200);
  return r.json.map((s) => s.title);
}

describe('Import', { timeout: 180_000 }, () => {
  test('DOCX and ODT become sections after a preview', async () => {
    const { page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'admin@fitko.example');
    const strategy = Number(new URL(page.url()).pathname.split('/').pop());
    const before = await sectionTitles(page, strategy);

    await page.goto(`${env.server.base}/strategien/${strategy}/import`);
    await page.getByRole('heading', { level: 1, name: 'Entwurf importieren' }).waitFor();
    await page.getByLabel('Datei (.md, .odt oder .docx, höchstens 10 MiB)').waitFor();
    assert.deepEqual(await axe(page), [], 'import page');

    // A text file named .docx is refused; the message takes focus.
    const dir = mkdtempSync(join(tmpdir(), 'import-e2e-'));
    writeFileSync(join(dir, 'falsch.docx'), '# Kein Word-Dokument\n');
    await page.locator('#import-file').setInputFiles(join(dir, 'falsch.docx'));
    await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
    const alert = page.locator('#import-error');
    await alert.waitFor();
    assert.match(await alert.textContent(), /passt nicht zur Dateiendung/);
    assert.equal(await focused(page), 'import-error');

    // DOCX into a new topic, operated by keyboard.
    await page.locator('#import-file').setInputFiles(join(testdata, 'entwurf.docx'));
    await page.locator('#import-topic-title').fill('Digitale Infrastruktur (Import)');
    await page.getByRole('button', { name: 'Vorschau anzeigen' }).focus();
    await page.keyboard.press('Enter');
    const previewHeading = page.getByRole('heading', { level: 2, name: 'Vorschau: 3 Abschnitte aus „entwurf.docx“' });
    await previewHeading.waitFor();
    assert.equal(await focused(page), 'import-preview-h');
    const previewTitles = await page.locator('.import-preview > li > h3').allTextContents();
    assert.deepEqual(previewTitles, ['Einleitung', 'Zielbild', 'Leitplanken']);
    assert.equal(await page.locator('.import-preview strong', { hasText: 'leistungsfähige Netze' }).count(), 1, 'bold kept');
    assert.deepEqual(await sectionTitles(page, strategy), before, 'the preview created nothing');
    assert.deepEqual(await axe(page), [], 'import page with preview');

    await page.getByRole('button', { name: 'Importieren' }).focus();
    await page.keyboard.press('Enter');
    const done = page.locator('#import-done');
    await done.waitFor();
    assert.equal(await done.textContent().then((s) => s.trim()), '3 Abschnitte wurden in „Digitale Infrastruktur (Import)“ importiert.');
    assert.equal(await focused(page), 'import-done');
    assert.deepEqual(await page.locator('.import-result a').allTextContents(), ['Einleitung', 'Zielbild', 'Leitplanken']);
    assert.deepEqual(await axe(page), [], 'import page with result');
    const afterDocx = await sectionTitles(page, strategy);
    assert.deepEqual(afterDocx.slice(-3), ['Einleitung', 'Zielbild', 'Leitplanken']);

    // ODT to the end of an existing topic.
    await page.getByRole('button', { name: 'Weitere Datei importieren' }).click();
    assert.equal(await focused(page), 'import-file');
    const st = await pageApi(page, 'GET', `/api/strategies/${strategy}`);
    const topic = st.json.topics.find((t) => t.title === 'Datennutzung');
    assert.ok(topic, 'the demo has the topic Datennutzung');
    await page.locator('#import-file').setInputFiles(join(testdata, 'entwurf.odt'));
    await page.locator('#import-target').selectOption(String(topic.id));
    assert.equal(await page.locator('#import-topic-title').count(), 0, 'no title for an existing topic');
    await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
    await page.getByRole('heading', { level: 2, name: 'Vorschau: 3 Abschnitte aus „entwurf.odt“' }).waitFor();
    assert.match(await page.locator('.preview').textContent(), /ans Ende des Schwerpunktthemas „Datennutzung“/);
    await page.getByRole('button', { name: 'Importieren' }).click();
    await done.waitFor();
    assert.equal(await focused(page), 'import-done');

    // The sections stand after the topic's last section and open in the editor.
    const sections = (await pageApi(page, 'GET', `/api/strategies/${strategy}/sections`)).json;
    const ofTopic = sections.filter((s) => s.topic_id === topic.id).map((s) => s.title);
    assert.deepEqual(ofTopic.slice(-3), ['Einleitung', 'Zielbild', 'Leitplanken']);
    await page.getByRole('link', { name: 'Zielbild' }).click();
    await page.waitForURL(/\/abschnitte\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const sec = await pageApi(page, 'GET', `/api/sections/${id}`);
    assert.ok(sec.json.text.includes('**leistungsfähige Netze**'), sec.json.text);
    assert.equal(sec.json.topic_id, topic.id);

    await page.goto(`${env.server.base}/strategien/${strategy}/import`);
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByRole('heading', { level: 1, name: 'Entwurf importieren' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no sideways scrolling at 320 px');
    assert.deepEqual(await axe(page), [], 'import page at 320 px');
    assert.deepEqual(page.violations, [], 'no CSP violations');
    assert.deepEqual(page.foreign, [], 'no requests to other hosts');
  });

  test('moderation is turned away', async () => {
    const { page } = await newPage(env.browser, env.server.base);
    await login(page, env.server.base, 'moderation@fitko.example');
    const strategy = Number(new URL(page.url()).pathname.split('/').pop());
    await page.goto(`${env.server.base}/strategien/${strategy}/import`);
    await page.getByText('Nur die Administration kann Entwürfe importieren.').waitFor();
    assert.equal(await page.locator('#import-file').count(), 0);
    assert.deepEqual(await axe(page), [], 'import page refused');
  });
});
