package platform

import (
	"strconv"
	"strings"

	"github.com/sceval/sceval/dataset"
)

// The columns of an entries workbook or CSV file (template, bulk file,
// import). Headers are matched by name, in any order and case; the
// template writes the Chinese name.
const (
	ColPilotID    = "pilot_id"
	ColPilot      = "pilot"
	ColRegion     = "region_code"
	ColCode       = "code"
	ColName       = "name"
	ColDefinition = "definition"
	ColUnit       = "unit"
	ColKind       = "kind"
	ColValue      = "value"
	ColLevel      = "level"
	ColNarrative  = "narrative"
	ColNA         = "not_applicable"
)

// EntryColumn is one column of an entries file: its key, the header the
// template writes, and whether the import reads it (the others are for
// the reader's information).
type EntryColumn struct {
	Key    string
	Header string
	Input  bool
}

// EntryColumns are the template's columns in order.
var EntryColumns = []EntryColumn{
	{ColPilotID, "试点ID", true}, {ColPilot, "试点", false}, {ColRegion, "区划代码", false},
	{ColCode, "指标代码", true}, {ColName, "指标名称", false}, {ColDefinition, "指标说明", false},
	{ColUnit, "单位", false}, {ColKind, "类型", false},
	{ColValue, "数值", true}, {ColLevel, "等级", true}, {ColNarrative, "填报说明", true}, {ColNA, "不适用", true},
}

// entryHeaderNames maps the accepted header names (Chinese or English,
// lower case) to column keys.
var entryHeaderNames = map[string]string{
	"试点id": ColPilotID, "试点编号": ColPilotID, "pilot_id": ColPilotID, "pilot id": ColPilotID,
	"试点": ColPilot, "试点名称": ColPilot, "pilot": ColPilot,
	"区划代码": ColRegion, "region_code": ColRegion,
	"指标代码": ColCode, "代码": ColCode, "code": ColCode,
	"指标名称": ColName, "名称": ColName, "name": ColName,
	"指标说明": ColDefinition, "定义": ColDefinition, "definition": ColDefinition,
	"单位": ColUnit, "unit": ColUnit, "类型": ColKind, "kind": ColKind,
	"数值": ColValue, "值": ColValue, "value": ColValue,
	"等级": ColLevel, "评分等级": ColLevel, "level": ColLevel,
	"填报说明": ColNarrative, "说明": ColNarrative, "narrative": ColNarrative,
	"不适用": ColNA, "not_applicable": ColNA, "n/a": ColNA,
}

// headerSearchRows is how many rows of a sheet may stand above its header
// (title rows), as the data readers allow.
const headerSearchRows = 10

// entryHeader maps the column keys of a header row to their 0-based
// indexes; ok is false unless it names the pilot ID, the code, the value,
// the level and the narrative (the not-applicable column is optional: its
// absence means "no"). A row's cells replace the whole entry, so a file
// without one of these columns would clear it.
func entryHeader(fields []string) (map[string]int, bool) {
	cols := map[string]int{}
	for i, h := range fields {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if k, ok := entryHeaderNames[h]; ok {
			if _, dup := cols[k]; !dup {
				cols[k] = i
			}
		}
	}
	_, pilot := cols[ColPilotID]
	_, code := cols[ColCode]
	inputs := 0
	for _, k := range []string{ColValue, ColLevel, ColNarrative} {
		if _, ok := cols[k]; ok {
			inputs++
		}
	}
	return cols, pilot && code && inputs == 3
}

// cellRef names a cell as a spreadsheet does: 数据!H7 (col 0-based).
func cellRef(sheet string, col, row int) string {
	return sheet + "!" + dataset.ColumnLetter(col+1) + strconv.Itoa(row)
}
