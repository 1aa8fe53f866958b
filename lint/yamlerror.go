package lint

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
)

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// YAMLErrorPos splits err, the error yaml.v3 gave parsing data, into the line of the problem,
// counted as the parser counts lines from the start of data (0 when there is no telling), and a
// message without the "yaml:" prefix.
func YAMLErrorPos(err error, data []byte) (int, string) {
	line, msg := yamlError(err, data)
	return line, "invalid YAML: " + msg
}

// YAMLMessage is the message of err, an error of yaml.v3 reading data, naming the line of a syntax
// error as YAMLErrorPos finds it.
func YAMLMessage(err error, data []byte) string {
	line, msg := yamlError(err, data)
	if line == 0 {
		return msg
	}
	return "line " + strconv.Itoa(line) + ": " + msg
}

// yamlError is YAMLErrorPos without the message's prefix.
//
// yaml.v3 names the line of the parser's context mark when there is one, not the problem's: for
// "did not find expected key", where the enclosing block mapping starts, which may be a hundred
// lines above the key that broke it. yaml.v2 has the same parser (both are ports of libyaml) and
// names the problem mark, where the parser could not go on, so data is parsed again with it: only
// on this path, so input that parses never pays for it. Its line is taken when it reports the same
// problem, after the context, on a line of data that is not a document marker: a problem at a
// marker or past the end is that the input ran out inside a flow collection or a quoted string
// never closed, and what is wrong is where that starts, the line yaml.v3 names.
func yamlError(err error, data []byte) (int, string) {
	line, msg := splitYAMLError(err)
	if line == 0 {
		return 0, msg
	}
	if msg != keyWithoutColon {
		if l, m := splitYAMLError(yamlV2Error(data)); m == msg && l > line {
			if text, _, ok := parserLine(data, l); ok && !IsDocumentStart(text) && !IsDocumentEnd(text) {
				line = l
			}
		}
	}
	// A problem at the end of the input is on the line after the last, which a person reads as
	// nothing.
	if _, last, ok := parserLine(data, line); !ok {
		line = last
	}
	return line, msg
}

// keyWithoutColon is the problem of a key written without its ':'. The scanner gives up on the
// line after the key; yaml.v3 names the key's own line (its context mark), which is the one to fix.
const keyWithoutColon = "could not find expected ':'"

// parserLine returns line l of data, as the parser counts lines (YAMLLineMap), without its line
// break; or, when data ends before line l holds anything, false and the number of the last line
// that does. It reads data only up to that line, as far as the parser went to report it.
func parserLine(data []byte, l int) (text []byte, last int, ok bool) {
	start := 0
	for n := 1; ; n++ {
		i := bytes.IndexAny(data[start:], yamlBreaks)
		end := len(data)
		if i >= 0 {
			end = start + i
		}
		if n == l {
			return data[start:end], 0, true
		}
		if i < 0 {
			return nil, n, false
		}
		_, size := utf8.DecodeRune(data[end:])
		if data[end] == '\r' && end+1 < len(data) && data[end+1] == '\n' {
			size++
		}
		if start = end + size; start == len(data) {
			return nil, n, false
		}
	}
}

// yamlBreaks are the characters the parser ends lines at: CR LF counts once.
const yamlBreaks = "\r\n\u0085\u2028\u2029"

// splitYAMLError splits an error of yaml.v2's or yaml.v3's parser into the line it names, from 1
// (0 when it names none), and its message without the "yaml: " prefix.
func splitYAMLError(err error) (int, string) {
	if err == nil {
		return 0, ""
	}
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line + parserLineShift(m[2]), m[2]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if parserLineShift(msg) == 1 || slices.ContainsFunc(yamlScannerErrors, func(p string) bool { return strings.HasPrefix(msg, p) }) {
		return 1, msg // the parser and the scanner give no line for their errors on the first
	}
	return 0, msg
}

// yamlScannerErrors are the problems yaml.v2's and yaml.v3's scanner report at the mark where it
// stopped (its reader's errors, bytes that are not UTF-8, have none).
var yamlScannerErrors = []string{
	"block sequence entries are not allowed", "could not find expected", "did not find expected",
	"did not find the expected", "found a tab character", "found an indentation indicator",
	"found character that cannot start any token", "found extremely long version number",
	"found invalid Unicode character escape code", "found unexpected", "found unknown",
	"mapping keys are not allowed", "mapping values are not allowed",
}

// yamlV2Error is the first error yaml.v2's parser finds in the documents of data, or nil.
func yamlV2Error(data []byte) error {
	dec := yamlv2.NewDecoder(bytes.NewReader(data))
	for {
		err := dec.Decode(&unparsed{})
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// unparsed takes a document yaml.v2 has parsed without decoding it: its aliases are not
// expanded, so an alias bomb costs what its text does.
type unparsed struct{}

func (*unparsed) UnmarshalYAML(func(any) error) error { return nil }

// parserLineShift is what to add to the line of a yaml.v2 or yaml.v3 error with message msg: 1
// for the errors of their parser, whose line they give counting from 0 (their scanner's errors
// count from 1), else 0.
func parserLineShift(msg string) int {
	for _, p := range yamlParserErrors {
		if strings.HasPrefix(msg, p) {
			return 1
		}
	}
	return 0
}

var yamlParserErrors = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found undefined tag handle", "found duplicate %YAML directive", "found incompatible YAML document",
	"found duplicate %TAG directive",
}
