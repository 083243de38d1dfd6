// Browser tests of bad days: the database goes away for ten seconds while
// an editor types alone, and the network drops without the socket being
// closed. In both cases every word typed is saved exactly once afterwards
// and the page says what is going on. The server runs on a PostgreSQL
// cluster of this file's own, which the test stops and starts; it is never
// the shared one.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editorText, execFileSync, freePort, login, newPage, sectionId, useServer, waitSaved } from './harness.mjs';

const PG_BIN = process.env.PG_BIN || '/usr/lib/postgresql/15/bin';
const SECTION_TITLE = 'Zielbild: Datennutzung';

/** Runs a PostgreSQL tool; as root it runs as the postgres user, which PostgreSQL insists on. */
function pgTool(tool, args) {
  const bin = join(PG_BIN, tool);
  if (process.getuid?.() === 0) return execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
  return execFileSync(bin, args, { stdio: 'pipe' });
}

/** A throwaway cluster on a free port: initdb into a temp dir, start and stop with pg_ctl. */
async function privatePostgres() {
  if (!existsSync(join(PG_BIN, 'initdb'))) return null;
  const dir = mkdtempSync(join(tmpdir(), 'strategieraum-pg-'));
  if (process.getuid?.() === 0) {
    const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres']).toString().trim()));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const pg = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    start: () =>
      pgTool('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']),
    stop: () => pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  pg.start();
  return pg;
}

let pg = null;
const env = useServer(async () => {
  pg = await privatePostgres();
  return pg ? { STRATEGIERAUM_DATABASE_URL: pg.url } : {};
});
after(() => {
  // Runs after the server has stopped (hooks run in registration order).
  try {
    pg?.stop();
  } catch {
    // already stopped
  }
  pg?.remove();
});

async function serverText(page, id) {
  const r = await page.request.get(`${env.server.base}/api/sections/${id}`);
  assert.equal(r.status(), 200);
  return (await r.json()).text;
}

/** Opens the section as pate1 with the cursor at the end of its text. */
async function openEditor(context, page) {
  await login(page, env.server.base, 'pate1@hh.example');
  const id = await sectionId(page, env.server.base, SECTION_TITLE);
  await page.goto(`${env.server.base}/abschnitte/${id}`);
  await waitSaved(page);
  await page.locator('#section-editor .cm-content').click();
  await page.keyboard.press('Control+End');
  return id;
}

function assertOnce(text, words) {
  for (const w of words) assert.equal(text.split(w).length, 2, `"${w}" is in the text exactly once:\n${text.slice(-400)}`);
}

describe('resilience', { timeout: 600_000 }, () => {
  test('an editor alone saves every word exactly once through a 10-second database outage', async (t) => {
    if (!pg) {
      t.skip(`PostgreSQL binaries not found in ${PG_BIN}`);
      return;
    }
    const { context, page } = await newPage(env.browser, env.server.base);
    const id = await openEditor(context, page);
    const words = [' vorher-eins', ' während-zwei', ' während-drei', ' während-vier', ' während-fünf', ' nachher-sechs'];
    await page.keyboard.type(words[0], { delay: 10 });
    await waitSaved(page);

    pg.stop();
    const down = Date.now();
    for (const w of words.slice(1, 5)) {
      await page.keyboard.type(w, { delay: 10 });
      await page.waitForTimeout(1500);
    }
    // The page admits that nothing is being saved.
    await page.getByText('Datenbank nicht erreichbar', { exact: false }).first().waitFor({ timeout: 30_000 });
    await page.getByTestId('save-state').filter({ hasText: 'Ungespeicherte Änderungen' }).waitFor();
    // Keep the outage at ten seconds or more, however fast the typing went.
    await page.waitForTimeout(Math.max(0, 10_000 - (Date.now() - down)));
    pg.start();

    await page.keyboard.type(words[5], { delay: 10 });
    await waitSaved(page, 90_000);
    await page.getByText('verbunden', { exact: true }).waitFor();
    const text = await serverText(page, id);
    assertOnce(text, words);
    assert.equal(await editorText(page), text);
    await context.close();
  });

  test('a dropped network is noticed, shown as offline, and everything is saved when it returns', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    // A short heartbeat keeps the test short; detection must not need a close.
    await context.addInitScript(() => {
      globalThis.__strategieraumHeartbeatMs = 500;
    });
    // While "dead" the socket stays open but nothing passes, as on a
    // network that vanished without a close; new sockets are refused.
    let dead = false;
    await context.routeWebSocket(/\/api\/ws$/, (ws) => {
      if (dead) {
        ws.close({ code: 1006 });
        return;
      }
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        if (!dead) server.send(m);
      });
      server.onMessage((m) => {
        if (!dead) ws.send(m);
      });
    });
    const id = await openEditor(context, page);
    await page.keyboard.type(' vor-dem-Funkloch', { delay: 10 });
    await waitSaved(page);

    dead = true;
    await context.setOffline(true);
    const offline = ' im-Funkloch-geschrieben';
    await page.keyboard.type(offline, { delay: 10 });
    await page.getByText('offline – ungesicherte Änderungen').waitFor({ timeout: 30_000 });

    dead = false;
    await context.setOffline(false);
    await page.getByText('verbunden', { exact: true }).waitFor({ timeout: 60_000 });
    await waitSaved(page, 60_000);
    const text = await serverText(page, id);
    assertOnce(text, [' vor-dem-Funkloch', offline]);
    await context.close();
  });
});
