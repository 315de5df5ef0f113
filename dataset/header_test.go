package dataset

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Messages that name the real cause of a header or cell problem.
func TestReadCSVMessagesNameTheCause(t *testing.T) {
	t.Parallel()
	opt := ReadOptions{Codes: []string{"1.1.1", "1.2.1", "ENV.AIR"}, Framework: "fw",
		Names: map[string]string{"无线网络": "1.2.1", "Wireless network": "1.2.1"}}
	cases := []struct {
		name, in string
		attrs    []string
		want     string
		not      string
	}{
		{"zh name", "unit,1.1.1,无线网络\nA,1,2\n", nil,
			`row 1, column 3 "无线网络" (C): "无线网络" is the name of indicator 1.2.1: use its code 1.2.1 as the column header`, ""},
		{"en name", "unit,1.1.1,Wireless network\nA,1,2\n", nil, `"Wireless network" is the name of indicator 1.2.1`, ""},
		{"case", "unit,1.1.1,env.air\nA,1,2\n", nil, `not an indicator of framework fw; did you mean "ENV.AIR"? (codes are case-sensitive)`, "--attr"},
		{"full-width", "unit,1.1.1,1.2．1\nA,1,2\n", nil, `did you mean "1.2.1"? (it has full-width characters typed with a Chinese input method)`, ""},
		{"typo", "unit,1.1.1,1.2.l\nA,1,2\n", nil, `not an indicator of framework fw; did you mean "1.2.1"?`, "--attr"},
		{"text column", "unit,1.1.1,province\nA,1,浙江\n", nil,
			`not an indicator of framework fw; its cells are text: if it describes the units (province, type…), declare it with --attr province`, ""},
		{"numeric column", "unit,1.1.1,population_total\nA,1,12.5\n", nil,
			`not an indicator of framework fw (a data file has one column per leaf indicator, headed by its code)`, "--attr"},
		{"semicolons with --attr", "unit;province;1.1.1\nA;P;1\n", []string{"province"},
			`row 1: no indicator columns: the header is one cell "unit;province;1.1.1", separated by semicolons rather than commas`, "attribute column"},
		{"percent", "unit,1.1.1\nA,45%\n", nil,
			`"45%" is not a number (no % sign: write 45 or 0.45, as the indicator's unit says)`, ""},
		{"full-width percent", "unit,1.1.1\nA,４５％\n", nil, `no % sign: write 45 or 0.45`, ""},
		{"title row", "2023年度智慧城市试点评价数据,,\n\nunit,1.1.1,1.2.1\nA,1,2\n", nil,
			`bad.csv: row 1: this is not the header row: it has no indicator code ("2023年度智慧城市试点评价数据"). Row 3 looks like the header: if the rows above it are a title, read the file with --header-row 3`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := opt
			o.Attrs = c.attrs
			_, _, err := ReadCSV("bad.csv", strings.NewReader(c.in), o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v\nwant %q", err, c.want)
			}
			if c.not != "" && strings.Contains(err.Error(), c.not) {
				t.Errorf("error %v should not mention %q", err, c.not)
			}
			if strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("want one problem, got %v", err)
			}
		})
	}
}

// With --header-row the title rows are skipped and rows keep their
// spreadsheet numbers in messages.
func TestReadCSVHeaderRow(t *testing.T) {
	t.Parallel()
	in := "2023年度评价数据,,\n填报单位：某省住建厅,,\nunit,1.1.1,1.2.1\nA,1,2\nB,3,x\n"
	opt := ReadOptions{Codes: []string{"1.1.1", "1.2.1"}, HeaderRow: 3}
	_, _, err := ReadCSV("t.csv", strings.NewReader(in), opt)
	if err == nil || !strings.Contains(err.Error(), `t.csv: row 5, column 3 "1.2.1" (C): "x" is not a number`) {
		t.Fatalf("got %v", err)
	}
	d, _, err := ReadCSV("t.csv", strings.NewReader(strings.Replace(in, ",x", ",4", 1)), opt)
	if err != nil || len(d.Units) != 2 || d.Values[3] != 4 {
		t.Fatalf("got %v %v", d, err)
	}
	opt.HeaderRow = 9
	if _, _, err := ReadCSV("t.csv", strings.NewReader(in), opt); err == nil || !strings.Contains(err.Error(), "no row 9 (--header-row)") {
		t.Errorf("header row beyond the file: %v", err)
	}
	opt.HeaderRow = 2
	if _, _, err := ReadCSV("t.csv", strings.NewReader("unit,1.1.1\n\nA,1\n"), opt); err == nil || !strings.Contains(err.Error(), "row 2 is empty, but --header-row 2 says") {
		t.Errorf("empty header row: %v", err)
	}
}

// A workbook whose first sheet is notes, or whose data sheet has a title
// row: the message says so and lists the sheets.
func TestReadXLSXNotesAndTitle(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "填报说明")
	f.SetCellValue("填报说明", "A1", "填报说明")
	f.SetCellValue("填报说明", "A2", "1. 请按指标编码填写")
	f.NewSheet("数据")
	for cell, v := range map[string]any{"A1": "2023年度数据", "A2": "unit", "B2": "1.1.1", "A3": "u1", "B3": 4} {
		f.SetCellValue("数据", cell, v)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	opt := ReadOptions{Codes: []string{"1.1.1"}}
	_, _, err := ReadXLSX("book.xlsx", bytes.NewReader(b.Bytes()), opt)
	want := `book.xlsx [填报说明]: row 1: the first sheet has no indicator columns in its header (row 1: "填报说明"): is it a sheet of notes? The workbook has sheets "填报说明", "数据": choose the data with --sheet`
	if err == nil || err.Error() != want {
		t.Errorf("notes sheet:\n got %v\nwant %s", err, want)
	}
	opt.Sheet = "数据"
	_, _, err = ReadXLSX("book.xlsx", bytes.NewReader(b.Bytes()), opt)
	if err == nil || !strings.Contains(err.Error(), `book.xlsx [数据]: row 1: this is not the header row: it has no indicator code ("2023年度数据"). Row 2 looks like the header: if the rows above it are a title, read the file with --header-row 2`) {
		t.Errorf("title row: %v", err)
	}
	opt.HeaderRow = 2
	d, _, err := ReadXLSX("book.xlsx", bytes.NewReader(b.Bytes()), opt)
	if err != nil || d.Units[0] != "u1" || d.Values[0] != 4 {
		t.Errorf("with --header-row 2: %v %v", d, err)
	}
}

// Without a framework every column is an indicator: a title row is
// detected by the text of the header below it, and a header with empty
// cells is not mistaken for a title above the first data row.
func TestReadCSVTitleWithoutFramework(t *testing.T) {
	t.Parallel()
	_, _, err := ReadCSV("w.csv", strings.NewReader("熵权法测试数据\nunit,x,y\nA,1,2\n"), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "Row 2 looks like the header") {
		t.Errorf("title: %v", err)
	}
	_, _, err = ReadCSV("w.csv", strings.NewReader("unit,,\nA,1,2\n"), ReadOptions{})
	if err == nil || strings.Contains(err.Error(), "looks like the header") || !strings.Contains(err.Error(), "empty column header") {
		t.Errorf("empty header cells: %v", err)
	}
}
