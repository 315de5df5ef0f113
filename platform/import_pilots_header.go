package platform

import (
	"fmt"
	"strconv"
	"strings"
)

// pilotHeaders maps the header names a pilot file may use, in English or
// Chinese, to its columns.
var pilotHeaders = map[string]string{
	"region_code": "region_code", "行政区划代码": "region_code", "区划代码": "region_code", "代码": "region_code",
	"name": "name", "名称": "name",
	"batch": "batch", "批次": "batch",
	"type": "type", "类型": "type",
	"status": "status", "状态": "status",
}

// requiredPilotColumns must be in every pilot file's header; status is
// optional (default active).
var requiredPilotColumns = []string{"region_code", "name", "batch", "type"}

// lastColumn is the key under which pilotHeader stores the header's last
// column index.
const lastColumn = "\x00last"

// pilotHeader maps each column to its index, refusing unknown, repeated
// and missing columns.
func pilotHeader(rec record) (map[string]int, error) {
	cols := map[string]int{}
	var problems []string
	last := -1
	for i, h := range rec.Fields {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if h == "" {
			continue
		}
		last = i
		col, ok := pilotHeaders[h]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("column %d %q is not a pilot column", i+1, h))
		case hasColumn(cols, col):
			problems = append(problems, fmt.Sprintf("column %d %q repeats column %d", i+1, h, cols[col]+1))
		default:
			cols[col] = i
		}
	}
	for _, c := range requiredPilotColumns {
		if !hasColumn(cols, c) {
			problems = append(problems, "column "+c+" is missing")
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("header: %s; the columns are region_code (行政区划代码), name (名称), batch (批次), "+
			"type (类型) and optionally status (状态), in any order", strings.Join(problems, "; "))
	}
	cols[lastColumn] = last
	return cols, nil
}

func hasColumn(cols map[string]int, col string) bool {
	_, ok := cols[col]
	return ok
}

// pilotTypeNames are the Chinese names of the pilot types.
var pilotTypeNames = map[string]PilotType{
	"城市": PilotCity, "市": PilotCity,
	"区": PilotDistrict, "县": PilotDistrict, "区县": PilotDistrict, "县区": PilotDistrict,
	"镇": PilotTown, "乡镇": PilotTown, "街道": PilotTown,
}

// pilotTypeName returns the English type of a type written either way.
func pilotTypeName(s string) string {
	if t, ok := pilotTypeNames[s]; ok {
		return string(t)
	}
	return strings.ToLower(s)
}

// pilotStatusNames are the Chinese names of the pilot statuses.
var pilotStatusNames = map[string]PilotStatus{
	"正常": PilotActive, "创建中": PilotActive, "已完成": PilotCompleted, "已验收": PilotCompleted,
	"暂停": PilotSuspended, "退出": PilotWithdrawn, "撤销": PilotWithdrawn,
}

// pilotStatusName returns the English status of a status written either way.
func pilotStatusName(s string) string {
	if st, ok := pilotStatusNames[s]; ok {
		return string(st)
	}
	return strings.ToLower(s)
}

// importProblems collects the problems of an import, at most
// maxImportProblems.
type importProblems struct {
	file    string
	items   []ErrorDetail
	dropped int
	// codes are the problems' Error codes: the error has the code they
	// share, else bad_value.
	codes map[string]bool
}

// add records a problem at a line (0: the file as a whole) with its Error
// code.
func (p *importProblems) add(line int, field, code, format string, args ...any) {
	if p.codes == nil {
		p.codes = map[string]bool{}
	}
	p.codes[code] = true
	if len(p.items) == maxImportProblems {
		p.dropped++
		return
	}
	p.items = append(p.items, ErrorDetail{Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns nil without problems, else one Invalid error whose message
// names the file, the count and the first problems, with every problem in
// Details.
func (p *importProblems) err() error {
	if len(p.items) == 0 {
		return nil
	}
	var b strings.Builder
	n := len(p.items) + p.dropped
	if n == 1 {
		b.WriteString(p.file)
	} else {
		fmt.Fprintf(&b, "%s: %d problems, nothing imported", p.file, n)
	}
	for i, it := range p.items[:min(len(p.items), 5)] {
		if n > 1 || i > 0 {
			b.WriteString("\n")
			b.WriteString(p.file)
		}
		if it.Line > 0 {
			b.WriteString(":" + strconv.Itoa(it.Line))
		}
		b.WriteString(": " + it.Message)
	}
	if n > 5 {
		fmt.Fprintf(&b, "\n… and %d more (see details)", n-5)
	}
	if p.dropped > 0 {
		fmt.Fprintf(&b, " (the first %d are listed)", len(p.items))
	}
	field := "file"
	if n == 1 && p.items[0].Field != "" {
		field = p.items[0].Field
	}
	code := CodeBadValue
	if len(p.codes) == 1 {
		for c := range p.codes {
			code = c
		}
	}
	return &Error{Kind: Invalid, Code: code, Field: field, Message: b.String(), Details: p.items}
}
