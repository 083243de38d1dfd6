// The actions the server writes to the audit log, and their names for
// people. An action not listed here (from a newer server) is shown by its code.
import { t, type MessageKey } from './i18n/index.svelte';

/** Every action code the server writes, in the order of the filter list. */
export const auditActions = [
  'login', 'login_failed', 'logout', 'denied', 'token_created', 'token_revoked',
  'user_created', 'user_disabled', 'user_deleted', 'role_changed',
  'phase_changed', 'structure_changed', 'section_restored',
  'thread_created', 'thread_resolved', 'thread_reopened', 'thread_hidden',
  'comment_reported', 'comment_hidden', 'report_dismissed',
  'proposal_accepted', 'proposal_rejected', 'statement_submitted',
  'report_viewed', 'audit_exported',
  'phase_times_changed', 'version_frozen',
] as const;

/** The name of an action in the interface language, or its code if unknown. */
export function actionLabel(code: string): string {
  return t(`audit.act.${code}` as MessageKey) || code;
}
