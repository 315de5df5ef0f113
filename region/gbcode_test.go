package region

import "testing"

// Every region's GB/T form resolves back to a region of the same name
// (the prefecture-level cities without counties — 东莞市 4419 and its one
// county-level entry 441900 — share the six-digit code and the name).
func TestGBCodeRoundTrip(t *testing.T) {
	r, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		{"11", "110000"}, {"4403", "440300"}, {"110108", "110108"}, {"110108011", "110108011"}, {"x", "x"},
	} {
		if got := GBCode(tc.in); got != tc.want {
			t.Errorf("GBCode(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	for _, reg := range r.regions {
		back, ok := r.Canonical(GBCode(reg.Code))
		if !ok || back.Name != reg.Name || back.Code != GBCode(reg.Code) {
			t.Fatalf("%s %s: canonical %s resolves to %+v, %v", reg.Code, reg.Name, GBCode(reg.Code), back, ok)
		}
	}
	got, ok := r.Canonical("110108011000")
	if !ok || got.Code != "110108011" || got.Parent != "110108" {
		t.Fatalf("12-digit form: %+v, %v", got, ok)
	}
	got, _ = r.Canonical("1101")
	if got.Code != "110100" || got.Parent != "110000" {
		t.Fatalf("short prefecture: %+v", got)
	}
}
