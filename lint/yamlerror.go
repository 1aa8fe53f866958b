package lint

import (
	"regexp"
	"strconv"
	"strings"
)

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// YAMLErrorPos splits a parser error into its line and a message without the "yaml:" prefix.
func YAMLErrorPos(err error) (int, string) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line + parserLineShift(m[2]), "invalid YAML: " + m[2]
	}
	msg = YAMLMessage(err)
	if parserLineShift(msg) == 1 {
		return 1, "invalid YAML: " + msg // the parser gives no line for its own errors on the first
	}
	return 0, "invalid YAML: " + msg
}

func YAMLMessage(err error) string {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return "line " + strconv.Itoa(line+parserLineShift(m[2])) + ": " + m[2]
	}
	if len(msg) > 6 && msg[:6] == "yaml: " {
		return msg[6:]
	}
	return msg
}

// parserLineShift is what to add to the line of a yaml.v3 error with message msg: 1 for the
// errors of its parser, whose line yaml.v3 gives counting from 0 (its scanner's errors count from
// 1), else 0. The parser's messages, from yaml.v3's parserc.go: where a construct is left open (a
// flow collection missing its closing bracket, a block mapping missing a key), the line is the one
// that opens it.
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
