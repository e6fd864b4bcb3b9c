// Command windows writes the Windows resources of aw-timetracker.exe (the
// icon Explorer and the taskbar show, and the version Properties shows) as
// a .syso object that `go build` links into a windows/amd64 build of the
// package it sits in. Used by `make windows`; the .syso is not committed.
//
//	go run ./packaging/windows -version "$(git describe ...)" -build N -out app/rsrc_windows_amd64.syso
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"os"
	"regexp"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

func main() {
	describe := flag.String("version", "dev", "the version people see (git describe)")
	build := flag.Int("build", 0, "the build number: the fourth part of the numeric file version (commit count)")
	icon := flag.String("icon", "assets/icon.png", "the application icon (a square PNG, 256 px or more)")
	toml := flag.String("fyneapp", "FyneApp.toml", "where the release version (Details.Version) is")
	out := flag.String("out", "app/rsrc_windows_amd64.syso", "the object to write")
	flag.Parse()
	if err := run(*describe, *build, *icon, *toml, *out); err != nil {
		fmt.Fprintln(os.Stderr, "packaging/windows:", err)
		os.Exit(1)
	}
}

var fyneVersion = regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([0-9]+(\.[0-9]+){0,2})"`)

func run(describe string, build int, iconPath, tomlPath, out string) error {
	meta, err := os.ReadFile(tomlPath)
	if err != nil {
		return fmt.Errorf("reading the release version: %w", err)
	}
	m := fyneVersion.FindSubmatch(meta)
	if m == nil {
		return fmt.Errorf("%s has no Version = \"X.Y.Z\"", tomlPath)
	}
	raw, err := os.ReadFile(iconPath)
	if err != nil {
		return fmt.Errorf("reading the icon: %w", err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("decoding the icon %s: %w", iconPath, err)
	}
	ico, err := winres.NewIconFromResizedImage(img, []int{256, 64, 48, 32, 16})
	if err != nil {
		return fmt.Errorf("making the icon: %w", err)
	}
	rs := &winres.ResourceSet{}
	// The first icon group is the one Explorer shows for the file.
	if err := rs.SetIcon(winres.Name("APPICON"), ico); err != nil {
		return fmt.Errorf("adding the icon: %w", err)
	}
	var vi version.Info
	vi.SetFileVersion(fmt.Sprintf("%s.%d", string(m[1]), build)) // numeric: X.Y.Z.build
	vi.SetProductVersion(describe)
	for k, v := range map[string]string{
		version.ProductName:      "aw-timetracker",
		version.FileDescription:  "aw-timetracker: ActivityWatch time entries, pushed to TimeTracker",
		version.InternalName:     "aw-timetracker",
		version.OriginalFilename: "aw-timetracker.exe",
		version.ProductVersion:   describe,
	} {
		if err := vi.Set(version.LangDefault, k, v); err != nil {
			return fmt.Errorf("version field %s: %w", k, err)
		}
	}
	rs.SetVersionInfo(vi)
	f, err := os.Create(out)
	if err != nil {
		return fmt.Errorf("writing the resources: %w", err)
	}
	if err := rs.WriteObject(f, winres.ArchAMD64); err != nil {
		f.Close()
		return fmt.Errorf("writing the resources to %s: %w", out, err)
	}
	return f.Close()
}
