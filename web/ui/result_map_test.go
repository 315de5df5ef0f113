package ui_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/web"
	"github.com/sceval/sceval/web/ui"
)

// A deployment's own map (Options.MapGeoJSON) replaces the vendored one:
// it is served where app.js fetches the map, and the map chart names the
// provinces as its features do (full names here, 河北省, where the vendored
// map says 河北).
func TestConfiguredMapReplacesTheVendoredOne(t *testing.T) {
	e := newEnv(t, true)
	c := publish(t, e)
	rows := demoRows(t, e, c.ID)
	regions, _ := testRegions()
	var features []string
	seen := map[string]bool{}
	for _, r := range rows {
		if reg, ok := regions.Get(r.province); ok && !seen[reg.Name] {
			seen[reg.Name] = true
			features = append(features, `{"type":"Feature","properties":{"name":"`+reg.Name+`"},"geometry":{"type":"Polygon","coordinates":[[[100,30],[101,30],[101,31],[100,30]]]}}`)
		}
	}
	geo := `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	file := filepath.Join(t.TempDir(), "approved-map.json")
	if err := os.WriteFile(file, []byte(geo), 0o644); err != nil {
		t.Fatal(err)
	}
	h := ui.New(e.svc, regions, web.BuiltinFrameworks{}, slog.New(slog.NewTextHandler(os.Stderr, nil)), ui.Options{MapGeoJSON: file})
	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		// The administrator's identity: the page's service calls need one
		// (the server's authentication binds it); the public page shows
		// what the public sees anyway.
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil).WithContext(e.ctx))
		return rec
	}
	if rec := get("/static/vendor/china.json"); rec.Code != 200 || rec.Body.String() != geo {
		t.Fatalf("map URL: %d, %d bytes; want the configured file", rec.Code, rec.Body.Len())
	}
	rec := get("/public/cycles/" + strconv.FormatInt(c.ID, 10))
	if rec.Code != 200 {
		t.Fatalf("public page: %d %s", rec.Code, rec.Body.String())
	}
	m := chartOption(t, rec.Body.String(), "chart-map")
	data := m["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(data) != len(features) {
		t.Errorf("map has %d provinces, want %d", len(data), len(features))
	}
	for _, d := range data {
		if name := d.(map[string]any)["name"].(string); !seen[name] {
			t.Errorf("map names %q, not a feature of the configured map", name)
		}
	}
	// Without the option the vendored map is served as a static file.
	if rec := httptest.NewRecorder(); true {
		ui.New(e.svc, regions, web.BuiltinFrameworks{}, nil, ui.Options{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/vendor/china.json", nil))
		if rec.Code != 200 || rec.Body.String() == geo {
			t.Errorf("vendored map: %d", rec.Code)
		}
	}
}
