// Browser test of the Beschluss page: a moderator opens an Umlaufverfahren
// on a section, two voting members vote in their own browser contexts, the
// tally of the other member's open page updates live, the first Ablehnung
// decides an einstimmig vote at once, and the printable result shows the
// text hash.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, login, newPage, screenshot, sectionId, useServer } from './harness.mjs';

const env = useServer();

describe('Beschluss', { timeout: 240_000 }, () => {
  test('Umlaufverfahren: create, vote live, result with hash', async () => {
    const base = env.server.base;
    const mod = await newPage(env.browser, base);
    await login(mod.page, base, 'moderation@fitko.example');
    await mod.page.locator('header a[href="/beschluesse"]').click();
    await mod.page.locator('#bs-title').waitFor();
    await mod.page.locator('#bs-title').fill('Umsetzungsvorhaben 2026');
    await mod.page.locator('#bs-decision').fill('Der IT-Planungsrat beschließt das Portfolio der Umsetzungsvorhaben.');
    const d = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    const pad = (n) => String(n).padStart(2, '0');
    await mod.page.locator('#bs-deadline').fill(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T12:00`);
    await mod.page.getByLabel('Umsetzungsvorhaben: Auswahl und Portfolio').check();
    assert.deepEqual(await axe(mod.page), [], 'create form');
    await mod.page.getByRole('button', { name: 'Umlaufverfahren eröffnen' }).click();
    await mod.page.locator('#bs-detail-h', { hasText: 'Umsetzungsvorhaben 2026' }).waitFor();
    assert.equal(await mod.page.evaluate(() => document.activeElement?.id), 'bs-detail-h', 'focus moves to the new Vorlage');
    const hash = (await mod.page.getByTestId('text-hash').textContent()).trim();
    assert.match(hash, /^[0-9a-f]{64}$/);

    // Two members open the Vorlage.
    const by = await newPage(env.browser, base);
    await login(by.page, base, 'beteiligung@by.example');
    const hb = await newPage(env.browser, base);
    await login(hb.page, base, 'beteiligung@hb.example');
    for (const p of [by.page, hb.page]) {
      await p.goto(`${base}/beschluesse`);
      await p.getByRole('button', { name: /Umsetzungsvorhaben 2026/ }).click();
      await p.locator('#bs-detail-h', { hasText: 'Umsetzungsvorhaben 2026' }).waitFor();
      await p.getByText('0 von 17 Mitgliedern haben abgestimmt.', { exact: true }).waitFor();
    }

    // Bayern agrees with a Protokollerklärung; Bremen's open page follows live.
    await by.page.getByLabel('Zustimmung').check();
    await by.page.locator('#bs-declaration').fill('Bayern bittet um Bericht im Herbst.');
    await by.page.getByRole('button', { name: 'Stimme abgeben' }).click();
    await by.page.locator('tr[data-org=BY] td', { hasText: 'Zustimmung' }).waitFor();
    await hb.page.getByText('1 von 17 Mitgliedern haben abgestimmt.', { exact: true }).waitFor();
    assert.equal((await hb.page.locator('tr[data-org=BY] td').first().textContent()).trim(), 'abgestimmt', 'the vote stays secret until the result');
    assert.deepEqual(await axe(hb.page), [], 'voting page');
    await screenshot(hb.page, 'beschluss-vote');

    // Bremen rejects: einstimmig fails at once, the result appears everywhere.
    await hb.page.getByLabel('Ablehnung').check();
    await hb.page.getByRole('button', { name: 'Stimme abgeben' }).click();
    for (const p of [hb.page, by.page, mod.page]) {
      await p.getByTestId('result').filter({ hasText: 'nicht angenommen' }).waitFor();
    }
    await by.page.locator('tr[data-org=HB] td', { hasText: 'Ablehnung' }).waitFor();
    assert.equal(await by.page.getByRole('button', { name: 'Stimme abgeben' }).count(), 0, 'no more voting');
    assert.deepEqual(await axe(by.page), [], 'result');

    const href = await by.page.getByRole('link', { name: 'Ergebnis als druckbare Seite' }).getAttribute('href');
    const doc = await by.page.request.get(`${base}${href}`);
    const html = await doc.text();
    assert.ok(html.includes(hash), 'the document shows the text hash');
    assert.ok(html.includes('Bayern bittet um Bericht im Herbst.'), 'and the Protokollerklärung');

    // No sideways scrolling at 320 px.
    await by.page.setViewportSize({ width: 320, height: 640 });
    assert.ok(await by.page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scrolling');
    for (const c of [mod, by, hb]) await c.context.close();
  });

  test('Sitzung: the moderation enters the recorded votes and closes the vote', async () => {
    const base = env.server.base;
    const mod = await newPage(env.browser, base);
    await login(mod.page, base, 'moderation@fitko.example');
    await mod.page.goto(`${base}/beschluesse`);
    await mod.page.locator('#bs-title').fill('Sitzungsbeschluss Portfolio');
    await mod.page.locator('#bs-decision').fill('Der IT-Planungsrat empfiehlt das Portfolio der Umsetzungsvorhaben.');
    await mod.page.locator('#bs-rule').selectOption('empfehlung');
    await mod.page.getByRole('radio', { name: /Sitzung \(die Moderation/ }).check();
    assert.equal(await mod.page.locator('#bs-deadline').count(), 0, 'a session has no deadline');
    await mod.page.getByLabel('Umsetzungsvorhaben: Auswahl und Portfolio').check();
    // The section's Beteiligungsfassung is preselected as the text to decide on.
    const version = mod.page.getByLabel('Fassung von „Umsetzungsvorhaben: Auswahl und Portfolio“');
    await version.waitFor();
    const chosen = await version.evaluate((el) => el.selectedOptions[0].textContent);
    assert.match(chosen, /^Beteiligungsfassung \d\d\.\d\d\.\d{4} \(Fassung 0\)$/, 'the named version is preselected');
    assert.deepEqual(await axe(mod.page), [], 'create form for a session');
    await mod.page.getByRole('button', { name: 'Abstimmung in der Sitzung anlegen' }).click();
    await mod.page.locator('#bs-detail-h', { hasText: 'Sitzungsbeschluss Portfolio' }).waitFor();
    await mod.page.locator('h3', { hasText: chosen }).waitFor();

    // A member watches; it has no vote form in a session.
    const by = await newPage(env.browser, base);
    await login(by.page, base, 'beteiligung@by.example');
    await by.page.goto(`${base}/beschluesse`);
    await by.page.getByRole('button', { name: /Sitzungsbeschluss Portfolio/ }).click();
    await by.page.locator('#bs-detail-h', { hasText: 'Sitzungsbeschluss Portfolio' }).waitFor();
    assert.equal(await by.page.getByRole('button', { name: 'Stimme abgeben' }).count(), 0, 'members do not vote themselves');
    assert.equal(await by.page.getByRole('button', { name: 'Stimme eintragen' }).count(), 0, 'nor enter votes');
    assert.equal(await by.page.locator('#bs-title').count(), 0, 'nor create Vorlagen (the server says can.manage_beschluss is false)');

    // The moderation enters Bayern's vote with its Protokollerklärung, by keyboard.
    await mod.page.locator('#bs-rec-org').selectOption('BY');
    await mod.page.getByRole('radio', { name: 'Zustimmung' }).check();
    await mod.page.locator('#bs-rec-declaration').fill('Bayern gibt eine Erklärung zu Protokoll.');
    await mod.page.locator('#bs-rec-declaration').press('Tab');
    await mod.page.keyboard.press('Enter');
    await mod.page.locator('tr[data-org=BY] td', { hasText: 'Zustimmung' }).waitFor();
    await mod.page.getByText('Die Stimme von BY wurde eingetragen.').waitFor();
    assert.equal(await mod.page.evaluate(() => document.activeElement?.id), 'bs-rec-org', 'focus returns to the member choice');
    assert.equal(await mod.page.locator('#bs-rec-org').inputValue(), 'BE', 'the next member without a vote is preselected');
    await by.page.getByText('1 von 17 Mitgliedern haben abgestimmt.', { exact: true }).waitFor();

    await mod.page.locator('#bs-rec-org').selectOption('HB');
    await mod.page.getByRole('radio', { name: 'Ablehnung' }).check();
    await mod.page.getByRole('button', { name: 'Stimme eintragen' }).click();
    await mod.page.locator('tr[data-org=HB] td', { hasText: 'Ablehnung' }).waitFor();
    await mod.page.locator('#bs-rec-org').selectOption('BE');
    await mod.page.getByRole('radio', { name: 'Zustimmung' }).check();
    await mod.page.getByRole('button', { name: 'Stimme eintragen' }).click();
    await mod.page.locator('tr[data-org=BE] td', { hasText: 'Zustimmung' }).waitFor();
    assert.deepEqual(await axe(mod.page), [], 'session form');

    // Closing determines the result: 2 Zustimmungen against 1 Ablehnung.
    await mod.page.getByRole('button', { name: 'Abstimmung schließen' }).click();
    for (const p of [mod.page, by.page]) {
      await p.getByTestId('result').filter({ hasText: 'Ergebnis: angenommen' }).waitFor();
    }
    assert.equal(await mod.page.evaluate(() => document.activeElement?.id), 'bs-tally-h', 'focus moves to the tally');
    assert.equal(await mod.page.getByRole('button', { name: 'Abstimmung schließen' }).count(), 0, 'closed');
    assert.equal(await mod.page.getByRole('button', { name: 'Stimme eintragen' }).count(), 0, 'no more entries');
    await by.page.locator('tr[data-org=BY] td', { hasText: 'Bayern gibt eine Erklärung zu Protokoll.' }).waitFor();
    assert.deepEqual(await axe(by.page), [], 'session result');

    // The adopted section is final and names its Beschluss, with a link to it.
    const number = (await mod.page.locator('#bs-detail-h').textContent()).match(/Beschluss (\d{4}\/\d+)/)[1];
    const id = await sectionId(by.page, base, 'Umsetzungsvorhaben: Auswahl und Portfolio');
    await by.page.goto(`${base}/abschnitte/${id}`);
    const link = by.page.getByTestId('adopted-by');
    await link.filter({ hasText: `Beschluss ${number} „Sitzungsbeschluss Portfolio“` }).waitFor();
    await link.click();
    await by.page.locator('#bs-detail-h', { hasText: 'Sitzungsbeschluss Portfolio' }).waitFor();
    for (const c of [mod, by]) await c.context.close();
  });

  test('Königsteiner Schlüssel: an administrator edits the table; a wrong sum is refused', async () => {
    const base = env.server.base;
    const adm = await newPage(env.browser, base);
    await login(adm.page, base, 'admin@fitko.example');
    await adm.page.goto(`${base}/beschluesse`);
    const by = adm.page.getByLabel('BY', { exact: true });
    await adm.page.waitForFunction(() => document.querySelector('#bs-key-BY')?.value !== '');
    const year = await adm.page.locator('#bs-key-year').inputValue();
    const original = await by.inputValue();
    assert.deepEqual(await axe(adm.page), [], 'key editor');

    // One Land one point higher: the server refuses with the sum.
    await by.fill((Number(original.replace(',', '.')) + 1).toFixed(5).replace('.', ','));
    await adm.page.getByText(/^Summe: 10[01],\d{5} %$/).waitFor();
    await adm.page.getByRole('button', { name: 'Schlüssel speichern' }).click();
    await adm.page.locator('#bs-key-error', { hasText: 'nicht 100 %' }).waitFor();
    assert.equal(await adm.page.evaluate(() => document.activeElement?.id), 'bs-key-error', 'focus on the error');

    // Corrected, with a new source: saved.
    await by.fill(original);
    await adm.page.locator('#bs-key-source').fill('Bundesanzeiger, geprüft');
    await adm.page.locator('#bs-key-source').press('Enter');
    await adm.page.getByText(`Der Königsteiner Schlüssel ${year} wurde gespeichert.`).waitFor();
    assert.equal(await adm.page.evaluate(() => document.activeElement?.id), 'bs-key-h', 'focus on the editor heading');
    await adm.page.reload();
    await adm.page.waitForFunction(() => document.querySelector('#bs-key-source')?.value === 'Bundesanzeiger, geprüft');
    assert.equal(await by.inputValue(), original, 'the share is stored unchanged');
    await adm.context.close();
  });

  test('the key editor is the administrators\' only', async () => {
    const base = env.server.base;
    const mod = await newPage(env.browser, base);
    await login(mod.page, base, 'moderation@fitko.example');
    await mod.page.goto(`${base}/beschluesse`);
    await mod.page.locator('#bs-title').waitFor();
    assert.equal(await mod.page.locator('#bs-key-h').count(), 0, 'no key editor for moderators');
    await mod.context.close();
  });
});
