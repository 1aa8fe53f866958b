package load

import (
	"fmt"
	"strings"
	"testing"
)

// TestDocSplitter checks where raw streams are cut: at document starts and directives once a
// piece is big enough, with the comments and directives before a document kept with it, and line
// numbers as in the file.
func TestDocSplitter(t *testing.T) {
	src := "\ufeff# leading comment\n---\na: 1\r\n--- # a comment on the marker\nb: |\n  ---not a marker\n  text\n...\n%YAML 1.2\n---\nc: 3\n---\n"
	pieces := func(min int) []string {
		d := newDocSplitter(strings.NewReader(src), "x.yaml", 0)
		d.min = min
		var got []string
		for {
			piece, err := d.next(1 << 20)
			if err != nil {
				t.Fatal(err)
			}
			if piece == nil {
				return got
			}
			got = append(got, fmt.Sprintf("%d:%q", piece.Offset+1, piece.Data))
		}
	}
	want := []string{
		`1:"\ufeff# leading comment\n---\na: 1\r\n"`,
		`4:"--- # a comment on the marker\nb: |\n  ---not a marker\n  text\n...\n"`,
		`9:"%YAML 1.2\n---\nc: 3\n"`,
		`12:"---\n"`,
	}
	if got := pieces(1); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("pieces:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := pieces(minPiece); len(got) != 1 {
		t.Errorf("a small stream is cut into %d pieces, want one", len(got))
	}
}
