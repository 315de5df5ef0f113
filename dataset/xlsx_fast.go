package dataset

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// errUnsupportedXLSX makes ReadXLSX fall back to excelize: the fast reader
// met a workbook structure it does not handle (strict OOXML, CDATA…).
var errUnsupportedXLSX = errors.New("workbook structure not handled by the fast reader")

// fastWorkbook is the part of an XLSX package the fast reader needs.
type fastWorkbook struct {
	zr      *zip.Reader
	sheets  []string          // names in workbook order
	targets map[string]string // sheet name → zip path of its XML
	shared  [][]byte          // shared strings
	file    string            // for messages
	limit   int64             // most bytes a part may inflate to
}

// openFastWorkbook reads the workbook's sheet list, relationships and
// shared strings. It parses a few small XML parts with encoding/xml; the
// large parts (shared strings, the sheet) are scanned by hand.
func openFastWorkbook(file string, buf []byte, limit int64) (*fastWorkbook, error) {
	zr, err := zip.NewReader(bytes.NewReader(buf), int64(len(buf)))
	if err != nil {
		return nil, err
	}
	wb := &fastWorkbook{zr: zr, targets: map[string]string{}, file: file, limit: limit}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := wb.decode("xl/workbook.xml", &book); err != nil {
		return nil, err
	}
	if err := wb.decode("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	byID := map[string]string{}
	sharedPath := ""
	for _, r := range rels.Rels {
		target := strings.TrimPrefix(r.Target, "/")
		if !strings.HasPrefix(r.Target, "/") {
			target = path.Join("xl", r.Target)
		}
		byID[r.ID] = target
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			sharedPath = target
		}
	}
	for _, s := range book.Sheets {
		t, ok := byID[s.RID]
		if !ok {
			return nil, errUnsupportedXLSX
		}
		wb.sheets = append(wb.sheets, s.Name)
		wb.targets[s.Name] = t
	}
	if sharedPath != "" {
		data, err := wb.part(sharedPath)
		if err != nil {
			return nil, err
		}
		if wb.shared, err = scanSharedStrings(data); err != nil {
			return nil, err
		}
	}
	return wb, nil
}

// part returns the uncompressed bytes of a zip entry, refusing one that
// inflates beyond wb.limit with a *LimitError. The entry's declared size is
// checked first, and the inflated stream is cut at the limit whatever the
// header says, so a forged header cannot make it read more.
func (wb *fastWorkbook) part(name string) ([]byte, error) {
	return wb.partUpTo(name, wb.limit)
}

// maxIndexPart bounds the small parts parsed with encoding/xml (the
// workbook's sheet list and relationships), whose parse costs many times
// their size.
const maxIndexPart = 16 << 20

// partUpTo is part with a limit of its own.
func (wb *fastWorkbook) partUpTo(name string, limit int64) ([]byte, error) {
	f, err := wb.zr.Open(name)
	if err != nil {
		return nil, errUnsupportedXLSX
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > limit {
		return nil, inflateLimitError(wb.file, name, limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, inflateLimitError(wb.file, name, limit)
	}
	return data, nil
}

func (wb *fastWorkbook) decode(name string, v any) error {
	data, err := wb.partUpTo(name, min(wb.limit, maxIndexPart))
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// scanSharedStrings returns the text of every <si>: the concatenation of
// its <t> elements, phonetic runs (<rPh>) excluded.
func scanSharedStrings(data []byte) ([][]byte, error) {
	sc := xmlScanner{b: data}
	var out [][]byte
	var cur []byte
	in, phonetic := false, 0
	for {
		tag, ok := sc.next()
		if !ok {
			return out, sc.err
		}
		switch {
		case tag.is("si") && tag.selfClosing:
			out = append(out, nil)
		case tag.is("si"):
			if in = !tag.closing; in {
				cur = nil
			} else {
				out = append(out, cur)
			}
		case tag.is("rPh") && !tag.selfClosing:
			if tag.closing {
				phonetic--
			} else {
				phonetic++
			}
		case tag.is("t") && tag.opens() && in && phonetic == 0:
			text, err := sc.text()
			if err != nil {
				return nil, err
			}
			cur = append(cur, text...)
		}
	}
}

// sheetRows calls fn with each non-empty row of the sheet (1-based row
// number, cells by 0-based column; nil is an empty cell) until fn returns
// false. Cells may point into the workbook's buffers: fn must copy what it
// keeps.
func (wb *fastWorkbook) sheetRows(sheet string, fn func(row int, cells [][]byte, uncached []int) bool) error {
	data, err := wb.part(wb.targets[sheet])
	if err != nil {
		return err
	}
	return wb.scanSheet(data, fn)
}

// scanSheet calls fn with each non-empty row of the sheet XML data; see
// sheetRows.
func (wb *fastWorkbook) scanSheet(data []byte, fn func(row int, cells [][]byte, uncached []int) bool) error {
	var err error
	sc := xmlScanner{b: data}
	sr := sheetReader{wb: wb}
	for {
		tag, ok := sc.next()
		if !ok {
			return sc.err
		}
		switch {
		case tag.is("sheetData") && tag.closing:
			return nil
		case tag.is("row"):
			if !sr.row(tag) {
				continue
			}
			if !fn(sr.rowNum, sr.cells, sr.uncached) {
				return nil
			}
		case tag.is("c"):
			if err := sr.cell(tag); err != nil {
				return err
			}
		case tag.is("f"):
			sr.formula = true
		case tag.is("v") && tag.opens():
			if sr.value, err = sc.text(); err != nil {
				return err
			}
		case tag.is("is"):
			sr.inline = tag.opens()
		case tag.is("t") && tag.opens() && sr.inline:
			text, err := sc.text()
			if err != nil {
				return err
			}
			sr.text = append(sr.text, text...)
		}
	}
}

// sheetReader holds the state of the row and cell being read.
type sheetReader struct {
	wb     *fastWorkbook
	rowNum int
	cells  [][]byte
	col    int    // 0-based column of the current cell
	typ    []byte // the cell's t attribute
	value  []byte // content of <v>
	text   []byte // content of <is><t>…
	inline bool
	// formula is set when the current cell has an <f>; uncached lists the
	// row's formula cells without a saved <v>.
	formula  bool
	uncached []int
}

// row handles <row>, </row> and <row/>; it reports whether a complete row
// is ready.
func (sr *sheetReader) row(tag xmlTag) bool {
	if tag.closing {
		return true
	}
	if r := tag.attr("r"); r != nil {
		n, err := strconv.Atoi(string(r))
		if err != nil {
			n = sr.rowNum + 1
		}
		sr.rowNum = n
	} else {
		sr.rowNum++
	}
	sr.cells, sr.col, sr.uncached = sr.cells[:0], -1, sr.uncached[:0]
	return false // <row/> has no cells: nothing to report
}

// cell handles <c …>, <c …/> and </c>.
func (sr *sheetReader) cell(tag xmlTag) error {
	if tag.closing {
		if sr.col < 0 { // </c> without <c>: malformed (found by FuzzXLSXSheet)
			return errUnsupportedXLSX
		}
		return sr.store()
	}
	sr.col++
	if ref := tag.attr("r"); ref != nil {
		if c := columnIndex(ref); c >= 0 {
			sr.col = c
		}
	}
	if sr.col >= MaxColumns {
		// Refused, not padded: one cell "ZZZZZZZ2" would otherwise make a
		// row of 8·10⁹ cells.
		return &LimitError{File: sr.wb.file, What: fmt.Sprintf("row %d has a cell beyond column %s", sr.rowNum, ColumnLetter(MaxColumns)),
			Raise: fmt.Sprintf("%s is Excel's last column (%d columns); the workbook is damaged or was not written by a spreadsheet", ColumnLetter(MaxColumns), MaxColumns)}
	}
	sr.typ, sr.value, sr.text, sr.inline, sr.formula = tag.attr("t"), nil, sr.text[:0], false, false
	if tag.selfClosing {
		sr.typ, sr.value = nil, nil
		return sr.store()
	}
	return nil
}

// store resolves the current cell's value by its type and records it.
func (sr *sheetReader) store() error {
	v := sr.value
	switch string(sr.typ) {
	case "s":
		if v == nil {
			break
		}
		i, err := strconv.Atoi(string(bytes.TrimSpace(v)))
		if err != nil || i < 0 || i >= len(sr.wb.shared) {
			return fmt.Errorf("row %d: shared string index %q out of range", sr.rowNum, v)
		}
		v = sr.wb.shared[i]
	case "inlineStr":
		v = append([]byte(nil), sr.text...)
	default:
		if sr.formula && v == nil {
			sr.uncached = append(sr.uncached, sr.col)
		}
	}
	for len(sr.cells) <= sr.col {
		sr.cells = append(sr.cells, nil)
	}
	sr.cells[sr.col] = v
	return nil
}

// columnIndex returns the 0-based column of a cell reference ("AB12" → 27),
// or -1. Columns beyond MaxColumns saturate at MaxColumns (no overflow).
func columnIndex(ref []byte) int {
	col := 0
	for _, c := range ref {
		if c < 'A' || c > 'Z' {
			break
		}
		col = min(col*26+int(c-'A'+1), MaxColumns+1)
	}
	return col - 1
}
