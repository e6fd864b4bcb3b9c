// Command deb builds the Debian package of aw-timetracker with nfpm used as a
// library (`make deb`):
//
//	go run ./packaging/deb -binary bin/aw-timetracker -version "$(git describe --tags --always --dirty)" -out dist/
//
// It writes dist/aw-timetracker_<version>_<arch>.deb holding
//
//	/usr/bin/aw-timetracker                                  the binary, stripped
//	/usr/share/applications/<app-id>.desktop                 packaging/linux's desktop entry
//	/usr/share/icons/hicolor/<N>x<N>/apps/<icon>.png         assets/icon.png at 16…256 (and 512 if it is that big)
//	/usr/share/metainfo/<app-id>.metainfo.xml                packaging/linux's AppStream metainfo
//	/usr/lib/systemd/user/aw-timetracker.service             the user unit, ExecStart=/usr/bin/aw-timetracker daemon
//	/usr/share/man/man1/aw-timetracker.1.gz                  written from `aw-timetracker help` (manpage.go)
//	/usr/share/doc/aw-timetracker/copyright                  machine-readable (DEP-5), copyright.tmpl
//	/usr/share/doc/aw-timetracker/changelog.Debian.gz        one entry for this version, changelog.tmpl
//
// The Debian version comes from -version (git describe) as version.go
// explains; Depends and Recommends as depends.go explains. Files and the
// changelog are dated from the commit (SOURCE_DATE_EPOCH when set), so the
// same commit gives the same package.
package main

import (
	"bytes"
	"cmp"
	"debug/elf"
	_ "embed"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
	"golang.org/x/image/draw"
)

const (
	pkgName = "aw-timetracker"
	// Nobody is named as maintainer anywhere in the repository, so this is
	// the project's; -maintainer overrides it.
	defaultMaintainer = "aw-timetracker maintainers <aw-timetracker@users.noreply.github.com>"
	debRevision       = "1"
)

// The hicolor sizes installed, each no larger than the source icon.
var iconSizes = []int{16, 32, 48, 64, 128, 256, 512}

var (
	//go:embed changelog.tmpl
	changelogTmpl string
	//go:embed copyright.tmpl
	copyrightTmpl string
)

type options struct {
	root, binary, describe, out string
	maintainer                  string
	depends, recommends         string // comma-separated; "" derives them
	noRecommends                bool
}

func main() {
	var o options
	flag.StringVar(&o.binary, "binary", "bin/"+pkgName, "the built binary")
	flag.StringVar(&o.describe, "version", "", "the version, as `git describe --tags --always --dirty` prints it")
	flag.StringVar(&o.out, "out", "dist", "output folder")
	flag.StringVar(&o.root, "root", ".", "the repository's top folder")
	flag.StringVar(&o.maintainer, "maintainer", defaultMaintainer, "Maintainer field and changelog signature")
	flag.StringVar(&o.depends, "depends", "", "Depends, comma-separated (default: derived with dpkg-shlibdeps)")
	flag.StringVar(&o.recommends, "recommends", "", "Recommends, comma-separated (default: derived from the sonames GLFW dlopens)")
	flag.BoolVar(&o.noRecommends, "no-recommends", false, "no Recommends field")
	flag.Parse()
	if o.describe == "" {
		o.describe = gitOutput(o.root, "describe", "--tags", "--always", "--dirty")
	}
	path, err := build(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "deb:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}

// metainfo is the part of the AppStream file the package uses.
type metainfo struct {
	ID              string   `xml:"id"`
	MetadataLicense string   `xml:"metadata_license"`
	ProjectLicense  string   `xml:"project_license"`
	Summary         string   `xml:"summary"`
	Paragraphs      []string `xml:"description>p"`
}

func build(o options) (string, error) {
	linux := filepath.Join(o.root, "packaging", "linux")
	desktops, _ := filepath.Glob(filepath.Join(linux, "*.desktop"))
	if len(desktops) != 1 {
		return "", fmt.Errorf("want one desktop entry in %s, found %d", linux, len(desktops))
	}
	appID := strings.TrimSuffix(filepath.Base(desktops[0]), ".desktop")

	var meta metainfo
	metaPath := filepath.Join(linux, appID+".metainfo.xml")
	metaData, err := os.ReadFile(metaPath)
	if err != nil {
		return "", err
	}
	if err := xml.Unmarshal(metaData, &meta); err != nil {
		return "", fmt.Errorf("%s: %w", metaPath, err)
	}
	if meta.ID != appID {
		return "", fmt.Errorf("%s: id %q, but the desktop entry is %s.desktop", metaPath, meta.ID, appID)
	}

	fyneApp, _ := os.ReadFile(filepath.Join(o.root, "FyneApp.toml"))
	baseVersion := tomlString(fyneApp, "Version")
	homepage := tomlString(fyneApp, "Website")

	describe := strings.TrimSpace(o.describe)
	count := -1
	if bareHash.MatchString(strings.TrimSuffix(describe, "-dirty")) {
		if n, err := strconv.Atoi(gitOutput(o.root, "rev-list", "--count", strings.TrimSuffix(describe, "-dirty"))); err == nil {
			count = n
		}
	}
	upstream, err := debVersion(describe, baseVersion, count)
	if err != nil {
		return "", err
	}
	// A Debian revision makes it a non-native package, whose changelog is
	// changelog.Debian.gz (lintian: wrong-name-for-changelog-of-native-package).
	version := upstream + "-" + debRevision
	date := buildTime(o.root)

	arch, err := debArch(o.binary)
	if err != nil {
		return "", err
	}

	stage, err := os.MkdirTemp("", "aw-timetracker-deb-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(stage)
	// The tree as installed, under debian/<package> as dpkg-shlibdeps wants it.
	tree := filepath.Join(stage, "debian", pkgName)
	var contents files.Contents
	add := func(dst string, mode os.FileMode, data []byte) error {
		src := filepath.Join(tree, filepath.FromSlash(dst))
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(src, data, mode); err != nil {
			return err
		}
		contents = append(contents, &files.Content{
			Source: src, Destination: dst, Type: files.TypeFile,
			FileInfo: &files.ContentFileInfo{Mode: mode, MTime: date},
		})
		return nil
	}

	// The binary, stripped as dh_strip does (the debug info is half its size).
	binRel := "usr/bin/" + pkgName
	binStaged := filepath.Join(tree, filepath.FromSlash(binRel))
	if err := os.MkdirAll(filepath.Dir(binStaged), 0o755); err != nil {
		return "", err
	}
	if out, err := exec.Command("strip", "--remove-section=.comment", "--remove-section=.note",
		"--strip-unneeded", "-o", binStaged, o.binary).CombinedOutput(); err != nil {
		return "", fmt.Errorf("strip %s (binutils): %v: %s", o.binary, err, out)
	}
	if err := os.Chmod(binStaged, 0o755); err != nil {
		return "", err
	}
	contents = append(contents, &files.Content{
		Source: binStaged, Destination: "/" + binRel, Type: files.TypeFile,
		FileInfo: &files.ContentFileInfo{Mode: 0o755, MTime: date},
	})

	// The desktop entry as it is (Exec=aw-timetracker is found on PATH in
	// /usr/bin); its Icon= names the icon files.
	desktop, err := os.ReadFile(desktops[0])
	if err != nil {
		return "", err
	}
	iconName := desktopKey(desktop, "Icon")
	if iconName == "" || strings.Contains(iconName, "/") || strings.HasSuffix(iconName, ".png") {
		return "", fmt.Errorf("%s: Icon=%q is not an icon theme name", desktops[0], iconName)
	}
	if err := add("/usr/share/applications/"+appID+".desktop", 0o644, desktop); err != nil {
		return "", err
	}

	iconPath := filepath.Join(o.root, "assets", "icon.png")
	iconData, err := os.ReadFile(iconPath)
	if err != nil {
		return "", err
	}
	icons, err := hicolorIcons(iconData)
	if err != nil {
		return "", fmt.Errorf("%s: %w", iconPath, err)
	}
	for _, size := range slices.Sorted(maps.Keys(icons)) {
		dst := fmt.Sprintf("/usr/share/icons/hicolor/%dx%d/apps/%s.png", size, size, iconName)
		if err := add(dst, 0o644, icons[size]); err != nil {
			return "", err
		}
	}

	if err := add("/usr/share/metainfo/"+appID+".metainfo.xml", 0o644, metaData); err != nil {
		return "", err
	}

	unit, err := os.ReadFile(filepath.Join(linux, pkgName+".service"))
	if err != nil {
		return "", err
	}
	if err := add("/usr/lib/systemd/user/"+pkgName+".service", 0o644, systemUnit(unit, "/"+binRel)); err != nil {
		return "", err
	}

	man, err := manPage(o.binary, version, meta, date)
	if err != nil {
		return "", err
	}
	if err := add("/usr/share/man/man1/"+pkgName+".1.gz", 0o644, man); err != nil {
		return "", err
	}

	cr, err := copyright(o.root, meta, homepage, date)
	if err != nil {
		return "", err
	}
	if err := add("/usr/share/doc/"+pkgName+"/copyright", 0o644, cr); err != nil {
		return "", err
	}
	cl, err := changelog(version, describe, o.maintainer, date)
	if err != nil {
		return "", err
	}
	if err := add("/usr/share/doc/"+pkgName+"/changelog.Debian.gz", 0o644, cl); err != nil {
		return "", err
	}

	depends := splitList(o.depends)
	if len(depends) == 0 {
		if depends, err = shlibDepends(stage, pkgName, binRel); err != nil {
			return "", err
		}
	}
	recommends := splitList(o.recommends)
	if len(recommends) == 0 && !o.noRecommends {
		sonames, err := dlopenedX11(o.binary)
		if err != nil {
			return "", err
		}
		recommends = packagesOf(sonames, depends)
	}

	info := nfpm.WithDefaults(&nfpm.Info{
		Name:          pkgName,
		Arch:          arch,
		Platform:      "linux",
		Version:       upstream,
		Release:       debRevision,
		VersionSchema: "none", // debVersion made it a Debian version already
		Section:       "utils",
		Priority:      "optional",
		Maintainer:    o.maintainer,
		Homepage:      homepage,
		Description:   description(meta),
		MTime:         date,
		Overridables: nfpm.Overridables{
			Depends:    depends,
			Recommends: recommends,
			Contents:   contents,
			Umask:      0o022,
			// gzip: 4 s, where nfpm's pure-Go xz takes 10 s for a package 10% smaller.
			Deb: nfpm.Deb{Compression: "gzip"},
		},
	})
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(o.out, fmt.Sprintf("%s_%s_%s.deb", pkgName, version, arch))
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := deb.Default.Package(info, f); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	return path, f.Close()
}

// debArch is the Debian architecture of an ELF binary.
func debArch(binary string) (string, error) {
	f, err := elf.Open(binary)
	if err != nil {
		return "", err
	}
	defer f.Close()
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64", nil
	case elf.EM_AARCH64:
		return "arm64", nil
	case elf.EM_386:
		return "i386", nil
	case elf.EM_RISCV:
		return "riscv64", nil
	}
	return "", fmt.Errorf("%s: no Debian architecture for %v", binary, f.Machine)
}

// buildTime is SOURCE_DATE_EPOCH when set, else the commit's date, else now.
func buildTime(root string) time.Time {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		s = gitOutput(root, "log", "-1", "--format=%ct")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC()
	}
	return time.Now().UTC().Truncate(time.Second)
}

func gitOutput(root string, args ...string) string {
	out, err := exec.Command("git", append([]string{"-C", root}, args...)...).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// tomlString reads `key = "value"` from FyneApp.toml.
func tomlString(toml []byte, key string) string {
	m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(key) + `\s*=\s*"([^"]*)"`).FindSubmatch(toml)
	if m == nil {
		return ""
	}
	return string(m[1])
}

func desktopKey(entry []byte, key string) string {
	for _, line := range strings.Split(string(entry), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), key+"="); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// systemUnit points the user unit's ExecStart at the packaged binary (the
// file in packaging/linux is for ~/.local/bin) and replaces its how-to-install
// comment with how to enable the packaged unit.
func systemUnit(unit []byte, bin string) []byte {
	var b strings.Builder
	b.WriteString("# systemd user unit for headless machines: automatic syncs with no tray.\n" +
		"#   systemctl --user enable --now aw-timetracker\n")
	execStart := regexp.MustCompile(`^ExecStart=\S*/` + regexp.QuoteMeta(filepath.Base(bin)) + `(\s|$)`)
	for _, line := range strings.SplitAfter(string(unit), "\n") {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(execStart.ReplaceAllString(line, "ExecStart="+bin+"$1"))
		}
	}
	return []byte(b.String())
}

// hicolorIcons scales a square PNG to each of iconSizes up to its own size,
// which is kept as it is.
func hicolorIcons(data []byte) (map[int][]byte, error) {
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	if w != h {
		return nil, fmt.Errorf("icon is %dx%d, not square", w, h)
	}
	icons := map[int][]byte{}
	for _, size := range iconSizes {
		switch {
		case size > w:
			continue
		case size == w:
			icons[size] = data
			continue
		}
		dst := image.NewNRGBA(image.Rect(0, 0, size, size))
		// Catmull-Rom widened to the scale factor: every source pixel counts
		// (no aliasing when 256 becomes 16), alpha handled premultiplied.
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, dst); err != nil {
			return nil, err
		}
		icons[size] = buf.Bytes()
	}
	if len(icons) == 0 {
		return nil, errors.New("icon smaller than 16x16")
	}
	return icons, nil
}

// description is the control file's: the metainfo summary as the synopsis,
// its description paragraphs wrapped as the extended description.
func description(m metainfo) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(m.Summary))
	for i, p := range m.Paragraphs {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("\n")
		b.WriteString(wrap(strings.Fields(p), 72))
	}
	return b.String()
}

func wrap(words []string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range words {
		if n > 0 && n+1+len(w) > width {
			b.WriteString("\n")
			n = 0
		}
		if n > 0 {
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// changelog is changelog.Debian.gz: one entry for this version, compressed
// as `gzip -9n` does (no name, no timestamp).
func changelog(version, describe, maintainer string, date time.Time) ([]byte, error) {
	t, err := template.New("changelog").Parse(changelogTmpl)
	if err != nil {
		return nil, err
	}
	var text bytes.Buffer
	if err := t.Execute(&text, map[string]string{
		"Package": pkgName, "Version": version, "Describe": describe,
		"Maintainer": maintainer, "Date": date.Format(time.RFC1123Z),
	}); err != nil {
		return nil, err
	}
	return gzip9n(text.Bytes())
}

// copyright is the DEP-5 copyright file. The project's license is, in
// order: a LICENSE/COPYING file's text, the metainfo's project_license, or,
// when neither exists, a paragraph saying that none has been declared.
func copyright(root string, meta metainfo, homepage string, date time.Time) ([]byte, error) {
	data := map[string]string{
		"Homepage": homepage, "Year": strconv.Itoa(date.Year()),
		"MetadataLicense":     meta.MetadataLicense,
		"MetadataLicenseText": licenseText(meta.MetadataLicense, nil),
	}
	for _, name := range []string{"LICENSE", "LICENSE.md", "LICENSE.txt", "COPYING"} {
		if text, err := os.ReadFile(filepath.Join(root, name)); err == nil {
			data["License"] = cmp.Or(meta.ProjectLicense, "custom")
			data["LicenseText"] = licenseText("", text)
			break
		}
	}
	if data["License"] == "" && meta.ProjectLicense != "" {
		data["License"] = meta.ProjectLicense
		data["LicenseText"] = licenseText(meta.ProjectLicense, nil)
	}
	if data["License"] == "" {
		fmt.Fprintln(os.Stderr, "deb: no license declared (no LICENSE file, no project_license in the metainfo); the copyright file says so")
		data["License"] = "undeclared"
		data["LicenseText"] = " The authors have not published a license for aw-timetracker: the source\n" +
			" tree has no LICENSE file and its AppStream metainfo no project_license."
	}
	t, err := template.New("copyright").Parse(copyrightTmpl)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = t.Execute(&b, data)
	return b.Bytes(), err
}

// licenseText is a DEP-5 license text: the given text indented (blank lines
// as " ."), or for a license name a pointer to Debian's copy of it or to SPDX.
func licenseText(name string, text []byte) string {
	if text != nil {
		var b strings.Builder
		for i, line := range strings.Split(strings.TrimSpace(string(text)), "\n") {
			if i > 0 {
				b.WriteString("\n")
			}
			if line = strings.TrimRight(line, " \t\r"); line == "" {
				b.WriteString(" .")
			} else {
				b.WriteString(" " + line)
			}
		}
		return b.String()
	}
	debianName := strings.TrimSuffix(strings.TrimSuffix(name, "-only"), ".0")
	for _, n := range []string{name, debianName} {
		if _, err := os.Stat("/usr/share/common-licenses/" + n); err == nil {
			return " On Debian systems, the complete text of the " + name + " license\n" +
				" can be found in /usr/share/common-licenses/" + n + "."
		}
	}
	return " The complete text of the " + name + " license is at\n https://spdx.org/licenses/" + name + ".html."
}
