// Browser test of how the app is delivered: the overview and the legal
// pages do not load CodeMirror (the editor and its chunks are imported only
// when a section is opened), the scripts arrive precompressed, and the legal
// pages come from the server with their placeholder note.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { login, newPage, useServer } from './harness.mjs';

const env = useServer();

describe('delivery', { timeout: 120_000 }, () => {
  test('pages without an editor do not load CodeMirror; assets are compressed', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    const scripts = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/assets/') && r.url().endsWith('.js')) {
        scripts.push({ path: new URL(r.url()).pathname, encoding: r.headers()['content-encoding'] ?? '' });
      }
    });

    await page.goto(`${env.server.base}/impressum`);
    await page.getByRole('heading', { level: 1, name: 'Impressum' }).waitFor();
    await page.getByText('Angaben gemäß § 5 DDG').waitFor();
    await page.getByText('Mit [PLATZHALTER] markierte Angaben').waitFor();

    await login(page, env.server.base, 'pate1@hh.example');
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.ok(scripts.length > 0, 'the app script was loaded');
    const names = scripts.map((s) => s.path);
    assert.deepEqual(names.filter((p) => /codemirror|Editor/i.test(p)), [], `overview loaded ${names.join(', ')}`);
    for (const s of scripts) assert.match(s.encoding, /^(br|gzip)$/, `${s.path} arrived uncompressed`);

    // Opening a section loads the editor chunks on demand.
    await page.locator('a[href*="/abschnitte/"]').first().click();
    await page.locator('.cm-content').first().waitFor();
    assert.ok(scripts.some((s) => /codemirror/i.test(s.path)), 'the editor page loaded CodeMirror');
    await context.close();
  });
});
