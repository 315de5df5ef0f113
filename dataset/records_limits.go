package dataset

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Limits of OpenXLSX (the workbooks read with excelize: record files such as
// pilot lists). excelize's own defaults let a package inflate to 16 GB, so
// a few megabytes of zip bomb could fill the memory or the disk.
const (
	// MaxRecordsInflated is the most one part of such a workbook may
	// inflate to, and MaxRecordsTotal the whole package: a list of all
	// 41,352 towns is a sheet of a few MB.
	MaxRecordsInflated int64 = 128 << 20
	MaxRecordsTotal    int64 = 256 << 20
	// MaxSharedStrings bounds the shared-strings table, which excelize
	// holds in memory as a whole (several times its XML size).
	MaxSharedStrings int64 = 64 << 20
)

// OpenXLSX opens a workbook held in memory with excelize after checking,
// from the zip directory, that no part inflates beyond MaxRecordsInflated
// (shared strings: MaxSharedStrings) and the package beyond
// MaxRecordsTotal; excelize is told the same limits. Every part is
// inflated once first: archive/zip stops one whose data goes beyond its
// declared size (or fails its checksum), which excelize would read
// truncated without a word. A workbook over a limit is refused with a
// *LimitError naming the part.
func OpenXLSX(name string, b []byte) (*excelize.File, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", name, err)
	}
	var total uint64
	for _, f := range zr.File {
		limit := MaxRecordsInflated
		if f.Name == "xl/sharedStrings.xml" {
			limit = MaxSharedStrings
		}
		if f.UncompressedSize64 > uint64(limit) {
			return nil, &LimitError{File: name, What: fmt.Sprintf("part %s of the workbook inflates to more than %d MiB", f.Name, limit>>20),
				Raise: "a genuine list is far smaller: split the file, or save it as CSV"}
		}
		total += f.UncompressedSize64
	}
	if total > uint64(MaxRecordsTotal) {
		return nil, &LimitError{File: name, What: fmt.Sprintf("the workbook inflates to more than %d MiB", MaxRecordsTotal>>20),
			Raise: "a genuine list is far smaller: split the file, or save it as CSV"}
	}
	for _, f := range zr.File {
		if err := checkPart(f); err != nil {
			return nil, fmt.Errorf("%s: part %s of the workbook is damaged: %w", name, f.Name, err)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: MaxRecordsTotal, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable XLSX workbook: %w", name, err)
	}
	return f, nil
}

// checkPart inflates a zip entry, discarding it, to find a size that lies or
// a checksum that fails (archive/zip reports both; at most the declared
// size, already checked against the limits, is inflated).
func checkPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}
