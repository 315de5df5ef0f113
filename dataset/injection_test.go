package dataset

import (
	"strings"
	"testing"
)

func TestSafeTextEscapesFormulasAndRoundTrips(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=SUM(A1:A9)", "'=SUM(A1:A9)"}, {"+1", "'+1"}, {"-2", "'-2"}, {"@cmd", "'@cmd"}, {"\tx", "'\tx"}, {"\rx", "'\rx"},
		{"'=x", "''=x"}, {"'abc", "'abc"}, {"西湖区", "西湖区"}, {"", ""}, {"a=b", "a=b"},
	} {
		if got := SafeText(c.in); got != c.want {
			t.Errorf("SafeText(%q) = %q, want %q", c.in, got, c.want)
		}
		if back := UnescapeText(SafeText(c.in)); back != c.in {
			t.Errorf("UnescapeText(SafeText(%q)) = %q", c.in, back)
		}
	}
}

func TestCSVFieldsAreEscaped(t *testing.T) {
	got := string(AppendCSVField(nil, "=HYPERLINK(\"http://x\")"))
	if !strings.HasPrefix(got, "\"'=HYPERLINK(") {
		t.Fatalf("AppendCSVField = %s", got)
	}
}
