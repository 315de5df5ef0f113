package dataset

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// ScanRecords reads a table file row by row without holding it in memory:
// an XLSX workbook (zip signature or .xlsx name; every sheet, in order) or
// CSV text, whose encoding is decided as DecodeText decides it (a BOM, else
// UTF-8 when the whole file is valid UTF-8, else GB18030) by a first pass
// over the file before the second one reads it. fn gets each non-blank
// row with its sheet (the file's base name for CSV) and 1-based row
// number; an error from fn stops the scan and is returned.
func ScanRecords(name string, r io.ReadSeeker, fn func(sheet string, rec Record) error) (RecordFormat, error) {
	var magic [4]byte
	n, _ := io.ReadFull(r, magic[:])
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return RecordFormat{}, fmt.Errorf("%s: %w", name, err)
	}
	if bytes.HasPrefix(magic[:n], zipMagic) || strings.HasSuffix(strings.ToLower(name), ".xlsx") {
		return RecordFormat{XLSX: true}, scanXLSXRecords(name, r, fn)
	}
	enc, err := sniffEncoding(name, r)
	if err != nil {
		return RecordFormat{}, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return RecordFormat{}, fmt.Errorf("%s: %w", name, err)
	}
	var text io.Reader = bufio.NewReaderSize(r, 1<<16)
	switch enc {
	case UTF8:
		br := text.(*bufio.Reader)
		if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
			br.Discard(3)
		}
	case UTF16LE:
		text = transform.NewReader(text, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder())
	case UTF16BE:
		text = transform.NewReader(text, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	case GB18030:
		text = transform.NewReader(text, simplifiedchinese.GB18030.NewDecoder())
	}
	return RecordFormat{Encoding: enc}, scanCSVRecords(name, text, enc, fn)
}

// sniffEncoding decides a text file's encoding in one streaming pass.
func sniffEncoding(name string, r io.Reader) (Encoding, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		return UTF16LE, nil
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		return UTF16BE, nil
	}
	valid, err := validUTF8Stream(br)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	if valid {
		return UTF8, nil
	}
	return GB18030, nil
}

// validUTF8Stream reports whether everything r yields is valid UTF-8,
// reading it in chunks (a rune cut by a chunk's end is carried over).
func validUTF8Stream(r io.Reader) (bool, error) {
	buf := make([]byte, 1<<16+utf8.UTFMax)
	carry := 0
	for {
		n, err := r.Read(buf[carry : carry+1<<16])
		data := buf[:carry+n]
		cut := len(data)
		for i := len(data) - 1; i >= 0 && i >= len(data)-utf8.UTFMax; i-- {
			if utf8.RuneStart(data[i]) {
				if !utf8.FullRune(data[i:]) {
					cut = i
				}
				break
			}
		}
		if !utf8.Valid(data[:cut]) {
			return false, nil
		}
		carry = copy(buf, data[cut:])
		if errors.Is(err, io.EOF) {
			return carry == 0, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// scanCSVRecords parses decoded CSV text row by row (RFC 4180). In a file
// read as GB18030 a row with bytes GB18030 cannot decode either is an
// *EncodingError naming its line, as DecodeText refuses it.
func scanCSVRecords(name string, text io.Reader, enc Encoding, fn func(string, Record) error) error {
	sheet := filepath.Base(name)
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return fmt.Errorf("%s:%d: column %d: %v (a quote opened in line %d is not closed or is followed by text)",
					name, pe.Line, pe.Column, pe.Err, pe.StartLine)
			}
			return fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if enc == GB18030 && strings.Contains(strings.Join(rec, ""), "\ufffd") {
			return &EncodingError{File: name, Line: line}
		}
		if blankCells(rec) {
			continue
		}
		if err := fn(sheet, Record{Line: line, Fields: rec}); err != nil {
			return err
		}
	}
}

// scanXLSXRecords reads every sheet of a workbook row by row (excelize's
// row iterator, which streams the sheet's XML).
func scanXLSXRecords(name string, r io.Reader, fn func(string, Record) error) error {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return fmt.Errorf("%s: not a readable XLSX workbook: %w", name, err)
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		if err := scanSheet(name, f, sheet, fn); err != nil {
			return err
		}
	}
	return nil
}

func scanSheet(name string, f *excelize.File, sheet string, fn func(string, Record) error) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return fmt.Errorf("%s: sheet %q: %w", name, sheet, err)
	}
	defer rows.Close()
	for rowNum := 1; rows.Next(); rowNum++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return fmt.Errorf("%s: sheet %q row %d: %w", name, sheet, rowNum, err)
		}
		if blankCells(cells) {
			continue
		}
		if err := fn(sheet, Record{Line: rowNum, Fields: cells}); err != nil {
			return err
		}
	}
	if err := rows.Error(); err != nil {
		return fmt.Errorf("%s: sheet %q: %w", name, sheet, err)
	}
	return nil
}
