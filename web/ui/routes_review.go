package ui

import "net/http"

// reviewRoutes registers the province's and ministry's review queues and the expert's scoring pages.
func (h *Handler) reviewRoutes(mux *http.ServeMux) {}

// reviewNav is the navigation of the province's and ministry's review queues and the expert's scoring pages that the request's identity may use.
func (h *Handler) reviewNav(r *http.Request, l catalogue) []navItem { return nil }

// reviewPages are the templates of the province's and ministry's review queues and the expert's scoring pages (templates/<name>.html).
var reviewPages = []string{}
