package report

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ChinaMap is a GeoJSON FeatureCollection of China's provinces, the map the
// province charts draw (registered in ECharts as "china"). The vendored map
// names its features briefly (北京, 内蒙古); an approved standard map may use
// the full names (北京市, 内蒙古自治区): Feature matches either.
type ChinaMap struct {
	// GeoJSON is the file as given, inlined into reports.
	GeoJSON []byte
	names   []string
}

// ParseChinaMap reads a GeoJSON FeatureCollection whose features carry a
// properties.name; source names the file in errors.
func ParseChinaMap(source string, b []byte) (*ChinaMap, error) {
	var doc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("map %s: not GeoJSON: %w", source, err)
	}
	if doc.Type != "FeatureCollection" || len(doc.Features) == 0 {
		return nil, fmt.Errorf("map %s: want a GeoJSON FeatureCollection with features, got type %q with %d features",
			source, doc.Type, len(doc.Features))
	}
	m := &ChinaMap{GeoJSON: b}
	for i, f := range doc.Features {
		if f.Properties.Name == "" {
			return nil, fmt.Errorf("map %s: feature %d has no properties.name", source, i+1)
		}
		m.names = append(m.names, f.Properties.Name)
	}
	return m, nil
}

// Feature returns the name of the map's feature for a province's registry
// name: the same name, else the longest feature name the province's name
// starts with (内蒙古 for 内蒙古自治区), else a feature whose name starts with
// the province's; "" when none matches.
func (m *ChinaMap) Feature(province string) string {
	if m == nil || province == "" {
		return ""
	}
	best := ""
	for _, n := range m.names {
		switch {
		case n == province:
			return n
		case strings.HasPrefix(province, n) && len(n) > len(best):
			best = n
		}
	}
	if best != "" {
		return best
	}
	for _, n := range m.names {
		if strings.HasPrefix(n, province) {
			return n
		}
	}
	return ""
}
