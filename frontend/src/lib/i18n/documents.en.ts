// English texts of the office document downloads; keys mirror documents.de.ts.
import type documentsDe from './documents.de';

const documentsEn: Record<keyof typeof documentsDe, string> = {
  'doc.downloads': 'Download as a document: {what}',
  'doc.odt': 'ODT (LibreOffice)',
  'doc.docx': 'DOCX (Word)',
  'doc.pdf': 'PDF',
  'doc.strategy': 'Whole strategy',
  'doc.part': 'Part {title}',
  'doc.topic': 'Focus topic {title}',
  'doc.receipt': 'Acknowledgement of receipt',
  'doc.report': 'Report with Synopse',
};

export default documentsEn;
