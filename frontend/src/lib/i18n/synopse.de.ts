// German texts of the Synopse page.
const synopseDe = {
  'synopse.title': 'Synopse: {title}',
  'synopse.link': 'Synopse (Beteiligungsfassung und aktuelle Fassung)',
  'synopse.back': 'Zurück zum Verlauf',
  'synopse.help': 'Links die ältere Fassung mit ihren Absatznummern (Z.), rechts die neuere. Gestrichene Wörter sind durchgestrichen und als „gestrichen“ angesagt, neue unterstrichen und als „neu“ angesagt.',
  'synopse.from': 'Ältere Fassung',
  'synopse.to': 'Neuere Fassung',
  'synopse.current': 'Aktuelle Fassung',
  'synopse.version': 'Version {v}',
  'synopse.show': 'Vergleichen',
  'synopse.line': 'Z. {n}',
  'synopse.contributions': 'Beiträge',
  'synopse.none': 'Keine Beiträge zu diesem Absatz.',
  'synopse.added': 'neu',
  'synopse.removed': 'gestrichen',
};

export default synopseDe;
