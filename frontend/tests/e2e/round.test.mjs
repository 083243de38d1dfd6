// Browser test of a consultation round on the demo data: Bayern comments and
// the thread cites its paragraph of the Beteiligungsfassung ("Z. n"); the moderator
// extends the deadline on the Phasen page with a reason, Bayern submits its
// statement, the moderator shortens the deadline, and the round's report
// (reached from the Phasen page) still lists the statement. The page is
// keyboard-operable, axe-clean and fits 320 px.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { axe, changeDeadline, login, newPage, openStatement, screenshot, sectionId, typeStatement, useServer } from './harness.mjs';

const env = useServer();

describe('consultation round', { timeout: 180_000 }, () => {
  test('deadline extended and shortened in place; the report keeps every statement', async () => {
    const mod = await newPage(env.browser, env.server.base);
    await login(mod.page, env.server.base, 'moderation@fitko.example');
    await mod.page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Phasen' }).click();
    await mod.page.waitForURL(/\/phasen$/);
    await mod.page.getByRole('heading', { level: 1, name: 'Phasen und Fristen' }).waitFor();
    await mod.page.locator('button[id^="phase-edit-"]').first().waitFor();
    assert.deepEqual(await axe(mod.page), [], 'Phasen page');

    const strategy = await (await mod.page.request.get(`${env.server.base}/api/strategies/1`)).json();
    const round = strategy.current_phase;
    assert.equal(round.kind, 'beteiligung');
    const extended = new Date(Date.parse(round.closes_at) + 7 * 24 * 3600 * 1000);
    await changeDeadline(mod.page, extended, 'Wunsch mehrerer Länder');
    let phase = (await (await mod.page.request.get(`${env.server.base}/api/strategies/1`)).json()).current_phase;
    assert.equal(phase.id, round.id, 'the same round, changed in place');
    assert.ok(Date.parse(phase.closes_at) > Date.parse(round.closes_at), 'deadline extended');
    assert.deepEqual(await axe(mod.page), [], 'Phasen page after the change');

    // Bayern is told and submits its statement.
    const by = await newPage(env.browser, env.server.base);
    await login(by.page, env.server.base, 'beteiligung@by.example');
    const notes = await (await by.page.request.get(`${env.server.base}/api/notifications`)).json();
    assert.ok(notes.some((n) => n.text.startsWith('Frist verlängert bis ')), 'Bayern was told of the extension');

    // Bayern comments on the last paragraph of a section; the thread cites
    // it by its line (paragraph) of the Beteiligungsfassung.
    const secId = await sectionId(by.page, env.server.base, 'Zielbild: Datennutzung');
    const sec = await (await by.page.request.get(`${env.server.base}/api/sections/${secId}`)).json();
    const at = sec.text.trimEnd().length - 5;
    const line = sec.text.slice(0, at).split(/\n[ \t]*\n\s*/).filter((p) => p.trim()).length;
    assert.ok(line > 1, `the passage lies in paragraph ${line}`);
    const start = [...sec.text.slice(0, at)].length;
    const created = await by.page.request.post(`${env.server.base}/api/sections/${secId}/threads`, {
      headers: { Origin: env.server.base },
      data: { kind: 'kommentar', start, end: start + 3, version: sec.version, body: 'Bitte präzisieren.' },
    });
    assert.equal(created.status(), 201, await created.text());
    const thread = await created.json();
    assert.deepEqual([thread.line_from, thread.line_to], [line, line]);
    await by.page.goto(`${env.server.base}/abschnitte/${secId}`);
    await by.page.locator(`article[data-thread="${thread.id}"] .lines`, { hasText: `Z. ${line}` }).waitFor();

    await openStatement(by.page);
    await by.page.locator('label[for="pos-zustimmung"]').click();
    await typeStatement(by.page, 'Bayern stimmt zu.');
    await by.page.getByRole('button', { name: 'Einreichen', exact: true }).click();
    await by.page.getByRole('button', { name: 'Ja, einreichen' }).click();
    await by.page.locator('#st-status', { hasText: 'eingereicht' }).waitFor();

    // The moderator shortens the deadline; the statement stays in the round.
    const shortened = new Date(Date.now() + 2 * 24 * 3600 * 1000);
    await changeDeadline(mod.page, shortened, 'Sitzung des IT-Planungsrats vorgezogen');
    phase = (await (await mod.page.request.get(`${env.server.base}/api/strategies/1`)).json()).current_phase;
    assert.equal(phase.id, round.id);
    assert.ok(Date.parse(phase.closes_at) < Date.parse(round.closes_at), 'deadline shortened');

    await mod.page.getByRole('link', { name: /^Bericht zur Runde/ }).first().click();
    await mod.page.waitForURL(new RegExp(`/bericht\\?strategie=1&phase=${round.id}$`));
    const statements = mod.page.locator('section[aria-labelledby="rep-st-h"]');
    const byRow = statements.locator('tr', { has: mod.page.locator('th', { hasText: /^BY$/ }) });
    await byRow.waitFor();
    assert.equal((await byRow.locator('td').first().textContent()).trim(), '1', 'Bayern\'s submitted version 1 is listed');

    // 320 px: no sideways scrolling on the Phasen page.
    await mod.page.goto(`${env.server.base}/phasen`);
    await mod.page.setViewportSize({ width: 320, height: 800 });
    await mod.page.locator('button[id^="phase-edit-"]').first().waitFor();
    const overflow = await mod.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `scrolls sideways by ${overflow}px at 320 px`);
    assert.deepEqual(await axe(mod.page), [], 'Phasen page at 320 px');
    await screenshot(mod.page, 'phases-320');
    await by.context.close();
    await mod.context.close();
  });
});
