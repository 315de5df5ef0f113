package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// rejectUnknownQuery is a huma middleware that answers 400 (code
// "unknown_parameter") when the query string names a parameter the
// operation does not document: a misspelt or unsupported filter
// (?provnce=32, ?province on an endpoint without it) would otherwise be
// silently ignored and the client would take an unfiltered answer for a
// filtered one.
func rejectUnknownQuery(ctx huma.Context, next func(huma.Context)) {
	op := ctx.Operation()
	if op == nil {
		next(ctx)
		return
	}
	var unknown []string
	u := ctx.URL()
	for name := range u.Query() {
		if !documentedQuery(op, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		next(ctx)
		return
	}
	slices.Sort(unknown)
	var known []string
	for _, p := range op.Parameters {
		if p != nil && p.In == "query" {
			known = append(known, p.Name)
		}
	}
	msg := fmt.Sprintf("unknown query parameter %s", strings.Join(unknown, ", "))
	if len(known) > 0 {
		msg += fmt.Sprintf(" (this endpoint takes %s)", strings.Join(known, ", "))
	} else {
		msg += " (this endpoint takes none)"
	}
	ctx.SetHeader("Content-Type", "application/json")
	ctx.SetStatus(http.StatusBadRequest)
	_ = json.NewEncoder(ctx.BodyWriter()).Encode(ErrorResponse{Error: ErrorBody{
		Code: "unknown_parameter", Message: msg, Field: unknown[0]}})
}

// documentedQuery reports whether op documents the query parameter name.
func documentedQuery(op *huma.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p != nil && p.In == "query" && p.Name == name {
			return true
		}
	}
	return false
}
