// German texts of the office document downloads (ODT, DOCX, PDF).
const documentsDe = {
  'doc.downloads': 'Als Dokument herunterladen: {what}',
  'doc.odt': 'ODT (LibreOffice)',
  'doc.docx': 'DOCX (Word)',
  'doc.pdf': 'PDF',
  'doc.strategy': 'Gesamte Strategie',
  'doc.part': 'Teil {title}',
  'doc.topic': 'Schwerpunktthema {title}',
  'doc.receipt': 'Eingangsbestätigung',
  'doc.report': 'Auswertung mit Synopse',
};

export default documentsDe;
