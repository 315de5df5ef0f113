package dataset

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendNumberMatchesStrconv checks the fast formatter against strconv:
// below 10^9 the result must equal the shortest form of the value rounded
// to six decimals.
func TestAppendNumberMatchesStrconv(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 100000 {
		v := (r.Float64() - 0.3) * math.Pow10(r.IntN(10)-1)
		if i%7 == 0 {
			v = math.Round(v*100) / 100
		}
		want := strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
		if want == "-0" {
			want = "0"
		}
		if got := FormatNumber(v); got != want {
			t.Fatalf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}
