// Browser test of building a strategy from scratch: a server started
// without demo data, the first administrator created with
// `strategieraum user add`, who then creates the strategy by keyboard, a
// topic with a sponsoring organisation, two sections, renames one,
// reorders them, deletes an empty one after the confirmation, archives one
// with a frozen version, and the page passes axe-core. Focus never falls to
// <body> after an action.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PASSWORD, axe, execFileSync, newPage, pageApi, screenshot, useServer } from './harness.mjs';

const env = useServer(undefined, { demo: false });
const ADMIN = 'erste.admin@fitko.example';

/** Creates the first administrator the way an operator does. */
function addAdmin(server) {
  execFileSync(server.bin, ['user', 'add', '--email', ADMIN, '--name', 'Erste Administratorin', '--org', 'FITKO', '--role', 'admin', '--password-stdin'], {
    env: { ...process.env, STRATEGIERAUM_DATABASE_URL: server.databaseURL },
    input: PASSWORD + '\n',
  });
}

/** Fails unless focus is on an element inside the page's content or header. */
async function focusKept(page, after) {
  const where = await page.evaluate(() => {
    const a = document.activeElement;
    return !a || a === document.body || a === document.documentElement ? 'body' : `${a.tagName}#${a.id}`;
  });
  assert.notEqual(where, 'body', `focus fell to <body> after ${after}`);
  return where;
}

/** Waits until the live region says text. */
async function announced(page, text) {
  await page.locator('#announcer').filter({ hasText: text }).waitFor();
}

describe('structure from scratch', { timeout: 180_000 }, () => {
  test('an administrator builds a strategy on an empty installation', async () => {
    addAdmin(env.server);
    const { context, page } = await newPage(env.browser, env.server.base);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const base = env.server.base;

    await page.goto(`${base}/anmelden`);
    await page.getByLabel('E-Mail-Adresse').fill(ADMIN);
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await nav.getByRole('link', { name: 'Struktur' }).click();
    await page.getByRole('heading', { level: 1, name: 'Struktur' }).waitFor();
    await page.getByText('Es gibt noch keine Strategie.').waitFor();
    assert.deepEqual(await axe(page), [], 'the empty page is accessible');

    // Create the strategy with the keyboard alone.
    await page.getByLabel('Titel', { exact: true }).focus();
    await page.keyboard.type('Föderale Digitalstrategie');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'structure-s-desc', 'Tab leads to the description');
    await page.keyboard.type('Gemeinsame Strategie von Bund und Ländern.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // statements readable by all participants
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Strategie anlegen');
    await page.keyboard.press('Enter');
    await announced(page, 'Strategie „Föderale Digitalstrategie“ angelegt.');
    await page.getByRole('heading', { level: 2, name: 'Strategie: Föderale Digitalstrategie' }).waitFor();
    assert.equal(await focusKept(page, 'creating the strategy'), 'H2#structure-strategy-h');
    const strategies = await (await page.request.get(`${base}/api/strategies`)).json();
    assert.equal(strategies.length, 1);
    assert.equal(strategies[0].statements_public, true, 'the checkbox was ticked by keyboard');
    const sid = strategies[0].id;
    const importLink = page.getByRole('link', { name: 'Text in „Föderale Digitalstrategie“ importieren' });
    assert.equal(await importLink.getAttribute('href'), `/strategien/${sid}/import`);

    // A topic with a sponsoring organisation.
    const topicForm = page.getByRole('form', { name: 'Neues Schwerpunktthema' });
    await topicForm.getByLabel('Titel des Schwerpunktthemas').fill('Datennutzung');
    await topicForm.getByLabel('Hamburg (HH)').check();
    await topicForm.getByRole('button', { name: 'Schwerpunktthema anlegen' }).click();
    await announced(page, 'Schwerpunktthema „Datennutzung“ angelegt.');
    const topic = page.locator('li[data-topic]').filter({ hasText: 'Datennutzung' });
    await topic.filter({ hasText: 'Paten-Organisationen: Hamburg (HH)' }).waitFor();
    await topic.filter({ hasText: 'Noch niemand ist diesem Thema als Themenpate zugeordnet.' }).waitFor();
    assert.match(await focusKept(page, 'creating the topic'), /^H3#topic-\d+-h$/);

    // Two sections, the second in the topic.
    const sectionForm = page.getByRole('form', { name: 'Neuer Abschnitt' });
    await sectionForm.getByLabel('Titel des Abschnitts').fill('Zukunftsbild');
    await sectionForm.getByLabel('Teil').selectOption('dachstrategie');
    await sectionForm.getByRole('button', { name: 'Abschnitt anlegen' }).click();
    await announced(page, 'Abschnitt „Zukunftsbild“ angelegt.');
    await sectionForm.getByLabel('Titel des Abschnitts').fill('Zielbild Daten');
    await sectionForm.getByLabel('Teil').selectOption('schwerpunktthemen');
    await sectionForm.getByLabel('Schwerpunktthema').selectOption({ label: 'Datennutzung' });
    await sectionForm.getByRole('button', { name: 'Abschnitt anlegen' }).click();
    await announced(page, 'Abschnitt „Zielbild Daten“ angelegt.');
    const items = page.locator('li[data-section]');
    await items.nth(1).filter({ hasText: 'Schwerpunktthemen · Datennutzung' }).waitFor();
    assert.match(await focusKept(page, 'creating a section'), /^H3#section-\d+-h$/);

    // Rename the first.
    await page.getByRole('button', { name: '„Zukunftsbild“ bearbeiten' }).click();
    assert.match(await focusKept(page, 'opening the form'), /^INPUT#section-\d+-title$/);
    await page.getByLabel('Titel des Abschnitts').first().fill('Zukunftsbild der Verwaltung');
    await page.getByRole('form', { name: '„Zukunftsbild“ bearbeiten' }).getByRole('button', { name: 'Speichern' }).click();
    await announced(page, 'Abschnitt „Zukunftsbild der Verwaltung“ gespeichert.');
    assert.match(await focusKept(page, 'renaming'), /^BUTTON#section-\d+-edit$/);

    // Reorder by keyboard: the second moves up and keeps focus.
    await page.getByRole('button', { name: '„Zielbild Daten“ nach oben' }).focus();
    await page.keyboard.press('Enter');
    await announced(page, '„Zielbild Daten“ steht jetzt an Stelle 1 von 2.');
    await items.first().filter({ hasText: 'Zielbild Daten' }).waitFor();
    assert.match(await focusKept(page, 'moving up'), /^BUTTON#section-\d+-up$/);
    const order = await (await page.request.get(`${base}/api/strategies/${sid}/sections`)).json();
    assert.deepEqual(order.map((s) => s.title), ['Zielbild Daten', 'Zukunftsbild der Verwaltung']);

    // Delete the empty one after the confirmation.
    await page.getByRole('button', { name: '„Zukunftsbild der Verwaltung“ löschen' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /Ohne Beiträge wird er gelöscht/);
    assert.equal(await focusKept(page, 'asking'), 'BUTTON#structure-confirm-no', 'focus on the safe choice');
    assert.deepEqual(await axe(page), [], 'accessible with the confirmation open');
    await dialog.getByRole('button', { name: 'Ja, entfernen' }).click();
    await announced(page, 'Abschnitt „Zukunftsbild der Verwaltung“ gelöscht.');
    await items.filter({ hasText: 'Zukunftsbild der Verwaltung' }).waitFor({ state: 'detached' });
    assert.equal(await focusKept(page, 'deleting'), 'H2#structure-sections-h');
    assert.equal(await items.count(), 1);

    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'structure');

    // A section with a frozen version is archived, not deleted: it leaves
    // the list and the editor says so.
    const kept = order[0].id;
    const frozen = await pageApi(page, 'POST', `/api/sections/${kept}/versions`, { name: 'Arbeitsstand' });
    assert.equal(frozen.status, 201, JSON.stringify(frozen.json));
    await page.getByRole('button', { name: '„Zielbild Daten“ löschen' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Ja, entfernen' }).click();
    await announced(page, 'Abschnitt „Zielbild Daten“ hatte Beiträge und wurde archiviert');
    await page.getByText('Noch keine Abschnitte.').waitFor();
    await focusKept(page, 'archiving');
    const archived = await pageApi(page, 'GET', `/api/sections/${kept}`);
    assert.equal(archived.status, 200, 'an archived section stays readable');
    assert.ok(archived.json.archived_at, 'marked archived');
    await page.goto(`${base}/abschnitte/${kept}`);
    await page.getByText('Der Abschnitt ist archiviert').waitFor();
    await page.goto(`${base}/strategien/${sid}/struktur`);
    await page.getByRole('heading', { level: 2, name: 'Strategie: Föderale Digitalstrategie' }).waitFor();
    assert.deepEqual(await nav.locator('[aria-current="page"]').allTextContents(), ['Struktur'], 'only Struktur is the current page');
    await page.setViewportSize({ width: 320, height: 800 });
    assert.deepEqual(await axe(page), [], 'accessible at 320 px');
    await screenshot(page, 'structure-320');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no page-wide horizontal scrolling at 320 px (overflow ${overflow})`);
    assert.deepEqual(errors, []);
    assert.deepEqual(page.violations, []);
    assert.deepEqual(page.foreign, []);
    await context.close();
  });

  test('a moderator has no link and the page says who manages the structure', async () => {
    execFileSync(env.server.bin, ['user', 'add', '--email', 'moderation@fitko.example', '--name', 'Moderation', '--org', 'FITKO', '--role', 'moderator', '--password-stdin'], {
      env: { ...process.env, STRATEGIERAUM_DATABASE_URL: env.server.databaseURL },
      input: PASSWORD + '\n',
    });
    const { context, page } = await newPage(env.browser, env.server.base);
    await page.goto(`${env.server.base}/anmelden`);
    await page.getByLabel('E-Mail-Adresse').fill('moderation@fitko.example');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const nav = page.getByRole('navigation', { name: 'Hauptnavigation' });
    await nav.getByRole('link', { name: 'Phasen' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Struktur' }).count(), 0);
    await page.goto(`${env.server.base}/struktur`);
    await page.getByText('Die Struktur der Strategien verwaltet die Administration.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Strategie anlegen' }).count(), 0);
    const r = await pageApi(page, 'POST', '/api/strategies', { title: 'Nebenbei' });
    assert.equal(r.status, 403);
    assert.equal(r.json.reason, 'admin_only');
    await context.close();
  });
});
