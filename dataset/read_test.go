package dataset

import (
	"errors"
	"io/fs"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// sameValues compares two value slices, NaN equal to NaN.
func sameValues(t *testing.T, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("values: got %d, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || !math.IsNaN(want[i]) && got[i] != want[i] {
			t.Errorf("value %d: got %v, want %v", i, got[i], want[i])
		}
	}
}

func TestReadFileBOMCRLFMissingAttrs(t *testing.T) {
	t.Parallel()
	d, warns, err := ReadFile("testdata/bom_crlf.csv", ReadOptions{Attrs: []string{"province"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings: %v", warns)
	}
	if got := strings.Join(d.Units, "|"); got != "杭州市|Ningbo, Zhejiang|苏州市" {
		t.Errorf("units %q", got)
	}
	if got := strings.Join(d.Codes, "|"); got != "1.1|1.2|2.1" {
		t.Errorf("codes %q", got)
	}
	nan := math.NaN()
	sameValues(t, d.Values, []float64{10, 0.5, 3, nan, 15, -2, 7, nan, nan})
	if got := strings.Join(d.Attrs["province"], "|"); got != "浙江|浙江|江苏" {
		t.Errorf("province %q", got)
	}
}

func TestReadCodesOrderAndAbsentLeaves(t *testing.T) {
	t.Parallel()
	in := "id,2.1,1.1\nA,1,2\nB,3,4\n"
	d, warns, err := ReadCSV("x.csv", strings.NewReader(in), ReadOptions{Codes: []string{"1.1", "1.2", "2.1", "2.2"}})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	sameValues(t, d.Values, []float64{2, nan, 1, nan, 4, nan, 3, nan})
	if len(warns) != 1 || !strings.Contains(warns[0], "2 indicators have no column") || !strings.Contains(warns[0], "1.2, 2.2") {
		t.Errorf("warnings %q", warns)
	}
}

func TestReadTSVByExtension(t *testing.T) {
	t.Parallel()
	d, _, err := ReadFile("testdata/simple.tsv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameValues(t, d.Values, []float64{1, 2, 3, math.NaN()})
}

func TestReadCSVProblems(t *testing.T) {
	t.Parallel()
	codes := []string{"1.1", "1.2"}
	cases := []struct {
		name, in string
		attrs    []string
		want     []string // substrings of the one problem
	}{
		{"non-numeric", "unit,1.1,1.2\nA,1,abc\n", nil,
			[]string{`bad.csv: row 2, column 3 "1.2" (C): "abc" is not a number`}},
		// strconv.ParseFloat reads Go literals; a data cell is a plain decimal.
		{"underscore", "unit,1.1,1.2\nA,1_000,1\n", nil,
			[]string{`row 2, column 2 "1.1" (B): "1_000" is not a number (write plain digits, without thousands separators)`}},
		{"hex float", "unit,1.1,1.2\nA,1,0x1p4\n", nil,
			[]string{`row 2, column 3 "1.2" (C): "0x1p4" is not a number`}},
		{"full-width digits", "unit,1.1,1.2\nA,１２．５,1\n", nil,
			[]string{`"１２．５" is not a number (it has full-width characters: type 12.5 with half-width digits)`}},
		{"decimal comma", "unit,1.1,1.2\nA,\"1,5\",1\n", nil,
			[]string{`"1,5" is not a number (the decimal separator is a point, and a number has no thousands separators: write 1.5 or 15)`}},
		{"NaN literal", "unit,1.1,1.2\nA,NaN,1\n", nil,
			[]string{`row 2, column 2 "1.1" (B): "NaN" is not allowed`}},
		{"Inf literal", "unit,1.1,1.2\nA,1,-Inf\n", nil,
			[]string{`row 2, column 3 "1.2" (C): "-Inf" is not allowed`}},
		{"out of range", "unit,1.1,1.2\nA,1e400,1\n", nil,
			[]string{`row 2, column 2 "1.1" (B): "1e400" is out of the range`}},
		{"duplicated unit", "unit,1.1,1.2\nA,1,2\nB,1,2\n\nA,3,4\n", nil,
			[]string{`row 5, column 1 "unit" (A): unit "A" is also on row 2`}},
		{"empty unit", "unit,1.1,1.2\nA,1,2\n ,3,4\n", nil,
			[]string{`row 3, column 1 "unit" (A): empty unit id`}},
		{"unknown code", "unit,1.1,1.2,1.2.9\nA,1,2,3\n", nil,
			[]string{`row 1, column 4 "1.2.9" (D): not an indicator of framework fw-test`}},
		{"duplicated column", "unit,1.1,1.2,1.1\nA,1,2,3\n", nil,
			[]string{`row 1, column 4 "1.1" (D): duplicated column: column 2 (B)`}},
		{"ragged short", "unit,1.1,1.2\nA,1\n", nil,
			[]string{`row 2: 2 cells, but the header has 3 columns`}},
		{"ragged long", "unit,1.1,1.2\nA,1,2,3\n", nil,
			[]string{`row 2: 4 cells, but the header has 3 columns`}},
		{"missing attribute", "unit,1.1,1.2\nA,1,2\n", []string{"province"},
			[]string{`attribute column "province" not found`}},
		{"unclosed quote", "unit,1.1,1.2\n\"A,1,2\n", nil,
			[]string{`row 2: quoted field not closed`}},
		{"no rows", "unit,1.1,1.2\n", nil, []string{`no data rows`}},
		{"no indicator columns", "unit,province\nA,P1\n", []string{"province"},
			[]string{`bad.csv: row 1: no indicator columns: the header has only the unit id and the attribute columns province (give one column per leaf indicator of framework fw-test)`}},
		{"semicolons", "unit;1.1;1.2\nA;1;2\n", nil,
			[]string{`bad.csv: row 1: no indicator columns: the header is one cell "unit;1.1;1.2", separated by semicolons rather than commas`}},
		{"composite column", "unit,1.1,1,1.2\nA,1,2,3\n", nil,
			[]string{`row 1, column 3 "1" (C): "1" is not a leaf indicator: its score is computed from 1.1, 1.2, so give those columns instead`}},
		{"empty", "", nil, []string{`bad.csv: empty file`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ReadCSV("bad.csv", strings.NewReader(c.in), ReadOptions{Codes: codes, Framework: "fw-test", Attrs: c.attrs,
				Composites: map[string][]string{"1": {"1.1", "1.2"}}})
			var re *ReadError
			if !errors.As(err, &re) {
				t.Fatalf("want *ReadError, got %v", err)
			}
			if len(re.Problems) != 1 {
				t.Fatalf("want 1 problem, got %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestReadCSVCollectsManyProblems(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("unit,1.1,1.2\n")
	for i := range 30 {
		b.WriteString("u" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ",x,1\n")
	}
	_, _, err := ReadCSV("many.csv", strings.NewReader(b.String()), ReadOptions{})
	var re *ReadError
	if !errors.As(err, &re) {
		t.Fatalf("want *ReadError, got %v", err)
	}
	if len(re.Problems) != MaxProblems || !re.Truncated {
		t.Errorf("got %d problems, truncated %v", len(re.Problems), re.Truncated)
	}
	if re.Problems[0].Row != 2 || re.Problems[19].Row != 21 {
		t.Errorf("rows %d..%d", re.Problems[0].Row, re.Problems[19].Row)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != MaxProblems+1 || !strings.Contains(lines[0], "reading stopped at 20") {
		t.Errorf("message:\n%s", err)
	}
}

func TestReadCSVQuoting(t *testing.T) {
	t.Parallel()
	in := "\"unit\",\"1.1\"\r\"say \"\"hi\"\"\",\"2.5\"\r\"multi\nline\",3"
	d, _, err := ReadCSV("q.csv", strings.NewReader(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Units[0] != `say "hi"` || d.Units[1] != "multi\nline" {
		t.Errorf("units %q", d.Units)
	}
	sameValues(t, d.Values, []float64{2.5, 3})
	_, _, err = ReadCSV("q.csv", strings.NewReader("unit,1.1\n\"A\"x,1\n"), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "row 2: unexpected text after a closing quote") {
		t.Errorf("got %v", err)
	}
}

func TestColumnLetter(t *testing.T) {
	t.Parallel()
	for col, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA"} {
		if got := ColumnLetter(col); got != want {
			t.Errorf("ColumnLetter(%d) = %q, want %q", col, got, want)
		}
	}
}

func TestReadCheck(t *testing.T) {
	t.Parallel()
	check := func(j int, v float64) string {
		if j == 1 && (v != math.Trunc(v) || v < 1 || v > 5) {
			return "rubric level must be an integer from 1 to 5"
		}
		return ""
	}
	in := "unit,1.1,1.2\nA,0.5,3\nB,7,2.5\nC,,\n"
	_, _, err := ReadCSV("r.csv", strings.NewReader(in), ReadOptions{Codes: []string{"1.1", "1.2"}, Check: check})
	var re *ReadError
	if !errors.As(err, &re) || len(re.Problems) != 1 ||
		!strings.Contains(err.Error(), `r.csv: row 3, column 3 "1.2" (C): rubric level must be an integer from 1 to 5`) {
		t.Errorf("got %v", err)
	}
}

// A file that cannot be opened is explained in the user's terms, not with
// the system call's wording ("open x.csv: no such file or directory"), and
// the cause still matches errors.Is.
func TestReadFileOpenErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.csv")
	_, _, err := ReadFile(missing, ReadOptions{})
	if err == nil || err.Error() != "read data "+missing+": no such file" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	_, _, err = ReadFile(dir, ReadOptions{})
	if err == nil || err.Error() != "read data "+dir+": is a directory, not a file" {
		t.Errorf("directory: %v", err)
	}
}
