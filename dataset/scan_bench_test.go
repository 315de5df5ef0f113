package dataset

import (
	"bytes"
	"encoding/csv"
	"io"
	"strconv"
	"testing"
)

// nationalCSV is the national-scale data file (41,352 units × 57
// indicators and a province column) as CSV bytes.
func nationalCSV(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	if err := WriteDataCSV(&buf, nationalData(41352)); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkCSVScanner splits the national file into fields with the
// hand-written scanner (fields are slices of the input).
func BenchmarkCSVScanner(b *testing.B) {
	data := nationalCSV(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sc := &csvScanner{data: data, comma: ',', maxFields: MaxColumns}
		n := 0
		for {
			f, ok := sc.next()
			if !ok {
				break
			}
			n += len(f)
		}
		if sc.err != "" || n == 0 {
			b.Fatal(sc.err)
		}
	}
}

// BenchmarkCSVEncodingCSV splits the same file with encoding/csv, reusing
// its record (its fastest mode).
func BenchmarkCSVEncodingCSV(b *testing.B) {
	data := nationalCSV(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		r.FieldsPerRecord = -1
		n := 0
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += len(rec)
		}
	}
}

// nationalCells returns the indicator cells of the national file.
func nationalCells(b *testing.B) [][]byte {
	b.Helper()
	data := nationalCSV(b)
	var cells [][]byte
	sc := &csvScanner{data: data, comma: ','}
	sc.next() // header
	for {
		f, ok := sc.next()
		if !ok {
			break
		}
		for _, c := range f[2:] {
			if len(c) > 0 {
				cells = append(cells, c)
			}
		}
	}
	return cells
}

// BenchmarkParseFloatFast parses every number of the national file with
// parseSimpleDecimal (Clinger's fast path).
func BenchmarkParseFloatFast(b *testing.B) {
	cells := nationalCells(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var s float64
		for _, c := range cells {
			v, ok := parseSimpleDecimal(c)
			if !ok {
				b.Fatalf("%q", c)
			}
			s += v
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cells)), "ns/cell")
}

// BenchmarkParseFloatStrconv parses the same cells with strconv.ParseFloat.
func BenchmarkParseFloatStrconv(b *testing.B) {
	cells := nationalCells(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var s float64
		for _, c := range cells {
			v, err := strconv.ParseFloat(string(c), 64)
			if err != nil {
				b.Fatal(err)
			}
			s += v
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cells)), "ns/cell")
}
