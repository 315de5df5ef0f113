package ui

import "net/http"

// scorecardRoutes registers the pilot scorecard page and report.
func (h *Handler) scorecardRoutes(mux *http.ServeMux) {}

// scorecardNav is the navigation of the pilot scorecard page and report that the request's identity may use.
func (h *Handler) scorecardNav(r *http.Request, l catalogue) []navItem { return nil }

// scorecardPages are the templates of the pilot scorecard page and report (templates/<name>.html).
var scorecardPages = []string{}
