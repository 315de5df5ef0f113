package dataset

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func TestDecodeText(t *testing.T) {
	const text = "单元,1.2.1\n石家庄市,45.5\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   string
		enc  Encoding
	}{
		{"utf8", text, UTF8},
		{"utf8 bom", "\xef\xbb\xbf" + text, UTF8},
		{"gb18030", gb, GB18030},
		{"utf16le bom", u16, UTF16LE},
		{"ascii", "unit,1.1\nA,1\n", UTF8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, enc, err := DecodeText("f.csv", []byte(tc.in))
			if err != nil {
				t.Fatalf("DecodeText: %v", err)
			}
			want := text
			if tc.name == "ascii" {
				want = tc.in
			}
			if string(got) != want || enc != tc.enc {
				t.Errorf("got %q (%s), want %q (%s)", got, enc, want, tc.enc)
			}
			if !utf8.Valid(got) {
				t.Error("output is not valid UTF-8")
			}
		})
	}
}

func TestDecodeTextRefusesUnknownEncoding(t *testing.T) {
	// 0x80 and 0xFF are invalid as lead bytes in GB18030 and in UTF-8.
	in := []byte("unit,x\nA,1\nB,\x80\xff\n")
	_, _, err := DecodeText("bad.csv", in)
	var ee *EncodingError
	if !errors.As(err, &ee) {
		t.Fatalf("got %v, want *EncodingError", err)
	}
	if ee.Line != 3 || ee.Offset != 13 {
		t.Errorf("line %d offset %d, want line 3 offset 13", ee.Line, ee.Offset)
	}
	if msg := err.Error(); !strings.Contains(msg, "bad.csv: line 3") || !strings.Contains(msg, "UTF-8") {
		t.Errorf("message %q does not name the file, line and the fix", msg)
	}
}
