//go:build !windows

package main

// attachConsole is for the Windows GUI-subsystem build only.
func attachConsole([]string) {}
