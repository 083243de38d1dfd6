// English texts of the search; keys mirror search.de.ts.
import type searchDe from './search.de';

const searchEn: Record<keyof typeof searchDe, string> = {
  'search.label': 'Search',
  'search.field': 'Search term',
  'search.submit': 'Search',
  'search.title': 'Search',
  'search.intro': 'Searches section texts, discussions, change proposals, comments and statements, as far as you may read them. Words in quotation marks are searched as a phrase; a leading minus excludes a word.',
  'search.filters': 'Search filters',
  'search.section': 'Section',
  'search.org': 'Organisation',
  'search.kind': 'Kind',
  'search.status': 'Status',
  'search.all': 'All',
  'search.kind.section': 'Section text',
  'search.kind.thread': 'Discussion',
  'search.kind.proposal': 'Change proposal',
  'search.kind.comment': 'Comment',
  'search.kind.statement': 'Statement',
  'search.results': '{n, plural, =0 {No hits} one {# hit} other {# hits}} for “{q}”',
  'search.count': '{n, plural, =0 {No hits} one {# hit} other {# hits}}',
  'search.truncated': 'The search matches very many texts; only the best are considered. Narrow it down with more words or filters.',
  'search.none': 'Nothing found. Check the spelling or remove filters.',
  'search.statementOf': 'Statement {org}',
  'search.draft': 'Draft',
  'search.pages': 'Pages of the result list',
  'search.prev': 'Previous hits',
  'search.next': 'More hits',
  'search.range': 'Hits {from} to {to} of {total}',
  'search.noStrategy': 'There is no strategy to search yet.',
};

export default searchEn;
