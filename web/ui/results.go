package ui

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// resultPage is the largest page platform.Service.ListResults returns.
const resultPage = 1000

// levelRows returns the result rows of one level of a cycle's latest run
// for the given pilots (every node of that level for each), page by page.
// Callers name the pilots they show — a page of a ranking, one pilot — so
// the service reads only those pilots' values.
func (h *Handler) levelRows(ctx context.Context, cycleID int64, level int, pilotIDs []int64) ([]platform.ResultRow, error) {
	var out []platform.ResultRow
	if len(pilotIDs) == 0 {
		return out, nil
	}
	for {
		rows, total, err := h.svc.ListResults(ctx, platform.ResultFilter{CycleID: cycleID, Level: level, PilotIDs: pilotIDs,
			Limit: resultPage, Offset: len(out)})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// nodeColumn is one indicator heading a column or row of scores.
type nodeColumn struct {
	Code  string
	Name  string
	Level int
}

// nodeColumns lists the distinct codes of rows in order of first
// appearance, named from fw (which may be nil) in lang.
func nodeColumns(rows []platform.ResultRow, fw *framework.Framework, lang string) []nodeColumn {
	var out []nodeColumn
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r.Code] {
			continue
		}
		seen[r.Code] = true
		out = append(out, nodeColumn{Code: r.Code, Name: indicatorName(fw, r.Code, lang), Level: r.Level})
	}
	return out
}

// indicatorName is the indicator's name in lang, or "" when fw is nil or
// lacks the code.
func indicatorName(fw *framework.Framework, code, lang string) string {
	if fw == nil {
		return ""
	}
	if ind := fw.Lookup(code); ind != nil {
		return ind.Name.In(lang)
	}
	return ""
}

// cycleFramework returns the cycle's framework, or nil when this sceval
// does not have it: the pages then show codes without names.
func (h *Handler) cycleFramework(ctx context.Context, c platform.Cycle) *framework.Framework {
	fw, err := h.svc.CycleFramework(ctx, c.ID) // exactly its version, built in or published
	if err != nil {
		h.logger.WarnContext(ctx, "ui: framework of cycle", "cycle", c.ID, "framework", c.FrameworkID, "err", err)
		return nil
	}
	return fw
}

// mostStars is the largest star rating of the thresholds (3 when none).
func mostStars(ts []engine.StarThreshold) int {
	most := 0
	for _, t := range ts {
		most = max(most, t.Stars)
	}
	if most == 0 {
		return 3
	}
	return most
}

// defaultThresholds reports whether ts are sceval's default thresholds.
func defaultThresholds(ts []engine.StarThreshold) bool {
	return slices.Equal(ts, engine.DefaultStarThresholds())
}

// regionLabel is the region's name chain, province first ("河北省 石家庄市"),
// or the code itself when the registry does not know it.
func (h *Handler) regionLabel(code string) string {
	if h.regions == nil {
		return code
	}
	reg, ok := h.regions.Resolve(code)
	if !ok {
		return code
	}
	var names []string
	for _, r := range h.regions.Chain(reg.Code) {
		names = append(names, r.Name)
	}
	return strings.Join(names, " ")
}

// pathID reads the numeric {id} of the path; ok is false when it is not a
// positive integer (the page then answers 404, as for an unknown id).
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}
