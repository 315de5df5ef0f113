package dataset

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// allocatedBy returns the bytes allocated on the heap while fn runs.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadCSVBlankLinesAllocateNothing: a header and many blank lines used
// to preallocate line count × indicators float64s (47.8 GB for 100 MB of
// blank lines); now the table grows with the rows actually present.
func TestReadCSVBlankLinesAllocateNothing(t *testing.T) {
	codes := make([]string, 57)
	for i := range codes {
		codes[i] = "c" + strings.Repeat("x", i)
	}
	header := "unit," + strings.Join(codes, ",") + "\n"
	row := "u1" + strings.Repeat(",1", 57) + "\n"
	blank := strings.Repeat("\n", 4<<20) // 4 Mi blank lines
	buf := []byte(header + blank + row + strings.Repeat("\r\n", 1<<20))
	var err error
	got := allocatedBy(func() {
		_, _, err = readCSVBytes("blank.csv", buf, ReadOptions{Codes: codes})
	})
	if err != nil {
		t.Fatal(err)
	}
	// Before the fix: 5 Mi lines × 57 × 8 bytes ≈ 2.4 GB.
	if got > 1<<20 {
		t.Errorf("reading a header, one row and 5 Mi blank lines allocated %d bytes, want < 1 MiB", got)
	}
}

// TestReadCSVLongLineBounded: a line of millions of separators is refused
// at MaxColumns cells without allocating a slice per cell.
func TestReadCSVLongLineBounded(t *testing.T) {
	line := []byte(strings.Repeat("a,", 2<<20) + "a\n") // 2 Mi cells, 4 MB
	for _, tc := range []struct{ name, in string }{
		{"header", string(line)},
		{"data row", "unit,1.1\n" + string(line)},
	} {
		in := []byte(tc.in)
		var err error
		got := allocatedBy(func() {
			_, _, err = readCSVBytes("wide.csv", in, ReadOptions{})
		})
		var le *LimitError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), "more than 16384 cells") || !strings.Contains(err.Error(), "Excel's column limit") {
			t.Errorf("%s: want a LimitError naming 16384 cells, got %v", tc.name, err)
		}
		// Before the fix: 2 Mi × 24-byte slice headers ≈ 100 MB, and the
		// header's strings as much again.
		if got > 2<<20 {
			t.Errorf("%s: allocated %d bytes, want < 2 MiB", tc.name, got)
		}
	}
}

// TestReadXLSXHugeColumnRefused: one cell r="ZZZZZZZ2" used to pad the row
// to 8.3·10⁹ cells.
func TestReadXLSXHugeColumnRefused(t *testing.T) {
	shared := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>unit</t></si></sst>`
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>1.1</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>u</t></is></c><c r="ZZZZZZZ2"><v>7</v></c></row></sheetData></worksheet>`
	buf := handWorkbook(t, shared, sheet)
	var err error
	got := allocatedBy(func() {
		_, _, err = ReadXLSX("huge.xlsx", bytes.NewReader(buf), ReadOptions{})
	})
	var le *LimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "huge.xlsx: row 2 has a cell beyond column XFD") {
		t.Fatalf("want a LimitError for row 2, got %v", err)
	}
	if got > 4<<20 {
		t.Errorf("allocated %d bytes, want < 4 MiB", got)
	}
	if columnIndex([]byte("ZZZZZZZZZZZZZZZZZZZZ1")) != MaxColumns {
		t.Errorf("columnIndex overflowed")
	}
}

// TestReadXLSXInflateLimit: a sheet that inflates beyond the limit is
// refused, whatever its zip header declares, and neither reader inflates
// it whole. The test uses a 4 MiB limit and a 16 MiB sheet rather than
// the default 512 MiB and a gigabyte.
func TestReadXLSXInflateLimit(t *testing.T) {
	shared := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>unit</t></si></sst>`
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c></row>` + strings.Repeat(" ", 16<<20) + `</sheetData></worksheet>`
	buf := handWorkbook(t, shared, sheet)
	if len(buf) > 1<<20 {
		t.Fatalf("test workbook is %d bytes; it should compress", len(buf))
	}
	opt := ReadOptions{MaxInflated: 4 << 20}
	var err error
	got := allocatedBy(func() {
		_, _, err = ReadXLSX("bomb.xlsx", bytes.NewReader(buf), opt)
	})
	if err == nil || !strings.Contains(err.Error(), "bomb.xlsx: part xl/worksheets/data.xml of the workbook inflates to more than 4 MiB") ||
		!strings.Contains(err.Error(), "--max-xlsx-mb") {
		t.Fatalf("want the inflate limit, got %v", err)
	}
	if got > 12<<20 {
		t.Errorf("allocated %d bytes, want < 12 MiB", got)
	}
	_, _, err = ReadXLSX("bomb.xlsx", bytes.NewReader(buf), ReadOptions{MaxInflated: 32 << 20})
	if errors.As(err, new(*LimitError)) || !strings.Contains(err.Error(), "no data rows") {
		t.Errorf("under a raised limit the sheet is read (and has no data rows), got %v", err)
	}
}

// TestReadCSVGB18030: a file saved by Excel on Chinese Windows as "CSV
// (逗号分隔)" is GB18030; it used to be read as UTF-8 and scored with
// garbled unit names.
func TestReadCSVGB18030(t *testing.T) {
	text := "单元,省份,1.1\n石家庄市,河北,45.5\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	d, warns, err := ReadCSV("gbk.csv", strings.NewReader(gb), ReadOptions{Codes: []string{"1.1"}, Attrs: []string{"省份"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Units[0] != "石家庄市" || d.Attrs["省份"][0] != "河北" || d.Values[0] != 45.5 {
		t.Errorf("read %q %q %v", d.Units, d.Attrs, d.Values)
	}
	if len(warns) != 1 || warns[0] != "gbk.csv: read as GB18030 text (not UTF-8) and converted to UTF-8" {
		t.Errorf("warnings %q", warns)
	}
	_, _, err = ReadCSV("latin1.csv", strings.NewReader("unit,1.1\nM\xfcnchen\xff,1\n"), ReadOptions{})
	var ee *EncodingError
	if !errors.As(err, &ee) || ee.Line != 2 {
		t.Errorf("want an EncodingError on line 2, got %v", err)
	}
}

// TestReadXLSXInvalidUTF8: text cells of a workbook that are not UTF-8
// are reported, never passed on to the outputs.
func TestReadXLSXInvalidUTF8(t *testing.T) {
	shared := "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>unit</t></si><si><t>\xc8\xfd</t></si></sst>"
	sheet := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>1.1</t></is></c></row>
<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>7</v></c></row></sheetData></worksheet>`
	_, _, err := ReadXLSX("bad.xlsx", bytes.NewReader(handWorkbook(t, shared, sheet)), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), `row 2, column 1 "unit" (A): the cell is not valid UTF-8 text`) {
		t.Errorf("got %v", err)
	}
}
