package region

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func codes(regions []Region) []string {
	out := make([]string, len(regions))
	for i, r := range regions {
		out[i] = r.Code
	}
	return out
}

func TestSearchSample(t *testing.T) {
	t.Parallel()
	reg, err := Parse(strings.NewReader(sampleTSV))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		q     Query
		want  []string
		total int
	}{
		{"all", Query{}, []string{"11", "1101", "110105", "110108", "110108011", "110108012", "22", "2201", "220104", "220104001"}, 10},
		{"name", Query{Q: "海淀"}, []string{"110108", "110108012"}, 2},
		{"name two places", Query{Q: "朝阳区"}, []string{"110105", "220104"}, 2},
		{"ancestor term", Query{Q: "北京 朝阳"}, []string{"110105"}, 1},
		{"ancestor term full width space", Query{Q: "吉林\u3000朝阳"}, []string{"220104"}, 1},
		{"ancestor term absent", Query{Q: "上海 朝阳"}, []string{}, 0},
		{"own name is not an ancestor", Query{Q: "朝阳 朝阳"}, []string{}, 0},
		{"code prefix", Query{Q: "1101"}, []string{"1101", "110105", "110108", "110108011", "110108012"}, 5},
		{"code prefix spaces", Query{Q: " 2201 "}, []string{"2201", "220104", "220104001"}, 3},
		{"code prefix none", Query{Q: "33"}, []string{}, 0},
		{"level", Query{Level: County}, []string{"110105", "110108", "220104"}, 3},
		{"level and name", Query{Q: "街道", Level: Town}, []string{"110108011", "110108012", "220104001"}, 3},
		{"parent direct", Query{Parent: "11"}, []string{"1101"}, 1},
		{"parent none for town", Query{Parent: "110108011"}, []string{}, 0},
		{"parent unknown", Query{Parent: "33"}, []string{}, 0},
		{"within", Query{Within: "11", Level: Town}, []string{"110108011", "110108012"}, 2},
		{"within excludes itself", Query{Within: "110108"}, []string{"110108011", "110108012"}, 2},
		{"limit", Query{Q: "街道", Limit: 2}, []string{"110108011", "110108012"}, 3},
		{"offset", Query{Q: "街道", Limit: 2, Offset: 2}, []string{"220104001"}, 3},
		{"offset past end", Query{Q: "街道", Offset: 9}, []string{}, 3},
		{"negative offset", Query{Q: "街道", Offset: -1, Limit: 1}, []string{"110108011"}, 3},
		{"bad level", Query{Level: 5}, []string{}, 0},
	}
	for _, tc := range tests {
		items, total := reg.Search(tc.q)
		if got := codes(items); !reflect.DeepEqual(got, tc.want) || total != tc.total {
			t.Errorf("%s: Search(%+v) = %v, %d; want %v, %d", tc.name, tc.q, got, total, tc.want, tc.total)
		}
	}
}

func TestSearchEmbedded(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	items, total := reg.Search(Query{Q: "海淀"})
	if got, want := codes(items), []string{"110108", "110108012"}; !reflect.DeepEqual(got, want) || total != 2 {
		t.Errorf("Search(海淀) = %v, %d; want %v, 2", got, total, want)
	}
	// 朝阳区 is a district of Beijing (110105) and of Changchun (220104);
	// 231282001 朝阳区街道 is a subdistrict of 肇东市 whose name contains it.
	items, total = reg.Search(Query{Q: "朝阳区"})
	if got, want := codes(items), []string{"110105", "220104", "231282001"}; !reflect.DeepEqual(got, want) || total != 3 {
		t.Errorf("Search(朝阳区) = %v, %d; want %v, 3", got, total, want)
	}
	items, _ = reg.Search(Query{Q: "长春 朝阳区"})
	if got := codes(items); !reflect.DeepEqual(got, []string{"220104"}) {
		t.Errorf("Search(长春 朝阳区) = %v, want [220104]", got)
	}
	// 4403 深圳市: itself, 9 districts and their towns, 89 regions in all.
	items, total = reg.Search(Query{Q: "4403", Limit: 5, Offset: 1})
	if got, want := codes(items), []string{"440303", "440303001", "440303002", "440303003", "440303004"}; !reflect.DeepEqual(got, want) || total != 89 {
		t.Errorf("Search(4403, limit 5, offset 1) = %v, %d; want %v, 89", got, total, want)
	}
	items, total = reg.Search(Query{Parent: "4403"})
	if len(items) != 9 || total != 9 || items[0].Name != "罗湖区" {
		t.Errorf("Search(parent 4403) = %v, %d; want the 9 districts from 罗湖区", codes(items), total)
	}
	items, total = reg.Search(Query{Within: "44", Level: Prefecture})
	if len(items) != 21 || total != 21 {
		t.Errorf("Search(within 44, level 2) = %d items, total %d; want 21", len(items), total)
	}
}

func TestSearchLimits(t *testing.T) {
	t.Parallel()
	reg := defaultRegistry(t)
	items, total := reg.Search(Query{Level: Town})
	if len(items) != DefaultLimit || total != 41352 {
		t.Errorf("default limit: %d items, total %d; want %d, 41352", len(items), total, DefaultLimit)
	}
	items, _ = reg.Search(Query{Limit: 5000})
	if len(items) != MaxLimit {
		t.Errorf("limit 5000: %d items, want %d", len(items), MaxLimit)
	}
	// Pages put together give every match once, in code order.
	var all []Region
	for off := 0; ; off += MaxLimit {
		page, total := reg.Search(Query{Q: "街道", Limit: MaxLimit, Offset: off})
		all = append(all, page...)
		if off+MaxLimit >= total {
			break
		}
	}
	_, total = reg.Search(Query{Q: "街道"})
	if total != 9145 { // counted in the package's JSON files
		t.Errorf("Search(街道) total = %d, want 9145", total)
	}
	if len(all) != total || !slices.IsSortedFunc(all, func(a, b Region) int { return strings.Compare(a.Code, b.Code) }) {
		t.Errorf("paged 街道: %d regions (sorted %v), total %d", len(all), slices.IsSortedFunc(all, func(a, b Region) int { return strings.Compare(a.Code, b.Code) }), total)
	}
	for _, r := range all {
		if !strings.Contains(r.Name, "街道") {
			t.Fatalf("paged 街道: %+v does not match", r)
		}
	}
}
