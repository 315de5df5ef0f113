package region

import (
	"strings"
	"testing"
)

const sampleTSV = "11\t北京市\n" +
	"1101\t市辖区\n" +
	"110105\t朝阳区\n" +
	"110108\t海淀区\n" +
	"110108011\t中关村街道\n" +
	"110108012\t海淀街道\n" +
	"22\t吉林省\n" +
	"2201\t长春市\n" +
	"220104\t朝阳区\n" +
	"220104001\t前进街道\n"

func TestParseSample(t *testing.T) {
	t.Parallel()
	reg, err := Parse(strings.NewReader(sampleTSV))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := reg.Counts(), [4]int{2, 2, 3, 3}; got != want {
		t.Errorf("Counts() = %v, want %v", got, want)
	}
	got, ok := reg.Get("220104001")
	want := Region{Code: "220104001", Name: "前进街道", Level: Town, Parent: "220104"}
	if !ok || got != want {
		t.Errorf("Get(220104001) = %+v, %v; want %+v", got, ok, want)
	}
	// The last line may lack its newline.
	reg, err = Parse(strings.NewReader("11\t北京市\n1101\t市辖区"))
	if err != nil || reg.Len() != 2 {
		t.Errorf("Parse without final newline: len %v, err %v", reg, err)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"no tab", "11 北京市\n", "line 1: want code<TAB>name"},
		{"bad code", "11\t北京市\n110\tx\n", "line 2: invalid code \"110\""},
		{"letters", "1a\tx\n", "invalid code"},
		{"empty name", "11\t\n", "invalid name"},
		{"unsorted", "12\t天津市\n11\t北京市\n", "line 2: code 11: not after 12"},
		{"duplicate", "11\t北京市\n11\t北京市\n", "not after 11"},
		{"orphan", "11\t北京市\n110101\t东城区\n", "line 2: code 110101: parent 1101 missing"},
		{"orphan town", "11\ta\n1101\tb\n110101001\tc\n", "parent 110101 missing"},
		{"blank line", "11\t北京市\n\n12\t天津市\n", "line 2"},
		{"bad utf8", "11\t\xff\n", "invalid name"},
	}
	for _, tc := range tests {
		_, err := Parse(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestParseGzipRejectsPlainText(t *testing.T) {
	t.Parallel()
	if _, err := parseGzip(strings.NewReader(sampleTSV)); err == nil {
		t.Error("parseGzip of plain text: no error")
	}
}
