package ui

import "net/http"

// entryRoutes registers the pilot's data-entry pages (填报).
func (h *Handler) entryRoutes(mux *http.ServeMux) {}

// entryNav is the navigation of the pilot's data-entry pages (填报) that the request's identity may use.
func (h *Handler) entryNav(r *http.Request, l catalogue) []navItem { return nil }

// entryPages are the templates of the pilot's data-entry pages (填报) (templates/<name>.html).
var entryPages = []string{}
