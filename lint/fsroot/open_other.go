//go:build !unix

package fsroot

import "os"

// openNoFollow opens the resolved path real. Outside Unix there are no FIFOs to block on.
func openNoFollow(real string) (*os.File, error) { return os.Open(real) }
