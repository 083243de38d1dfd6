import { describe, expect, test } from 'vitest';
import type { Strategy, Thread, User } from '../../src/lib/api/client';
import { consultationOpen, mayComment, mayDecide, mayHide, mayModerate, mayPropose, mayReport, mayResolve, maySeeStatements, mayViewAudit, mayManageUsers, mayViewReport } from '../../src/lib/consult/policy';

const user = (roles: string[], topic_ids: number[] = []) => ({ id: 1, roles, topic_ids }) as unknown as User;
const phase = (kind: string, opens?: string, closes?: string) =>
  ({ id: 1, current_phase: { kind, opens_at: opens ?? null, closes_at: closes ?? null } }) as unknown as Strategy;
const section = { topic_id: 4, status: 'consultation' as const };
const proposal = { kind: 'aenderungsvorschlag', status: 'offen', anchor: { removed: false } } as unknown as Thread;

describe('consultation policy prediction', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const open = phase('beteiligung', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z');

  test('the consultation window includes opens_at and excludes closes_at', () => {
    expect(consultationOpen(open, now)).toBe(true);
    expect(consultationOpen(open, new Date('2026-12-01T00:00:00Z'))).toBe(false);
    expect(consultationOpen(open, new Date('2026-11-30T23:59:59Z'))).toBe(true);
    expect(consultationOpen(phase('entwurf'), now)).toBe(false);
  });

  test('Land users comment only inside the window, readers never, staff and Paten until adoption', () => {
    expect(mayComment(user(['land']), open, now)).toBe(true);
    expect(mayComment(user(['land']), phase('auswertung'), now)).toBe(false);
    expect(mayComment(user(['reader']), open, now)).toBe(false);
    expect(mayComment(user(['themenpate']), phase('auswertung'), now)).toBe(true);
    expect(mayComment(user(['moderator']), phase('beschlossen'), now)).toBe(false);
    expect(mayPropose(user(['land']), open, { ...section, status: 'final' }, now)).toBe(false);
  });

  test('proposals are decided by moderators and the topic’s Themenpaten only, while open', () => {
    expect(mayDecide(user(['moderator']), open, section, proposal)).toBe(true);
    expect(mayDecide(user(['themenpate'], [4]), open, section, proposal)).toBe(true);
    expect(mayDecide(user(['themenpate'], [5]), open, section, proposal)).toBe(false);
    expect(mayDecide(user(['admin']), open, section, proposal)).toBe(false);
    expect(mayDecide(user(['moderator']), open, section, { ...proposal, status: 'uebernommen' } as Thread)).toBe(false);
    expect(mayDecide(user(['moderator']), open, section, { ...proposal, kind: 'frage' } as Thread)).toBe(false);
    expect(mayResolve(user(['themenpate'], [4]), section)).toBe(true);
    expect(mayResolve(user(['land']), section)).toBe(false);
  });

  test('pages and moderation actions by role', () => {
    expect(mayHide(user(['moderator']))).toBe(true);
    expect(mayHide(user(['admin']))).toBe(false);
    expect(mayReport(user(['reader']))).toBe(false);
    expect(mayReport(user(['land']))).toBe(true);
    expect(mayModerate(user(['themenpate']))).toBe(false);
    expect(mayViewReport(user(['admin']))).toBe(true);
    expect(mayViewReport(user(['land']))).toBe(false);
    expect(mayViewAudit(user(['moderator']))).toBe(true);
    expect(mayViewAudit(user(['admin']))).toBe(true);
    expect(mayManageUsers(user(['admin']))).toBe(true);
    expect(mayManageUsers(user(['moderator']))).toBe(false);
    expect(mayManageUsers(null)).toBe(false);
    expect(mayViewAudit(user(['land']))).toBe(false);
    expect(mayViewAudit(user(['themenpate']))).toBe(false);
    expect(maySeeStatements(user(['reader']))).toBe(false);
    expect(maySeeStatements(user(['land']))).toBe(true);
  });
});
