package web

import (
	"testing"

	"github.com/sceval/sceval/platform"

	"github.com/sceval/sceval/region"
)

func TestRegions(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	l := list[region.Region](env.do("GET", "/api/v1/regions?level=3&q=%E5%8C%97%E4%BA%AC%20%E6%9C%9D%E9%98%B3", nil).expect(200)) // 北京 朝阳
	if l.Total != 1 || l.Items[0].Code != "110105" {
		t.Fatalf("北京 朝阳: %+v", l)
	}
	provinces := list[region.Region](env.do("GET", "/api/v1/regions?level=1&limit=5&offset=5", nil).expect(200))
	if provinces.Total != 31 || len(provinces.Items) != 5 {
		t.Fatalf("provinces page: total %d, %d items", provinces.Total, len(provinces.Items))
	}
	children := list[region.Region](env.do("GET", "/api/v1/regions?parent=11", nil).expect(200))
	if children.Total == 0 || children.Items[0].Parent != "110000" {
		t.Fatalf("children of 11: %+v", children)
	}

	var d RegionDetail
	env.do("GET", "/api/v1/regions/110105", nil).expect(200).decode(&d)
	if d.Name != "朝阳区" || len(d.Chain) != 3 || d.Chain[0].Code != "110000" || d.Children == 0 {
		t.Fatalf("110105: %+v", d)
	}
	env.do("GET", "/api/v1/regions/130100", nil).expect(200).decode(&d) // padded GB/T 2260 form
	if d.Code != "130100" || d.Name != "石家庄市" || d.Parent != "130000" {
		t.Fatalf("130100: %+v", d.Region)
	}
}

func TestRegionErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("GET", "/api/v1/regions/999999", nil).expectError(404, "not_found", "code")
	env.do("GET", "/api/v1/regions?level=9", nil).expectError(422, "invalid", "level")
	env.do("GET", "/api/v1/regions?limit=5000", nil).expectError(422, "invalid", "limit")
	// An unknown parent or ancestor is an error, not an empty list.
	env.do("GET", "/api/v1/regions?parent=99", nil).expectError(422, "bad_value", "parent")
	env.do("GET", "/api/v1/regions?within=abc", nil).expectError(422, "bad_value", "within")
}

// parent and within take the codes GET /regions/{code} takes, including the
// padded GB/T 2260 form everyone knows (440300 for 4403 深圳市).
func TestRegionsUnderAPaddedCode(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	for _, q := range []string{"parent=440300", "within=440300&level=3"} {
		padded := list[region.Region](env.do("GET", "/api/v1/regions?"+q, nil).expect(200))
		if padded.Total == 0 || padded.Items[0].Parent != "440300" {
			t.Errorf("%s: %+v, want the districts of 4403", q, padded)
		}
	}
}

// Every region endpoint answers codes in one form (GB/T 2260: six digits,
// nine for a town), whichever form it was asked with, and every other
// endpoint accepts them: a city found by search becomes a pilot under the
// same code, and a code-prefix search with the padded form finds the region.
func TestRegionCodesRoundTrip(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	for _, asked := range []string{"1301", "130100"} {
		var d RegionDetail
		env.do("GET", "/api/v1/regions/"+asked, nil).expect(200).decode(&d)
		if d.Code != "130100" {
			t.Fatalf("regions/%s: code %s, want 130100", asked, d.Code)
		}
	}
	found := list[region.Region](env.do("GET", "/api/v1/regions?q=130100&level=2", nil).expect(200))
	if found.Total != 1 || found.Items[0].Code != "130100" {
		t.Fatalf("q=130100: %+v", found)
	}
	town := list[region.Region](env.do("GET", "/api/v1/regions?q=110108011000", nil).expect(200))
	if town.Total != 1 || town.Items[0].Code != "110108011" {
		t.Fatalf("q=110108011000: %+v", town)
	}
	var p platform.Pilot
	env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: found.Items[0].Code, Name: "石家庄市", Batch: "2013-1", Type: "city"}).
		expect(201).decode(&p)
	if p.RegionCode != "130100" {
		t.Fatalf("pilot region code %s, want 130100", p.RegionCode)
	}
	// The registry's short form names the same region: a duplicate.
	env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "1301", Name: "石家庄", Batch: "2013-1", Type: "city"}).
		expectError(409, "duplicate")
}
