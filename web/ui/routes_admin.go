package ui

import "net/http"

// adminRoutes registers the administration and account pages.
func (h *Handler) adminRoutes(mux *http.ServeMux) {}

// adminNav is the navigation of the administration and account pages that the request's identity may use.
func (h *Handler) adminNav(r *http.Request, l catalogue) []navItem { return nil }

// adminPages are the templates of the administration and account pages (templates/<name>.html).
var adminPages = []string{}
