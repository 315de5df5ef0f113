package dataset

import (
	"encoding/xml"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzXMLText: the character data the hand-written XML scanner returns
// for <t>…</t> equals encoding/xml's, whenever both read it.
func FuzzXMLText(f *testing.F) {
	for _, s := range []string{"plain", "R&amp;D &lt;lab&gt; &quot;x&quot; &apos;", "&#65;&#x41;&#x4e2d;", "a\r\nb\rc",
		"&nbsp;", "&#0;", "&#xD800;", "杭州市", "&", "&amp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.ContainsAny(text, "<]") {
			return // markup or a CDATA end: not character data
		}
		doc := "<t>" + text + "</t>"
		sc := xmlScanner{b: []byte(doc)}
		if tag, ok := sc.next(); !ok || !tag.is("t") {
			t.Fatalf("%q: no <t>", doc)
		}
		got, err := sc.text()
		if err != nil {
			return
		}
		var want struct {
			Text string `xml:",chardata"`
		}
		if xml.Unmarshal([]byte(doc), &want) != nil {
			return
		}
		if string(got) != want.Text {
			t.Fatalf("%q: scanner %q, encoding/xml %q", text, got, want.Text)
		}
	})
}

// FuzzXLSXSheet: whatever the sheet and shared-strings XML, the fast reader
// returns rows of at most MaxColumns cells or an error; never a panic.
func FuzzXLSXSheet(f *testing.F) {
	shared := `<sst><si><t>unit</t></si><si><r><t>1.</t></r><r><t>1</t></r><rPh><t>x</t></rPh></si><si/></sst>`
	for _, s := range []string{
		`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>u&amp;1</t></is></c><c r="B2"><v>7.5</v></c></row></sheetData></worksheet>`,
		`<x:worksheet xmlns:x="s"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c><x:c/><x:c><x:f>A1</x:f></x:c></x:row></x:sheetData></x:worksheet>`,
		`<worksheet><sheetData><row r="2"><c r="ZZZZZZZ2"><v>7</v></c></row></sheetData></worksheet>`,
		`<worksheet><sheetData><row><c t="s"><v>99</v></c></row><!-- c --><?pi?><![CDATA[x]]></sheetData></worksheet>`,
	} {
		f.Add(s, shared)
	}
	f.Fuzz(func(t *testing.T, sheet, shared string) {
		strs, err := scanSharedStrings([]byte(shared))
		if err != nil {
			return
		}
		wb := &fastWorkbook{shared: strs, file: "f.xlsx", limit: DefaultMaxInflated}
		_ = wb.scanSheet([]byte(sheet), func(row int, cells [][]byte, uncached []int) bool {
			if len(cells) > MaxColumns {
				t.Fatalf("row %d has %d cells", row, len(cells))
			}
			for _, j := range uncached {
				if j < 0 || j >= MaxColumns {
					t.Fatalf("uncached column %d", j)
				}
			}
			return true
		})
		// The whole reader on the same parts: problems, never a panic, and
		// no invalid UTF-8 in what it returns.
		d, _, err := readRows("f.xlsx", "s", nil, nil, ReadOptions{}, func(fn func(int, [][]byte, []int) bool) error {
			return wb.scanSheet([]byte(sheet), fn)
		})
		if err != nil {
			return
		}
		for _, u := range d.Units {
			if !utf8.ValidString(u) {
				t.Fatalf("invalid UTF-8 unit %q", u)
			}
		}
		for _, c := range d.Codes {
			if !utf8.ValidString(c) {
				t.Fatalf("invalid UTF-8 code %q", c)
			}
		}
	})
}
