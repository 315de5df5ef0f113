package dataset

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// workbook builds an XLSX in memory from cell → value.
func workbook(t *testing.T, sheet string, cells map[string]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		if _, err := f.NewSheet(sheet); err != nil {
			t.Fatal(err)
		}
	}
	for cell, v := range cells {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle(sheet, "B4", "B4", pct); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return &b
}

func TestReadXLSX(t *testing.T) {
	t.Parallel()
	b := workbook(t, "Sheet1", map[string]any{
		"A1": "unit", "B1": 1.1, "C1": "1.2", "D1": "type",
		"A2": "杭州市", "B2": 10, "C2": " 5.5 ", "D2": "city",
		// row 3 left empty
		"A4": 330200, "B4": 0.25, "D4": "town",
	})
	d, warns, err := ReadXLSX("book.xlsx", b, ReadOptions{Codes: []string{"1.1", "1.2", "1.3"}, Attrs: []string{"type"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.Units, "|"); got != "杭州市|330200" {
		t.Errorf("units %q", got)
	}
	nan := math.NaN()
	sameValues(t, d.Values, []float64{10, 5.5, nan, 0.25, nan, nan})
	if got := strings.Join(d.Attrs["type"], "|"); got != "city|town" {
		t.Errorf("type %q", got)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "1 indicator has no column") || !strings.HasSuffix(warns[0], ": 1.3") {
		t.Errorf("warnings %q", warns)
	}
}

func TestReadXLSXProblemsAndSheets(t *testing.T) {
	t.Parallel()
	cells := map[string]any{
		"A1": "unit", "B1": "1.1", "C1": "1.2",
		"A2": "A", "B2": 1, "C2": 2,
		"A5": "B", "B5": 3, "C5": "n/a",
		"A6": "A", "B6": 3,
	}
	_, _, err := ReadXLSX("book.xlsx", workbook(t, "数据", cells), ReadOptions{Sheet: "数据"})
	var re *ReadError
	if !errors.As(err, &re) || len(re.Problems) != 2 {
		t.Fatalf("want 2 problems, got %v", err)
	}
	for _, want := range []string{
		`book.xlsx [数据]: row 5, column 3 "1.2" (C): "n/a" is not a number`,
		`book.xlsx [数据]: row 6, column 1 "unit" (A): unit "A" is also on row 2`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not contain %q", err, want)
		}
	}
	_, _, err = ReadXLSX("book.xlsx", workbook(t, "数据", cells), ReadOptions{Sheet: "Data"})
	if err == nil || !strings.Contains(err.Error(), `no sheet "Data" (the workbook has "Sheet1", "数据")`) {
		t.Errorf("got %v", err)
	}
	// The first sheet is empty and none was named: the others are suggested.
	_, _, err = ReadXLSX("book.xlsx", workbook(t, "数据", cells), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), `book.xlsx [Sheet1]: empty sheet (expected a header row: unit id, then indicator codes); the workbook has sheets "Sheet1", "数据": choose one with --sheet`) {
		t.Errorf("empty first sheet: got %v", err)
	}
	_, _, err = ReadXLSX("junk.xlsx", strings.NewReader("not a zip"), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "junk.xlsx: not a readable XLSX workbook") {
		t.Errorf("got %v", err)
	}
}
