package dataset

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
)

// titleLookahead is how many rows below a row that is not a header the
// readers search for the real header (a title row, a blank row and a
// subtitle above the header are common in government workbooks).
const titleLookahead = 10

// earlyRow is a row read before the header was decided, copied.
type earlyRow struct {
	num      int
	cells    [][]byte
	uncached []int
}

// builder feeds the rows of a file, whatever its format, to a table once
// it has decided which row is the header: opt.HeaderRow when given, else
// the first non-empty row, unless that row has nothing of a header and a
// row below it does — then it reports a title row and offers --header-row.
type builder struct {
	probs  *problems
	opt    ReadOptions
	hint   int
	strict bool // CSV: a row must have the header's number of cells
	// sheets lists the workbook's sheets when the sheet was not chosen
	// (XLSX), to offer them when the sheet read is not data.
	sheets, others []string
	t              *table
	early          []earlyRow
	stopped        bool
}

// feed takes one non-blank row; it returns false when reading may stop.
func (b *builder) feed(num int, cells [][]byte, uncached []int) bool {
	switch {
	case b.stopped:
		return false
	case b.t != nil:
		b.t.row(num, cells, uncached, b.strict)
		return !b.probs.full
	case b.opt.HeaderRow > 0:
		return b.feedFixed(num, cells)
	}
	if len(b.early) == 0 && b.headerScore(cells, true) > 0 {
		b.start(cells)
		return true
	}
	b.early = append(b.early, earlyRow{num: num, cells: copyCells(cells), uncached: append([]int(nil), uncached...)})
	if len(b.early) > 1 && b.looksLikeHeader(cells) {
		b.titleRows(num)
		return false
	}
	if len(b.early) > titleLookahead {
		return b.flush()
	}
	return true
}

// feedFixed handles the rows when --header-row N is given: rows above N
// are skipped, row N is the header.
func (b *builder) feedFixed(num int, cells [][]byte) bool {
	if num < b.opt.HeaderRow {
		return true
	}
	if num > b.opt.HeaderRow {
		b.probs.add(b.opt.HeaderRow, 0, "", "row %d is empty, but --header-row %d says the header (unit id, then indicator codes) is there",
			b.opt.HeaderRow, b.opt.HeaderRow)
		b.stopped = true
		return false
	}
	b.start(cells)
	return true
}

// flush takes the first early row as the header and the others as data.
func (b *builder) flush() bool {
	if len(b.early) == 0 {
		return true
	}
	first := b.early[0]
	b.start(first.cells)
	for _, r := range b.early[1:] {
		b.t.row(r.num, r.cells, r.uncached, b.strict)
	}
	b.early = nil
	return !b.probs.full
}

// start builds the table on a header row.
func (b *builder) start(cells [][]byte) {
	header := make([]string, len(cells))
	for j, c := range cells {
		header[j] = string(c)
	}
	b.t = newTable(b.probs, header, b.opt, b.hint)
}

// end returns the data once every row has been fed; empty is the message
// for a file without any row.
func (b *builder) end(empty string) (*engine.Data, []string, error) {
	if b.t == nil && !b.stopped {
		b.flush()
	}
	if b.stopped {
		return nil, nil, b.probs.err()
	}
	if b.t == nil {
		if len(b.probs.list) == 0 {
			if b.opt.HeaderRow > 0 {
				empty = "no row " + strconv.Itoa(b.opt.HeaderRow) + " (--header-row): " + empty
			}
			b.probs.add(0, 0, "", "%s%s", empty, b.sheetList())
		}
		return nil, nil, b.probs.err()
	}
	if b.t.noIndicators() && len(b.others) > 0 {
		b.probs.list, b.probs.full = nil, false // the sheet is not data: its cells' problems do not matter
		b.probs.add(1, 0, "", "the first sheet has no indicator columns in its header (row 1: %s): is it a sheet of notes? "+
			"The workbook has sheets %s: choose the data with --sheet", cellList(b.t.header), strings.Join(quoteAll(b.sheets), ", "))
		return nil, nil, b.probs.err()
	}
	return b.t.finish(b.opt.Attrs)
}

// titleRows reports that the first rows are a title above the header
// found on row num.
func (b *builder) titleRows(num int) {
	first := b.early[0]
	b.probs.add(first.num, 0, "", "this is not the header row: it has no indicator code (%s). Row %d looks like the header: "+
		"if the rows above it are a title, read the file with --header-row %d%s", cellList(trimmedCells(first.cells)), num, num, b.sheetList())
	b.stopped = true
}

// sheetList names the workbook's sheets, for messages about a sheet that is
// not the data.
func (b *builder) sheetList() string {
	if len(b.others) == 0 {
		return ""
	}
	return "; the workbook has sheets " + strings.Join(quoteAll(b.sheets), ", ") + ": choose one with --sheet"
}

// headerScore counts the cells of a row that a header would hold: indicator
// codes (also in the wrong case), indicator names and attribute names; with
// no codes given (every column is an indicator), the non-empty cells after
// the first, and below the first row only those that are text, not numbers
// (codes such as 1.1 below a title are then not recognised, but a data row
// is never taken for a header).
func (b *builder) headerScore(cells [][]byte, first bool) int {
	n := 0
	for j, c := range cells {
		h := string(bytes.TrimSpace(c))
		switch {
		case h == "":
		case b.opt.Codes == nil:
			if _, msg := parseValue(c); j > 0 && (first || msg != "") {
				n++ // below the first row, only text: a data row has numbers
			}
		case contains(b.opt.Attrs, h) || b.opt.Names[h] != "" || indexFold(b.opt.Codes, h) >= 0:
			n++
		}
	}
	return n
}

// looksLikeHeader reports whether a row below a first row that is not a
// header is the header: header cells are at least half of its cells after
// the first (a data row may hold a number equal to a code).
func (b *builder) looksLikeHeader(cells [][]byte) bool {
	filled := 0
	for _, c := range cells[min(1, len(cells)):] {
		if len(bytes.TrimSpace(c)) > 0 {
			filled++
		}
	}
	score := b.headerScore(cells, false)
	return score > 0 && 2*score >= filled
}

// indexFold finds s in list ignoring case.
func indexFold(list []string, s string) int {
	for i, x := range list {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	return -1
}

// unknownColumn explains a header cell that is neither a leaf code, an
// attribute nor a composite: the name of an indicator, a code in the wrong
// case or with a typo, or — when the column holds text — an attribute not
// declared with --attr.
func unknownColumn(h string, opt *ReadOptions, text bool) string {
	fw := frameworkLabel(opt.Framework)
	if code := opt.Names[h]; code != "" {
		return strconv.Quote(h) + " is the name of indicator " + code + ": use its code " + code + " as the column header"
	}
	if half := halfWidth(h); half != h && contains(opt.Codes, half) {
		return "not an indicator of " + fw + "; did you mean " + strconv.Quote(half) + "? (it has full-width characters typed with a Chinese input method)"
	}
	if i := indexFold(opt.Codes, h); i >= 0 {
		return "not an indicator of " + fw + "; did you mean " + strconv.Quote(opt.Codes[i]) + "? (codes are case-sensitive)"
	}
	if s := framework.Suggest(h, opt.Codes); s != "" {
		return "not an indicator of " + fw + "; did you mean " + strconv.Quote(s) + "?"
	}
	if text {
		return "not an indicator of " + fw + "; its cells are text: if it describes the units (province, type…), declare it with --attr " + h
	}
	return "not an indicator of " + fw + " (a data file has one column per leaf indicator, headed by its code)"
}

// cellList quotes the non-empty cells of a row, the first few.
func cellList(cells []string) string {
	var out []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, strconv.Quote(c))
		}
		if len(out) == 3 {
			out = append(out, "…")
			break
		}
	}
	if len(out) == 0 {
		return "empty"
	}
	return strings.Join(out, ", ")
}

func trimmedCells(cells [][]byte) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = string(bytes.TrimSpace(c))
	}
	return out
}

func copyCells(cells [][]byte) [][]byte {
	out := make([][]byte, len(cells))
	for i, c := range cells {
		out[i] = bytes.Clone(c)
	}
	return out
}
