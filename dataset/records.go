package dataset

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Record is one row of a table file: its 1-based line (CSV) or row number
// (XLSX) and its cells as text.
type Record struct {
	Line   int
	Fields []string
}

// RecordFormat says how ReadRecords read a file.
type RecordFormat struct {
	// XLSX is true for a workbook (its first sheet was read).
	XLSX bool
	// Encoding is the text encoding of a CSV file.
	Encoding Encoding
}

// zipMagic starts every XLSX workbook (a zip archive, PKWARE APPNOTE §4.3.7).
var zipMagic = []byte("PK\x03\x04")

// ReadRecords reads a table file held in memory into records: an XLSX
// workbook (recognised by its zip signature or an .xlsx name; the first
// sheet) or CSV text in UTF-8, UTF-16 or GB18030 (DecodeText). Blank rows are
// skipped. Rows may have different numbers of cells. A malformed CSV row
// (an unterminated quote, a stray quote) is an error naming its line.
func ReadRecords(name string, b []byte) ([]Record, RecordFormat, error) {
	if bytes.HasPrefix(b, zipMagic) || strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		recs, err := readXLSXRecords(name, b)
		return recs, RecordFormat{XLSX: true}, err
	}
	text, enc, err := DecodeText(name, b)
	if err != nil {
		return nil, RecordFormat{}, err
	}
	recs, err := readCSVRecords(name, text)
	return recs, RecordFormat{Encoding: enc}, err
}

// readCSVRecords parses CSV text with encoding/csv (RFC 4180, with LF or
// CRLF line ends).
func readCSVRecords(name string, text []byte) ([]Record, error) {
	cr := csv.NewReader(bytes.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	var out []Record
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		// FieldPos is only defined after a successful Read.
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s:%d: column %d: %v (a quote opened in line %d is not closed or is followed by text)",
					name, pe.Line, pe.Column, pe.Err, pe.StartLine)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if blankCells(rec) {
			continue
		}
		out = append(out, Record{Line: line, Fields: rec})
	}
}

// readXLSXRecords reads the first sheet of a workbook as text cells.
func readXLSXRecords(name string, b []byte) ([]Record, error) {
	f, err := OpenXLSX(name, b)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: the workbook has no sheet", name)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", name, sheets[0], err)
	}
	defer rows.Close()
	var out []Record
	for rowNum := 1; rows.Next(); rowNum++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, fmt.Errorf("%s: sheet %q row %d: %w", name, sheets[0], rowNum, err)
		}
		if blankCells(cells) {
			continue
		}
		out = append(out, Record{Line: rowNum, Fields: cells})
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", name, sheets[0], err)
	}
	return out, nil
}

// blankCells reports whether every cell is empty or spaces.
func blankCells(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
