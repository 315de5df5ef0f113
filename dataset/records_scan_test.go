package dataset

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// scanAll returns "sheet!line:cells" for every record ScanRecords yields.
func scanAll(t *testing.T, name string, b []byte) ([]string, RecordFormat, error) {
	t.Helper()
	var out []string
	f, err := ScanRecords(name, bytes.NewReader(b), func(sheet string, r Record) error {
		out = append(out, fmt.Sprintf("%s!%d:%s", sheet, r.Line, strings.Join(r.Fields, "|")))
		return nil
	})
	return out, f, err
}

func TestScanRecordsEncodingsAndRowNumbers(t *testing.T) {
	text := "代码,值\n\n1.1.1,中文\n"
	want := []string{"t.csv!1:代码|值", "t.csv!3:1.1.1|中文"}
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(text)
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	for _, c := range []struct {
		name, data string
		enc        Encoding
	}{{"utf8", text, UTF8}, {"bom", "\ufeff" + text, UTF8}, {"gb18030", gb, GB18030}, {"utf16", u16, UTF16LE}} {
		got, f, err := scanAll(t, "dir/t.csv", []byte(c.data))
		if err != nil || f.Encoding != c.enc || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: %q %+v %v", c.name, got, f, err)
		}
	}
	// A byte sequence GB18030 cannot decode either names its line.
	if _, _, err := scanAll(t, "t.csv", []byte("a,b\n\xff\xff,c\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("invalid text: %v", err)
	}
	// XLSX: every sheet, row numbers as in the workbook (gaps kept).
	f := excelize.NewFile()
	f.SetCellValue("Sheet1", "A1", "标题")
	f.SetCellValue("Sheet1", "B4", 12.5)
	f.NewSheet("数据")
	f.SetCellValue("数据", "A2", "x")
	var buf bytes.Buffer
	f.Write(&buf)
	got, fm, err := scanAll(t, "w.xlsx", buf.Bytes())
	if err != nil || !fm.XLSX || strings.Join(got, "\n") != "Sheet1!1:标题\nSheet1!4:|12.5\n数据!2:x" {
		t.Errorf("xlsx: %q %v", got, err)
	}
}
