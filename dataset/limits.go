package dataset

import "fmt"

// Limits that keep a hostile or broken file from exhausting memory. Every
// reader allocates in proportion to the data actually present, and refuses
// input that no genuine data file needs, naming the limit.
const (
	// MaxColumns is the most columns a data row may have: Excel's own limit
	// (column XFD), so any table a spreadsheet can hold fits. A cell
	// reference beyond it ("ZZZZZZZ2") or a CSV line with more cells is
	// refused rather than padded.
	MaxColumns = 16384
	// DefaultMaxInflated is how many bytes one part of an XLSX package
	// (a worksheet, the shared strings) may inflate to, unless
	// ReadOptions.MaxInflated says otherwise. The national data set
	// (41,352 units × 57 indicators) is a sheet of about 100 MB; a "zip
	// bomb" of a few MB that inflates to gigabytes is refused.
	DefaultMaxInflated int64 = 512 << 20
)

// LimitError says that a file exceeds one of the reader's limits. Raise
// tells the user how to raise the limit, or why it cannot be raised.
type LimitError struct {
	File  string
	What  string // what exceeded the limit, e.g. `row 2 has more than 16384 cells`
	Raise string
}

// Error names the file, what exceeded which limit and how to raise it.
func (e *LimitError) Error() string {
	return fmt.Sprintf("%s: %s (%s)", e.File, e.What, e.Raise)
}

// columnLimitError refuses a row with more cells than MaxColumns.
func columnLimitError(file string, row int) *LimitError {
	return &LimitError{File: file, What: fmt.Sprintf("row %d has more than %d cells", row, MaxColumns),
		Raise: fmt.Sprintf("%d is Excel's column limit, the most a data table can have; check the separator or split the file", MaxColumns)}
}

// inflateLimitError refuses an XLSX part that inflates beyond limit bytes.
func inflateLimitError(file, part string, limit int64) *LimitError {
	raise := "if the workbook is genuine, raise the limit with --max-xlsx-mb"
	if limit == maxIndexPart {
		raise = "a workbook's sheet list is never this large: the file is damaged"
	}
	return &LimitError{File: file, What: fmt.Sprintf("part %s of the workbook inflates to more than %d MiB", part, limit>>20), Raise: raise}
}

// maxInflated returns the effective limit on an XLSX part's inflated size.
func (o *ReadOptions) maxInflated() int64 {
	if o.MaxInflated > 0 {
		return o.MaxInflated
	}
	return DefaultMaxInflated
}
