package ui

import "net/http"

// resultRoutes registers the cycle results pages, the public site and the cycle summary.
func (h *Handler) resultRoutes(mux *http.ServeMux) {}

// resultNav is the navigation of the cycle results pages, the public site and the cycle summary that the request's identity may use.
func (h *Handler) resultNav(r *http.Request, l catalogue) []navItem { return nil }

// resultPages are the templates of the cycle results pages, the public site and the cycle summary (templates/<name>.html).
var resultPages = []string{}
