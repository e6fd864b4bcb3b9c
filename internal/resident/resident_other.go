//go:build !linux

package resident

// trimExecutable does nothing here: other systems' pagers do not map the
// whole binary on start-up the way Linux's fault-around does.
func trimExecutable() error { return nil }
