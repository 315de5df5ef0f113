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

// A file that is not UTF-8 and holds the bytes of a UTF-8 U+FFFD used to
// be accepted as GB18030 even with invalid sequences; a genuine U+FFFD
// (84 31 A4 37 in GB18030, FD FF in UTF-16LE) is accepted.
func TestDecodeTextReplacementCharacter(t *testing.T) {
	gbBad := []byte("unit,x\nA\xef\xbf\xbd,1\nB,\x80\xff\n")
	if _, _, err := DecodeText("bad.csv", gbBad); err == nil {
		t.Errorf("invalid GB18030 with a UTF-8 U+FFFD accepted")
	}
	gbGood := []byte("\xca\xaf\x84\x31\xa4\x37,1\n") // 石 U+FFFD
	got, enc, err := DecodeText("ok.csv", gbGood)
	if err != nil || enc != GB18030 || string(got) != "石\uFFFD,1\n" {
		t.Errorf("GB18030 U+FFFD: %q %s %v", got, enc, err)
	}
	u16 := []byte("\xff\xfeA\x00\xfd\xff\n\x00")
	if got, enc, err := DecodeText("u.csv", u16); err != nil || enc != UTF16LE || string(got) != "A\uFFFD\n" {
		t.Errorf("UTF-16 U+FFFD: %q %s %v", got, enc, err)
	}
	if _, _, err := DecodeText("u.csv", []byte("\xff\xfeA\x00\x00\xd8\n\x00")); err == nil {
		t.Errorf("UTF-16 with an unpaired surrogate accepted")
	}
}

// FuzzDecodeText: whatever the bytes, DecodeText returns valid UTF-8 or an
// *EncodingError; valid UTF-8 without a BOM comes back unchanged.
func FuzzDecodeText(f *testing.F) {
	for _, s := range []string{"unit,1.1\n", "\xef\xbb\xbfa", "\xff\xfeA\x00", "\xfe\xff\x00A", "\xca\xaf,1", "\x80\xff", "\x84\x31\xa4\x37"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, enc, err := DecodeText("f.csv", b)
		if err != nil {
			var ee *EncodingError
			if !errors.As(err, &ee) {
				t.Fatalf("error %v is not an *EncodingError", err)
			}
			return
		}
		if !utf8.Valid(out) {
			t.Fatalf("%q decoded as %s to invalid UTF-8 %q", b, enc, out)
		}
		if utf8.Valid(b) && !strings.HasPrefix(string(b), "\xef\xbb\xbf") && enc == UTF8 && string(out) != string(b) {
			t.Fatalf("valid UTF-8 %q changed to %q", b, out)
		}
	})
}

// In a GB18030 file with one damaged line, the message names that line,
// not the first line of Chinese text.
func TestDecodeTextNamesTheDamagedLine(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String("单元,1.1\n石家庄市,1\n")
	if err != nil {
		t.Fatal(err)
	}
	in := []byte(gb + "B,\x80\xff\n")
	_, _, err = DecodeText("gbk.csv", in)
	var ee *EncodingError
	if !errors.As(err, &ee) || ee.Line != 3 {
		t.Errorf("got %v, want line 3", err)
	}
}
