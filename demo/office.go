package demo

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// statisticsXLSX is a spreadsheet of a submission's quantitative entries
// (code, indicator, value, unit), marked fictional, without the pilot's
// name.
func statisticsXLSX(sub platform.Submission, fw *framework.Framework) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	rows := [][]any{{"【演示数据，虚构】"}, {"代码", "指标", "数值", "单位"}}
	for _, e := range sub.Entries {
		leaf := fw.Lookup(e.Code)
		if e.Value == nil || leaf == nil {
			continue
		}
		rows = append(rows, []any{e.Code, leaf.Name.Zh, *e.Value, e.Unit})
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return nil, fmt.Errorf("demo spreadsheet row %d: %w", i+1, err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("demo spreadsheet: %w", err)
	}
	return b.Bytes(), nil
}

// docxParts are the three parts a WordprocessingML package needs (ECMA-376
// Part 1 §11.3.10 and Part 2 §9): the content types, the package
// relationship to the main document, and the document.
const (
	docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`</Types>`
	docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`</Relationships>`
	docxDocument = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>`
)

// minimalDOCX returns a valid one-paragraph Word document showing text.
func minimalDOCX(text string) []byte {
	var esc bytes.Buffer
	// Escaping into a bytes.Buffer cannot fail.
	_ = xml.EscapeText(&esc, []byte(text))
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"word/document.xml", fmt.Sprintf(docxDocument, esc.String())},
	} {
		// Writing to an in-memory zip cannot fail.
		w, _ := z.Create(part.name)
		_, _ = w.Write([]byte(part.body))
	}
	_ = z.Close()
	return b.Bytes()
}
