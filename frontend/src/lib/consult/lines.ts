// How a contribution cites the lines (paragraphs) of the Beteiligungsfassung:
// "Z. 12" or "Z. 12–14"; empty where the round froze no version.
import { t } from '../i18n/index.svelte';

export function lineLabel(th: { line_from?: number | null; line_to?: number | null }): string {
  if (th.line_from == null || th.line_to == null) return '';
  if (th.line_from === th.line_to) return t('lines.one', { from: th.line_from });
  return t('lines.range', { from: th.line_from, to: th.line_to });
}
