package dataset

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// pilotWorkbook is a genuine two-row workbook.
func pilotWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	for i, row := range [][]any{{"region_code", "name", "batch", "type"}, {"320583", "昆山市", "2014", "city"}} {
		if err := f.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &row); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withPart copies a workbook, replacing or adding the part name with data
// deflated, declaring declared as its inflated size (-1: the true size).
func withPart(t *testing.T, xlsx []byte, name string, data []byte, declared int64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == name {
			continue
		}
		w, err := zw.CreateRaw(&f.FileHeader)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := f.OpenRaw()
		io.Copy(w, r)
	}
	var comp bytes.Buffer
	fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
	fw.Write(data)
	fw.Close()
	size := uint64(len(data))
	if declared >= 0 {
		size = uint64(declared)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(data),
		CompressedSize64: uint64(comp.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(comp.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Workbooks that inflate beyond the limits are refused naming the part,
// before excelize reads them; one whose directory understates a part's
// size fails instead of inflating it.
func TestReadRecordsRefusesZipBombs(t *testing.T) {
	good := pilotWorkbook(t)
	if recs, _, err := ReadRecords("ok.xlsx", good); err != nil || len(recs) != 2 {
		t.Fatalf("genuine workbook: %v %v", recs, err)
	}
	huge := bytes.Repeat([]byte("<si><t>x</t></si>"), 1<<20) // 17 MiB: fine for a sheet, declared as 100 MiB of shared strings
	cases := []struct {
		name, part string
		data       []byte
		declared   int64
		want       string
	}{
		{"shared strings", "xl/sharedStrings.xml", huge, 100 << 20, "part xl/sharedStrings.xml of the workbook inflates to more than 64 MiB"},
		{"sheet", "xl/worksheets/sheet1.xml", huge, MaxRecordsInflated + 1, "part xl/worksheets/sheet1.xml of the workbook inflates to more than 128 MiB"},
		{"package", "xl/media/filler.bin", huge, MaxRecordsInflated, "the workbook inflates to more than 256 MiB"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := good
			if c.name == "package" {
				b = withPart(t, b, "xl/media/filler0.bin", huge, MaxRecordsInflated)
			}
			_, _, err := ReadRecords("bomb.xlsx", withPart(t, b, c.part, c.data, c.declared))
			var le *LimitError
			if !errors.As(err, &le) || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "bomb.xlsx: ") {
				t.Fatalf("err = %v, want a LimitError with %q", err, c.want)
			}
		})
	}
	t.Run("understated size", func(t *testing.T) {
		sheet := "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" +
			strings.Repeat(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 200000) + "</sheetData></worksheet>"
		_, _, err := ReadRecords("lie.xlsx", withPart(t, good, "xl/worksheets/sheet1.xml", []byte(sheet), 1000))
		if err == nil {
			t.Fatal("a part larger than its declared size was read")
		}
	})
}
