package config

import "testing"

// FuzzParseBucketIDs: no panic; ids are never empty or padded.
func FuzzParseBucketIDs(f *testing.F) {
	for _, s := range []string{"a, b", `["a","b"]`, "[]", "", `"x"`, `{"a":1}`, `["a"`, ", ,", `[null, 1, true, "b "]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := ParseBucketIDs(s)
		if err != nil {
			return
		}
		for _, id := range ids {
			if id == "" || id[0] == ' ' || id[len(id)-1] == ' ' {
				t.Errorf("%q gave id %q", s, id)
			}
		}
	})
}
