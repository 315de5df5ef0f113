package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// routes is every API operation the server must document.
var routes = []string{
	"GET /api/v1/frameworks", "GET /api/v1/frameworks/{id}", "GET /api/v1/frameworks/{id}/indicators",
	"GET /api/v1/regions", "GET /api/v1/regions/{code}",
	"GET /api/v1/pilots", "POST /api/v1/pilots", "POST /api/v1/pilots/import", "GET /api/v1/pilots/{id}",
	"PUT /api/v1/pilots/{id}", "GET /api/v1/pilots/{id}/results",
	"GET /api/v1/cycles", "POST /api/v1/cycles", "GET /api/v1/cycles/{id}", "PUT /api/v1/cycles/{id}",
	"POST /api/v1/cycles/{id}/transition", "POST /api/v1/cycles/{id}/submissions", "GET /api/v1/cycles/{id}/submissions",
	"POST /api/v1/cycles/{id}/results", "GET /api/v1/cycles/{id}/results", "GET /api/v1/cycles/{id}/results/run",
	"GET /api/v1/cycles/{id}/template.xlsx", "POST /api/v1/cycles/{id}/entries/import", "GET /api/v1/cycles/{id}/results.xlsx",
	"GET /api/v1/cycles/{id}/results.csv", "GET /api/v1/cycles/{id}/results.json", "GET /api/v1/frameworks/{id}/export.xlsx",
	"GET /api/v1/frameworks/{id}/export.md", "GET /api/v1/submissions/{id}/export.xlsx",
	"GET /api/v1/submissions", "GET /api/v1/submissions/{id}", "PUT /api/v1/submissions/{id}/entries/{code}",
	"POST /api/v1/submissions/{id}/transition", "POST /api/v1/submissions/{id}/entries/{code}/evidence",
	"GET /api/v1/submissions/{id}/evidence", "GET /api/v1/evidence/{id}",
	"POST /api/v1/cycles/{id}/extensions", "GET /api/v1/cycles/{id}/overdue", "GET /api/v1/cycles/{id}/events",
	"POST /api/v1/frameworks", "GET /api/v1/frameworks/published", "GET /api/v1/frameworks/{id}/export",
	"GET /api/v1/cycles/{id}/framework",
	"DELETE /api/v1/evidence/{id}", "PATCH /api/v1/pilots/{id}", "GET /api/v1/pilots/{id}/history", "PATCH /api/v1/cycles/{id}",
	"GET /api/v1/experts", "POST /api/v1/experts", "GET /api/v1/experts/{id}", "PUT /api/v1/experts/{id}",
	"GET /api/v1/cycles/{id}/review-settings", "PUT /api/v1/cycles/{id}/review-settings",
	"POST /api/v1/cycles/{id}/assignments", "GET /api/v1/cycles/{id}/assignments", "POST /api/v1/assignments/{id}/override",
	"GET /api/v1/reviews", "GET /api/v1/reviews/{id}", "PUT /api/v1/reviews/{id}", "POST /api/v1/reviews/{id}/submit",
	"POST /api/v1/reviews/{id}/reopen", "GET /api/v1/reviews/{id}/evidence/{evidence_id}",
	"GET /api/v1/submissions/{id}/agreement", "GET /api/v1/cycles/{id}/agreement", "GET /api/v1/cycles/{id}/expert-results",
	"GET /api/v1/audit", "GET /api/v1/audit/export", "GET /api/v1/audit/verify",
	"POST /api/v1/auth/login", "POST /api/v1/auth/logout", "POST /api/v1/auth/setup", "GET /api/v1/me",
	"POST /api/v1/me/password", "GET /api/v1/me/tokens", "POST /api/v1/me/tokens", "DELETE /api/v1/me/tokens/{id}",
}

func TestOpenAPIDocument(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	doc := env.do("GET", "/api/v1/openapi.json", nil).expect(200).object()

	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Fatalf("openapi = %q, want 3.1.x", v)
	}
	paths, _ := doc["paths"].(map[string]any)
	var documented []string
	ids := map[string]string{}
	for path, item := range paths {
		for method, raw := range item.(map[string]any) {
			op, ok := raw.(map[string]any)
			if !ok || !slices.Contains([]string{"get", "post", "put", "patch", "delete"}, method) {
				continue
			}
			route := strings.ToUpper(method) + " " + path
			documented = append(documented, route)
			checkOperation(t, route, op, ids)
		}
	}
	slices.Sort(documented)
	want := slices.Clone(routes)
	slices.Sort(want)
	if !slices.Equal(documented, want) {
		t.Errorf("documented routes differ:\n got %v\nwant %v", documented, want)
	}
	var refs int
	walkRefs(doc, func(ref string) {
		refs++
		if _, err := resolvePointer(doc, ref); err != nil {
			t.Errorf("$ref %s: %v", ref, err)
		}
	})
	if refs == 0 {
		t.Error("no $ref in the document: schemas are not shared")
	}
}

// checkOperation checks what every operation must have: a unique
// operationId, a summary, a tag, responses, and the shared error schema
// for every error response.
func checkOperation(t *testing.T, route string, op map[string]any, ids map[string]string) {
	t.Helper()
	id, _ := op["operationId"].(string)
	if id == "" {
		t.Errorf("%s: no operationId", route)
	} else if other, dup := ids[id]; dup {
		t.Errorf("%s: operationId %s also used by %s", route, id, other)
	}
	ids[id] = route
	if s, _ := op["summary"].(string); s == "" {
		t.Errorf("%s: no summary", route)
	}
	if tags, _ := op["tags"].([]any); len(tags) == 0 {
		t.Errorf("%s: no tags", route)
	}
	responses, _ := op["responses"].(map[string]any)
	if len(responses) == 0 {
		t.Errorf("%s: no responses", route)
	}
	var success bool
	for status, r := range responses {
		if strings.HasPrefix(status, "2") {
			success = true
			continue
		}
		content, _ := r.(map[string]any)["content"].(map[string]any)
		js, _ := content["application/json"].(map[string]any)
		schema, _ := js["schema"].(map[string]any)
		if ref, _ := schema["$ref"].(string); ref != "#/components/schemas/ErrorResponse" {
			t.Errorf("%s: response %s does not use ErrorResponse: %v", route, status, r)
		}
	}
	if !success {
		t.Errorf("%s: no success response", route)
	}
}

// walkRefs calls fn with every "$ref" value in v.
func walkRefs(v any, fn func(string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if s, ok := val.(string); ok && k == "$ref" {
				fn(s)
				continue
			}
			walkRefs(val, fn)
		}
	case []any:
		for _, val := range x {
			walkRefs(val, fn)
		}
	}
}

// resolvePointer follows a local JSON reference (RFC 6901 pointer after
// '#').
func resolvePointer(doc any, ref string) (any, error) {
	pointer, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("not a local reference")
	}
	cur := doc
	for _, token := range strings.Split(pointer, "/") {
		token = strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q: parent is not an object", token)
		}
		if cur, ok = m[token]; !ok {
			return nil, fmt.Errorf("%q not found", token)
		}
	}
	return cur, nil
}

func TestResolvePointerCatchesDanglingRefs(t *testing.T) {
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{"A": map[string]any{}}}}
	if _, err := resolvePointer(doc, "#/components/schemas/A"); err != nil {
		t.Errorf("existing ref: %v", err)
	}
	if _, err := resolvePointer(doc, "#/components/schemas/B"); err == nil {
		t.Error("dangling ref resolved")
	}
}
