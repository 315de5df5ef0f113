package web

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// runLifecycle walks the whole programme through the API: pilots, an open
// cycle, submissions with entries and evidence, review, results.
func runLifecycle(t *testing.T, env *testEnv) {
	c := env.openCycle()
	rows := list[IndicatorRow](env.do("GET", "/api/v1/frameworks/mohurd-2012/indicators?leaf=true", nil).expect(200)).Items
	// A batch of its own: the PostgreSQL database may hold earlier runs.
	batch := fmt.Sprintf("e2e-%d", time.Now().UnixNano())
	names := []struct{ code, name string }{{"130100", "石家庄市"}, {"320200", "无锡市"}, {"330300", "温州市"}}
	for i, n := range names {
		var p platform.Pilot
		env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: n.code, Name: n.name, Batch: batch, Type: "city"}).
			expect(201).decode(&p)
		sub := env.submission(c, p)
		for _, leaf := range rows {
			in := EntryFields{Narrative: fmt.Sprintf("%s %s", n.name, leaf.Code)}
			if leaf.Kind == "rubric" {
				in.Level = ptr(2 + i)
			} else {
				v := 30.0 + 20*float64(i)
				in.Value = &v
			}
			env.do("PUT", "/api/v1/submissions/"+itoa(sub.ID)+"/entries/"+leaf.Code, in).expect(200)
		}
		env.upload("/api/v1/submissions/"+itoa(sub.ID)+"/entries/1.1.1/evidence", "file", n.name+"规划.pdf", pdf).expect(201)
		env.do("GET", "/api/v1/submissions/"+itoa(sub.ID), nil).expect(200).decode(&sub)
		if sub.Completeness != 1 {
			t.Fatalf("%s: completeness %v, want 1", n.name, sub.Completeness)
		}
		tr := "/api/v1/submissions/" + itoa(sub.ID) + "/transition"
		env.do("POST", tr, SubmissionTransition{To: "submitted", Version: sub.Version}).expect(200).decode(&sub)
		env.do("POST", tr, SubmissionTransition{To: "accepted", Version: sub.Version}).expect(200)
	}

	var run platform.ResultRun
	env.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/results", nil).expect(200).decode(&run)
	if run.Pilots != 3 || run.InputHash == "" {
		t.Fatalf("run: %+v", run)
	}
	var again platform.ResultRun
	env.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/results", nil).expect(200).decode(&again)
	if again.InputHash != run.InputHash {
		t.Errorf("recomputing changed the input hash: %s → %s", run.InputHash, again.InputHash)
	}
	var latest platform.ResultRun
	env.do("GET", "/api/v1/cycles/"+itoa(c.ID)+"/results/run", nil).expect(200).decode(&latest)
	if latest.InputHash != run.InputHash || latest.FrameworkID != "mohurd-2012" {
		t.Errorf("latest run: %+v", latest)
	}

	ranking := list[platform.ResultRow](env.do("GET", "/api/v1/cycles/"+itoa(c.ID)+"/results", nil).expect(200))
	if ranking.Total != 3 {
		t.Fatalf("ranking: %+v", ranking)
	}
	want := []string{"温州市", "无锡市", "石家庄市"}
	for i, r := range ranking.Items {
		if r.PilotName != want[i] || r.Rank == nil || *r.Rank != i+1 || r.Score == nil {
			t.Errorf("rank %d: %+v, want %s", i+1, r, want[i])
		}
	}
	byCode := list[platform.ResultRow](env.do("GET", "/api/v1/cycles/"+itoa(c.ID)+"/results?level=1&limit=100", nil).expect(200))
	if byCode.Total != 12 {
		t.Errorf("level 1 results: %d rows, want 3 pilots × 4 indicators", byCode.Total)
	}
	// Two of the three pilots, in both query forms: exactly their rows, with
	// the scores and ranks they have in the full level-1 listing.
	first, third := ranking.Items[0].PilotID, ranking.Items[2].PilotID
	full := map[string]platform.ResultRow{}
	for _, r := range byCode.Items {
		full[r.Code+"/"+itoa(r.PilotID)] = r
	}
	for _, q := range []string{"pilot_id=" + itoa(first) + "&pilot_id=" + itoa(third), "pilot_id=" + itoa(third) + "," + itoa(first)} {
		some := list[platform.ResultRow](env.do("GET", "/api/v1/cycles/"+itoa(c.ID)+"/results?level=1&limit=100&"+q, nil).expect(200))
		if some.Total != 8 || len(some.Items) != 8 {
			t.Errorf("%s: %d rows (total %d), want 2 pilots × 4 indicators", q, len(some.Items), some.Total)
		}
		for _, r := range some.Items {
			w := full[r.Code+"/"+itoa(r.PilotID)]
			if (r.PilotID != first && r.PilotID != third) || *r.Score != *w.Score || *r.Rank != *w.Rank {
				t.Errorf("%s: row %+v, want %+v", q, r, w)
			}
		}
	}
	env.do("GET", "/api/v1/cycles/"+itoa(c.ID)+"/results?pilot_id=x1", nil).expectError(422, "bad_value", "pilot_id")
	pilotRows := list[platform.ResultRow](env.do("GET", "/api/v1/pilots/"+itoa(ranking.Items[0].PilotID)+"/results", nil).expect(200))
	if pilotRows.Total != 1 || pilotRows.Items[0].CycleID != c.ID {
		t.Errorf("pilot results: %+v", pilotRows)
	}
	metrics := string(env.do("GET", "/metrics", nil).expect(200).body)
	if !strings.Contains(metrics, `sceval_results_computations_total{outcome="ok"} 2`) {
		t.Errorf("computations not counted")
	}
}

func TestLifecycleSQLite(t *testing.T) {
	runLifecycle(t, newTestEnv(t, envOptions{}))
}

// TestLifecyclePostgres runs the same sequence against the PostgreSQL
// server named by SCEVAL_TEST_POSTGRES, in a schema of its own (a shared
// schema may have been migrated by another version of sceval).
func TestLifecyclePostgres(t *testing.T) {
	runLifecycle(t, newTestEnv(t, envOptions{dsn: sqlstoretest.PostgresDSN(t)}))
}

func TestResultErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("POST", "/api/v1/cycles/999/results", nil).expectError(404, "not_found")
	env.do("GET", "/api/v1/cycles/999/results", nil).expectError(404, "not_found")
	env.do("GET", "/api/v1/cycles/999/results/run", nil).expectError(404, "not_found")
	env.do("GET", "/api/v1/pilots/999/results", nil).expectError(404, "not_found")
	c := env.openCycle()
	env.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/results", nil).expectError(409, "no_accepted_submissions")
	env.do("GET", "/api/v1/cycles/"+itoa(c.ID)+"/results?sort=colour", nil).expectError(422, "bad_value", "sort")
	metrics := string(env.do("GET", "/metrics", nil).expect(200).body)
	if !strings.Contains(metrics, `sceval_results_computations_total{outcome="error"} 2`) {
		t.Errorf("failed computations not counted")
	}
}
