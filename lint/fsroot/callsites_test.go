package fsroot

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fileAccess are the functions that read the file system by path, or walk it: a call of one
// outside this package is a read that no Root guards (a symlink out of the repository, a pipe that
// blocks, a file of a gigabyte).
var fileAccess = map[string][]string{
	"os":            {"Open", "OpenFile", "ReadFile", "Stat", "Lstat", "ReadDir", "DirFS", "Readlink"},
	"path/filepath": {"Walk", "WalkDir", "EvalSymlinks", "Glob"},
	"io/ioutil":     nil, // every function
}

// allowed are the call sites outside this package that read nothing a linted repository holds,
// by file and function ("*": any), each with why.
var allowed = map[string]string{
	// A write: the command sends what libraries print to os.Stderr to /dev/null.
	"cmd/ekslint/main.go os.OpenFile": "opens /dev/null to write to",
	// go generate's writer of docs/rules.md: it reads ekslint's own README.md and go.mod.
	"internal/gen/main.go *": "reads ekslint's own README.md and go.mod",
	// Test helpers: they read ekslint's own fixtures and its go.mod, never a linted repository.
	"lint/linttest/linttest.go *":            "reads the expectations and fuzz seeds in ekslint's fixtures and corpus",
	"lint/report/reporttest/reporttest.go *": "finds the module's go.mod to run a pinned tool",
}

// TestEveryReadGoesThroughARoot parses every non-test Go file of the module and fails on each call
// of a function that reads files by path outside this package, unless allowed says why it reads
// nothing a linted repository holds.
func TestEveryReadGoesThroughARoot(t *testing.T) {
	module := moduleRoot(t)
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir(module, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := e.Name()
		if e.IsDir() {
			if path != module && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || isModule(path)) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(module, path)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "lint/fsroot/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, site := range fileAccessSites(fset, f) {
			line, fn, _ := strings.Cut(site, " ")
			if allowed[rel+" "+fn] != "" || allowed[rel+" *"] != "" {
				continue
			}
			found = append(found, rel+":"+line+": "+fn)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("%d reads of the file system outside lint/fsroot; read through the input's *fsroot.Root instead "+
			"(Open, ReadFile, ReadFileLimit, Stat, Lstat, ReadDir, Walk, Resolve), which refuses symlinks out of the lint root, "+
			"pipes and devices, and files over the size limit; or, for a call that reads nothing a linted repository holds, "+
			"add it to allowed in lint/fsroot/callsites_test.go with the reason:\n\t%s", len(found), strings.Join(found, "\n\t"))
	}
}

// fileAccessSites lists the uses in f of the functions of fileAccess, as "line pkg.Func".
func fileAccessSites(fset *token.FileSet, f *ast.File) []string {
	imported := map[string]string{} // local name → import path
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if _, ok := fileAccess[path]; !ok {
			continue
		}
		name := filepath.Base(path)
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imported[name] = path
	}
	var sites []string
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		path, ok := imported[id.Name]
		if !ok {
			return true
		}
		if funcs := fileAccess[path]; funcs == nil || slices.Contains(funcs, sel.Sel.Name) {
			sites = append(sites, fmt.Sprintf("%d %s.%s", fset.Position(sel.Pos()).Line, filepath.Base(path), sel.Sel.Name))
		}
		return true
	})
	return sites
}

// isModule reports whether dir holds a module of its own (tools/goreleaser), which is not
// ekslint's code.
func isModule(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}

// moduleRoot is the folder of the module's go.mod, above this package.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = filepath.Dir(dir)
	}
}

// TestCallSitesFound checks the search itself on a file that reads in every way it looks for.
func TestCallSitesFound(t *testing.T) {
	src := `package x
import (
	"os"
	fp "path/filepath"
	"io/ioutil"
)
func f() {
	os.Open("a")
	open := os.ReadFile
	fp.WalkDir(".", nil)
	ioutil.ReadAll(nil)
	os.Getenv("HOME")
	_ = open
}`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(fileAccessSites(fset, f), ", ")
	if want := "8 os.Open, 9 os.ReadFile, 10 filepath.WalkDir, 11 ioutil.ReadAll"; got != want {
		t.Errorf("found %s, want %s", got, want)
	}
}
