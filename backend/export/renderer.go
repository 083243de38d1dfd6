package export

import (
	"fmt"
	"io"
	"sort"
	"sync"
)

// Renderer writes a Document in one file format. Render writes the whole
// file to w; it returns only w's errors and never a partial success.
type Renderer interface {
	// Name is the format's short name as used in URLs: "odt", "docx", "pdf".
	Name() string
	// ContentType is the media type of the file.
	ContentType() string
	Render(w io.Writer, d *Document) error
}

var (
	mu        sync.RWMutex
	renderers = map[string]Renderer{}
)

// Register makes r available under its name. Registering a name twice is
// a programming error and panics.
func Register(r Renderer) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := renderers[r.Name()]; dup {
		panic(fmt.Sprintf("export: format %q registered twice", r.Name()))
	}
	renderers[r.Name()] = r
}

// Lookup returns the renderer of format name.
func Lookup(name string) (Renderer, bool) {
	mu.RLock()
	defer mu.RUnlock()
	r, ok := renderers[name]
	return r, ok
}

// Formats lists the registered format names, sorted.
func Formats() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(renderers))
	for n := range renderers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
