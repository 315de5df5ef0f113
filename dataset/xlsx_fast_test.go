package dataset

import (
	"archive/zip"
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// handWorkbook zips a minimal workbook around the given shared strings
// and sheet XML, written the way other producers (the OpenXML SDK with its
// "x:" prefix, LibreOffice, WPS) may write them.
func handWorkbook(t *testing.T, shared, sheet string) []byte {
	t.Helper()
	parts := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="数据" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml":   shared,
		"xl/worksheets/data.xml": sheet,
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFastXLSXHandWritten(t *testing.T) {
	t.Parallel()
	shared := `<?xml version="1.0"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4">
<x:si><x:t>unit</x:t></x:si>
<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>杭州</x:t></x:r><x:r><x:t xml:space="preserve">市</x:t></x:r><x:rPh sb="0" eb="2"><x:t>ハンチョウ</x:t></x:rPh></x:si>
<x:si><x:t>A &amp; B &lt;1&gt; &#x41;&#66;</x:t></x:si>
<x:si/>
<x:si><x:t>type</x:t></x:si></x:sst>`
	sheet := `<?xml version="1.0"?><!-- written by hand -->
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>1.1</x:t></x:is></x:c><x:c r="C1"><x:v>1.2</x:v></x:c><x:c r="D1" t="s"><x:v>4</x:v></x:c></x:row>
<x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c r="B2" s="3"><x:v>0.1</x:v></x:c><x:c r="C2" t="str"><x:f>B2*2</x:f><x:v>0.2</x:v></x:c><x:c r="D2" t="s"><x:v>3</x:v></x:c></x:row>
<x:row r="3"/>
<x:row r="5"><x:c r="A5" t="s"><x:v>2</x:v></x:c><x:c r="B5"/><x:c r="C5" t="b"><x:v>1</x:v></x:c><x:c r="D5" t="inlineStr"><x:is><x:t>town</x:t></x:is></x:c></x:row>
<x:row><x:c t="inlineStr"><x:is><x:t>last</x:t></x:is></x:c><x:c><x:v>1.5E3</x:v></x:c></x:row>
</x:sheetData></x:worksheet>`
	d, _, err := ReadXLSX("hand.xlsx", bytes.NewReader(handWorkbook(t, shared, sheet)), ReadOptions{Attrs: []string{"type"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Units, "|"); got != "杭州市|A & B <1> AB|last" {
		t.Errorf("units %q", got)
	}
	if got := strings.Join(d.Codes, "|"); got != "1.1|1.2" {
		t.Errorf("codes %q", got)
	}
	sameValues(t, d.Values, []float64{0.1, 0.2, math.NaN(), 1, 1500, math.NaN()})
	if got := strings.Join(d.Attrs["type"], "|"); got != "|town|" {
		t.Errorf("type %q", got)
	}
	// Row numbers follow the r attributes: an error on the fifth row.
	bad := strings.Replace(sheet, `<x:c r="B5"/>`, `<x:c r="B5" t="e"><x:v>#DIV/0!</x:v></x:c>`, 1)
	_, _, err = ReadXLSX("hand.xlsx", bytes.NewReader(handWorkbook(t, shared, bad)), ReadOptions{Attrs: []string{"type"}})
	if err == nil || !strings.Contains(err.Error(), `hand.xlsx [数据]: row 5, column 2 "1.1" (B): "#DIV/0!" is not a number`) {
		t.Errorf("got %v", err)
	}
}

// TestFastXLSXMatchesExcelize reads workbooks written by excelize in
// several ways with both readers and expects identical data.
func TestFastXLSXMatchesExcelize(t *testing.T) {
	t.Parallel()
	d := nationalData(300)
	d.Units[0], d.Units[1] = `R&D <lab> "x"`, "杭州市"
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	header := []any{"unit", "province"}
	for _, c := range d.Codes {
		header = append(header, c)
	}
	sw.SetRow("A1", header)
	for i, u := range d.Units {
		row := []any{u, d.Attrs["province"][i]}
		for j := range d.Codes {
			if v := d.At(i, j); !math.IsNaN(v) {
				row = append(row, v)
			} else {
				row = append(row, nil)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3) // row 2 left empty
		sw.SetRow(cell, row)
	}
	sw.Flush()
	f.NewSheet("Shared")
	for r, vals := range [][]any{{"unit", "1.1.1", "1.1.2"}, {"a&b", 1.25, "2.5"}, {"c", true, nil}, {"d", 3, -4}} {
		for c, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue("Shared", cell, v)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, opt := range []ReadOptions{{Attrs: []string{"province"}}, {Sheet: "Shared"}} {
		fast, _, err1 := ReadXLSX("x.xlsx", bytes.NewReader(b.Bytes()), opt)
		slow, _, err2 := readXLSXExcelize("x.xlsx", b.Bytes(), opt)
		if err1 != nil || err2 != nil {
			t.Fatalf("sheet %q: fast %v, excelize %v", opt.Sheet, err1, err2)
		}
		if strings.Join(fast.Units, "|") != strings.Join(slow.Units, "|") || strings.Join(fast.Codes, "|") != strings.Join(slow.Codes, "|") {
			t.Errorf("sheet %q: units or codes differ:\n%q\n%q", opt.Sheet, fast.Units, slow.Units)
		}
		sameValues(t, fast.Values, slow.Values)
		if strings.Join(fast.Attrs["province"], "|") != strings.Join(slow.Attrs["province"], "|") {
			t.Errorf("attributes differ")
		}
	}
}

func TestFastXLSXFallsBackOnCDATA(t *testing.T) {
	t.Parallel()
	shared := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>unit</t></si></sst>`
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t><![CDATA[1.1]]></t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>u</t></is></c><c r="B2"><v>7</v></c></row></sheetData></worksheet>`
	buf := handWorkbook(t, shared, sheet)
	if wb, err := openFastWorkbook("cdata.xlsx", buf, DefaultMaxInflated); err != nil || wb.sheetRows("数据", func(int, [][]byte, []int) bool { return true }) != errUnsupportedXLSX {
		t.Fatalf("the fast reader should decline CDATA")
	}
	d, _, err := ReadXLSX("cdata.xlsx", bytes.NewReader(buf), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Codes[0] != "1.1" || d.Values[0] != 7 {
		t.Errorf("fallback read %v %v", d.Codes, d.Values)
	}
}

// A formula cell without a saved value (excelize, like many generators,
// writes formulas without calculating them) used to be read silently as a
// missing value; both readers now name the cell.
func TestXLSXFormulaWithoutValue(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	for r, vals := range [][]any{{"unit", "1.1.1", "1.1.2"}, {"a", 1.25, 2.5}, {"c", 2, nil}} {
		for c, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	f.SetCellFormula("Sheet1", "C3", "B2*2")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := `x.xlsx [Sheet1]: row 3, column 3 "1.1.2" (C): cell C3 holds a formula without a saved value`
	_, _, err := ReadXLSX("x.xlsx", bytes.NewReader(b.Bytes()), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("fast reader: %v", err)
	}
	_, _, err = readXLSXExcelize("x.xlsx", b.Bytes(), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("excelize reader: %v", err)
	}
}
