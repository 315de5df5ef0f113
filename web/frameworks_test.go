package web

import (
	"testing"

	"github.com/sceval/sceval/framework"
)

func TestFrameworks(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	l := list[FrameworkSummary](env.do("GET", "/api/v1/frameworks", nil).expect(200))
	if l.Total != len(l.Items) || l.Total == 0 {
		t.Fatalf("frameworks: %+v", l)
	}
	var mohurd *FrameworkSummary
	for i := range l.Items {
		if l.Items[i].ID == "mohurd-2012" {
			mohurd = &l.Items[i]
		}
	}
	if mohurd == nil || mohurd.Leaves != 57 || len(mohurd.Counts) != 3 || mohurd.Counts[0] != 4 || mohurd.Counts[1] != 11 {
		t.Fatalf("mohurd-2012 summary: %+v", mohurd)
	}

	var fw framework.Framework
	env.do("GET", "/api/v1/frameworks/mohurd-2012", nil).expect(200).decode(&fw)
	if fw.ID != "mohurd-2012" || len(fw.Indicators) != 4 || fw.Indicators[0].Weight == nil {
		t.Fatalf("framework export: id %q, %d top indicators", fw.ID, len(fw.Indicators))
	}
	if got := *fw.Indicators[0].Weight; got != 0.25 {
		t.Errorf("resolved weight of 1 = %v, want 0.25", got)
	}

	rows := list[IndicatorRow](env.do("GET", "/api/v1/frameworks/mohurd-2012/indicators?leaf=true", nil).expect(200))
	if rows.Total != 57 || rows.Items[0].Code != "1.1.1" || rows.Items[0].Parent != "1.1" || rows.Items[0].Level != 3 {
		t.Fatalf("leaves: total %d, first %+v", rows.Total, rows.Items[0])
	}
	var sum float64
	for _, r := range rows.Items {
		sum += r.EffectiveWeight
	}
	if sum < 0.999999 || sum > 1.000001 {
		t.Errorf("effective weights of the leaves sum to %v, want 1", sum)
	}
	top := list[IndicatorRow](env.do("GET", "/api/v1/frameworks/mohurd-2012/indicators?level=1", nil).expect(200))
	if top.Total != 4 {
		t.Errorf("level 1: %d indicators, want 4", top.Total)
	}
}

func TestFrameworkErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("GET", "/api/v1/frameworks/nope", nil).expectError(404, "not_found")
	env.do("GET", "/api/v1/frameworks/nope/indicators", nil).expectError(404, "not_found")
	env.do("GET", "/api/v1/frameworks/mohurd-2012/indicators?level=-1", nil).expectError(422, "invalid", "level")
}
