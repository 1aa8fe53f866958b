package rules

// A DocSection introduces a group of rules in docs/rules.md; it is written before the first of
// them.
type DocSection struct {
	// First is the id of the group's first rule.
	First string
	Title string
	// Text is Markdown.
	Text string
}

// DocSections are the group introductions of docs/rules.md, in catalogue order.
func DocSections() []DocSection { return nil }
