package dataset

import (
	"strconv"
	"strings"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/xuri/excelize/v2"
)

// nodeNames returns each node's names: the framework's name at the root,
// the indicator's name elsewhere; empty without a framework.
func nodeNames(res *engine.Result, ctx *XLSXContext) []framework.Text {
	names := make([]framework.Text, len(res.Nodes))
	if ctx == nil || ctx.Framework == nil {
		return names
	}
	fw := ctx.Framework
	byCode := map[string]framework.Text{}
	fw.Walk(func(ind, _ *framework.Indicator, _ int) bool {
		byCode[ind.Code] = ind.Name
		return true
	})
	for k, n := range res.Nodes {
		if k == 0 {
			names[k] = fw.Name
		} else {
			names[k] = byCode[n.Code]
		}
	}
	return names
}

// indicators writes one row per node: code, level, parent, names, the
// sibling weight used and the effective weight.
func (x *xlsxResult) indicators(sw *excelize.StreamWriter) error {
	res := x.res
	if err := setRow(sw, 1, []any{"code", "level", "parent", "name_zh", "name_en", "weight", "effective_weight"}); err != nil {
		return err
	}
	for k, n := range res.Nodes {
		parent := ""
		if n.Parent >= 0 {
			parent = res.Nodes[n.Parent].Code
		}
		row := []any{n.Code, n.Level, parent, x.names[k].Zh, x.names[k].En, cellNumber(at(res.Weights, k)), cellNumber(at(res.EffectiveWeights, k))}
		if err := setRow(sw, k+2, row); err != nil {
			return err
		}
	}
	return nil
}

// notes writes what produced the numbers: framework, scheme, result hash,
// generator, units, attributes, and every warning of the run.
func (x *xlsxResult) notes(sw *excelize.StreamWriter) error {
	res, ctx := x.res, x.ctx
	if ctx == nil {
		ctx = &XLSXContext{}
	}
	rows := [][]any{{"item", "value"}}
	fwName, fwVersion := "", ""
	if ctx.Framework != nil {
		fwName, fwVersion = ctx.Framework.Name.Zh+" / "+ctx.Framework.Name.En, ctx.Framework.Version
	}
	rows = append(rows,
		[]any{"framework 指标体系", res.FrameworkID},
		[]any{"framework name", fwName},
		[]any{"framework version", fwVersion},
		[]any{"scheme 评分方案", ctx.Scheme},
		[]any{"scheme (canonical JSON)", cellText(string(ctx.SchemeJSON))},
		[]any{"result hash (SHA-256)", res.Hash},
		[]any{"units 单元数", len(res.Units)},
		[]any{"attribute columns", strings.Join(x.attrNames, ", ")},
		[]any{"written by", ctx.Generator},
	)
	for i, w := range res.Warnings {
		rows = append(rows, []any{"warning " + strconv.Itoa(i+1), cellText(w)})
	}
	for r, row := range rows {
		if err := setRow(sw, r+1, row); err != nil {
			return err
		}
	}
	return nil
}

// cellText cuts s to Excel's limit of 32,767 characters a cell.
func cellText(s string) string {
	const limit = 32767
	if r := []rune(s); len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return s
}
