package dataset

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sceval/sceval/engine"
	"github.com/xuri/excelize/v2"
)

// nationalData returns a deterministic data set of the national scale
// (units × 57 indicators, ~3 % missing) for benchmarks and round trips.
func nationalData(units int) *engine.Data {
	codes := make([]string, 0, 57)
	for a := 1; len(codes) < 57; a++ {
		for b := 1; b <= 3 && len(codes) < 57; b++ {
			for c := 1; c <= 5 && len(codes) < 57; c++ {
				codes = append(codes, fmt.Sprintf("%d.%d.%d", a, b, c))
			}
		}
	}
	names := make([]string, units)
	for i := range names {
		names[i] = fmt.Sprintf("%06d%03d", 110000+i/1000, i%1000)
	}
	d := engine.NewData(names, codes)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range d.Values {
		if r.Float64() >= 0.03 {
			d.Values[i] = math.Round(r.Float64()*1e6) / 100
		}
	}
	d.Attrs = map[string][]string{"province": make([]string, units)}
	for i := range names {
		d.Attrs["province"][i] = names[i][:2] + "0000"
	}
	return d
}

func TestWriteDataCSVRoundTrip(t *testing.T) {
	t.Parallel()
	d := nationalData(500)
	d.Units[3] = `quoted, "name"`
	var b bytes.Buffer
	if err := WriteDataCSV(&b, d); err != nil {
		t.Fatal(err)
	}
	got, warns, err := ReadCSV("round.csv", &b, ReadOptions{Attrs: []string{"province"}, Codes: d.Codes})
	if err != nil || len(warns) > 0 {
		t.Fatal(err, warns)
	}
	if strings.Join(got.Units, "\n") != strings.Join(d.Units, "\n") {
		t.Errorf("units differ")
	}
	for i := range d.Values {
		if math.Float64bits(got.Values[i]) != math.Float64bits(d.Values[i]) && !(math.IsNaN(got.Values[i]) && math.IsNaN(d.Values[i])) {
			t.Fatalf("value %d: got %v, want %v", i, got.Values[i], d.Values[i])
		}
	}
	if got.Attrs["province"][499] != d.Attrs["province"][499] {
		t.Errorf("attrs differ")
	}
}

// BenchmarkReadCSV reads the national-scale file: 41,352 units × 57
// indicators.
func BenchmarkReadCSV(b *testing.B) {
	d := nationalData(41352)
	var buf bytes.Buffer
	if err := WriteDataCSV(&buf, d); err != nil {
		b.Fatal(err)
	}
	opt := ReadOptions{Codes: d.Codes, Attrs: []string{"province"}}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadCSV("bench.csv", bytes.NewReader(buf.Bytes()), opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadXLSX reads the national-scale data set from a workbook
// (41,352 rows × 58 cells, numeric cells).
func BenchmarkReadXLSX(b *testing.B) {
	d := nationalData(41352)
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	row := []any{"unit"}
	for _, c := range d.Codes {
		row = append(row, c)
	}
	sw.SetRow("A1", row)
	for i, u := range d.Units {
		row = append(row[:0], u)
		for j := range d.Codes {
			if v := d.At(i, j); !math.IsNaN(v) {
				row = append(row, v)
			} else {
				row = append(row, nil)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, row)
	}
	sw.Flush()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	opt := ReadOptions{Codes: d.Codes}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ReadXLSX("bench.xlsx", bytes.NewReader(buf.Bytes()), opt); err != nil {
			b.Fatal(err)
		}
	}
}
