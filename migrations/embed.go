// Package migrations holds the ordered SQL files that define the database
// schema, one directory per dialect (sqlite/, postgres/). Files are named
// NNNN_name.sql and applied in version order by backend/store.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
