// Browser test of a whole consultation round on an installation started
// without demo data, through the pages alone: the operator creates the
// first accounts with the command line; the administration creates the
// strategy and a Schwerpunktthema on the Struktur page, imports a DOCX and an
// ODT draft as sections and assigns a Themenpate on the Benutzer page; the
// moderation opens a Beteiligung (which freezes the Beteiligungsfassung);
// Bayern comments citing a line of it; the moderation extends the deadline,
// Bayern submits its Stellungnahme, the moderation shortens the deadline,
// and the round's report still lists the statement.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PASSWORD, axe, changeDeadline, execFileSync, localValue, newPage, openStatement, pageApi, repoRoot, sectionId, typeStatement, useServer } from './harness.mjs';

const env = useServer(undefined, { demo: false });
const testdata = join(repoRoot, 'backend', 'importdoc', 'testdata');

/** Creates an account the way an operator does, with the command line. */
function addUser(email, name, org, role) {
  execFileSync(env.server.bin, ['user', 'add', '--email', email, '--name', name, '--org', org, '--role', role, '--password-stdin'], {
    env: { ...process.env, STRATEGIERAUM_DATABASE_URL: env.server.databaseURL },
    input: PASSWORD + '\n',
  });
}

/** Signs in on an installation whose first page may be the overview or the Struktur page. */
async function signIn(page, email) {
  await page.goto(`${env.server.base}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await page.getByRole('navigation', { name: 'Hauptnavigation' }).waitFor();
}

/** Imports one file of testdata on the import page, into the topic named. */
async function importFile(page, file, topicId) {
  await page.locator('#import-file').setInputFiles(join(testdata, file));
  await page.locator('#import-target').selectOption(String(topicId));
  await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
  await page.getByRole('heading', { level: 2, name: new RegExp(`^Vorschau: \\d+ Abschnitte aus „${file.replace('.', '\\.')}“$`) }).waitFor();
  await page.getByRole('button', { name: 'Importieren' }).click();
  await page.locator('#import-done').waitFor();
}

describe('a consultation round from an empty installation', { timeout: 300_000 }, () => {
  test('structure, import, Themenpate, Beteiligung, deadlines and the report', async () => {
    const base = env.server.base;
    addUser('admin@fitko.example', 'Erste Administratorin', 'FITKO', 'admin');
    addUser('moderation@fitko.example', 'Moderation FITKO', 'FITKO', 'moderator');
    addUser('beteiligung@by.example', 'Florian Huber', 'BY', 'land');

    // The administration builds the strategy.
    const adm = await newPage(env.browser, base);
    await signIn(adm.page, 'admin@fitko.example');
    await adm.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Struktur' }).click();
    await adm.page.getByText('Es gibt noch keine Strategie.').waitFor();
    await adm.page.getByLabel('Titel', { exact: true }).fill('Föderale Digitalstrategie');
    await adm.page.getByRole('button', { name: 'Strategie anlegen' }).click();
    await adm.page.getByRole('heading', { level: 2, name: 'Strategie: Föderale Digitalstrategie' }).waitFor();
    const topicForm = adm.page.getByRole('form', { name: 'Neues Schwerpunktthema' });
    await topicForm.getByLabel('Titel des Schwerpunktthemas').fill('Digitale Infrastruktur');
    await topicForm.getByLabel('Hamburg (HH)').check();
    await topicForm.getByRole('button', { name: 'Schwerpunktthema anlegen' }).click();
    await adm.page.locator('li[data-topic]').filter({ hasText: 'Digitale Infrastruktur' }).waitFor();
    const strategy = (await pageApi(adm.page, 'GET', '/api/strategies')).json[0];
    const topic = (await pageApi(adm.page, 'GET', `/api/strategies/${strategy.id}`)).json.topics[0];

    // Both drafts are imported into the topic, from the link on the Struktur page.
    await adm.page.getByRole('link', { name: 'Text in „Föderale Digitalstrategie“ importieren' }).click();
    await adm.page.getByRole('heading', { level: 1, name: 'Entwurf importieren' }).waitFor();
    await importFile(adm.page, 'entwurf.docx', topic.id);
    await adm.page.getByRole('button', { name: 'Weitere Datei importieren' }).click();
    await importFile(adm.page, 'entwurf.odt', topic.id);
    const sections = (await pageApi(adm.page, 'GET', `/api/strategies/${strategy.id}/sections`)).json;
    assert.equal(sections.length, 6, 'three sections from each file');
    assert.ok(sections.every((s) => s.topic_id === topic.id), 'all in the topic');
    const zielbild = sections.find((s) => s.title === 'Zielbild');
    assert.ok(zielbild, 'a section titled Zielbild');

    // A Themenpate of Hamburg for the topic, created on the Benutzer page.
    await adm.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Benutzer' }).click();
    await adm.page.locator('#u-name').fill('Nina Petersen');
    await adm.page.locator('#u-email').fill('pate@hh.example');
    await adm.page.locator('#u-org').selectOption('HH');
    await adm.page.locator('#new-role-themenpate').check();
    await adm.page.locator(`#new-topic-${topic.id}`).check();
    await adm.page.getByRole('button', { name: 'Konto anlegen' }).click();
    await adm.page.locator('#users-notice', { hasText: 'Konto für Nina Petersen angelegt.' }).waitFor();
    await adm.page.goto(`${base}/strategien/${strategy.id}/struktur`);
    await adm.page.locator('li[data-topic]').filter({ hasText: 'Nina Petersen' }).waitFor();
    assert.deepEqual(await axe(adm.page), [], 'Struktur page with the strategy');

    // The moderation opens the Beteiligung on all sections.
    const mod = await newPage(env.browser, base);
    await signIn(mod.page, 'moderation@fitko.example');
    await mod.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Phasen' }).click();
    await mod.page.getByRole('heading', { level: 1, name: 'Phasen und Fristen' }).waitFor();
    const closes = new Date(Date.now() + 14 * 24 * 3600 * 1000);
    await mod.page.locator('#phase-new-title').fill('Beteiligung der Länder');
    await mod.page.locator('#phase-new-opens').fill(await localValue(mod.page, new Date(Date.now() - 60_000)));
    await mod.page.locator('#phase-new-closes').fill(await localValue(mod.page, closes));
    await mod.page.getByRole('button', { name: 'Runde eröffnen' }).click();
    await mod.page.locator('#announcer').filter({ hasText: 'Die neue Beteiligungsrunde ist eröffnet.' }).waitFor();
    const round = (await pageApi(mod.page, 'GET', `/api/strategies/${strategy.id}`)).json.current_phase;
    assert.equal(round?.kind, 'beteiligung', 'the round is the current phase');
    const versions = (await pageApi(mod.page, 'GET', `/api/sections/${zielbild.id}/versions`)).json;
    assert.equal(versions.length, 1, 'the Beteiligungsfassung was frozen');
    assert.match(versions[0].name, /^Beteiligungsfassung \d\d\.\d\d\.\d{4}$/);

    // Bayern comments on the last paragraph of "Zielbild": the thread cites
    // its line of the Beteiligungsfassung.
    const by = await newPage(env.browser, base);
    await signIn(by.page, 'beteiligung@by.example');
    const secId = await sectionId(by.page, base, 'Zielbild');
    const sec = (await pageApi(by.page, 'GET', `/api/sections/${secId}`)).json;
    const at = sec.text.trimEnd().length - 3;
    const line = sec.text.slice(0, at).split(/\n[ \t]*\n\s*/).filter((p) => p.trim()).length;
    const start = [...sec.text.slice(0, at)].length;
    const created = await pageApi(by.page, 'POST', `/api/sections/${secId}/threads`,
      { kind: 'kommentar', start, end: start + 2, version: sec.version, body: 'Bitte den Zeitplan nennen.' });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.deepEqual([created.json.line_from, created.json.line_to], [line, line]);
    await by.page.goto(`${base}/abschnitte/${secId}`);
    await by.page.locator(`article[data-thread="${created.json.id}"] .lines`, { hasText: `Z. ${line}` }).waitFor();

    // The moderation extends the deadline; Bayern submits; the moderation shortens it.
    await changeDeadline(mod.page, new Date(closes.getTime() + 7 * 24 * 3600 * 1000), 'Wunsch mehrerer Länder');
    await openStatement(by.page);
    await by.page.locator('label[for="pos-zustimmung"]').click();
    await typeStatement(by.page, 'Bayern stimmt dem Entwurf zu.');
    await by.page.getByRole('button', { name: 'Einreichen', exact: true }).click();
    await by.page.getByRole('button', { name: 'Ja, einreichen' }).click();
    await by.page.locator('#st-status', { hasText: 'eingereicht' }).waitFor();
    await changeDeadline(mod.page, new Date(Date.now() + 2 * 24 * 3600 * 1000), 'Sitzung vorgezogen');
    const after = (await pageApi(mod.page, 'GET', `/api/strategies/${strategy.id}`)).json.current_phase;
    assert.equal(after.id, round.id, 'the same round, changed in place');
    assert.ok(Date.parse(after.closes_at) < Date.parse(round.closes_at), 'shortened below the first deadline');

    await mod.page.getByRole('link', { name: /^Bericht zur Runde/ }).first().click();
    await mod.page.waitForURL(new RegExp(`/bericht\\?strategie=${strategy.id}&phase=${round.id}$`));
    const statements = mod.page.locator('section[aria-labelledby="rep-st-h"]');
    await statements.locator('tr', { has: mod.page.locator('th', { hasText: /^BY$/ }) }).waitFor();
    assert.deepEqual(await axe(mod.page), [], 'report of the round');
    for (const c of [adm, mod, by]) await c.context.close();
  });
});
