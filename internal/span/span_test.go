package span

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC)

func sp(from, to int) Span {
	return Span{Start: t0.Add(time.Duration(from) * time.Minute), End: t0.Add(time.Duration(to) * time.Minute)}
}

func show(ss []Span) string {
	out := ""
	for _, s := range ss {
		out += fmt.Sprintf("[%d,%d)", int(s.Start.Sub(t0).Minutes()), int(s.End.Sub(t0).Minutes()))
	}
	return out
}

func TestMerge(t *testing.T) {
	for _, c := range []struct {
		in   []Span
		want string
	}{
		{nil, ""},
		{[]Span{sp(0, 10)}, "[0,10)"},
		{[]Span{sp(20, 30), sp(0, 10)}, "[0,10)[20,30)"},
		{[]Span{sp(0, 10), sp(10, 20)}, "[0,20)"}, // touching join
		{[]Span{sp(0, 30), sp(5, 10)}, "[0,30)"},  // inside
		{[]Span{sp(5, 15), sp(0, 10), sp(40, 50), sp(14, 20)}, "[0,20)[40,50)"},
	} {
		if got := show(Merge(slices.Clone(c.in))); got != c.want {
			t.Errorf("Merge(%s) = %s, want %s", show(c.in), got, c.want)
		}
	}
}

func TestSubtract(t *testing.T) {
	for _, c := range []struct {
		s     Span
		taken []Span
		want  string
	}{
		{sp(0, 60), nil, "[0,60)"},
		{sp(0, 60), []Span{sp(10, 20), sp(30, 40)}, "[0,10)[20,30)[40,60)"},
		{sp(0, 60), []Span{sp(-10, 5), sp(55, 70)}, "[5,55)"},
		{sp(0, 60), []Span{sp(-10, 70)}, ""},
		{sp(0, 60), []Span{sp(60, 70)}, "[0,60)"}, // touching takes nothing
	} {
		if got := show(Subtract(c.s, c.taken)); got != c.want {
			t.Errorf("Subtract(%s, %s) = %s, want %s", show([]Span{c.s}), show(c.taken), got, c.want)
		}
	}
}

func TestIntersectOverlapOverlaps(t *testing.T) {
	for _, c := range []struct {
		a, b Span
		want time.Duration
	}{
		{sp(0, 10), sp(5, 20), 5 * time.Minute},
		{sp(0, 10), sp(10, 20), 0},
		{sp(0, 10), sp(2, 3), time.Minute},
		{sp(0, 10), sp(20, 30), 0},
	} {
		s, ok := Intersect(c.a, c.b)
		if got := Overlap(c.a, c.b); got != c.want || ok != (c.want > 0) || (ok && s.Duration() != c.want) {
			t.Errorf("%s ∩ %s: overlap %v (ok %v), want %v", show([]Span{c.a}), show([]Span{c.b}), got, ok, c.want)
		}
		if Overlaps([]Span{c.b}, c.a) != (c.want > 0) {
			t.Errorf("Overlaps(%s, %s) wrong", show([]Span{c.b}), show([]Span{c.a}))
		}
	}
	if Total([]Span{sp(0, 10), sp(20, 25)}) != 15*time.Minute || (Span{End: t0, Start: t0.Add(time.Hour)}).Duration() != 0 {
		t.Error("Total or Duration wrong")
	}
}

func TestLongest(t *testing.T) {
	items := []struct {
		s     Span
		label string
	}{{sp(0, 30), "a"}, {sp(30, 40), ""}, {sp(40, 50), "b"}, {sp(50, 52), "c"}}
	at := func(i int) (Span, string) { return items[i].s, items[i].label }
	for _, c := range []struct {
		s    Span
		want string
	}{
		{sp(20, 45), "a"}, // 10 min of a, 5 of b
		{sp(28, 50), "b"}, // the unlabelled page does not count
		{sp(51, 60), "c"}, // only c
		{sp(60, 70), ""},  // nothing
		{sp(-10, 0), ""},  // touching is not overlapping
	} {
		if got := Longest(len(items), at, 30*time.Minute, c.s); got != c.want {
			t.Errorf("Longest during %s = %q, want %q", show([]Span{c.s}), got, c.want)
		}
	}
}
