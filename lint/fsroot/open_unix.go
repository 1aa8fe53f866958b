//go:build unix

package fsroot

import (
	"os"
	"syscall"
)

// openNoFollow opens the resolved path real without following a symlink put there since it was
// resolved, and without blocking: a FIFO opened for reading waits for a writer unless it is
// opened non-blocking. Regular files ignore the flag.
func openNoFollow(real string) (*os.File, error) {
	return os.OpenFile(real, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}
