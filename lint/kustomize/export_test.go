package kustomize

import "time"

// NewLoaderTimeout is NewLoader with every build's deadline at timeout.
func NewLoaderTimeout(timeout time.Duration) *Loader {
	l := NewLoader()
	l.timeout = timeout
	return l
}
