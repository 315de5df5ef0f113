package ui

import (
	"bytes"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/sceval/sceval/report"
)

// vendoredMap is the embedded China map app.js fetches by default.
const vendoredMap = "static/vendor/china.json"

// loadChinaMap returns the map of the charts, read once: Options.MapGeoJSON
// when set, else the vendored one.
func (h *Handler) loadChinaMap() func() (*report.ChinaMap, error) {
	return sync.OnceValues(func() (*report.ChinaMap, error) {
		if h.opts.MapGeoJSON != "" {
			b, err := os.ReadFile(h.opts.MapGeoJSON)
			if err != nil {
				return nil, err
			}
			return report.ParseChinaMap(h.opts.MapGeoJSON, b)
		}
		b, err := assets.ReadFile(vendoredMap)
		if err != nil {
			return nil, err
		}
		return report.ParseChinaMap(vendoredMap, b)
	})
}

// serveChinaMap serves the configured map at the vendored map's URL, the
// one app.js fetches, so that every page draws the deployment's map.
func (h *Handler) serveChinaMap(w http.ResponseWriter, r *http.Request) {
	m, err := h.chinaMap()
	if err != nil {
		h.logger.ErrorContext(r.Context(), "ui: China map", "file", h.opts.MapGeoJSON, "err", err)
		http.Error(w, "the configured map cannot be read: see the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "china.json", time.Time{}, bytes.NewReader(m.GeoJSON))
}

// mapOrNil is the map, or nil (logged) when it cannot be read: the map
// chart is then empty, the rest of the page still works.
func (h *Handler) mapOrNil(r *http.Request) *report.ChinaMap {
	m, err := h.chinaMap()
	if err != nil {
		h.logger.ErrorContext(r.Context(), "ui: China map", "file", h.opts.MapGeoJSON, "err", err)
		return nil
	}
	return m
}
