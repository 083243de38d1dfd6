// English texts of the import page.
import type importDe from './import.de';

const importEn: Record<keyof typeof importDe, string> = {
  'import.title': 'Import a draft',
  'import.intro':
    'A Markdown file (.md), an ODT or a DOCX document is split into sections at its top-level headings; each such heading becomes the title of a section, text before it the section “Einleitung”. Lower headings, paragraphs, lists, bold, italic and links are kept.',
  'import.file': 'File (.md, .odt or .docx, at most 10 MiB)',
  'import.target': 'Destination',
  'import.newTopic': 'New focus topic',
  'import.intoTopic': 'At the end of “{title}”',
  'import.topicTitle': 'Title of the new focus topic',
  'import.topicTitleHint': 'Leave empty to use the file name.',
  'import.showPreview': 'Show preview',
  'import.noFile': 'Please choose a file.',
  'import.preview': 'Preview: {n, plural, one {# section} other {# sections}} from “{file}”',
  'import.previewNew': 'The sections go into the new focus topic “{topic}”. Nothing is saved yet.',
  'import.previewExisting': 'The sections go to the end of the focus topic “{topic}”. Nothing is saved yet.',
  'import.empty': 'No text below this heading.',
  'import.submit': 'Import',
  'import.done': '{n, plural, one {# section was} other {# sections were}} imported into “{topic}”.',
  'import.again': 'Import another file',
  'import.forbidden': 'Only the administration can import drafts.',
  'import.back': 'Back to the strategy',
};

export default importEn;
