// Browser test of single sign-on: the server is configured with an OpenID
// provider that this test runs itself (no Keycloak can be installed where
// the tests run). It serves discovery and keys, signs ID tokens with RS256
// and checks the PKCE verifier at its token endpoint; its sign-in page
// approves at once as the person the test chose. A Themenpate signs in
// through it and lands on the overview; a person without an account is
// sent back with a clear message; the login page passes axe-core.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { axe, newPage, screenshot, useServer } from './harness.mjs';

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** Starts the test's OpenID provider on localhost; person is who signs in. */
async function startIssuer() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const codes = new Map();
  const issuer = { person: null, url: '' };
  const srv = createServer(async (req, res) => {
    const u = new URL(req.url, issuer.url);
    const json = (status, v) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (u.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: issuer.url, authorization_endpoint: `${issuer.url}/auth`, token_endpoint: `${issuer.url}/token`,
        jwks_uri: `${issuer.url}/keys`, id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code'], subject_types_supported: ['public'],
      });
    }
    if (u.pathname === '/keys') return json(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    if (u.pathname === '/auth') {
      const q = u.searchParams;
      assert.equal(q.get('code_challenge_method'), 'S256');
      const code = b64url(randomBytes(16));
      codes.set(code, { challenge: q.get('code_challenge'), nonce: q.get('nonce'), person: issuer.person });
      res.writeHead(302, { location: `${q.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(q.get('state'))}` });
      return res.end();
    }
    if (u.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const basic = Buffer.from((req.headers.authorization || '').replace(/^Basic /, ''), 'base64').toString();
      const [id, secret] = basic.includes(':') ? basic.split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
      const grant = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      const verifier = createHash('sha256').update(form.get('code_verifier') || '').digest('base64url');
      if (id !== 'strategieraum' || secret !== 'geheim' || !grant || verifier !== grant.challenge) return json(400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' }));
      const claims = b64url(JSON.stringify({ iss: issuer.url, aud: 'strategieraum', sub: grant.person.email, nonce: grant.nonce, iat: now, exp: now + 300, ...grant.person }));
      const sig = sign('sha256', Buffer.from(`${head}.${claims}`), privateKey).toString('base64url');
      return json(200, { access_token: 'a', token_type: 'Bearer', expires_in: 300, id_token: `${head}.${claims}.${sig}` });
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((ok) => srv.listen(0, 'localhost', ok));
  issuer.url = `http://localhost:${srv.address().port}`;
  issuer.close = () => new Promise((ok) => srv.close(ok));
  return issuer;
}

let issuer;
const env = useServer(async (base) => {
  issuer = await startIssuer();
  return {
    STRATEGIERAUM_PUBLIC_URL: base,
    STRATEGIERAUM_OIDC_ISSUER: issuer.url,
    STRATEGIERAUM_OIDC_CLIENT_ID: 'strategieraum',
    STRATEGIERAUM_OIDC_CLIENT_SECRET: 'geheim',
  };
});
after(async () => {
  await issuer?.close();
});

describe('single sign-on', { timeout: 120_000 }, () => {
  test('a Themenpate signs in with the work account and lands where they wanted to go', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await page.goto(`${env.server.base}/anmelden?zurueck=/protokoll`);
    const link = page.getByRole('link', { name: 'Mit Dienstkonto anmelden' });
    await link.waitFor();
    assert.deepEqual(await axe(page), []);
    await screenshot(page, 'login-sso');
    issuer.person = { email: 'pate1@hh.example', email_verified: true, name: 'egal' };
    await link.click();
    await page.waitForURL(`${env.server.base}/protokoll`);
    await page.getByText(/Angemeldet als .* \(HH\)/).waitFor();
    const me = await (await page.request.get(`${env.server.base}/api/me`)).json();
    assert.equal(me.email, 'pate1@hh.example');
    assert.deepEqual(page.violations, [], 'no CSP violations');
    await context.close();
  });

  test('a person without an account is told so on the login page', async () => {
    const { context, page } = await newPage(env.browser, env.server.base);
    await page.goto(`${env.server.base}/anmelden`);
    issuer.person = { email: 'niemand@nirgendwo.example', email_verified: true, name: 'Niemand' };
    await page.getByRole('link', { name: 'Mit Dienstkonto anmelden' }).click();
    await page.waitForURL(/\/anmelden\?sso=unknown$/);
    await page.getByRole('alert').filter({ hasText: 'noch kein Konto' }).waitFor();
    assert.equal((await page.request.get(`${env.server.base}/api/me`)).status(), 401);
    assert.deepEqual(await axe(page), []);
    await context.close();
  });
});
