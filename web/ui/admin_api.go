package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// The API reference page is rendered on the server from the OpenAPI
// document: the npm viewers (swagger-ui-dist, redoc) inject inline styles
// (and swagger-ui data: images), which the pages' Content-Security-Policy
// (style-src 'self', img-src 'self') refuses — swagger-ui issue #10655
// (5.30.3, open) and #7540; redoc styles itself with styled-components'
// <style> elements. A server-rendered page needs no script at all.

// openAPIDoc is the part of an OpenAPI 3.1 document the reference shows.
type openAPIDoc struct {
	Info struct {
		Title       string `json:"title"`
		Version     string `json:"version"`
		Description string `json:"description"`
	} `json:"info"`
	Tags []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	} `json:"tags"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]*apiSchema `json:"schemas"`
	} `json:"components"`
}

// apiOperation is one operation of the document.
type apiOperation struct {
	OperationID string         `json:"operationId"`
	Summary     string         `json:"summary"`
	Description string         `json:"description"`
	Tags        []string       `json:"tags"`
	Parameters  []apiParameter `json:"parameters"`
	RequestBody *struct {
		Required bool                       `json:"required"`
		Content  map[string]apiMediaContent `json:"content"`
	} `json:"requestBody"`
	Responses map[string]struct {
		Description string                     `json:"description"`
		Content     map[string]apiMediaContent `json:"content"`
	} `json:"responses"`
	// Filled in for the page.
	Method, Path string
	Body         string
	BodyModel    string
	Results      []apiResponse
}

// apiParameter is a path, query, header or cookie parameter.
type apiParameter struct {
	Name        string     `json:"name"`
	In          string     `json:"in"`
	Required    bool       `json:"required"`
	Description string     `json:"description"`
	Schema      *apiSchema `json:"schema"`
}

// Type names the parameter's type.
func (p apiParameter) Type() string { return schemaType(p.Schema) }

// apiMediaContent is one media type of a body.
type apiMediaContent struct {
	Schema *apiSchema `json:"schema"`
}

// apiResponse is one status of an operation as the page shows it.
type apiResponse struct {
	Status, Description, Schema string
	// Model is the named schema of the body, linked to its description.
	Model string
}

// apiSchema is a JSON Schema, as far as the reference describes it.
type apiSchema struct {
	Ref         string                `json:"$ref"`
	Type        any                   `json:"type"`
	Format      string                `json:"format"`
	Description string                `json:"description"`
	Items       *apiSchema            `json:"items"`
	Enum        []any                 `json:"enum"`
	Properties  map[string]*apiSchema `json:"properties"`
	Required    []string              `json:"required"`
	Minimum     *float64              `json:"minimum"`
	Maximum     *float64              `json:"maximum"`
	MaxLength   *int                  `json:"maxLength"`
}

// apiGroup is the operations of one tag.
type apiGroup struct {
	Name, Description string
	Operations        []*apiOperation
}

// apiModel is a named schema with its properties.
type apiModel struct {
	Name, Description string
	Fields            []apiField
}

// apiField is one property of a model.
type apiField struct {
	Name, Type, Description string
	Required                bool
}

// apiData is the reference page.
type apiData struct {
	page
	Doc    openAPIDoc
	Groups []apiGroup
	Models []apiModel
}

// apiReference renders the API reference from the OpenAPI document.
func (h *Handler) apiReference(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	pg.Title = pg.L.T("admin.api.title")
	raw, err := h.opts.OpenAPI()
	var doc openAPIDoc
	if err == nil {
		err = json.Unmarshal(raw, &doc)
	}
	if err != nil {
		h.fail(w, r, pg, fmt.Errorf("API reference: %w", err), "")
		return
	}
	groups, err := apiGroups(doc)
	if err != nil {
		h.fail(w, r, pg, fmt.Errorf("API reference: %w", err), "")
		return
	}
	h.render(w, r, http.StatusOK, "admin_api", apiData{page: pg, Doc: doc, Groups: groups, Models: apiModels(doc)})
}

// httpMethods are the operations' methods in the order shown.
var httpMethods = []string{"get", "post", "put", "patch", "delete"}

// apiGroups sorts the operations into their tags (in the document's tag
// order), each by path and method.
func apiGroups(doc openAPIDoc) ([]apiGroup, error) {
	byTag := map[string][]*apiOperation{}
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		for _, m := range httpMethods {
			raw, ok := doc.Paths[p][m]
			if !ok {
				continue
			}
			op := &apiOperation{}
			if err := json.Unmarshal(raw, op); err != nil {
				return nil, fmt.Errorf("%s %s: %w", m, p, err)
			}
			op.Method, op.Path = strings.ToUpper(m), p
			describeOperation(op)
			tag := "other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			byTag[tag] = append(byTag[tag], op)
		}
	}
	var out []apiGroup
	for _, t := range doc.Tags {
		if ops := byTag[t.Name]; len(ops) > 0 {
			out = append(out, apiGroup{Name: t.Name, Description: t.Description, Operations: ops})
			delete(byTag, t.Name)
		}
	}
	rest := make([]string, 0, len(byTag))
	for t := range byTag {
		rest = append(rest, t)
	}
	sort.Strings(rest)
	for _, t := range rest {
		out = append(out, apiGroup{Name: t, Operations: byTag[t]})
	}
	return out, nil
}

// describeOperation fills the body and responses as the page shows them.
func describeOperation(op *apiOperation) {
	if op.RequestBody != nil {
		op.Body, op.BodyModel = describeContent(op.RequestBody.Content), contentModel(op.RequestBody.Content)
	}
	codes := make([]string, 0, len(op.Responses))
	for c := range op.Responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		res := op.Responses[c]
		op.Results = append(op.Results, apiResponse{Status: c, Description: res.Description, Schema: describeContent(res.Content),
			Model: contentModel(res.Content)})
	}
}

// describeContent names the schema of a body: "Name (application/json)".
func describeContent(content map[string]apiMediaContent) string {
	types := make([]string, 0, len(content))
	for t := range content {
		types = append(types, t)
	}
	sort.Strings(types)
	var parts []string
	for _, t := range types {
		parts = append(parts, schemaType(content[t].Schema)+" ("+t+")")
	}
	return strings.Join(parts, "; ")
}

// contentModel is the named schema of a JSON body, "" when it has none.
func contentModel(content map[string]apiMediaContent) string {
	if c, ok := content["application/json"]; ok && c.Schema != nil && c.Schema.Ref != "" {
		return schemaType(c.Schema)
	}
	return ""
}

// schemaType names a schema's type: a model's name, "array of X", or the
// JSON type with its format.
func schemaType(s *apiSchema) string {
	switch {
	case s == nil:
		return "–"
	case s.Ref != "":
		return s.Ref[strings.LastIndexByte(s.Ref, '/')+1:]
	case s.Items != nil:
		return "[]" + schemaType(s.Items)
	}
	t := fmt.Sprint(s.Type)
	if list, ok := s.Type.([]any); ok {
		var names []string
		for _, x := range list {
			names = append(names, fmt.Sprint(x))
		}
		t = strings.Join(names, "|")
	}
	if s.Type == nil {
		t = "any"
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	if len(s.Enum) > 0 {
		var vals []string
		for _, v := range s.Enum {
			vals = append(vals, fmt.Sprint(v))
		}
		t += ": " + strings.Join(vals, ", ")
	}
	return t
}

// apiModels are the document's named schemas with their fields, by name.
func apiModels(doc openAPIDoc) []apiModel {
	names := make([]string, 0, len(doc.Components.Schemas))
	for n := range doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]apiModel, 0, len(names))
	for _, n := range names {
		s := doc.Components.Schemas[n]
		m := apiModel{Name: n, Description: s.Description}
		fields := make([]string, 0, len(s.Properties))
		for f := range s.Properties {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		for _, f := range fields {
			p := s.Properties[f]
			m.Fields = append(m.Fields, apiField{Name: f, Type: schemaType(p), Description: p.Description,
				Required: slices.Contains(s.Required, f)})
		}
		out = append(out, m)
	}
	return out
}
