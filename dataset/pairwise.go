package dataset

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

	"github.com/sceval/sceval/engine/weight"
)

// PairwiseMatrix is one pairwise comparison matrix read from a file, as
// typed: ReadPairwise checks its layout and entries, and
// weight.ReciprocalMatrix its reciprocity.
type PairwiseMatrix struct {
	File string
	// Codes name the rows and columns: from the header row or code column,
	// else "1".."n".
	Codes []string
	// Labelled says the codes come from the file.
	Labelled bool
	Values   [][]float64
}

// matrixCell is one field with its 1-based file position.
type matrixCell struct {
	text      string
	line, col int // col is the 1-based field number
	isNum     bool
	value     float64
	parseErr  string // why text is not a judgement; "" when it is
}

// maxMatrixCells bounds the cells of a matrix file: the largest matrix with
// a random index (weight.MaxAHPSize) and a row and column of codes, with
// room for a few stray cells. A file beyond it is refused before its cells
// are parsed.
const maxMatrixCells = 64 * 64

// ReadPairwiseFile reads a pairwise comparison matrix file; see
// ReadPairwise.
func ReadPairwiseFile(path string) (*PairwiseMatrix, []string, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fileError("read matrix", path, err)
	}
	return ReadPairwise(path, buf)
}

// ReadPairwise reads an n×n pairwise comparison matrix from CSV (or, when
// name ends in .tsv or .tab, tab-separated) text, with an optional header
// row of codes and/or first column of codes (see pairwiseLayout). Entries
// are decimals or fractions such as 1/3 (weight.ParseJudgement). The text
// may be UTF-8, UTF-16 or GB18030 (DecodeText: a notice naming a decoded
// encoding is returned as a warning); blank lines and lines starting with
// # are ignored. name is used in messages.
func ReadPairwise(name string, raw []byte) (*PairwiseMatrix, []string, error) {
	buf, enc, err := DecodeText(name, raw)
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	if notice := EncodingNotice(name, enc); notice != "" {
		warnings = append(warnings, notice)
	}
	rows, err := readMatrixCells(name, buf)
	if err != nil {
		return nil, nil, err
	}
	header, codeCol, err := pairwiseLayout(name, rows)
	if err != nil {
		return nil, nil, err
	}
	var hc []matrixCell
	if header {
		hc, rows = rows[0], rows[1:]
	} else if len(rows[0]) != len(rows[len(rows)-1]) {
		return nil, nil, fmt.Errorf("%s: line %d: %d cells, but the last row has %d", name, rows[0][0].line, len(rows[0]), len(rows[len(rows)-1]))
	}
	pm := &PairwiseMatrix{File: name}
	n := len(rows)
	var rowCodes []string
	pm.Values = make([][]float64, n)
	for i, row := range rows {
		if codeCol {
			rowCodes = append(rowCodes, row[0].text)
			row = row[1:]
		}
		pm.Values[i] = make([]float64, n)
		for j, c := range row {
			if !c.isNum {
				return nil, nil, fmt.Errorf("%s: line %d, column %d: %s", name, c.line, c.col, c.parseErr)
			}
			pm.Values[i][j] = c.value
		}
	}
	pm.Labelled = hc != nil || rowCodes != nil
	pm.Codes, err = matrixCodes(name, hc, rowCodes, n)
	if err != nil {
		return nil, nil, err
	}
	return pm, warnings, nil
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
// A header row or code column of numbers only (codes such as 1.1) is taken
// as such only when the matrix left has a unit diagonal; otherwise the file
// is an R×W matrix, which is not square. A plain matrix whose first row
// and column read alike would be all 1s there; that is kept plain.
func pairwiseLayout(name string, rows [][]matrixCell) (header, codeCol bool, err error) {
	r := len(rows)
	if r == 0 {
		return false, false, fmt.Errorf("%s: no matrix rows", name)
	}
	w := len(rows[r-1])
	for _, row := range rows[1:] { // the first row may be a header, checked by matrixCodes
		if len(row) != w {
			return false, false, fmt.Errorf("%s: line %d: %d cells, but the last row has %d (not square: an n×n matrix, optionally with a header row and a column of codes)",
				name, row[0].line, len(row), w)
		}
	}
	notSquare := fmt.Errorf("%s: not square (%d×%d): a pairwise comparison matrix is n×n, optionally with a header row and a column of codes", name, r, w)
	switch {
	case w == r-1:
		if !allNumbers(rows[0]) || unitDiagonal(rows[1:], 0) {
			return true, false, nil
		}
		return false, false, notSquare
	case w == r+1:
		if !allNumbers(firstColumn(rows)) || unitDiagonal(rows, 1) {
			return false, true, nil
		}
		return false, false, notSquare
	case w != r:
		return false, false, notSquare
	}
	if r >= 2 && (matrixLabelsMatch(rows) || textFirstRowAndColumn(rows)) {
		return true, true, nil // mismatched labels are reported by matrixCodes
	}
	return false, false, nil
}

// allNumbers reports whether every cell reads as a judgement.
func allNumbers(cells []matrixCell) bool {
	for _, c := range cells {
		if !c.isNum {
			return false
		}
	}
	return true
}

func firstColumn(rows [][]matrixCell) []matrixCell {
	out := make([]matrixCell, len(rows))
	for i, row := range rows {
		out[i] = row[0]
	}
	return out
}

// unitDiagonal reports whether rows, read from column skip on, have 1 on
// the diagonal.
func unitDiagonal(rows [][]matrixCell, skip int) bool {
	for i, row := range rows {
		if skip+i >= len(row) {
			return false
		}
		if c := row[skip+i]; !c.isNum || c.value != 1 {
			return false
		}
	}
	return true
}

// textFirstRowAndColumn reports whether both the first row and the first
// column hold a cell that is not a number: labels, not judgements.
func textFirstRowAndColumn(rows [][]matrixCell) bool {
	return !allNumbers(rows[0][1:]) && !allNumbers(firstColumn(rows[1:]))
}

// matrixLabelsMatch reports whether the first row (after an optional corner
// cell) repeats the first column below it, and is not all "1".
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

// readMatrixCells splits the text into rows of parsed cells, skipping
// blank and comment lines.
func readMatrixCells(name string, buf []byte) ([][]matrixCell, error) {
	r := csv.NewReader(bytes.NewReader(buf))
	r.FieldsPerRecord = -1
	r.Comment = '#'
	r.ReuseRecord = true
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".tsv" || ext == ".tab" {
		r.Comma = '\t'
	}
	var rows [][]matrixCell
	cells := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: line %d: %v", name, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if cells += len(rec); cells > maxMatrixCells {
			line, _ := r.FieldPos(0)
			return nil, &LimitError{File: name, What: fmt.Sprintf("line %d: more than %d cells", line, maxMatrixCells),
				Raise: fmt.Sprintf("AHP matrices have at most %d rows; split the comparisons into a hierarchy", weight.MaxAHPSize)}
		}
		line, _ := r.FieldPos(0)
		blank := true
		row := make([]matrixCell, len(rec))
		for j, text := range rec {
			text = strings.TrimSpace(text)
			c := matrixCell{text: text, line: line, col: j + 1}
			v, err := weight.ParseJudgement(text)
			if err != nil {
				c.parseErr = strings.TrimPrefix(err.Error(), weight.ErrJudgement.Error()+": ")
			}
			c.value, c.isNum = v, err == nil
			blank = blank && text == ""
			row[j] = c
		}
		if !blank {
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// matrixCodes picks the codes from the header (dropping a corner cell)
// and/or the code column, checks they agree, and defaults to "1".."n".
func matrixCodes(name string, header []matrixCell, rowCodes []string, n int) ([]string, error) {
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
		return nil, fmt.Errorf("%s: line %d: header has %d cells for a %d×%d matrix", name, header[0].line, len(header), n, n)
	}
	if hc != nil && rowCodes != nil {
		for i := range hc {
			if hc[i] != rowCodes[i] {
				return nil, fmt.Errorf("%s: header code %d is %q but row %d is labelled %q", name, i+1, hc[i], i+1, rowCodes[i])
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
			return nil, fmt.Errorf("%s: code %d is empty", name, i+1)
		}
		if k, dup := seen[c]; dup {
			return nil, fmt.Errorf("%s: code %q appears twice (positions %d and %d)", name, c, k+1, i+1)
		}
		seen[c] = i
	}
	return codes, nil
}
