package lint

import (
	"reflect"
	"strings"
	"testing"
)

// TestIgnoreCommentsFindsEveryLine: searching a text for comments finds on each line what reading
// that line alone finds, wherever the line has other '#' characters or the marker outside a
// comment.
func TestIgnoreCommentsFindsEveryLine(t *testing.T) {
	lines := []string{
		"# ekslint:ignore rule-a",
		"key: v # ekslint:ignore rule-b -- why",
		"key: v #\tekslint:ignore rule-c",
		"#ekslint:ignore rule-d",
		"color: '#ff0000' # ekslint:ignore rule-e",
		"key: a#ekslint:ignore rule-f",
		"key: a#ekslint:ignore rule-f # ekslint:ignore rule-g",
		"text: ekslint:ignore rule-h",
		"## # # ekslint:ignore rule-i",
		"#",
		"# ekslint:ignor",
		"key: v #  ",
		"  # ekslint:ignore rule-j",
	}
	src := strings.Join(lines, "\n")
	want := map[int]*Ignore{}
	for i, l := range lines {
		if ig := parseIgnoreComment("x.yaml", i+1, []byte(l)); ig != nil {
			want[i+1] = ig
		}
	}
	if len(want) != 8 {
		t.Fatalf("the table has %d lines with an ignore comment, want 8", len(want))
	}
	for _, ending := range []string{"\n", "\r\n", "\r"} {
		got := IgnoreComments(NewText("x.yaml", []byte(strings.ReplaceAll(src, "\n", ending))))
		for line := range len(lines) + 1 {
			if !reflect.DeepEqual(got[line], want[line]) {
				t.Errorf("line ends %q: line %d: got %+v, want %+v", ending, line, got[line], want[line])
			}
		}
	}
}
