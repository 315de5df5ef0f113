package ui

import "net/http"

// resultRoutes registers the cycle results pages, the public site and the
// cycle summary report:
//
//	GET /cycles/{id}/results          ranking with filters, charts and map
//	GET /cycles/{id}/compare          method comparison (ministry)
//	GET /cycles/{id}/uncertainty      rank intervals (ministry)
//	GET /cycles/{id}/report           summary report (?format=html|pdf&province=)
//	GET /public/                      published cycles
//	GET /public/cycles/{id}           a published cycle's results
//	GET /public/cycles/{id}/report    its summary report as the public sees it
//
// With Options.MapGeoJSON the configured map replaces the vendored one at
// the URL app.js fetches it from.
func (h *Handler) resultRoutes(mux *http.ServeMux) {
	h.chinaMap = h.loadChinaMap()
	mux.HandleFunc("GET /cycles/{id}/results", h.resultsPage)
	mux.HandleFunc("GET /cycles/{id}/compare", h.compare)
	mux.HandleFunc("GET /cycles/{id}/uncertainty", h.uncertainty)
	mux.HandleFunc("GET /cycles/{id}/report", h.cycleReport)
	mux.HandleFunc("GET /public/{$}", h.publicIndex)
	mux.HandleFunc("GET /public", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/public/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /public/cycles/{id}", h.publicCycle)
	mux.HandleFunc("GET /public/cycles/{id}/report", h.publicReport)
	if h.opts.MapGeoJSON != "" {
		mux.HandleFunc("GET /"+vendoredMap, h.serveChinaMap)
	}
}

// resultNav is the navigation of the results area: the public site, for
// everyone.
func (h *Handler) resultNav(r *http.Request, l catalogue) []navItem {
	return []navItem{{Label: l.T("result.nav_public"), Href: "/public/"}}
}

// resultPages are the templates of the results area (templates/<name>.html).
var resultPages = []string{"result_cycle", "result_public", "result_compare", "result_uncertainty"}
