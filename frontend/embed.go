// Package frontend embeds the built browser app (frontend/dist).
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built app rooted at dist/; it holds only .gitkeep until
// `npm run build` has run.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic("frontend: dist is missing from the embedded files: " + err.Error()) // cannot happen: the directive embeds dist
	}
	return sub
}
