package discover

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"slices"
	"strings"
)

// Git never applies .gitignore to a file it tracks: a pattern written for a build output
// (`kustomize`, the binary) may match a folder committed long before, and every checkout, CI's
// included, has it. So discovery reads the paths the index tracks, and a path a .gitignore
// excludes is still walked when it is tracked, or is a folder holding one.

// maxIndexFile bounds the index read: 100,000 tracked files make about 10 MB.
const maxIndexFile = 64 << 20

// tracked is the paths git tracks, slash-separated from the work tree, sorted.
type tracked []string

// holds reports whether rel (slash-separated, from the work tree) is tracked, or for a folder,
// holds a tracked path.
func (t tracked) holds(rel string, isDir bool) bool {
	if !isDir {
		_, found := slices.BinarySearch(t, rel)
		return found
	}
	i, _ := slices.BinarySearch(t, rel+"/")
	return i < len(t) && strings.HasPrefix(t[i], rel+"/")
}

// readIndex reads the paths of a git index (versions 2 to 4, SHA-1 or SHA-256 object names); ok
// is false for anything else, and .gitignore alone then decides.
func readIndex(data []byte) (tracked, bool) {
	if len(data) < 12 || string(data[:4]) != "DIRC" {
		return nil, false
	}
	version := binary.BigEndian.Uint32(data[4:8])
	if version < 2 || version > 4 {
		return nil, false
	}
	n := int(binary.BigEndian.Uint32(data[8:12]))
	for _, hashLen := range []int{20, 32} {
		if paths, ok := indexPaths(data, version, n, hashLen); ok {
			return paths, true
		}
	}
	return nil, false
}

// indexPaths reads n entries of an index whose object names are hashLen bytes.
func indexPaths(data []byte, version uint32, n, hashLen int) (tracked, bool) {
	if n > len(data)/(40+hashLen+2) {
		return nil, false
	}
	paths := make(tracked, 0, n)
	prev := ""
	off := 12
	for range n {
		start := off
		off += 40 + hashLen // stat data, then the object name
		if off+2 > len(data) {
			return nil, false
		}
		flags := binary.BigEndian.Uint16(data[off:])
		off += 2
		if version >= 3 && flags&0x4000 != 0 {
			off += 2 // extended flags
		}
		var p string
		if version == 4 {
			strip, used := indexVarint(data[min(off, len(data)):])
			if used == 0 || strip > len(prev) {
				return nil, false
			}
			off += used
			end := bytes.IndexByte(data[min(off, len(data)):], 0)
			if end < 0 {
				return nil, false
			}
			p = prev[:len(prev)-strip] + string(data[off:off+end])
			off += end + 1
		} else {
			end := bytes.IndexByte(data[min(off, len(data)):], 0)
			if end < 0 {
				return nil, false
			}
			p = string(data[off : off+end])
			off = start + (off-start+end+8)&^7 // NUL-padded to a multiple of eight
		}
		if p == "" || off > len(data) || p < prev && version != 4 {
			return nil, false
		}
		paths = append(paths, p)
		prev = p
	}
	slices.Sort(paths)
	return paths, true
}

// indexVarint reads the offset encoding of index version 4; used is 0 when b ends first.
func indexVarint(b []byte) (v, used int) {
	for i, c := range b {
		if i > 8 {
			return 0, 0
		}
		if i > 0 {
			v++
		}
		v = v<<7 | int(c&0x7f)
		if c&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// isTracked reports whether git tracks abs, or for a folder, a path in it. The index is read on
// first use; without one nothing counts as tracked.
func (r *repo) isTracked(abs string, isDir bool) bool {
	if !r.indexRead {
		r.indexRead = true
		if data, err := r.root.ReadFileLimit(filepath.Join(r.root.Dir(), ".git", "index"), maxIndexFile); err == nil {
			r.index, _ = readIndex(data)
		}
	}
	rel, err := filepath.Rel(r.root.Dir(), abs)
	return err == nil && len(r.index) > 0 && r.index.holds(filepath.ToSlash(rel), isDir)
}
