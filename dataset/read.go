// Package dataset reads the units × indicators data that sceval scores (CSV,
// TSV and XLSX files laid out as one row per unit and one column per
// indicator) and writes scoring results as long CSV, a wide text table, JSON
// and XLSX. The file layout is described in docs/data-format.md.
//
// Readers report every problem they find (up to MaxProblems) as a
// *ReadError naming the file, row and column as a spreadsheet shows them.
package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/sceval/sceval/engine"
)

// ReadOptions say how to interpret the columns of a data file.
type ReadOptions struct {
	// Codes are the allowed indicator codes, usually the framework's
	// leaves. The returned Data has exactly these codes in this order; a
	// code with no column is missing for every unit (with a warning) and a
	// column that is neither a code nor an attribute is an error. Nil means
	// every column after the unit id that is not an attribute is an
	// indicator, in file order.
	Codes []string
	// Framework is the framework's id, used only in messages.
	Framework string
	// Composites, when set, maps the codes of indicators that are computed
	// from others (a framework's non-leaf indicators and its id, the root)
	// to the leaf codes they are computed from. It is used only to explain
	// why such a column is refused: a data file gives leaves only.
	Composites map[string][]string
	// Attrs name columns that are unit attributes (e.g. province, type)
	// rather than indicators; they are returned in Data.Attrs.
	Attrs []string
	// Sheet is the XLSX worksheet to read; empty means the first one.
	Sheet string
	// Check, when set, vets each present value of indicator Codes[j]
	// and returns a problem message ("" when the value is acceptable), so
	// that, for example, a rubric level out of range is reported with its
	// row and column like any other problem.
	Check func(j int, v float64) string
	// Comma is the CSV field separator; 0 means ',' (or a tab for .tsv
	// and .tab files read with ReadFile).
	Comma byte
	// HeaderRow is the 1-based row of the header; the rows above it (a
	// title) are skipped. 0 means the first non-empty row, with a message
	// offering HeaderRow when that row is a title above the header.
	HeaderRow int
	// Names maps indicator names (Chinese and English) to their codes, so
	// that a header holding a name rather than a code is explained.
	Names map[string]string
	// MaxInflated bounds the inflated size of each part of an XLSX package
	// in bytes; 0 means DefaultMaxInflated.
	MaxInflated int64
}

// fileError words a failure to open a file in the user's terms — the file
// does not exist, is a directory, may not be read — keeping the underlying
// error for errors.Is.
func fileError(what, path string, err error) error {
	var reason string
	switch st, serr := os.Stat(path); {
	case errors.Is(err, fs.ErrNotExist):
		reason = "no such file"
	case serr == nil && st.IsDir():
		reason = "is a directory, not a file"
	case errors.Is(err, fs.ErrPermission):
		reason = "permission denied"
	default:
		return fmt.Errorf("%s %s: %w", what, path, err)
	}
	// %.0w wraps err (for errors.Is) without printing its system wording.
	return fmt.Errorf("%s %s: %s%.0w", what, path, reason, err)
}

// ReadFile reads a data file, choosing the format by extension: .xlsx is
// Excel, .tsv and .tab are tab-separated, anything else is CSV. It returns
// the data, warnings (for example framework indicators the file has no
// column for) and an error, which is a *ReadError when the file's content
// is at fault.
func ReadFile(path string, opt ReadOptions) (*engine.Data, []string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".xls" {
		return nil, nil, fmt.Errorf("read data %s: the old binary .xls format is not supported; save the sheet as .xlsx or .csv", path)
	}
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fileError("read data", path, err)
	}
	switch ext {
	case ".xlsx", ".xlsm":
		return ReadXLSX(path, bytes.NewReader(buf), opt)
	case ".tsv", ".tab":
		if opt.Comma == 0 {
			opt.Comma = '\t'
		}
	}
	return readCSVBytes(path, buf, opt)
}

// ReadCSV reads delimited text (RFC 4180 quoting) from r; name is used in
// messages. The text is UTF-8 (with or without a byte order mark), UTF-16
// with a byte order mark, or GB18030 (GBK) as saved by spreadsheets on
// Chinese Windows — see DecodeText; a file in another encoding is refused
// with an *EncodingError, and a decoded one gets a warning naming its
// encoding. Line ends are LF, CRLF or CR. Blank lines are skipped but
// counted as rows.
func ReadCSV(name string, r io.Reader, opt ReadOptions) (*engine.Data, []string, error) {
	buf, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read data %s: %w", name, err)
	}
	return readCSVBytes(name, buf, opt)
}

// readCSVBytes parses a whole delimited text file held in memory.
func readCSVBytes(name string, raw []byte, opt ReadOptions) (*engine.Data, []string, error) {
	buf, enc, err := DecodeText(name, raw)
	if err != nil {
		return nil, nil, err
	}
	buf = normaliseLineEnds(buf)
	comma := opt.Comma
	if comma == 0 {
		comma = ','
	}
	probs := &problems{file: name}
	sc := &csvScanner{data: buf, comma: comma, maxFields: MaxColumns}
	b := &builder{probs: probs, opt: opt, strict: true}
	first := true
	for !probs.full {
		cells, ok := sc.next()
		if !ok {
			break
		}
		if first {
			b.hint, first = rowsHint(buf[sc.pos:], len(cells)), false
		}
		if !b.feed(sc.row, cells, nil) {
			break
		}
	}
	switch {
	case sc.wide:
		return nil, nil, columnLimitError(name, sc.row)
	case sc.err != "":
		probs.add(sc.row, 0, "", "%s", sc.err)
		return nil, nil, probs.err()
	}
	d, warnings, err := b.end("empty file (expected a header row: unit id, then indicator codes)")
	if notice := EncodingNotice(name, enc); notice != "" && err == nil {
		warnings = append([]string{notice}, warnings...)
	}
	return d, warnings, err
}

// rowsHint estimates the data rows of a delimited file for preallocation,
// bounded by what is actually there: lines holding something other than a
// line end, and no more than a row of cols cells (cols−1 separators and a
// line end) per cols bytes. A file of a header and 100 MB of blank lines
// therefore preallocates nothing, where a count of line ends would have
// reserved 100 million rows × every indicator.
func rowsHint(buf []byte, cols int) int {
	lines := 0
	for start := 0; start < len(buf); {
		i := bytes.IndexByte(buf[start:], '\n')
		if i < 0 {
			i = len(buf) - start
		}
		if i > 1 || i == 1 && buf[start] != '\r' {
			lines++
		}
		start += i + 1
	}
	return min(lines, len(buf)/max(cols, 1))
}
