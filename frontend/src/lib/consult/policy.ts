// Predicts which consultation actions the user may take, mirroring
// backend/policy (consult.go, policy.go), so that buttons appear only where
// they would work. The server decides anyway and its German detail is shown
// when it refuses.
import type { Section, Strategy, Thread, User } from '../api/client';

type SectionLike = Pick<Section, 'topic_id' | 'status'>;

function has(u: User | null, role: string): boolean {
  return !!u && (u.roles ?? []).includes(role as never);
}

/** Moderators and admins. */
export function isStaff(u: User | null): boolean {
  return has(u, 'moderator') || has(u, 'admin');
}

/** True when the user is a Themenpate of the section's topic. */
export function sponsors(u: User | null, s: SectionLike | null): boolean {
  return has(u, 'themenpate') && s?.topic_id != null && (u?.topic_ids ?? []).includes(s.topic_id);
}

/** True while the strategy's consultation window is open at now. */
export function consultationOpen(st: Strategy | null, now = new Date()): boolean {
  const p = st?.current_phase;
  if (!p || p.kind !== 'beteiligung') return false;
  if (p.opens_at && now < new Date(p.opens_at)) return false;
  if (p.closes_at && now >= new Date(p.closes_at)) return false;
  return true;
}

function adopted(st: Strategy | null): boolean {
  return st?.current_phase?.kind === 'beschlossen';
}

/** May start threads and reply (policy: comment). */
export function mayComment(u: User | null, st: Strategy | null, now = new Date()): boolean {
  if (!u || adopted(st)) return false;
  if (isStaff(u) || has(u, 'themenpate')) return true;
  return has(u, 'land') && consultationOpen(st, now);
}

/** May propose a change (policy: propose). */
export function mayPropose(u: User | null, st: Strategy | null, s: SectionLike | null, now = new Date()): boolean {
  return mayComment(u, st, now) && s?.status !== 'final';
}

/** May accept or reject a proposal (policy: accept_proposal / reject_proposal). */
export function mayDecide(u: User | null, st: Strategy | null, s: SectionLike | null, th: Thread): boolean {
  if (th.kind !== 'aenderungsvorschlag' || th.status !== 'offen' || th.anchor.removed) return false;
  if (!has(u, 'moderator') && !sponsors(u, s)) return false;
  return !adopted(st);
}

/** May resolve (open threads) or reopen (closed ones) (policy: resolve_thread). */
export function mayResolve(u: User | null, s: SectionLike | null): boolean {
  return has(u, 'moderator') || sponsors(u, s);
}

/** May hide threads and comments. */
export function mayHide(u: User | null): boolean {
  return has(u, 'moderator');
}

/** May report a comment (policy: report_comment). */
export function mayReport(u: User | null): boolean {
  return isStaff(u) || has(u, 'themenpate') || has(u, 'land');
}

/** Sees the moderation dashboard (policy: moderate_queue). */
export function mayModerate(u: User | null): boolean {
  return has(u, 'moderator');
}

/** Sees the consultation report (policy: view_report). */
export function mayViewReport(u: User | null): boolean {
  return isStaff(u);
}

/** Reads the audit log (policy: view_audit). */
/** Administers accounts (policy: manage_users). */
export function mayManageUsers(u: User | null): boolean {
  return has(u, 'admin');
}

export function mayViewAudit(u: User | null): boolean {
  return isStaff(u);
}

/** Writes the statement of the own organisation (policy: edit_statement, without the phase). */
export function mayWriteStatement(u: User | null): boolean {
  return has(u, 'land');
}

/** Sees the statement page at all: writers and the staff. */
export function maySeeStatements(u: User | null): boolean {
  return mayWriteStatement(u) || isStaff(u);
}
