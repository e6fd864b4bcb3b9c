// Package palette turns the projects' own colours into the colours the
// windows paint. ActivityWatch's categories hand their colour down, so
// "Work > Programming", "… > Go" and "… > ActivityWatch" arrive in one
// pure green and a stacked bar of them reads as one block; and a colour
// picked for a light page is often unreadable on a dark one. Assign gives
// projects that share a colour distinct shades of it, each within the
// luminance band that stands out on both Fyne's light and dark background.
package palette

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Projects without a colour of their own get one of these (Tableau 10),
// picked by name, so they look the same everywhere and every time.
const named = "#4E79A7#F28E2B#59A14F#E15759#76B7B2#EDC948#B07AA1#FF9DA7#9C755F#86BCB6"

// None is the colour of time without a project (a readable grey).
const None = "#7F7F7F"

// The relative luminance band of every colour Assign returns: at least
// MinContrast against white (L ≤ 0.30) and against Fyne's dark background
// #171718 (L ≥ 0.124). Kept a little inside for rounding to 8 bits.
const (
	lowL        = 0.13
	highL       = 0.29
	MinContrast = 3.0 // WCAG's minimum for graphical objects
)

// Base is a project's colour before shading: its own when it is a valid
// "#rrggbb" or "#rgb", else one picked by its name.
func Base(name, own string) string {
	if c, ok := parse(own); ok {
		return c.hex()
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	i := int(h.Sum32()%uint32(len(named)/7)) * 7
	return named[i : i+7]
}

// Assign gives each project (name → its own colour, "" for none) the
// colour to paint it. Projects whose base colour is the same are shaded
// apart in name order, so a parent ("A > B") comes before its children;
// the result depends only on the set of projects, not on map order.
func Assign(own map[string]string) map[string]string {
	groups := map[string][]string{}
	for name, c := range own {
		b := strings.ToUpper(Base(name, c))
		groups[b] = append(groups[b], name)
	}
	bases := make([]string, 0, len(groups))
	for b := range groups {
		bases = append(bases, b)
	}
	sort.Strings(bases)
	// Each group's first colour is its own; the shades after it keep away
	// from every colour given so far, other groups' too.
	var taken []rgb
	for _, b := range bases {
		base, _ := parse(b)
		taken = append(taken, shades(base, 1, nil)...)
	}
	out := make(map[string]string, len(own))
	for _, b := range bases {
		names := groups[b]
		sort.Strings(names)
		base, _ := parse(b)
		cs := shades(base, len(names), taken)
		for i, c := range cs {
			out[names[i]] = c.hex()
		}
		taken = append(taken, cs[1:]...)
	}
	return out
}

// shades are n readable shades of c: the first c itself (its luminance
// moved into the band), each next the candidate around c farthest from
// those taken and from others (greedy farthest-point), so that even
// neighbours in a stacked bar differ. Candidates stay within ±48° of c's
// hue: a category's children keep looking like it.
func shades(c rgb, n int, others []rgb) []rgb {
	h, s, _ := c.hsl()
	first := withLuminance(h, s, math.Min(highL, math.Max(lowL, c.luminance())))
	out := []rgb{first}
	if n == 1 {
		return out
	}
	if s < 0.35 {
		s = 0.35 // a grey's shades need some colour to tell them apart
	}
	var cands []rgb
	for li := range 5 {
		for turn := -48.0; turn <= 48; turn += 12 {
			target := lowL + float64(li)*(highL-lowL)/4
			cands = append(cands, withLuminance(math.Mod(h+turn+360, 360), s, target))
		}
	}
	for len(out) < n {
		best, bestD := 0, -1.0
		for i, cand := range cands {
			d := math.Inf(1)
			for _, o := range out {
				d = math.Min(d, cand.distance(o))
			}
			for _, o := range others {
				d = math.Min(d, cand.distance(o)*1.5) // weighs less than the group's own
			}
			if d > bestD {
				best, bestD = i, d
			}
		}
		if bestD <= 0 { // more projects than candidates: repeat the cycle
			out = append(out, out[len(out)%len(cands)])
			continue
		}
		out = append(out, cands[best])
	}
	return out
}

// withLuminance is the colour of hue h and saturation s whose relative
// luminance is target, found by bisection on HSL lightness (luminance
// grows with it).
func withLuminance(h, s, target float64) rgb {
	lo, hi := 0.0, 1.0
	for range 40 {
		mid := (lo + hi) / 2
		if fromHSL(h, s, mid).luminance() < target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return fromHSL(h, s, (lo+hi)/2)
}

// Contrast is the WCAG contrast ratio of two "#rrggbb" colours (1 to 21).
func Contrast(a, b string) float64 {
	ca, _ := parse(a)
	cb, _ := parse(b)
	la, lb := ca.luminance(), cb.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Distance is how far apart two "#rrggbb" colours look: the Euclidean
// distance in CIELAB (ΔE 1976; about 2.3 is just noticeable).
func Distance(a, b string) float64 {
	ca, _ := parse(a)
	cb, _ := parse(b)
	return ca.distance(cb)
}

func (c rgb) distance(o rgb) float64 {
	l1, a1, b1 := c.lab()
	l2, a2, b2 := o.lab()
	return math.Sqrt((l1-l2)*(l1-l2) + (a1-a2)*(a1-a2) + (b1-b2)*(b1-b2))
}

// rgb is a colour with channels in [0, 1].
type rgb struct{ r, g, b float64 }

// parse reads "#rrggbb" or "#rgb" (as aw-webui writes them).
func parse(s string) (rgb, bool) {
	s, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if !ok {
		return rgb{}, false
	}
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return rgb{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return rgb{}, false
	}
	return rgb{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255}, true
}

func (c rgb) hex() string {
	ch := func(x float64) int { return int(math.Round(math.Max(0, math.Min(1, x)) * 255)) }
	return fmt.Sprintf("#%02X%02X%02X", ch(c.r), ch(c.g), ch(c.b))
}

// linear is an sRGB channel without its gamma.
func linear(x float64) float64 {
	if x <= 0.04045 {
		return x / 12.92
	}
	return math.Pow((x+0.055)/1.055, 2.4)
}

// luminance is WCAG's relative luminance, of the colour as hex() rounds it.
func (c rgb) luminance() float64 {
	c, _ = parse(c.hex())
	return 0.2126*linear(c.r) + 0.7152*linear(c.g) + 0.0722*linear(c.b)
}

func (c rgb) lab() (l, a, b float64) {
	r, g, bl := linear(c.r), linear(c.g), linear(c.b)
	x := (0.4124*r + 0.3576*g + 0.1805*bl) / 0.95047
	y := 0.2126*r + 0.7152*g + 0.0722*bl
	z := (0.0193*r + 0.1192*g + 0.9505*bl) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	fx, fy, fz := f(x), f(y), f(z)
	return 116*fy - 16, 500 * (fx - fy), 200 * (fy - fz)
}

func (c rgb) hsl() (h, s, l float64) {
	mx := math.Max(c.r, math.Max(c.g, c.b))
	mn := math.Min(c.r, math.Min(c.g, c.b))
	l = (mx + mn) / 2
	d := mx - mn
	if d == 0 {
		return 0, 0, l
	}
	s = d / (1 - math.Abs(2*l-1))
	switch mx {
	case c.r:
		h = math.Mod((c.g-c.b)/d, 6)
	case c.g:
		h = (c.b-c.r)/d + 2
	default:
		h = (c.r-c.g)/d + 4
	}
	return math.Mod(h*60+360, 360), s, l
}

func fromHSL(h, s, l float64) rgb {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	case h < 180:
		g, b = c, x
	case h < 240:
		g, b = x, c
	case h < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	return rgb{r + m, g + m, b + m}
}
