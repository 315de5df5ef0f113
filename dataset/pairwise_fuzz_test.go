package dataset

import (
	"testing"
	"unicode/utf8"

	"github.com/sceval/sceval/engine/weight"
)

// FuzzReadPairwise: whatever the bytes, ReadPairwise returns an n×n matrix
// with n distinct, valid UTF-8 codes, or an error; never a panic.
func FuzzReadPairwise(f *testing.F) {
	for _, s := range []string{
		",a,b\na,1,3\nb,1/3,1\n",
		"1,3,5\n1/3,1,3\n",
		"# c\n\xef\xbb\xbf1,2\n0.5,1\n",
		"指标,x,y\nx,1,1/0\ny,1,1\n",
		"\"a\nb\",1\n",
		"1.1,1.2\n1,2\n1/2,1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		pm, _, err := ReadPairwise("f.csv", []byte(in))
		if err != nil {
			return
		}
		n := len(pm.Values)
		if n == 0 || len(pm.Codes) != n {
			t.Fatalf("%d codes for %d rows", len(pm.Codes), n)
		}
		seen := map[string]bool{}
		for i, row := range pm.Values {
			if len(row) != n {
				t.Fatalf("row %d has %d entries for n = %d", i, len(row), n)
			}
			if !utf8.ValidString(pm.Codes[i]) || seen[pm.Codes[i]] {
				t.Fatalf("code %q invalid or repeated", pm.Codes[i])
			}
			seen[pm.Codes[i]] = true
		}
		if m, _, err := weight.ReciprocalMatrix(pm.Values, pm.Codes); err == nil {
			if err := weight.ValidatePairwise(m, nil); err != nil {
				t.Fatalf("ReciprocalMatrix accepted a matrix ValidatePairwise refuses: %v", err)
			}
		}
	})
}
