package dataset

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sceval/sceval/engine"
)

// Roles of a file column other than an indicator (indicator columns hold
// their index in Data.Codes, which is >= 0).
const (
	roleUnit   = -1
	roleIgnore = -2 // a duplicated or rejected column: its cells are not read
	roleAttr0  = -3 // attribute k is roleAttr0 - k
)

// table turns a header and rows of cells, whatever the file format, into
// engine.Data. It checks everything except the file's syntax.
type table struct {
	probs     *problems
	header    []string
	role      []int // per file column
	data      *engine.Data
	attrs     [][]string // per ReadOptions.Attrs entry, aligned with units
	seen      map[string]int
	cols      int
	present   []bool // per code: has a column
	framework string
	check     func(j int, v float64) string
	opt       *ReadOptions
	// unknown lists the columns whose header is not understood; they are
	// reported by finish, once their cells tell whether they hold text.
	unknown []unknownCol
	// separated is set when the header is one cell holding another
	// separator: nothing else is reported then.
	separated bool
}

// unknownCol is a column whose header is neither a code nor an attribute.
type unknownCol struct {
	col  int // 0-based
	text bool
}

// newTable reads the header row (spreadsheet row 1) and decides what each
// column is: the unit id (column 1), an attribute named in opt.Attrs, or an
// indicator (any other column when opt.Codes is nil, else one of opt.Codes).
func newTable(probs *problems, header []string, opt ReadOptions, sizeHint int) *table {
	t := &table{probs: probs, cols: len(header), seen: make(map[string]int, sizeHint), check: opt.Check, framework: opt.Framework, opt: &opt}
	t.header = make([]string, len(header))
	for j, h := range header {
		if !utf8.ValidString(h) {
			probs.add(1, j+1, "", "the header cell is not valid UTF-8 text (the workbook is damaged; retype the cell)")
			h = strings.ToValidUTF8(h, "\uFFFD")
		}
		t.header[j] = strings.TrimSpace(h)
	}
	codes := opt.Codes
	if codes == nil {
		codes = t.headerCodes(opt.Attrs)
	}
	t.data = &engine.Data{
		Codes:  append([]string(nil), codes...),
		Units:  make([]string, 0, sizeHint),
		Values: make([]float64, 0, sizeHint*len(codes)),
	}
	t.present = make([]bool, len(codes))
	t.attrs = make([][]string, len(opt.Attrs))
	if sep := separatorIn(t.header); sep != "" {
		// Checked before anything else: with --attr given, the missing
		// attribute would otherwise hide the cause.
		probs.add(1, 0, "", "no indicator columns: the header is one cell %q, separated by %s rather than commas "+
			"(save the file as comma-separated CSV, or tab-separated with a .tsv name)", shorten(t.header[0], 40), sep)
		t.separated = true
		t.role = []int{roleUnit}
		return t
	}
	t.assignRoles(codes, opt)
	return t
}

// shorten cuts s to n runes, marking the cut with "…".
func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// noIndicators reports whether no column of the header is an indicator.
func (t *table) noIndicators() bool {
	for _, ok := range t.present {
		if ok {
			return false
		}
	}
	return true
}

// headerCodes lists the indicator columns of a file read without a
// framework: every column after the first that is not an attribute.
func (t *table) headerCodes(attrs []string) []string {
	var codes []string
	for j := 1; j < len(t.header); j++ {
		h := t.header[j]
		if h != "" && !contains(attrs, h) && !contains(codes, h) {
			codes = append(codes, h)
		}
	}
	return codes
}

// assignRoles maps each column to its role and reports header problems.
func (t *table) assignRoles(codes []string, opt ReadOptions) {
	codeIndex := make(map[string]int, len(codes))
	for i, c := range codes {
		codeIndex[c] = i
	}
	first := map[string]int{}
	t.role = make([]int, len(t.header))
	for j, h := range t.header {
		col := j + 1
		t.role[j] = roleIgnore
		switch {
		case j == 0:
			t.role[j] = roleUnit
			continue
		case h == "":
			t.probs.add(1, col, "", "empty column header (expected an indicator code or an attribute name)")
			continue
		}
		if prev, dup := first[h]; dup {
			t.probs.add(1, col, h, "duplicated column: column %d (%s) has the same header", prev, ColumnLetter(prev))
			continue
		}
		first[h] = col
		if k := index(opt.Attrs, h); k >= 0 {
			t.role[j] = roleAttr0 - k
		} else if i, ok := codeIndex[h]; ok {
			t.role[j] = i
			t.present[i] = true
		} else if leaves, ok := opt.Composites[h]; ok {
			t.probs.add(1, col, h, "%s is not a leaf indicator: its score is computed from %s, so give those columns instead",
				strconv.Quote(h), leafList(leaves))
		} else {
			t.unknown = append(t.unknown, unknownCol{col: j})
		}
	}
	for _, a := range opt.Attrs {
		if _, ok := first[a]; !ok {
			t.probs.add(1, 0, "", "attribute column %q not found in the header", a)
		}
	}
}

// leafList names the leaves a composite indicator is computed from, the
// first few and a count of the rest.
func leafList(leaves []string) string {
	const shown = 4
	switch {
	case len(leaves) == 0:
		return "its children"
	case len(leaves) <= shown:
		return strings.Join(leaves, ", ")
	}
	return strings.Join(leaves[:shown], ", ") + " and " + strconv.Itoa(len(leaves)-shown) + " more"
}

// frameworkLabel names the framework in messages.
func frameworkLabel(id string) string {
	if id == "" {
		return "the framework"
	}
	return "framework " + id
}

// row adds one data row (spreadsheet row number rowNum). Rows whose cells
// are all empty are skipped. Short rows are an error when strict (CSV);
// XLSX rows omit trailing empty cells, so they are padded instead.
// uncached lists the 0-based columns of formula cells without a saved
// value (XLSX), which are reported rather than read as missing.
func (t *table) row(rowNum int, cells [][]byte, uncached []int, strict bool) {
	if blank(cells) && len(uncached) == 0 || t.separated {
		return
	}
	for _, j := range uncached {
		header := ""
		if j < len(t.header) {
			header = t.header[j]
		}
		t.probs.add(rowNum, j+1, header, "cell %s%d holds a formula without a saved value: the workbook was written by a program "+
			"that does not calculate formulas; open and save it in Excel or WPS, or replace the formulas by their values", ColumnLetter(j+1), rowNum)
	}
	if len(uncached) > 0 {
		return
	}
	for k := range t.unknown {
		if u := &t.unknown[k]; !u.text && u.col < len(cells) {
			c := bytes.TrimSpace(cells[u.col])
			if _, msg := parseValue(c); len(c) > 0 && msg != "" {
				u.text = true
			}
		}
	}
	if n := len(cells); n > t.cols && !blank(cells[t.cols:]) || strict && n < t.cols {
		t.probs.add(rowNum, 0, "", "%d cells, but the header has %d columns", n, t.cols)
		return
	}
	unit := string(bytes.TrimSpace(cells[0]))
	if !t.validText(rowNum, 0, cells[0]) {
		return
	}
	if unit == "" {
		t.probs.add(rowNum, 1, t.header[0], "empty unit id")
		return
	}
	if prev, dup := t.seen[unit]; dup {
		t.probs.add(rowNum, 1, t.header[0], "unit %q is also on row %d", unit, prev)
		return
	}
	t.seen[unit] = rowNum
	d := t.data
	base := len(d.Values)
	for range d.Codes {
		d.Values = append(d.Values, math.NaN())
	}
	d.Units = append(d.Units, unit)
	for j := 1; j < t.cols && j < len(cells); j++ {
		r := t.role[j]
		switch {
		case r >= 0:
			v, msg := parseValue(cells[j])
			if msg == "" && t.check != nil && v == v {
				msg = t.check(r, v)
			}
			if msg != "" {
				t.probs.add(rowNum, j+1, t.header[j], "%s", msg)
			}
			d.Values[base+r] = v
		case r <= roleAttr0:
			k := roleAttr0 - r
			text := bytes.TrimSpace(cells[j])
			if !t.validText(rowNum, j, text) {
				text = nil
			}
			t.attrs[k] = append(t.attrs[k], string(text))
		}
	}
	for k := range t.attrs {
		for len(t.attrs[k]) < len(d.Units) { // padded XLSX rows
			t.attrs[k] = append(t.attrs[k], "")
		}
	}
}

// validText reports whether a text cell (unit id, attribute) is valid
// UTF-8, reporting it otherwise: CSV text is decoded before it gets here,
// but a damaged workbook may hold anything, and no output may carry
// invalid UTF-8.
func (t *table) validText(rowNum, j int, cell []byte) bool {
	if utf8.Valid(cell) {
		return true
	}
	t.probs.add(rowNum, j+1, t.header[j], "the cell is not valid UTF-8 text (the workbook is damaged; retype the cell)")
	return false
}

// finish returns the data and warnings, or the collected problems.
func (t *table) finish(attrNames []string) (*engine.Data, []string, error) {
	t.reportUnknown()
	if err := t.probs.err(); err != nil {
		return nil, nil, err
	}
	if len(t.data.Units) == 0 {
		t.probs.add(0, 0, "", "no data rows (expected a header row, then one row per unit)")
		return nil, nil, t.probs.err()
	}
	if len(attrNames) > 0 {
		t.data.Attrs = make(map[string][]string, len(attrNames))
		for k, name := range attrNames {
			t.data.Attrs[name] = t.attrs[k]
		}
	}
	var absent []string
	for i, ok := range t.present {
		if !ok {
			absent = append(absent, t.data.Codes[i])
		}
	}
	if len(absent) == len(t.data.Codes) {
		// Nothing to score: every unit would miss every indicator.
		want := "one column per indicator"
		if t.framework != "" {
			want = "one column per leaf indicator of framework " + t.framework
		}
		t.probs.add(1, 0, "", "no indicator columns: the header has only the unit id%s (give %s)", attrNote(attrNames), want)
		return nil, nil, t.probs.err()
	}
	var warnings []string
	if len(absent) > 0 {
		warnings = append(warnings, t.probs.file+": "+plural(len(absent), "indicator has", "indicators have")+
			" no column, so every unit misses it: "+strings.Join(absent, ", "))
	}
	return t.data, warnings, nil
}

// reportUnknown reports the columns whose header is not understood, before
// the problems of the rows (header problems come first).
func (t *table) reportUnknown() {
	var ps []*Problem
	for _, u := range t.unknown {
		h := t.header[u.col]
		ps = append(ps, &Problem{File: t.probs.file, Row: 1, Column: u.col + 1, Header: h, Msg: unknownColumn(h, t.opt, u.text)})
	}
	t.probs.insertHeader(ps)
}

// separatorIn names the separator of a header read as one cell because the
// file uses another separator than the reader's ("semicolons", "tabs"), or
// returns "".
func separatorIn(header []string) string {
	if len(header) != 1 {
		return ""
	}
	switch {
	case strings.Contains(header[0], ";"):
		return "semicolons"
	case strings.Contains(header[0], "\t"):
		return "tabs"
	}
	return ""
}

// attrNote mentions the attribute columns in the no-indicator message.
func attrNote(attrs []string) string {
	if len(attrs) == 0 {
		return ""
	}
	return " and the attribute columns " + strings.Join(attrs, ", ")
}

// blank reports whether every cell is empty or white space.
func blank(cells [][]byte) bool {
	for _, c := range cells {
		if len(bytes.TrimSpace(c)) > 0 {
			return false
		}
	}
	return true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func contains(list []string, s string) bool { return index(list, s) >= 0 }
