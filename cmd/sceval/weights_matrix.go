package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// pairwiseFile is one pairwise comparison matrix read from a CSV file.
type pairwiseFile struct {
	path  string
	codes []string // from the header or code column, else "1".."n"
	// labelled says the codes come from the file.
	labelled bool
	m        [][]float64
}

// matrixCell is one CSV field with its 1-based file position.
type matrixCell struct {
	text       string
	line, col  int // col is the 1-based field number
	isNum      bool
	value      float64
	parseError string // why text is not a number; "" when it is
}

// readPairwiseFile reads an n×n pairwise comparison matrix from a CSV (or,
// for .tsv, tab-separated) file, with an optional header row of codes
// and/or first column of codes; see pairwiseLayout for how they are told
// apart. Entries are decimals or fractions such as 1/3; a UTF-8 BOM, blank
// lines and lines starting with # are ignored.
func readPairwiseFile(path string) (*pairwiseFile, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("read matrix %s: %w", path, err)
	}
	rows, err := readMatrixCells(path, buf)
	if err != nil {
		return nil, err
	}
	header, codeCol, err := pairwiseLayout(path, rows)
	if err != nil {
		return nil, err
	}
	var hc []matrixCell
	if header {
		hc, rows = rows[0], rows[1:]
	} else if len(rows[0]) != len(rows[len(rows)-1]) {
		return nil, fmt.Errorf("%s: line %d: %d cells, but the last row has %d", path, rows[0][0].line, len(rows[0]), len(rows[len(rows)-1]))
	}
	pf := &pairwiseFile{path: path}
	n := len(rows)
	var rowCodes []string
	pf.m = make([][]float64, n)
	for i, row := range rows {
		if codeCol {
			rowCodes = append(rowCodes, row[0].text)
			row = row[1:]
		}
		pf.m[i] = make([]float64, n)
		for j, c := range row {
			if !c.isNum {
				return nil, fmt.Errorf("%s: line %d, column %d: %q %s", path, c.line, c.col, c.text, c.parseError)
			}
			pf.m[i][j] = c.value
		}
	}
	pf.labelled = hc != nil || rowCodes != nil
	pf.codes, err = matrixCodes(path, hc, rowCodes, n)
	return pf, err
}

// pairwiseLayout tells the four layouts apart by shape, with R rows and
// data rows of W cells:
//
//	plain matrix          R = n,   W = n
//	header row            R = n+1, W = n
//	code column           R = n,   W = n+1
//	header and codes      R = n+1, W = n+1, the header's codes (after an
//	                      optional corner cell) equal the first column's
//
// A plain matrix whose first row and column read alike would be all 1s
// there; that is kept plain.
func pairwiseLayout(path string, rows [][]matrixCell) (header, codeCol bool, err error) {
	r := len(rows)
	if r == 0 {
		return false, false, fmt.Errorf("%s: no matrix rows", path)
	}
	w := len(rows[r-1])
	for _, row := range rows[1:] {
		if len(row) != w {
			return false, false, fmt.Errorf("%s: line %d: %d cells, but the last row has %d (an n×n matrix, optionally with a header row and a column of codes)", path, row[0].line, len(row), w)
		}
	}
	switch {
	case w == r-1:
		return true, false, nil
	case w == r+1:
		return false, true, nil
	case w != r:
		return false, false, fmt.Errorf("%s: %d rows of %d cells is not an n×n matrix (with an optional header row and column of codes)", path, r, w)
	}
	if r >= 2 && (matrixLabelsMatch(rows) || textFirstRowAndColumn(rows)) {
		return true, true, nil // mismatched labels are reported by matrixCodes
	}
	return false, false, nil
}

// textFirstRowAndColumn reports whether both the first row and the first
// column hold a cell that is not a number: labels, not judgements.
func textFirstRowAndColumn(rows [][]matrixCell) bool {
	rowText, colText := false, false
	for _, c := range rows[0][1:] {
		rowText = rowText || !c.isNum
	}
	for _, row := range rows[1:] {
		colText = colText || !row[0].isNum
	}
	return rowText && colText
}

// matrixLabelsMatch reports whether the first row (after an optional corner
// matrixCell) repeats the first column below it, and is not all "1".
func matrixLabelsMatch(rows [][]matrixCell) bool {
	head := rows[0]
	if len(head) == len(rows) { // corner cell present
		head = head[1:]
	}
	allOnes := true
	for i, c := range head {
		if i+1 >= len(rows) || c.text != rows[i+1][0].text {
			return false
		}
		allOnes = allOnes && c.isNum && c.value == 1
	}
	return !allOnes
}

// readMatrixCells splits the file into rows of parsed cells, skipping blank and
// comment lines.
func readMatrixCells(path string, buf []byte) ([][]matrixCell, error) {
	buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(buf))
	r.FieldsPerRecord = -1
	r.Comment = '#'
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".tsv" || ext == ".tab" {
		r.Comma = '\t'
	}
	var rows [][]matrixCell
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		blank := true
		row := make([]matrixCell, len(rec))
		for j, text := range rec {
			text = strings.TrimSpace(text)
			c := matrixCell{text: text, line: line, col: j + 1}
			c.value, c.parseError = parseJudgement(text)
			c.isNum = c.parseError == ""
			blank = blank && text == ""
			row[j] = c
		}
		if !blank {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// parseJudgement parses a matrix entry: a decimal ("3", "0.5") or a
// fraction ("1/3"). It returns a reason when text is neither.
func parseJudgement(text string) (float64, string) {
	if text == "" {
		return 0, "is empty: every entry of the matrix is needed"
	}
	if num, den, ok := strings.Cut(text, "/"); ok {
		a, err1 := strconv.ParseFloat(strings.TrimSpace(num), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(den), 64)
		if err1 != nil || err2 != nil {
			return 0, "is not a number or fraction"
		}
		if b == 0 {
			return 0, "divides by zero"
		}
		return a / b, ""
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, "is not a number or fraction"
	}
	return v, ""
}

// matrixCodes picks the codes from the header (dropping a corner cell)
// and/or the code column, checks they agree, and defaults to "1".."n".
func matrixCodes(path string, header []matrixCell, rowCodes []string, n int) ([]string, error) {
	var hc []string
	switch len(header) {
	case 0:
	case n:
		for _, c := range header {
			hc = append(hc, c.text)
		}
	case n + 1:
		for _, c := range header[1:] {
			hc = append(hc, c.text)
		}
	default:
		return nil, fmt.Errorf("%s: line %d: header has %d cells for a %d×%d matrix", path, header[0].line, len(header), n, n)
	}
	if hc != nil && rowCodes != nil {
		for i := range hc {
			if hc[i] != rowCodes[i] {
				return nil, fmt.Errorf("%s: header code %d is %q but row %d is labelled %q", path, i+1, hc[i], i+1, rowCodes[i])
			}
		}
	}
	codes := hc
	if codes == nil {
		codes = rowCodes
	}
	if codes == nil {
		codes = make([]string, n)
		for i := range codes {
			codes[i] = strconv.Itoa(i + 1)
		}
	}
	seen := make(map[string]int, n)
	for i, c := range codes {
		if c == "" {
			return nil, fmt.Errorf("%s: code %d is empty", path, i+1)
		}
		if k, dup := seen[c]; dup {
			return nil, fmt.Errorf("%s: code %q appears twice (positions %d and %d)", path, c, k+1, i+1)
		}
		seen[c] = i
	}
	return codes, nil
}
