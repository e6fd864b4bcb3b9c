package main

// How Depends and Recommends are derived (nothing here is a list of
// package names written by hand):
//
// Depends: dpkg-shlibdeps (from dpkg-dev), the tool debhelper uses for every
// Debian package. It reads the binary's DT_NEEDED libraries (for the cgo
// build: libGL.so.1, libX11.so.6, libm.so.6, libc.so.6), finds the package
// that ships each one (dpkg -S) and the minimum version from that package's
// symbols/shlibs file, e.g. "libc6 (>= 2.34), libgl1, libx11-6 (>= 2:1.2.99.901)".
// It has to run inside a source tree (it reads debian/control), so it runs in
// the staging folder, where the binary already sits at
// debian/<package>/usr/bin/<package>, with a DEBIAN folder beside usr/.
//
// Recommends: GLFW (Fyne's window library) dlopen()s the X11 extension
// libraries (libXcursor.so.1, libXrandr.so.2, libXi.so.6, ...) at run time
// and carries on without them, with less function (cursor shapes, monitor
// layout, raw mouse input). They are not DT_NEEDED, so dpkg-shlibdeps cannot
// see them; the soname strings are in the binary, and each one found is
// mapped to its package with dpkg -S. Recommends, not Depends, because the
// app runs without them (apt installs Recommends by default).

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// shlibDepends runs dpkg-shlibdeps on the binary staged at
// stage/debian/<pkg>/<rel>, with stage as the working folder.
func shlibDepends(stage, pkg, rel string) ([]string, error) {
	if _, err := exec.LookPath("dpkg-shlibdeps"); err != nil {
		return nil, fmt.Errorf("dpkg-shlibdeps not found (apt-get install dpkg-dev), or give -depends")
	}
	control := "Source: " + pkg + "\n\nPackage: " + pkg + "\nArchitecture: any\n"
	if err := os.WriteFile(filepath.Join(stage, "debian", "control"), []byte(control), 0o644); err != nil {
		return nil, err
	}
	defer os.Remove(filepath.Join(stage, "debian", "control"))
	// DEBIAN/ marks debian/<pkg> as the package's root.
	pkgRoot := filepath.Join(stage, "debian", pkg, "DEBIAN")
	if err := os.Mkdir(pkgRoot, 0o755); err != nil {
		return nil, err
	}
	defer os.Remove(pkgRoot)
	cmd := exec.Command("dpkg-shlibdeps", "-O", "-e"+filepath.Join("debian", pkg, rel))
	cmd.Dir = stage
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("dpkg-shlibdeps: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if s := strings.TrimSpace(stderr.String()); s != "" {
		fmt.Fprintln(os.Stderr, s)
	}
	return parseShlibdeps(string(out)), nil
}

// parseShlibdeps reads dpkg-shlibdeps -O output: "shlibs:Depends=a (>= 1), b".
func parseShlibdeps(out string) []string {
	var deps []string
	for _, line := range strings.Split(out, "\n") {
		v, ok := strings.CutPrefix(strings.TrimSpace(line), "shlibs:Depends=")
		if !ok {
			continue
		}
		deps = append(deps, splitList(v)...)
	}
	return deps
}

// splitList splits a comma-separated relation list, dropping empty items.
func splitList(s string) []string {
	var r []string
	for _, d := range strings.Split(s, ",") {
		if d = strings.TrimSpace(d); d != "" {
			r = append(r, d)
		}
	}
	return r
}

var x11Soname = regexp.MustCompile(`lib(X[A-Za-z0-9_+-]*)\.so\.[0-9]+`)

// dlopenedX11 lists the X11 library sonames written in the binary (GLFW's
// dlopen names), sorted.
func dlopenedX11(binary string) ([]string, error) {
	b, err := os.ReadFile(binary)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, m := range x11Soname.FindAll(b, -1) {
		names = append(names, string(m))
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// packagesOf maps sonames to the installed packages that ship them
// (dpkg -S), skipping those already named in skip and warning about
// sonames no installed package ships.
func packagesOf(sonames []string, skip []string) []string {
	have := map[string]bool{}
	for _, d := range skip {
		have[relationName(d)] = true
	}
	var pkgs []string
	for _, so := range sonames {
		out, err := exec.Command("dpkg", "-S", "*/"+so).Output()
		if err != nil {
			fmt.Fprintf(os.Stderr, "deb: no installed package ships %s; not recommended\n", so)
			continue
		}
		for _, p := range dpkgSearchPackages(string(out)) {
			if !have[p] {
				have[p] = true
				pkgs = append(pkgs, p)
			}
		}
	}
	slices.Sort(pkgs)
	return pkgs
}

// dpkgSearchPackages reads `dpkg -S` output ("libxi6:amd64: /usr/lib/...")
// into package names without the architecture qualifier.
func dpkgSearchPackages(out string) []string {
	var pkgs []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "diversion ") {
			continue
		}
		names, _, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		for _, n := range strings.Split(names, ",") {
			n, _, _ = strings.Cut(strings.TrimSpace(n), ":")
			if n != "" && !slices.Contains(pkgs, n) {
				pkgs = append(pkgs, n)
			}
		}
	}
	return pkgs
}

// relationName is the package name of a relation such as "libc6 (>= 2.34)".
func relationName(rel string) string {
	n, _, _ := strings.Cut(strings.TrimSpace(rel), " ")
	n, _, _ = strings.Cut(n, ":")
	return n
}
