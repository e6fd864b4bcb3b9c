package locale

import "testing"

func TestUsable(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", false},
		{"C", false},
		{"C.UTF-8", false},
		{"POSIX", false},
		{"xx_YY.UTF-8", false}, // well-formed, unknown language
		{"en_US.UTF-8", true},
		{"de_DE@euro", false}, // Fyne parses "de-DE@euro" and fails
		{"de_DE.UTF-8", true},
		{"pt_BR", true},
		{" fr_FR.UTF-8 ", true},
	} {
		if got := usable(tc.in); got != tc.want {
			t.Errorf("usable(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
