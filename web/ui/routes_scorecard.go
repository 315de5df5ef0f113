package ui

import "net/http"

// scorecardRoutes registers the pilot scorecard page and its report:
//
//	GET /pilots/{id}/scorecard?cycle=ID        the page (default cycle: the
//	                                           newest published, else the
//	                                           newest computed one)
//	GET /pilots/{id}/scorecard.html?cycle=ID   the self-contained report
//	GET /pilots/{id}/scorecard.pdf?cycle=ID    the same as PDF (Chromium)
func (h *Handler) scorecardRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /pilots/{id}/scorecard", h.scorecard)
	mux.HandleFunc("GET /pilots/{id}/scorecard.html", h.scorecardHTML)
	mux.HandleFunc("GET /pilots/{id}/scorecard.pdf", h.scorecardPDF)
}

// scorecardNav is the navigation of the pilot scorecard page and report
// that the request's identity may use: none of its own — a scorecard is
// reached from a pilot's page and from the rankings.
func (h *Handler) scorecardNav(r *http.Request, l catalogue) []navItem { return nil }

// scorecardPages are the templates of the pilot scorecard page and report (templates/<name>.html).
var scorecardPages = []string{"scorecard"}
