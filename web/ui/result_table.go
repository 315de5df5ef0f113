package ui

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/report"
)

// resultQuery is what a results page shows: the filters, the sort and the
// map's metric, read from the URL query.
type resultQuery struct {
	Province, Type, Batch, Stars string
	// Sort is "rank", "score", "name" or a first-level code, with a
	// leading "-" for the reverse order.
	Sort string
	Map  string
	Page int
}

// readResultQuery reads the query; a sort key that is not a column falls
// back to "rank", a map metric other than participation to the score.
func readResultQuery(q url.Values, level1 []string) resultQuery {
	rq := resultQuery{Province: q.Get("province"), Type: q.Get("type"), Batch: q.Get("batch"), Stars: q.Get("stars"),
		Sort: q.Get("sort"), Map: report.MapScore}
	if key := strings.TrimPrefix(rq.Sort, "-"); key != "rank" && key != "score" && key != "name" && !slices.Contains(level1, key) {
		rq.Sort = "rank"
	}
	if q.Get("map") == report.MapParticipation {
		rq.Map = report.MapParticipation
	}
	rq.Page = 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		rq.Page = min(n, maxPageNumber)
	}
	return rq
}

// values is the query of rq, without the defaults; with page unless 1.
func (rq resultQuery) values() url.Values {
	q := url.Values{}
	set := func(k, v, def string) {
		if v != def {
			q.Set(k, v)
		}
	}
	set("province", rq.Province, "")
	set("type", rq.Type, "")
	set("batch", rq.Batch, "")
	set("stars", rq.Stars, "")
	set("sort", rq.Sort, "rank")
	set("map", rq.Map, report.MapScore)
	if rq.Page > 1 {
		q.Set("page", strconv.Itoa(rq.Page))
	}
	return q
}

// filterRows keeps the rows matching every filter of rq: province (2-digit
// code), pilot type, batch and star rating ("0" … "3"; an unranked pilot
// has none and matches no rating).
func filterRows(rows []platform.ResultTableRow, rq resultQuery) []platform.ResultTableRow {
	var out []platform.ResultTableRow
	for _, r := range rows {
		if rq.Province != "" && r.ProvinceCode != rq.Province ||
			rq.Type != "" && string(r.Type) != rq.Type ||
			rq.Batch != "" && r.Batch != rq.Batch {
			continue
		}
		if rq.Stars != "" {
			unranked := r.Ranked != nil && !*r.Ranked
			if unranked || r.Stars == nil || strconv.Itoa(*r.Stars) != rq.Stars {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// sortRows orders rows by rq.Sort: by rank (unranked last), by overall or
// first-level score (missing last either way), or by name in pinyin order;
// ties keep the rank order.
func sortRows(rows []platform.ResultTableRow, sort string) {
	key, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	if key == "name" {
		report.SortByName(rows, func(r platform.ResultTableRow) string { return r.PilotName })
		if desc {
			slices.Reverse(rows)
		}
		return
	}
	value := func(r platform.ResultTableRow) *float64 {
		switch key {
		case "rank":
			if r.Rank == nil || (r.Ranked != nil && !*r.Ranked) {
				return nil
			}
			x := float64(*r.Rank)
			return &x
		case "score":
			return r.Score
		}
		return r.Level1[key]
	}
	slices.SortStableFunc(rows, func(a, b platform.ResultTableRow) int {
		x, y := value(a), value(b)
		switch {
		case x == nil && y == nil:
			return 0
		case x == nil:
			return 1
		case y == nil:
			return -1
		case desc:
			return cmp.Compare(*y, *x)
		}
		return cmp.Compare(*x, *y)
	})
}

// filterOption is one choice of a filter's drop-down list.
type filterOption struct {
	Value, Label string
	Selected     bool
}

// provinceOptions are the provinces of rows, by name in pinyin order.
func provinceOptions(rows []platform.ResultTableRow, name func(string) string, selected string) []filterOption {
	seen := map[string]bool{}
	var out []filterOption
	for _, r := range rows {
		if !seen[r.ProvinceCode] {
			seen[r.ProvinceCode] = true
			out = append(out, filterOption{Value: r.ProvinceCode, Label: name(r.ProvinceCode), Selected: r.ProvinceCode == selected})
		}
	}
	report.SortByName(out, func(o filterOption) string { return o.Label })
	return out
}

// batchOptions are the batches of rows in order.
func batchOptions(rows []platform.ResultTableRow, selected string) []filterOption {
	var batches []string
	for _, r := range rows {
		if r.Batch != "" && !slices.Contains(batches, r.Batch) {
			batches = append(batches, r.Batch)
		}
	}
	slices.Sort(batches)
	out := make([]filterOption, len(batches))
	for i, b := range batches {
		out[i] = filterOption{Value: b, Label: b, Selected: b == selected}
	}
	return out
}
