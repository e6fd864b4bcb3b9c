package main

import (
	"bytes"
	"compress/gzip"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDebVersion(t *testing.T) {
	for _, c := range []struct {
		describe, base string
		n              int
		want           string
	}{
		{"v1.2.3", "0.1.0", -1, "1.2.3"},
		{"1.2.3", "", -1, "1.2.3"},
		{"v1.2.3-dirty", "", -1, "1.2.3+dirty"},
		{"v1.2.3-rc1", "", -1, "1.2.3~rc1"},
		{"v1.2.3-5-gabc1234", "", -1, "1.2.3+git5.abc1234"},
		{"v1.2.3-5-gabc1234-dirty", "", -1, "1.2.3+git5.abc1234.dirty"},
		{"v1.2.3-rc1-2-g0123abc", "", -1, "1.2.3~rc1+git2.0123abc"},
		{"32b4172", "0.1.0", 70, "0.1.0~git70.32b4172"},
		{"cb6b649-dirty", "0.1.0", 70, "0.1.0~git70.cb6b649+dirty"},
		{"cb6b649", "0.1.0", -1, "0.1.0~gitcb6b649"},
	} {
		got, err := debVersion(c.describe, c.base, c.n)
		if err != nil || got != c.want {
			t.Errorf("debVersion(%q, %q, %d) = %q, %v; want %q", c.describe, c.base, c.n, got, err, c.want)
		}
	}
	for _, bad := range [][2]string{{"", "0.1.0"}, {"cb6b649", ""}, {"release", "0.1.0"}} {
		if v, err := debVersion(bad[0], bad[1], -1); err == nil {
			t.Errorf("debVersion(%q, %q) = %q, want an error", bad[0], bad[1], v)
		}
	}
}

// Snapshots sort between the releases around them, as dpkg compares them.
func TestDebVersionOrder(t *testing.T) {
	if _, err := exec.LookPath("dpkg"); err != nil {
		t.Skip("no dpkg")
	}
	order := []string{"0.1.0~git69.ffff000", "0.1.0~git70.0000fff", "0.1.0~git70.0000fff+dirty",
		"0.1.0~rc1", "0.1.0", "0.1.0+git1.abc1234", "0.1.0+git2.0000000", "0.1.1"}
	for i := 1; i < len(order); i++ {
		if err := exec.Command("dpkg", "--compare-versions", order[i-1], "lt", order[i]).Run(); err != nil {
			t.Errorf("want %s < %s", order[i-1], order[i])
		}
	}
}

func TestParseShlibdeps(t *testing.T) {
	got := parseShlibdeps("shlibs:Depends=libc6 (>= 2.34), libgl1, libx11-6 (>= 2:1.2.99.901)\n")
	want := []string{"libc6 (>= 2.34)", "libgl1", "libx11-6 (>= 2:1.2.99.901)"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := relationName("libx11-6 (>= 2:1.2.99.901)"); got != "libx11-6" {
		t.Errorf("relationName = %q", got)
	}
}

func TestDpkgSearchPackages(t *testing.T) {
	out := "diversion by foo from: /x\nlibxi6:amd64: /usr/lib/x86_64-linux-gnu/libXi.so.6\n" +
		"libxi6:i386, libxi6:amd64: /usr/lib/libXi.so.6\n"
	if got := dpkgSearchPackages(out); !slices.Equal(got, []string{"libxi6"}) {
		t.Errorf("got %q", got)
	}
}

func TestDlopenedX11(t *testing.T) {
	f := filepath.Join(t.TempDir(), "bin")
	os.WriteFile(f, []byte("\x00libXi.so.6\x00libGL.so.1\x00libXrandr.so.2\x00libXi.so.6\x00libX11.so\x00"), 0o644)
	got, err := dlopenedX11(f)
	if err != nil || !slices.Equal(got, []string{"libXi.so.6", "libXrandr.so.2"}) {
		t.Errorf("got %q, %v", got, err)
	}
}

func TestSystemUnit(t *testing.T) {
	in := "# how to cp\n# more\n[Service]\nExecStart=%h/.local/bin/aw-timetracker daemon\nRestart=on-failure\n"
	got := string(systemUnit([]byte(in), "/usr/bin/aw-timetracker"))
	if !strings.Contains(got, "\nExecStart=/usr/bin/aw-timetracker daemon\n") {
		t.Errorf("ExecStart not rewritten:\n%s", got)
	}
	if strings.Contains(got, "cp") || !strings.Contains(got, "systemctl --user enable --now aw-timetracker") {
		t.Errorf("comment not replaced:\n%s", got)
	}
}

func TestHicolorIcons(t *testing.T) {
	data, err := os.ReadFile("../../assets/icon.png")
	if err != nil {
		t.Fatal(err)
	}
	src, _ := png.DecodeConfig(bytes.NewReader(data))
	icons, err := hicolorIcons(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range iconSizes {
		b, ok := icons[size]
		if size > src.Width {
			if ok {
				t.Errorf("%d: scaled up from %d", size, src.Width)
			}
			continue
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() != size || img.Bounds().Dy() != size {
			t.Errorf("%d: %v %v", size, img.Bounds(), err)
		}
	}
	if !bytes.Equal(icons[src.Width], data) {
		t.Errorf("the source size is not the original file")
	}
}

func TestManFromHelp(t *testing.T) {
	help := "aw-timetracker v: x.\n\nUsage:\n  aw-timetracker   start\n\nCommands:\n" +
		"  sync      Sync Now: import\n  version   print the version\n\n" +
		"Run 'aw-timetracker COMMAND --help' for flags.\n"
	man := manFromHelp(help, "1.0-1", metainfo{Summary: "S", Paragraphs: []string{" a\n b "}}, time.Unix(0, 0).UTC())
	for _, want := range []string{".TH AW\\-TIMETRACKER 1 \"1970-01-01\"", ".B sync\nSync Now: import\n",
		".B version\n", "\\-\\-help", ".SH DESCRIPTION\na b\n"} {
		if !strings.Contains(man, want) {
			t.Errorf("man page lacks %q:\n%s", want, man)
		}
	}
	if strings.Contains(man, "start\n.TP") {
		t.Errorf("usage line taken as a command:\n%s", man)
	}
}

func TestChangelog(t *testing.T) {
	date := time.Date(2026, 11, 26, 4, 31, 36, 0, time.UTC)
	gz, err := changelog("0.1.0~git70.cb6b649-1", "cb6b649", "A B <a@b.example>", date)
	if err != nil {
		t.Fatal(err)
	}
	if gz[9] != 3 || !bytes.Equal(gz[4:8], []byte{0, 0, 0, 0}) {
		t.Errorf("gzip header: OS %d, mtime %v; want as gzip -n", gz[9], gz[4:8])
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(zr)
	if zr.Name != "" {
		t.Errorf("gzip name %q", zr.Name)
	}
	want := "aw-timetracker (0.1.0~git70.cb6b649-1) unstable; urgency=medium\n\n" +
		"  * Built by `make deb` from git cb6b649.\n\n" +
		" -- A B <a@b.example>  Thu, 26 Nov 2026 04:31:36 +0000\n"
	if string(text) != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
	}
	if _, err := exec.LookPath("dpkg-parsechangelog"); err == nil {
		f := filepath.Join(t.TempDir(), "changelog")
		os.WriteFile(f, text, 0o644)
		// stdout only: perl warns on stderr when LANG names a locale the
		// machine lacks (CI sets en_US.UTF-8 without generating it).
		cmd := exec.Command("dpkg-parsechangelog", "-l", f, "-S", "Version")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || strings.TrimSpace(string(out)) != "0.1.0~git70.cb6b649-1" {
			t.Errorf("dpkg-parsechangelog: %q %v\n%s", out, err, stderr.String())
		}
	}
}

func TestCopyright(t *testing.T) {
	root := t.TempDir()
	meta := metainfo{MetadataLicense: "CC0-1.0"}
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b, err := copyright(root, meta, "https://x.example", date)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n",
		"Files: *\nCopyright: 2026 aw-timetracker contributors\nLicense: undeclared\n ",
		"License: CC0-1.0\n "} {
		if !strings.Contains(string(b), want) {
			t.Errorf("lacks %q:\n%s", want, b)
		}
	}
	meta.ProjectLicense = "MIT"
	os.WriteFile(filepath.Join(root, "LICENSE"), []byte("MIT License\n\nPermission is hereby granted\n"), 0o644)
	b, _ = copyright(root, meta, "https://x.example", date)
	if !strings.Contains(string(b), "License: MIT\n MIT License\n .\n Permission is hereby granted\n") {
		t.Errorf("LICENSE text not used:\n%s", b)
	}
}

// The whole package from a stand-in binary (no cgo build): its files, modes
// and control fields as dpkg-deb reads them.
func TestBuildPackage(t *testing.T) {
	for _, tool := range []string{"dpkg-deb", "strip", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	os.WriteFile(src, []byte(`package main
import "fmt"
func main() { fmt.Print("x\n\nUsage:\n  aw-timetracker  start\n\nCommands:\n  daemon    run syncs\n") }
`), 0o644)
	bin := filepath.Join(dir, "aw-timetracker")
	cmd := exec.Command("go", "build", "-o", bin, src)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "dist")
	path, err := build(options{root: "../..", binary: bin, describe: "v1.2.3-4-gabc1234", out: out,
		maintainer: defaultMaintainer, depends: "libc6 (>= 2.34), libgl1", noRecommends: true})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "aw-timetracker_1.2.3+git4.abc1234-1_amd64.deb" {
		t.Errorf("file %s", path)
	}
	fields, err := exec.Command("dpkg-deb", "-f", path, "Package", "Version", "Architecture", "Depends").Output()
	if err != nil {
		t.Fatal(err)
	}
	wantFields := "Package: aw-timetracker\nVersion: 1.2.3+git4.abc1234-1\nArchitecture: amd64\nDepends: libc6 (>= 2.34), libgl1\n"
	if string(fields) != wantFields {
		t.Errorf("control:\n%s\nwant\n%s", fields, wantFields)
	}
	list, err := exec.Command("dpkg-deb", "-c", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"-rwxr-xr-x root/root .* ./usr/bin/aw-timetracker\n",
		"-rw-r--r-- root/root .* ./usr/share/applications/io.github.awtimetracker.app.desktop\n",
		"./usr/share/icons/hicolor/16x16/apps/io.github.awtimetracker.app.png\n",
		"./usr/share/icons/hicolor/256x256/apps/io.github.awtimetracker.app.png\n",
		"./usr/share/metainfo/io.github.awtimetracker.app.metainfo.xml\n",
		"./usr/lib/systemd/user/aw-timetracker.service\n",
		"./usr/share/man/man1/aw-timetracker.1.gz\n",
		"./usr/share/doc/aw-timetracker/copyright\n",
		"./usr/share/doc/aw-timetracker/changelog.Debian.gz\n",
	} {
		if !matchLine(string(list), want) {
			t.Errorf("package lacks %q:\n%s", want, list)
		}
	}
	unit, err := exec.Command("sh", "-c", "dpkg-deb --fsys-tarfile "+path+" | tar -xO ./usr/lib/systemd/user/aw-timetracker.service").Output()
	if err != nil || !strings.Contains(string(unit), "ExecStart=/usr/bin/aw-timetracker daemon") {
		t.Errorf("unit: %v\n%s", err, unit)
	}
}

// matchLine reports whether a line of text ends with suffix and, when suffix
// has ".*", starts with what is before it.
func matchLine(text, pattern string) bool {
	prefix, suffix, found := strings.Cut(pattern, ".*")
	if !found {
		prefix, suffix = "", pattern
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		if strings.HasPrefix(line, prefix) && strings.HasSuffix(line, suffix) {
			return true
		}
	}
	return false
}
