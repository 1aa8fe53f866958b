package load

import (
	"bytes"
	"testing"
)

// TestDocumentBOMs: the marks that begin the line after a document marker are dropped, no
// other, and inText leads every byte of what is left back to the same byte of the text.
func TestDocumentBOMs(t *testing.T) {
	text := []byte("\ufeffa: 1\n---\n\ufeffb: 2\n--- # c\r\n\ufeffc: \ufeff3\n---x\n\ufeffd: 4\n---\n\n\ufeffe: 5\n")
	want := []byte("\ufeffa: 1\n---\nb: 2\n--- # c\r\nc: \ufeff3\n---x\n\ufeffd: 4\n---\n\n\ufeffe: 5\n")
	got, dropped := withoutDocumentBOMs(text)
	if !bytes.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for off := range got {
		if o := inText(off, dropped); text[o] != got[off] || bytes.HasPrefix(text[o:], utf8BOM) != bytes.HasPrefix(got[off:], utf8BOM) {
			t.Fatalf("offset %d (%q) leads to %d (%q)", off, got[off:], o, text[o:])
		}
	}
	if same, none := withoutDocumentBOMs([]byte("\ufeffa: 1\n---\nb: 2\n")); none != nil || string(same) != "\ufeffa: 1\n---\nb: 2\n" {
		t.Errorf("a mark at the start of the text only: %q, dropped %v", same, none)
	}
}
