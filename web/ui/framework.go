package ui

import (
	"net/http"

	"github.com/sceval/sceval/framework"
)

// levelCount is the number of indicators at one level of a framework.
type levelCount struct {
	Name string
	N    int
}

// indicatorRow is one indicator of the tree, flattened in file order.
type indicatorRow struct {
	Code, Name, Definition string
	Level                  int
	Leaf                   bool
	Kind                   framework.Kind
	Unit                   string
	Direction              int
	// Weight is among siblings; Effective is the product of the weights on
	// the path from the top.
	Weight, Effective float64
	// Defaults names the fields that are sceval's assumptions.
	Defaults []string
}

// frameworkData is the content of the framework page.
type frameworkData struct {
	page
	ID, Version, Name, Source, Notes string
	Levels                           []levelCount
	Rows                             []indicatorRow
}

// framework renders GET /frameworks/{id}.
func (h *Handler) framework(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	id, version := r.PathValue("id"), r.URL.Query().Get("version")
	f, err := h.frameworks.Framework(id)
	if err != nil || (version != "" && version != f.Version) {
		// A published framework, or another version of a built-in one.
		f, err = h.svc.GetFramework(r.Context(), id, version)
	}
	if err != nil {
		h.fail(w, r, pg, err, pg.L.F("error.no_framework", r.PathValue("id")))
		return
	}
	f = f.Resolved()
	pg.Title = f.Name.In(pg.Lang)
	data := frameworkData{page: pg, ID: f.ID, Version: f.Version, Name: f.Name.In(pg.Lang),
		Source: f.Source.In(pg.Lang), Notes: f.Notes.In(pg.Lang)}
	for i, n := range f.CountByLevel() {
		name := ""
		if i < len(f.Levels) {
			name = f.Levels[i].In(pg.Lang)
		}
		data.Levels = append(data.Levels, levelCount{Name: name, N: n})
	}
	effective := f.EffectiveWeights()
	f.Walk(func(ind, _ *framework.Indicator, level int) bool {
		row := indicatorRow{Code: ind.Code, Name: ind.Name.In(pg.Lang), Definition: ind.Definition.In(pg.Lang),
			Level: level, Leaf: ind.IsLeaf(), Kind: ind.Kind, Unit: ind.Unit, Direction: ind.Direction,
			Effective: effective[ind.Code], Defaults: ind.Defaults}
		if ind.Weight != nil {
			row.Weight = *ind.Weight
		}
		data.Rows = append(data.Rows, row)
		return true
	})
	h.render(w, r, http.StatusOK, "framework", data)
}
