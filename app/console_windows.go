//go:build windows

package main

import (
	"os"

	winapi "golang.org/x/sys/windows"
)

// attachConsole: the Windows build is a GUI-subsystem program, so no
// console window opens for the tray. A command run from a terminal
// attaches to that terminal's console to print; streams a caller
// redirected (a piped token, output to a file) are kept.
func attachConsole(args []string) {
	if len(args) == 0 || args[0] == "--background" || args[0] == "window" {
		return
	}
	attach := winapi.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer: there is no console to attach to
	}
	usable := func(std uint32) bool {
		h, err := winapi.GetStdHandle(std)
		return err == nil && h != 0 && h != winapi.InvalidHandle
	}
	if !usable(winapi.STD_OUTPUT_HANDLE) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stdout = f
		}
	}
	if !usable(winapi.STD_ERROR_HANDLE) {
		if f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
			os.Stderr = f
		}
	}
	if !usable(winapi.STD_INPUT_HANDLE) {
		if f, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
			os.Stdin = f
		}
	}
}
