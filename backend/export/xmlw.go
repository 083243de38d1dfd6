package export

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"io"
	"strings"
	"time"
)

// xmlWriter writes markup to a buffered zip entry; the first error sticks
// and later writes do nothing, so renderers check once at the end.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// text writes s escaped for element content or attribute values; characters
// XML cannot hold become U+FFFD.
func (x *xmlWriter) text(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

func (x *xmlWriter) flush() error {
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}

// zipFile is an office package being written: entries in order, each
// through one buffered writer.
type zipFile struct {
	z   *zip.Writer
	now time.Time
}

func newZipFile(w io.Writer) *zipFile {
	return &zipFile{z: zip.NewWriter(w), now: time.Now()}
}

// stored adds an uncompressed entry (ODF's mimetype must be the first
// entry, stored, so that tools can sniff the type from the file's start).
func (f *zipFile) stored(name, content string) error {
	w, err := f.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: f.now})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, content)
	return err
}

// entry adds a compressed entry written by fill.
func (f *zipFile) entry(name string, fill func(x *xmlWriter)) error {
	w, err := f.z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: f.now})
	if err != nil {
		return err
	}
	x := &xmlWriter{w: bufio.NewWriterSize(w, 32<<10)}
	fill(x)
	return x.flush()
}

func (f *zipFile) close() error { return f.z.Close() }

// escaped returns s escaped for XML.
func escaped(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
