package framework

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/sceval/sceval/termtable"
)

// renderTable writes one row per indicator (code, level, name, kind,
// direction, weight, effective weight) in columns aligned by display width;
// numbers are right-aligned.
func renderTable(w io.Writer, f *Framework, lang string) error {
	rs := rows(f)
	header := []string{tr(lang, "代码", "code"), tr(lang, "层级", "level"), tr(lang, "名称", "name"),
		tr(lang, "类型", "kind"), tr(lang, "方向", "direction"), tr(lang, "权重", "weight"), tr(lang, "全局权重", "effective")}
	rightAligned := []bool{false, true, false, false, true, true, true}
	var cells [][]string
	for _, r := range rs {
		kind, dir := "", ""
		if r.ind.IsLeaf() {
			kind = kindLabel(r.ind.Kind, lang) + strings.TrimSpace(mark(r.ind, "kind"))
			dir = "+1"
			if r.ind.Sign() < 0 {
				dir = "-1"
			}
		}
		cells = append(cells, []string{r.ind.Code, strconv.Itoa(r.level), r.ind.Name.In(lang), kind, dir,
			formatWeight(r.weight) + mark(r.ind, "weight"), formatWeight(r.effective)})
	}
	bw := bufio.NewWriter(w)
	table := termtable.Table{Header: header, Right: rightAligned, Rows: cells}
	if _, err := table.WriteTo(bw); err != nil {
		return err
	}
	if anyDefault(rs, "weight", "kind") {
		bw.WriteString("\n" + defaultFootnote + "\n")
	}
	return bw.Flush()
}
