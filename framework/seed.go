package framework

import (
	"fmt"
	"strconv"
	"strings"
)

// SeedIndicator is one indicator of the MOHURD 2012 seed text, with the
// positional code sceval gives it.
type SeedIndicator struct {
	// Code is positional: "1"–"4" for first-level indicators, "1.1" for the
	// first second-level indicator under "1", "1.1.1" for the first
	// third-level indicator under "1.1", numbered in the seed's order.
	Code string
	// Level is 1, 2 or 3.
	Level int
	// ParentCode is "" for first-level indicators.
	ParentCode string
	// NameZh is the name exactly as in the seed.
	NameZh string
	// DefinitionZh is the third-level indicator's definition (指标说明)
	// exactly as in the seed, trailing spaces included; "" for first- and
	// second-level indicators, which have none in the seed.
	DefinitionZh string
}

// seedHeader is the seed table's header row, one column a line.
var seedHeader = [4]string{"一级指标", "二级指标", "三级指标", "指标说明"}

// ParseSeedText parses the text of the MOHURD 2012 pilot indicator system
// (住房城乡建设部办公厅关于开展国家智慧城市试点工作的通知, 建办科〔2012〕42号,
// Attachment 2) as stored in the seed file, and returns its indicators in
// pre-order (1, 1.1, 1.1.1, 1.1.2, …).
//
// The text is a table flattened one cell a line. A preamble of lines not
// starting with a tab (the attachment label and the title) comes first. Then
// come records separated by empty lines; a record is one table row of four
// lines, each a tab followed by the cell's text: first-level name,
// second-level name, third-level name and definition. An empty first- or
// second-level cell continues the indicator above it. The first record is the
// header row (一级指标, 二级指标, 三级指标, 指标说明).
//
// Cell text is kept byte for byte (including trailing spaces); only the
// line terminator ("\n" or "\r\n") and the single leading tab are removed.
// Anything else — a stray line, a record of another size, a missing name or
// definition, a tab inside a cell — is an error naming the line.
func ParseSeedText(text string) ([]SeedIndicator, error) {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}

	// Preamble: everything before the first tab-indented line.
	start := 0
	for start < len(lines) && !strings.HasPrefix(lines[start], "\t") {
		if strings.ContainsRune(lines[start], '\t') {
			return nil, fmt.Errorf("seed line %d: tab inside a preamble line", start+1)
		}
		start++
	}
	if start == len(lines) {
		return nil, fmt.Errorf("seed: no table found (no tab-indented line)")
	}

	var (
		out              []SeedIndicator
		first, second    int // current first- and second-level position
		third            int // third-level position within the current second level
		sawHeader        bool
		firstIdx, secIdx = -1, -1
	)
	for i := start; i < len(lines); {
		if lines[i] == "" {
			i++
			continue
		}
		// A record: consecutive non-empty lines.
		j := i
		for j < len(lines) && lines[j] != "" {
			j++
		}
		cells, err := seedRecordCells(lines[i:j], i+1)
		if err != nil {
			return nil, err
		}
		if !sawHeader {
			if cells != seedHeader {
				return nil, fmt.Errorf("seed line %d: header row %q, want %q", i+1, cells[:], seedHeader[:])
			}
			sawHeader = true
			i = j
			continue
		}
		name1, name2, name3, def := cells[0], cells[1], cells[2], cells[3]
		switch {
		case name3 == "":
			return nil, fmt.Errorf("seed line %d: empty third-level name", i+3)
		case def == "":
			return nil, fmt.Errorf("seed line %d: empty definition of %q", i+4, name3)
		case name1 != "" && name2 == "":
			return nil, fmt.Errorf("seed line %d: first-level indicator %q without a second-level indicator", i+1, name1)
		case name1 == "" && firstIdx < 0:
			return nil, fmt.Errorf("seed line %d: first row has no first-level indicator", i+1)
		}
		if name1 != "" {
			first++
			second = 0
			firstIdx = len(out)
			out = append(out, SeedIndicator{Code: strconv.Itoa(first), Level: 1, NameZh: name1})
		}
		if name2 != "" {
			second++
			third = 0
			secIdx = len(out)
			parent := out[firstIdx].Code
			out = append(out, SeedIndicator{
				Code:       parent + "." + strconv.Itoa(second),
				Level:      2,
				ParentCode: parent,
				NameZh:     name2,
			})
		}
		third++
		parent := out[secIdx].Code
		out = append(out, SeedIndicator{
			Code:         parent + "." + strconv.Itoa(third),
			Level:        3,
			ParentCode:   parent,
			NameZh:       name3,
			DefinitionZh: def,
		})
		i = j
	}
	if !sawHeader {
		return nil, fmt.Errorf("seed: no header row")
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("seed: no indicators after the header row")
	}
	return out, nil
}

// seedRecordCells checks that a record has four tab-prefixed lines and
// returns their cells. lineNo is the 1-based line number of the record's
// first line.
func seedRecordCells(record []string, lineNo int) ([4]string, error) {
	var cells [4]string
	if len(record) != len(cells) {
		return cells, fmt.Errorf("seed line %d: record of %d lines, want %d (one cell a line)", lineNo, len(record), len(cells))
	}
	for k, l := range record {
		cell, ok := strings.CutPrefix(l, "\t")
		if !ok {
			return cells, fmt.Errorf("seed line %d: cell does not start with a tab", lineNo+k)
		}
		if strings.ContainsRune(cell, '\t') {
			return cells, fmt.Errorf("seed line %d: tab inside a cell", lineNo+k)
		}
		cells[k] = cell
	}
	return cells, nil
}
