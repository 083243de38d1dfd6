// German texts of the import page.
const importDe = {
  'import.title': 'Entwurf importieren',
  'import.intro':
    'Eine Markdown-Datei (.md), ein ODT- oder ein DOCX-Dokument wird an den Überschriften der obersten Ebene in Abschnitte geteilt; jede dieser Überschriften wird zum Titel eines Abschnitts, Text davor zum Abschnitt „Einleitung“. Tiefere Überschriften, Absätze, Listen, Fett, Kursiv und Links bleiben erhalten.',
  'import.file': 'Datei (.md, .odt oder .docx, höchstens 10 MiB)',
  'import.target': 'Ziel',
  'import.newTopic': 'Neues Schwerpunktthema',
  'import.intoTopic': 'Ans Ende von „{title}“',
  'import.topicTitle': 'Titel des neuen Schwerpunktthemas',
  'import.topicTitleHint': 'Leer lassen, um den Dateinamen zu verwenden.',
  'import.showPreview': 'Vorschau anzeigen',
  'import.noFile': 'Bitte wählen Sie eine Datei aus.',
  'import.preview': 'Vorschau: {n, plural, one {# Abschnitt} other {# Abschnitte}} aus „{file}“',
  'import.previewNew': 'Die Abschnitte kommen in das neue Schwerpunktthema „{topic}“. Noch ist nichts gespeichert.',
  'import.previewExisting': 'Die Abschnitte kommen ans Ende des Schwerpunktthemas „{topic}“. Noch ist nichts gespeichert.',
  'import.empty': 'Kein Text unter dieser Überschrift.',
  'import.submit': 'Importieren',
  'import.done': '{n, plural, one {# Abschnitt wurde} other {# Abschnitte wurden}} in „{topic}“ importiert.',
  'import.again': 'Weitere Datei importieren',
  'import.forbidden': 'Nur die Administration kann Entwürfe importieren.',
  'import.back': 'Zur Strategie',
};

export default importDe;
