package dataset

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"testing"
)

// csvRecords reads every record with encoding/csv in the scanner's
// dialect: any number of fields, lazy quotes (which only matter for quotes
// inside unquoted fields on input the scanner accepts).
func csvRecords(data []byte, comma byte) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = rune(comma)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	return r.ReadAll()
}

// FuzzCSVScanner: on every input the hand-written scanner accepts, it
// returns exactly the records of encoding/csv.
func FuzzCSVScanner(f *testing.F) {
	for _, s := range []string{
		"unit,1.1,1.2\nA,1,2\n",
		"a,b\r\nc,d\r\n",
		"\"say \"\"hi\"\"\",\"x\ny\"\n",
		"a,\n\n,b\r\n\r\n\"\"\n",
		"a\rb,c\r",
		"x\"y,z\n",
		"\"a\"\r\n\"b\"\r",
		"\"q\r\nr\",1\n",
		"a;b;c\n",
		"a\tb\n",
		"\xef\xbb\xbf1,2",
	} {
		f.Add([]byte(s), byte(','))
	}
	f.Add([]byte("a\tb\t\"c\td\"\n"), byte('\t'))
	f.Fuzz(func(t *testing.T, data []byte, comma byte) {
		if comma != ',' && comma != '\t' && comma != ';' {
			comma = ','
		}
		sc := &csvScanner{data: data, comma: comma}
		var got [][]string
		for {
			rec, ok := sc.next()
			if !ok {
				break
			}
			row := make([]string, len(rec))
			for i, c := range rec {
				row[i] = string(c)
			}
			got = append(got, row)
		}
		if sc.err != "" {
			return // refused: nothing to compare
		}
		want, err := csvRecords(data, comma)
		if err != nil {
			t.Fatalf("scanner accepted %q, encoding/csv refused it: %v", data, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: scanner %d records %q, encoding/csv %d %q", data, len(got), got, len(want), want)
		}
		for i := range want {
			if len(got[i]) != len(want[i]) {
				t.Fatalf("%q: record %d: scanner %q, encoding/csv %q", data, i, got[i], want[i])
			}
			for j := range want[i] {
				if got[i][j] != want[i][j] {
					t.Fatalf("%q: record %d field %d: scanner %q, encoding/csv %q", data, i, j, got[i][j], want[i][j])
				}
			}
		}
	})
}

// FuzzParseSimpleDecimal: whenever the fast path accepts a cell, its value
// is bit for bit strconv.ParseFloat's.
func FuzzParseSimpleDecimal(f *testing.F) {
	for _, s := range []string{"0", "-12.375", "+3", "100000000000000", "999999999999999", "0.000000000000000000001",
		"1.5e3", ".5", "5.", "-0", "00012.50", "123456789012345.6", "0.1234567890123456789012", "1_0", "0x1p4", "."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseSimpleDecimal([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("fast path accepted %q, strconv refused it: %v", s, err)
		}
		if math.Float64bits(v) != math.Float64bits(want) {
			t.Fatalf("%q: fast path %v (%#x), strconv %v (%#x)", s, v, math.Float64bits(v), want, math.Float64bits(want))
		}
	})
}

// FuzzParseValue: a data cell either parses to a finite float equal to
// strconv's reading of it, or gets a message; never a panic.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"12.5", " 7 ", "", "abc", "45%", "１２．５", "1,5", "1e400", "NaN", "-Inf", "1_000", "0x1p4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, msg := parseValue([]byte(s))
		if msg != "" {
			if !math.IsNaN(v) {
				t.Fatalf("%q: message %q with value %v", s, msg, v)
			}
			return
		}
		if math.IsNaN(v) {
			if len(bytes.TrimSpace([]byte(s))) != 0 {
				t.Fatalf("%q read as missing", s)
			}
			return
		}
		want, err := strconv.ParseFloat(string(bytes.TrimSpace([]byte(s))), 64)
		if err != nil || math.Float64bits(v) != math.Float64bits(want) || math.IsInf(v, 0) {
			t.Fatalf("%q: read %v, strconv %v %v", s, v, want, err)
		}
	})
}

var _ = io.EOF
