package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// The object is an AMD64 COFF file with a .rsrc section holding the icon
// and the version strings.
func TestWritesAnAMD64ResourceObject(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rsrc_windows_amd64.syso")
	if err := run("v1.2.3-4-gabcdef0", 42, "../../assets/icon.png", "../../FyneApp.toml", out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 20 || binary.LittleEndian.Uint16(b) != 0x8664 {
		t.Fatalf("not an AMD64 COFF object: % x", b[:min(len(b), 4)])
	}
	utf16 := func(s string) []byte {
		var o []byte
		for _, r := range s {
			o = append(o, byte(r), 0)
		}
		return o
	}
	for _, want := range [][]byte{[]byte(".rsrc"), utf16("aw-timetracker.exe"), utf16("v1.2.3-4-gabcdef0"), utf16("0.1.0.42")} {
		if !bytes.Contains(b, want) {
			t.Errorf("the object lacks %q", want)
		}
	}
	if err := run("x", 0, "../../assets/icon.png", "missing.toml", out); err == nil {
		t.Error("a missing FyneApp.toml was not reported")
	}
}
