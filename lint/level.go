package lint

import "fmt"

// Level is how serious a finding is. The names and order are SARIF's.
type Level int8

const (
	// None is below every finding; `--fail-on none` never fails.
	None Level = iota
	Note
	Warning
	Error
)

var levelNames = [...]string{None: "none", Note: "note", Warning: "warning", Error: "error"}

func (l Level) String() string {
	if l < None || l > Error {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseLevel reads a level name as written on the command line or in config.
func ParseLevel(s string) (Level, error) {
	for l, name := range levelNames {
		if s == name {
			return Level(l), nil
		}
	}
	return None, fmt.Errorf("unknown level %q (want error, warning, note or none)", s)
}

// MarshalText writes the level's name, so JSON and YAML carry "warning", not 2.
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	*l = v
	return err
}
