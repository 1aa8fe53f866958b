// Package fsroot is how ekslint reads files: every open of every file goes through a Root, the
// folder nothing outside of which is read (the lint root). A Root follows symlinks only to places
// inside it, opens regular files only (never a FIFO, device or socket, which can block or never
// end), and reads at most a size limit, counted in bytes actually read rather than what stat says.
//
// ekslint lints pull requests from strangers: a committed symlink to /dev/zero, /proc/self/fd/0 or
// a file outside the checkout must cost one clear message, never a hang, a crash or a leak.
package fsroot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// A Root reads files inside one folder.
type Root struct {
	dir  string // absolute and clean, as given
	real string // dir with its symlinks followed
	max  int64  // the most bytes one read returns
	// folders are where folders lead, symlinks followed, by their paths as asked (see resolve);
	// known counts them, up to maxFolders.
	folders sync.Map
	known   atomic.Int64
}

// maxFolders bounds the folders a Root remembers: a run reads files in a few thousand folders,
// and a hostile repository of millions costs no more than the lookups it saves.
const maxFolders = 20_000

// New makes the Root of dir; maxFileSize bounds every read through it.
func New(dir string, maxFileSize int64) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("lint root %s: %w", abs, unwrapPath(err))
	}
	return &Root{dir: abs, real: real, max: maxFileSize}, nil
}

// Dir is the root folder, as given.
func (r *Root) Dir() string { return r.dir }

// MaxFileSize is the most bytes a read returns.
func (r *Root) MaxFileSize() int64 { return r.max }

// Errors a Root returns, wrapped in a *fs.PathError naming the path as it was asked for.
var (
	// ErrOutside is a path that is, or leads through a symlink to, a place outside the root. The
	// message never says where the symlink points: the place may be secret.
	ErrOutside = errors.New("is outside the lint root; not read (run ekslint from the repository, or pass --root DIR to lint a wider folder)")
	// ErrNotRegular is a FIFO, device or socket: reading one can block forever or never end.
	ErrNotRegular = errors.New("is not a regular file (a pipe, device or socket); not read")
	// ErrLoop is a chain of symlinks that does not end.
	ErrLoop = errors.New("is a symlink loop; not read")
	// ErrDangling is a symlink to nothing. It is also fs.ErrNotExist, so that a caller to whom
	// a missing file is no problem treats it as one.
	ErrDangling error = danglingError{}
)

type danglingError struct{}

func (danglingError) Error() string        { return "is a symlink to a file that does not exist" }
func (danglingError) Is(target error) bool { return target == fs.ErrNotExist }

// dangling replaces err, the failure to open or stat real (a path Resolve gave), by ErrDangling
// when real is a symlink: Resolve follows every symlink that leads somewhere, so one left is a
// symlink to nothing, which the system calls "no such file" (or, opened without following, a
// loop) about a file that a listing shows.
func dangling(real string, err error) error {
	if st, lerr := os.Lstat(real); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
		return ErrDangling
	}
	return err
}

// A TooLargeError is a file over the size limit.
type TooLargeError struct {
	// Size is the file's size, or -1 when it was found too large while reading.
	Size, Limit int64
}

func (e *TooLargeError) Error() string {
	size := "more than " + FormatSize(e.Limit)
	if e.Size >= 0 {
		size = FormatSize(e.Size)
	}
	return fmt.Sprintf("file is %s, over the %s limit; not linted (raise it with --max-file-size)", size, FormatSize(e.Limit))
}

// Within reports whether path is root or inside it, comparing the paths as written.
func Within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Contains reports whether abs, as written, is the root or inside it.
func (r *Root) Contains(abs string) bool { return Within(abs, r.dir) || Within(abs, r.real) }

// Resolve follows the symlinks in abs and returns where it leads, which must be inside the root.
// A path that does not exist resolves through its deepest existing ancestor, so that
// `link/missing.yaml` cannot sneak out through `link`.
func (r *Root) Resolve(abs string) (string, error) {
	p, err := r.place(abs)
	return p.real, err
}

// A place is where a path leads, with what the lstat that found it there saw, so that a stat
// after resolving costs no second system call.
type place struct {
	real string
	// info describes real when it is not a symlink; nil when not looked at.
	info fs.FileInfo
	// missing is the lstat's error when nothing is at real.
	missing error
}

// place is Resolve, with what the resolution saw of the place.
func (r *Root) place(abs string) (place, error) {
	if !r.Contains(filepath.Clean(abs)) {
		// Outside as written: refused before any lstat of it, which would tell whether
		// something exists there (a chart's `file:///elsewhere` dependency).
		return place{}, &fs.PathError{Op: "resolve", Path: abs, Err: ErrOutside}
	}
	p, err := r.resolve(filepath.Clean(abs))
	if err != nil {
		return place{}, &fs.PathError{Op: "resolve", Path: abs, Err: err}
	}
	if !Within(p.real, r.real) {
		return place{}, &fs.PathError{Op: "resolve", Path: abs, Err: ErrOutside}
	}
	return p, nil
}

// resolve is resolve(abs), with the folder of abs looked up rather than followed again: following
// a path costs one lstat for each of its elements, ten for a file ten folders deep, and a run
// resolves every file it opens, most of them beside others in the same folder. A path whose
// folder resolves and whose last element is a file or folder, not a symlink, or nothing at all (a
// Chart.yaml or kustomization looked for in every folder), leads to that element in the folder's
// real path, which is what following the whole path gives; one whose folder is a file fails as
// following it does. Anything else (a symlink, an error) is followed in full as before. What a
// folder leads to is kept for the run: ekslint reads a checkout, which does not change under it.
func (r *Root) resolve(abs string) (place, error) {
	dir, name := filepath.Dir(abs), filepath.Base(abs)
	if dir == abs {
		real, err := resolve(abs)
		return place{real: real}, err
	}
	realDir, ok := r.folder(dir)
	if !ok {
		real, err := resolve(abs)
		return place{real: real}, err
	}
	real := filepath.Join(realDir, name)
	st, err := os.Lstat(real)
	switch {
	case err == nil && st.Mode()&fs.ModeSymlink == 0:
		return place{real: real, info: st}, nil
	case errors.Is(err, fs.ErrNotExist):
		return place{real: real, missing: err}, nil
	case errors.Is(err, syscall.ENOTDIR):
		// The folder leads to a file (a kustomization looked for below a resource file).
		return place{}, syscall.ENOTDIR
	}
	real, err = resolve(abs)
	return place{real: real}, err
}

// folder returns where the folder dir leads, from where its parent leads: one lstat for a folder
// beside or below those resolved before, not one for each element of its path. ok is false when
// following dir fails.
func (r *Root) folder(dir string) (real string, ok bool) {
	if real, ok := r.folders.Load(dir); ok {
		return real.(string), true
	}
	parent := filepath.Dir(dir)
	realParent, ok := "", parent != dir
	if ok {
		realParent, ok = r.folder(parent)
	}
	if ok {
		real = filepath.Join(realParent, filepath.Base(dir))
		st, err := os.Lstat(real)
		ok = err == nil && st.IsDir()
	}
	if !ok {
		var err error
		if real, err = filepath.EvalSymlinks(dir); err != nil {
			return "", false
		}
	}
	if r.known.Add(1) <= maxFolders {
		r.folders.Store(dir, real)
	}
	return real, true
}

func resolve(abs string) (string, error) {
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(real, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			if strings.Contains(err.Error(), "too many links") {
				return "", ErrLoop
			}
			return "", unwrapPath(err)
		}
		if filepath.Dir(p) == p {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}

// Open opens a regular file inside the root for reading. The open itself cannot block: a FIFO
// is opened without waiting for a writer, then refused.
func (r *Root) Open(abs string) (*os.File, fs.FileInfo, error) {
	real, err := r.Resolve(abs)
	if err != nil {
		return nil, nil, err
	}
	f, err := openNoFollow(real)
	if err != nil {
		return nil, nil, &fs.PathError{Op: "open", Path: abs, Err: dangling(real, unwrapPath(err))}
	}
	st, err := f.Stat()
	if err == nil && !st.Mode().IsRegular() {
		err = ErrNotRegular
		if st.IsDir() {
			err = errIsDir
		}
	}
	if err != nil {
		f.Close()
		return nil, nil, &fs.PathError{Op: "open", Path: abs, Err: unwrapPath(err)}
	}
	return f, st, nil
}

var errIsDir = errors.New("is a directory")

// ReadFile reads a regular file inside the root, at most MaxFileSize bytes of it.
func (r *Root) ReadFile(abs string) ([]byte, error) { return r.ReadFileLimit(abs, r.max) }

// ReadFileLimit reads a regular file inside the root, at most limit bytes of it.
func (r *Root) ReadFileLimit(abs string, limit int64) ([]byte, error) {
	f, st, err := r.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: abs, Err: &TooLargeError{Size: st.Size(), Limit: limit}}
	}
	return ReadAll(f, abs, limit, st.Size())
}

// ReadAll reads r to its end, refusing more than limit bytes: what stat says of a file can be
// wrong (/proc files say 0, a file can grow while it is read), so the bytes are counted. size is
// what r is expected to hold (a file's size; 0 when unknown): the buffer starts that large, so a
// file is read into one allocation instead of a doubling series of them (a chart's 5 MB were 15
// MB of allocations).
func ReadAll(r io.Reader, name string, limit, size int64) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, min(max(size, 0), limit)+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: unwrapPath(err)}
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: -1, Limit: limit}}
	}
	return data, nil
}

// Stat describes what abs leads to, following symlinks inside the root.
func (r *Root) Stat(abs string) (fs.FileInfo, error) {
	p, err := r.place(abs)
	switch {
	case err != nil:
		return nil, err
	case p.info != nil:
		return p.info, nil
	case p.missing != nil:
		return nil, &fs.PathError{Op: "stat", Path: abs, Err: unwrapPath(p.missing)}
	}
	st, err := os.Stat(p.real)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: abs, Err: dangling(p.real, unwrapPath(err))}
	}
	return st, nil
}

// IsFile reports whether abs leads to a regular file inside the root.
func (r *Root) IsFile(abs string) bool {
	st, err := r.Stat(abs)
	return err == nil && st.Mode().IsRegular()
}

// IsDir reports whether abs leads to a folder inside the root.
func (r *Root) IsDir(abs string) bool {
	st, err := r.Stat(abs)
	return err == nil && st.IsDir()
}

// Lstat describes abs itself, without following a final symlink; abs must be inside the root as
// written.
func (r *Root) Lstat(abs string) (fs.FileInfo, error) {
	if !r.Contains(abs) {
		return nil, &fs.PathError{Op: "lstat", Path: abs, Err: ErrOutside}
	}
	st, err := os.Lstat(abs)
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: abs, Err: unwrapPath(err)}
	}
	return st, nil
}

// ReadDir lists the folder abs leads to, which must be inside the root.
func (r *Root) ReadDir(abs string) ([]fs.DirEntry, error) {
	real, err := r.Resolve(abs)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: abs, Err: dangling(real, unwrapPath(err))}
	}
	return entries, nil
}

// Walk lists the folder abs leads to and, depth first, the subfolders visit asks for. visit gets
// each folder's path (under abs, as abs is written), its entries sorted by name, or the error
// listing it failed with, and returns the entries of that folder to list next; fs.SkipAll ends the
// walk. Symlinks are entries like any other and are never followed, so a walk cannot loop or
// leave the root. At most maxEntries entries are listed in all (0: no bound), however large a
// folder is; Walk reports whether it listed everything visit asked for.
func (r *Root) Walk(abs string, maxEntries int, visit func(dir string, entries []fs.DirEntry, err error) ([]fs.DirEntry, error)) (complete bool) {
	real, err := r.Resolve(abs)
	if err != nil {
		visit(abs, nil, err)
		return true
	}
	w := walker{visit: visit, left: maxEntries, bounded: maxEntries > 0}
	w.walk(abs, real)
	return !w.stopped
}

type walker struct {
	visit   func(dir string, entries []fs.DirEntry, err error) ([]fs.DirEntry, error)
	left    int // entries the walk may still list, when bounded
	bounded bool
	stopped bool // the bound was reached
	ended   bool // visit ended the walk
}

// walk lists dir, found at real: a path inside the root reached without following a symlink.
func (w *walker) walk(dir, real string) {
	entries, err := w.list(real)
	if err != nil {
		err = unwrapPath(err)
	}
	enter, verdict := w.visit(dir, entries, err)
	if verdict == fs.SkipAll {
		w.ended = true
		return
	}
	for _, e := range enter {
		if w.stopped || w.ended {
			return
		}
		if e.IsDir() { // a symlink to a folder is not a folder here
			w.walk(filepath.Join(dir, e.Name()), filepath.Join(real, e.Name()))
		}
	}
}

// list reads the entries of a folder, at most as many as the walk has left, sorted by name.
func (w *walker) list(real string) ([]fs.DirEntry, error) {
	f, err := openNoFollow(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []fs.DirEntry
	for {
		n := 1024
		if w.bounded {
			if w.left == 0 {
				w.stopped = true
				break
			}
			n = min(n, w.left)
		}
		chunk, err := f.ReadDir(n)
		entries = append(entries, chunk...)
		w.left -= len(chunk)
		if errors.Is(err, io.EOF) || err == nil && len(chunk) == 0 {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// WalkDir walks the folder abs leads to, as filepath.WalkDir does: symlinks met on the way are
// reported, not followed. Paths handed to fn start with abs.
func (r *Root) WalkDir(abs string, fn fs.WalkDirFunc) error {
	real, err := r.Resolve(abs)
	if err != nil {
		return fn(abs, nil, err)
	}
	return filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if rel, rerr := filepath.Rel(real, p); rerr == nil {
			p = filepath.Join(abs, rel)
		}
		return fn(p, d, err)
	})
}

// unwrapPath drops the path an *fs.PathError repeats: the caller names the path itself.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Refused reports whether err is a Root refusing a path (outside the root, not a regular file, a
// loop, a symlink to nothing, too large) rather than the system failing to read it: its Reason is
// then a sentence about the path ("is a symlink loop; not read").
func Refused(err error) bool {
	return errors.Is(err, ErrOutside) || errors.Is(err, ErrNotRegular) || errors.Is(err, ErrLoop) ||
		errors.Is(err, ErrDangling) || errors.As(err, new(*TooLargeError))
}

// Reason is what went wrong with a path, for a message that already names the path.
func Reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// FormatSize writes a byte count the way the --max-file-size flag reads it.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// DefaultRoot is the lint root of a path when the run names none: the git work tree holding it,
// else the working directory when the path is inside it, else the path itself (its folder, for a
// file).
func DefaultRoot(abs, wd string) string {
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if Within(abs, wd) {
		return wd
	}
	if st, err := os.Lstat(abs); err == nil && !st.IsDir() {
		return filepath.Dir(abs)
	}
	return abs
}
