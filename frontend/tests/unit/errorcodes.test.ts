// Every error code the server can send has a German and an English text:
// the codes are read from the documents that define them (openapi.yaml's
// Problem, docs/protocol.md's error table) and from the Go constants behind
// them, so a code added on the server without a text fails here.
import { afterEach, describe, expect, it } from 'vitest';
import { liveCodes, problemCodes, problemReasons } from '../../src/lib/i18n/errors';
import { i18n } from '../../src/lib/i18n/index.svelte';
import { liveErrorText, problemText } from '../../src/lib/i18n/problems';
import { ApiError } from '../../src/lib/api/client';
import openapi from '../../../backend/httpapi/openapi.yaml?raw';
import protocolMd from '../../../docs/protocol.md?raw';
import errorsGo from '../../../backend/domain/errors.go?raw';
import protocolGo from '../../../backend/realtime/protocol.go?raw';

const files: Record<string, string> = {
  'backend/httpapi/openapi.yaml': openapi,
  'docs/protocol.md': protocolMd,
  'backend/domain/errors.go': errorsGo,
  'backend/realtime/protocol.go': protocolGo,
};
const read = (path: string) => files[path];

/** The comma-separated words of the description under `name:` in openapi.yaml's Problem schema. */
function problemList(name: string): string[] {
  const yaml = read('backend/httpapi/openapi.yaml');
  const problem = yaml.slice(yaml.indexOf('\n    Problem:'));
  const at = problem.indexOf(`\n        ${name}:`);
  expect(at, `Problem.${name} in openapi.yaml`).toBeGreaterThan(0);
  const rest = problem.slice(at + 1);
  const end = rest.search(/\n {8}[a-z_]+:/);
  const block = rest.slice(0, end);
  let desc = block.slice(block.indexOf('description:') + 'description:'.length).replace('>-', '');
  // "Genauerer Grund zum code, …: stale_revision, …" lists after its colon.
  if (desc.includes(':')) desc = desc.slice(desc.lastIndexOf(':') + 1);
  return desc.split(',').map((w: string) => w.trim()).filter((w: string) => w !== '');
}

/** The codes in the first column of docs/protocol.md's "Error codes" table. */
function protocolCodes(): string[] {
  const md = read('docs/protocol.md');
  const section = md.slice(md.indexOf('### Error codes'));
  const table = section.slice(0, section.indexOf('\n## '));
  return [...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
}

/** The string values of Go constants whose names match prefix in a file. */
function goConstants(path: string, prefix: RegExp): string[] {
  return [...read(path).matchAll(/^\t(\w+)\s*=\s*"([a-z_]+)"/gm)].filter((m) => prefix.test(m[1])).map((m) => m[2]);
}

function missing(codes: string[], texts: Record<string, { de: string; en: string }>): string[] {
  return codes.filter((c) => !texts[c]?.de?.trim() || !texts[c]?.en?.trim());
}

describe('every server error code has a German and an English text', () => {
  it('problem codes of the REST API', () => {
    const codes = problemList('code');
    expect(codes).toContain('unsupported_media_type');
    expect(codes.length).toBeGreaterThanOrEqual(12);
    const fromGo = goConstants('backend/domain/errors.go', /^E[A-Z]+$/);
    expect(fromGo).toContain('rate_limited');
    expect(missing([...codes, ...fromGo], problemCodes)).toEqual([]);
  });

  it('problem reasons', () => {
    const reasons = problemList('reason');
    expect(reasons).toContain('stale_revision');
    expect(reasons).toContain('account_disabled');
    const fromGo = goConstants('backend/domain/errors.go', /^Reason/);
    expect(fromGo.length).toBeGreaterThanOrEqual(15);
    expect(missing([...reasons, ...fromGo], problemReasons)).toEqual([]);
  });

  it('websocket error codes', () => {
    const codes = protocolCodes();
    expect(codes).toContain('version_ahead');
    expect(codes.length).toBeGreaterThanOrEqual(11);
    const fromGo = goConstants('backend/realtime/protocol.go', /^Code/);
    expect(fromGo).toContain('invalid_op');
    expect(missing([...codes, ...fromGo], liveCodes)).toEqual([]);
  });

  it('a missing text is noticed', () => {
    expect(missing(['bad_request', 'no_such_code'], liveCodes)).toEqual(['no_such_code']);
  });
});

describe('liveErrorText', () => {
  afterEach(() => {
    i18n.lang = 'de';
  });

  it('shows the server message on a German page and the code text when there is none', () => {
    expect(liveErrorText({ code: 'invalid_op', message: 'Die Operation fehlt.' })).toEqual({ text: 'Die Operation fehlt.' });
    expect(liveErrorText({ code: 'invalid_op', message: '' })).toEqual({ text: liveCodes.invalid_op.de });
  });

  it('translates by code on an English page; an unknown code keeps the German message marked', () => {
    i18n.lang = 'en';
    expect(liveErrorText({ code: 'too_large', message: 'Die Änderung ist zu groß.' })).toEqual({ text: liveCodes.too_large.en });
    expect(liveErrorText({ code: 'teapot', message: 'Teekanne.' })).toEqual({ text: 'Teekanne.', lang: 'de' });
  });
});

describe('problemText on a German page without a detail', () => {
  it('uses the German text of the reason, then of the code', () => {
    const noDetail = new ApiError(409, 'conflict', '', { code: 'conflict', reason: 'deadline_passed' });
    expect(problemText(noDetail)).toBe(problemReasons.deadline_passed.de);
    expect(problemText(new ApiError(423, 'locked', '', { code: 'locked' }))).toBe(problemCodes.locked.de);
  });
});
