// English texts of the Synopse page; keys mirror synopse.de.ts.
import type synopseDe from './synopse.de';

const synopseEn: Record<keyof typeof synopseDe, string> = {
  'synopse.title': 'Synopse: {title}',
  'synopse.link': 'Synopse (consultation version and current text)',
  'synopse.back': 'Back to the history',
  'synopse.help': 'Left the older version with its paragraph numbers (Z.), right the newer one. Deleted words are struck through and announced as “deleted”, new ones underlined and announced as “new”.',
  'synopse.from': 'Older version',
  'synopse.to': 'Newer version',
  'synopse.current': 'Current text',
  'synopse.version': 'Version {v}',
  'synopse.show': 'Compare',
  'synopse.line': 'Z. {n}',
  'synopse.contributions': 'Contributions',
  'synopse.none': 'No contributions on this paragraph.',
  'synopse.added': 'new',
  'synopse.removed': 'deleted',
};

export default synopseEn;
