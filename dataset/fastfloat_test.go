package dataset

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestParseSimpleDecimalMatchesStrconv checks the fast path against
// strconv.ParseFloat, bit for bit, on edge cases and random decimals.
func TestParseSimpleDecimalMatchesStrconv(t *testing.T) {
	t.Parallel()
	inputs := []string{"0", "-0", "+7", "1.", ".5", "0.1", "0.3", "123456789012345", "1234567890.12345",
		"0.0000000000000000000001", "99.99", "-12.375", "007.50"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		digits := 1 + r.IntN(15)
		s := strconv.FormatUint(r.Uint64N(uint64(math.Pow10(digits))), 10)
		if k := r.IntN(len(s) + 1); k < len(s) {
			s = s[:k] + "." + s[k:]
		}
		inputs = append(inputs, s)
	}
	for _, s := range inputs {
		want, err := strconv.ParseFloat(s, 64)
		got, ok := parseSimpleDecimal([]byte(s))
		if err != nil || !ok {
			t.Errorf("%q: fast path ok=%v, strconv err=%v", s, ok, err)
			continue
		}
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("%q: got %v, strconv %v", s, got, want)
		}
	}
	// Forms the fast path may decline (strconv then parses them).
	for _, s := range []string{"0.00000000000000000000001", "0.1000000000000000000000", "1e5"} {
		if got, ok := parseSimpleDecimal([]byte(s)); ok {
			want, _ := strconv.ParseFloat(s, 64)
			if got != want {
				t.Errorf("%q: got %v, strconv %v", s, got, want)
			}
		}
	}
	for _, s := range []string{"", "-", ".", "1e5", "1,5", "1.2.3", "abc", "1234567890123456", "NaN", "0x10", "1_000"} {
		if _, ok := parseSimpleDecimal([]byte(s)); ok {
			t.Errorf("%q: fast path should decline", s)
		}
	}
}
