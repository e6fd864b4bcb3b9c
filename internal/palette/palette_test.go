package palette

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func hexOf(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
}

// The colours from ActivityWatch's default categories, as the rules import
// hands them down, plus a project list with no colours at all.
func TestAssignReadableAndDistinct(t *testing.T) {
	test.NewTempApp(t) // the built-in theme reads the app's settings
	light := hexOf(theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight))
	dark := hexOf(theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantDark))
	for _, tc := range []struct {
		name string
		own  map[string]string
	}{
		{"one category's children", map[string]string{
			"Work":                               "#0F0",
			"Work > Programming":                 "#0F0",
			"Work > Programming > Go":            "#0F0",
			"Work > Programming > ActivityWatch": "#0F0",
			"Work > Issues":                      "#0F0",
			"Work > Clients > Acme GmbH":         "#0F0",
		}},
		{"aw-webui defaults", map[string]string{
			"Comms":         "#5FF",
			"Comms > IM":    "#5FF",
			"Comms > Email": "#5FF",
			"Media > Video": "#F00",
			"Media > Games": "#F00",
			"Media > Music": "#F00",
			"Uncategorized": "#CCC",
			"Work > Image":  "#FF0",
			"Pale yellow":   "#FFFFE0",
			"Black":         "#000000",
		}},
		{"no colours", map[string]string{"alpha": "", "beta": "", "gamma": "", "delta": "", "epsilon": "", "x": "not a colour"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Assign(tc.own)
			if len(got) != len(tc.own) {
				t.Fatalf("Assign gave %d colours for %d projects", len(got), len(tc.own))
			}
			for name, c := range got {
				for bg, on := range map[string]string{"light": light, "dark": dark} {
					if r := Contrast(c, on); r < MinContrast {
						t.Errorf("%s: %s on the %s background %s: contrast %.2f, want ≥ %.1f", name, c, bg, on, r, MinContrast)
					}
				}
			}
			// Projects that came in one colour must now look different.
			for a, ca := range tc.own {
				for b, cb := range tc.own {
					if a >= b || Base(a, ca) != Base(b, cb) {
						continue
					}
					if d := Distance(got[a], got[b]); d < 8 {
						t.Errorf("%s %s and %s %s: ΔE %.1f, want ≥ 8", a, got[a], b, got[b], d)
					}
				}
			}
		})
	}
	if c := None; Contrast(c, light) < MinContrast || Contrast(c, dark) < MinContrast {
		t.Errorf("None %s is not readable on %s and %s", c, light, dark)
	}
}

func TestAssignIsStable(t *testing.T) {
	own := map[string]string{"A": "#0F0", "A > B": "#0F0", "A > C": "#0F0", "D": ""}
	first := Assign(own)
	for range 20 {
		again := Assign(own)
		for k, v := range first {
			if again[k] != v {
				t.Fatalf("Assign(%s) gave %s, then %s", k, v, again[k])
			}
		}
	}
	if first["A"] == first["A > B"] || first["A > B"] == first["A > C"] {
		t.Errorf("siblings share a colour: %v", first)
	}
}

func TestBase(t *testing.T) {
	for _, tc := range []struct{ name, own, want string }{
		{"x", "#0f0", "#00FF00"},
		{"x", "#12ab34", "#12AB34"},
		{"x", " #ABC ", "#AABBCC"},
	} {
		if got := Base(tc.name, tc.own); got != tc.want {
			t.Errorf("Base(%q, %q) = %s, want %s", tc.name, tc.own, got, tc.want)
		}
	}
	if a, b := Base("p", ""), Base("p", "nope"); a != b || len(a) != 7 {
		t.Errorf("Base without a colour: %q and %q, want one #rrggbb picked by name", a, b)
	}
}

// A group's shades keep away from the colours of other groups: the
// children of a green category do not land on another project's
// yellow-green.
func TestAssignKeepsGroupsApart(t *testing.T) {
	own := map[string]string{"Work": "#0F0", "Work > A": "#0F0", "Work > B": "#0F0", "Work > C": "#0F0", "Music": "#7FA000", "Mail": "#00A4A4"}
	got := Assign(own)
	for _, child := range []string{"Work > A", "Work > B", "Work > C"} {
		for _, other := range []string{"Music", "Mail"} {
			if d := Distance(got[child], got[other]); d < 8 {
				t.Errorf("%s %s and %s %s: ΔE %.1f, want ≥ 8", child, got[child], other, got[other], d)
			}
		}
	}
}
