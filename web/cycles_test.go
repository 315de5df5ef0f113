package web

import (
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestCycleLifecycle(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	var c platform.Cycle
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "2014 年度监测", Kind: "annual_monitoring", Year: 2014, FrameworkID: "mohurd-2012"}).
		expect(201).decode(&c)
	if c.State != platform.CycleDraft || c.FrameworkVersion == "" || len(c.Scheme) == 0 || len(c.StarThresholds) == 0 {
		t.Fatalf("created: %+v", c)
	}
	env.do("GET", "/api/v1/cycles/"+itoa(c.ID), nil).expect(200).decode(&c)

	upd := CycleUpdate{Name: "2014 年度监测（修订）", Kind: "annual_monitoring", Year: 2014, FrameworkID: "mohurd-2012", Scheme: c.Scheme, StarThresholds: c.StarThresholds, Version: c.Version}
	env.do("PUT", "/api/v1/cycles/"+itoa(c.ID), upd).expect(200).decode(&c)
	if c.Name != "2014 年度监测（修订）" || c.Version != 2 {
		t.Fatalf("updated: %+v", c)
	}
	env.do("PUT", "/api/v1/cycles/"+itoa(c.ID), upd).expectError(409, "stale_version")

	path := "/api/v1/cycles/" + itoa(c.ID) + "/transition"
	env.do("POST", path, CycleTransition{To: "published", Version: c.Version}).expectError(409, "bad_state_transition")
	env.do("POST", path, CycleTransition{To: "open", Version: 1}).expectError(409, "stale_version")
	env.do("POST", path, CycleTransition{To: "open", Version: c.Version}).expect(200).decode(&c)
	if c.State != platform.CycleOpen {
		t.Fatalf("state %s, want open", c.State)
	}
	upd.Version, upd.FrameworkVersion = c.Version, "1999"
	env.do("PUT", "/api/v1/cycles/"+itoa(c.ID), upd).expectError(409, "framework_frozen")

	l := list[platform.Cycle](env.do("GET", "/api/v1/cycles?state=open&year=2014&kind=annual_monitoring", nil).expect(200))
	if l.Total != 1 || l.Items[0].ID != c.ID {
		t.Fatalf("list: %+v", l)
	}
	if l := list[platform.Cycle](env.do("GET", "/api/v1/cycles?state=draft", nil).expect(200)); l.Total != 0 {
		t.Errorf("draft cycles: %d, want 0", l.Total)
	}
}

func TestCycleErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("GET", "/api/v1/cycles/42", nil).expectError(404, "not_found")
	env.do("POST", "/api/v1/cycles/42/transition", CycleTransition{To: "open", Version: 1}).expectError(404, "not_found")
	env.do("PUT", "/api/v1/cycles/42", CycleUpdate{Name: "x", Kind: "annual_monitoring", Year: 2014, FrameworkID: "mohurd-2012", Version: 1}).
		expectError(404, "not_found")
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "x", Kind: "annual_monitoring", Year: 1999, FrameworkID: "mohurd-2012"}).
		expectError(422, "invalid", "year")
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "x", Kind: "annual_monitoring", Year: 2014, FrameworkID: "nope"}).
		expectError(422, "bad_value", "framework_id")
	env.do("POST", "/api/v1/cycles", `{"name":"x","kind":"annual_monitoring","year":2014,"framework_id":"mohurd-2012","scheme":{"aggregation":"nonsense"}}`).
		expectError(422, "bad_value", "scheme")
	env.do("POST", "/api/v1/cycles", `{"name":"x",`).expectError(400, "bad_request")
	env.do("POST", "/api/v1/cycles/1/transition", CycleTransition{To: "sideways", Version: 1}).expectError(422, "invalid", "to")
}
