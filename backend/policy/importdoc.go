package policy

import "github.com/strategieraum/strategieraum/backend/domain"

// ImportDocuments is importing a draft (Markdown, ODT, DOCX) as new
// sections of a strategy: it creates many sections at once, so it is left
// to the administration.
const ImportDocuments Action = "import_documents"

func init() {
	rules[ImportDocuments] = staffOnly(domain.RoleAdmin)
}
