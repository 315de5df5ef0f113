package termtable

import (
	"strings"
	"testing"
)

// TestWidth checks widths against UAX #11 classes as terminals show them
// (the values wcwidth gives): W and F take two columns, combining and
// format characters none, Ambiguous and Narrow one.
func TestWidth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"保障体系", 8},               // CJK unified ideographs: W
		{"（区、镇）", 10},             // fullwidth parentheses (F) and ideographic comma (W)
		{"PM2.5年均浓度", 13},         // mixed
		{"ＡＢ", 4},                 // fullwidth Latin: F
		{"ｱｲ", 2},                 // halfwidth katakana: H, one column
		{"한국", 4},                 // Hangul syllables: W
		{"\u1100\u1161\u11a8", 2}, // conjoining Jamo 각: initial W, medial and final zero
		{"ひらがな", 8},               // hiragana: W
		{"\u3000", 2},             // ideographic space: F
		{"𠀀", 2},                  // CJK extension B (supplementary plane): W
		{"🚀", 2},                  // emoji presentation: W (outside the old 1F300–1F64F table)
		{"μg/m³", 5},              // Ambiguous counts as one
		{"├── ", 4},               // box drawing: Ambiguous, one
		{"·", 1},                  // middle dot: Ambiguous, one
		{"e\u0301", 1},            // combining acute accent (Mn): zero
		{"a\u20dd", 1},            // enclosing circle (Me): zero
		{"a\u200bb", 2},           // zero-width space (Cf): zero
		{"\ufeffx", 1},            // byte order mark (Cf): zero
		{"a\u00adb", 3},           // soft hyphen: one
		{"a\tb", 2},               // control characters: zero
		{"é", 1},                  // precomposed Latin
	}
	for _, tt := range tests {
		if got := Width(tt.s); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

func TestPad(t *testing.T) {
	t.Parallel()
	if got := PadRight("杭州", 6) + "|"; got != "杭州  |" {
		t.Errorf("PadRight: %q", got)
	}
	if got := PadLeft("1.5", 5); got != "  1.5" {
		t.Errorf("PadLeft: %q", got)
	}
	if got := PadRight("杭州市", 4); got != "杭州市" {
		t.Errorf("PadRight narrower than s: %q", got)
	}
}

func TestTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		table Table
		want  string
	}{
		{"header, rule, right-aligned numbers", Table{Header: []string{"unit", "score"}, Right: []bool{false, true},
			Rows: [][]string{{"杭州市", "75.00"}, {"Ａ", "5.5"}}},
			"unit    score\n" +
				"------  -----\n" +
				"杭州市  75.00\n" +
				"Ａ        5.5\n"},
		{"no rule, ragged last column", Table{Header: []string{"CODE", "NAME", "IN"}, NoRule: true,
			Rows: [][]string{{"330100", "杭州市", "浙江省"}, {"33", "浙江省", ""}}},
			"CODE    NAME    IN\n" +
				"330100  杭州市  浙江省\n" +
				"33      浙江省\n"},
		{"rows only", Table{Rows: [][]string{{"a.yaml", "valid"}, {"长名字.yaml", "invalid", "3 errors"}}},
			"a.yaml       valid\n" +
				"长名字.yaml  invalid  3 errors\n"},
	}
	for _, tt := range tests {
		var b strings.Builder
		n, err := tt.table.WriteTo(&b)
		if err != nil || n != int64(b.Len()) {
			t.Errorf("%s: WriteTo = %d, %v; wrote %d bytes", tt.name, n, err, b.Len())
		}
		if b.String() != tt.want {
			t.Errorf("%s: got\n%s\nwant\n%s", tt.name, b.String(), tt.want)
		}
	}
}
