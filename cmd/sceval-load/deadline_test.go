package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

func TestDeadlineDaySQLite(t *testing.T) { runDeadlineTest(t, "") }

func TestDeadlineDayPostgres(t *testing.T) { runDeadlineTest(t, sqlstoretest.PostgresDSN(t, nil)) }

// runDeadlineTest runs a small deadline day — 20 pilots, 24 pilot users
// (four pilots with two users, whose saves may collide; three pilots
// submit), 4 experts, 8 managers (two at the ministry), all acting several
// times a second for 6 seconds (fewer users for longer under -race) — and
// checks
// that nothing failed but version conflicts and that the stored state is
// what the generator counted, read back through the service, not the API
// the generator used.
func runDeadlineTest(t *testing.T, db string) {
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv, err := startServer(ctx, db, regions)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.stop()
	cfg := config{scenario: "deadline", pilots: 20, clients: 24, experts: 4, managers: 8, duration: 6 * time.Second, seed: 1,
		rate: 24 * 4, expertRate: 5, managerRate: 4}
	if raceDetector {
		cfg.pilots, cfg.clients, cfg.managers, cfg.rate, cfg.duration = 6, 8, 4, 8*2, 15*time.Second
	}
	var out bytes.Buffer
	fx, rec, err := deadlineDay(ctx, srv, cfg, regions, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log(out.String())
	if n := rec.unexpected(); n > 0 {
		t.Errorf("%d unexpected failures", n)
	}
	for _, op := range []string{opOpen, opPageSave, opSaveEntry, opUpload, opSubmit, opReviewOpen, opReviewSave, opReviewSubmit, opQueue,
		opResults, opScorecard, opSubmissions, opExpertTotals} {
		if rec.count(op) == 0 {
			t.Errorf("no successful %q: the scenario did not exercise it", op)
		}
	}
	admin := platform.WithIdentity(ctx, platform.Identity{User: "test", Roles: []string{string(platform.RoleAdmin)}})
	checkPilotState(t, admin, srv.svc, fx, rec)
	checkReviewState(t, admin, srv.svc, fx, rec)
	if !strings.Contains(out.String(), "Go heap peak") || !strings.Contains(out.String(), "machine after") {
		t.Errorf("report without memory or load:\n%s", out.String())
	}
}

// checkPilotState compares this year's submissions with the pilots'
// successful operations: every entry was imported once (version 1) and
// each successful save added one version; each successful upload stored
// one file; each successful submit moved one submission.
func checkPilotState(t *testing.T, ctx context.Context, svc *platform.Service, fx *deadlineFixture, rec *recorder) {
	t.Helper()
	versions, entries, files, submitted := 0, 0, 0, 0
	for _, id := range fx.subs {
		sub, err := svc.GetSubmission(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range sub.Entries {
			versions += e.Version
		}
		entries += len(sub.Entries)
		if sub.State == platform.SubmissionSubmitted {
			submitted++
		}
		ev, err := svc.ListEvidence(ctx, id, false)
		if err != nil {
			t.Fatal(err)
		}
		files += len(ev)
	}
	if want := len(fx.pilots) * len(fx.leaves); entries != want {
		t.Errorf("%d entries stored, want %d (every leaf of every pilot)", entries, want)
	}
	if saves := rec.count(opSaveEntry) + rec.count(opPageSave); versions-entries != saves {
		t.Errorf("entry versions add up to %d saves after the import, the generator counted %d successful saves", versions-entries, saves)
	}
	if n := rec.count(opUpload); files != n {
		t.Errorf("%d evidence files stored, the generator counted %d successful uploads", files, n)
	}
	if n := rec.count(opSubmit); submitted != n {
		t.Errorf("%d submissions submitted, the generator counted %d successful submits", submitted, n)
	}
}

// checkReviewState compares last year's assignments with the experts'
// successful operations: each save and submit added one version, each
// submitted review holds a score for every leaf.
func checkReviewState(t *testing.T, ctx context.Context, svc *platform.Service, fx *deadlineFixture, rec *recorder) {
	t.Helper()
	as, _, err := svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: fx.review, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(fx.reviewSubs) * min(expertsPerSubmission, len(fx.experts)); len(as) != want {
		t.Errorf("%d assignments, want %d", len(as), want)
	}
	writes, submitted := 0, 0
	for _, a := range as {
		writes += a.Version - 1
		if a.State != platform.ReviewSubmitted {
			continue
		}
		submitted++
		v, err := svc.GetReview(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		scored := 0
		for _, sc := range v.Review.Scores {
			if sc.Score != nil {
				scored++
			}
		}
		if scored != len(fx.leaves) {
			t.Errorf("submitted review %d has %d scores, want %d", a.ID, scored, len(fx.leaves))
		}
	}
	if n := rec.count(opReviewSave) + rec.count(opReviewSubmit); writes != n {
		t.Errorf("review versions add up to %d writes, the generator counted %d successful saves and submits", writes, n)
	}
	if n := rec.count(opReviewSubmit); submitted != n {
		t.Errorf("%d reviews submitted, the generator counted %d", submitted, n)
	}
}

func TestDeadlineScenarioFlags(t *testing.T) {
	cfg, err := parseConfig([]string{"--scenario", "deadline", "--clients", "100"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// One action a second per pilot user unless --rate is given.
	if cfg.rate != 100 || cfg.experts != 50 || cfg.managers != 20 {
		t.Errorf("deadline defaults: %+v", cfg)
	}
	if cfg, err = parseConfig([]string{"--scenario", "deadline", "--rate", "30"}, io.Discard); err != nil || cfg.rate != 30 {
		t.Errorf("--rate 30: %+v, %v", cfg, err)
	}
	if _, err := parseConfig([]string{"--scenario", "deadline", "--target", "http://127.0.0.1:1"}, io.Discard); err == nil {
		t.Error("deadline against --target accepted")
	}
	if _, err := parseConfig([]string{"--scenario", "rush"}, io.Discard); err == nil {
		t.Error("--scenario rush accepted")
	}
}

// TestRecorderSeparatesConflicts: a 409 stale_version is a version
// conflict; every other failure — a 409 of another code, a 500, a refused
// page save answered 200 — is unexpected, and only successes are counted.
func TestRecorderSeparatesConflicts(t *testing.T) {
	rec, ctx, t0 := newRecorder(), context.Background(), time.Now()
	rec.record(ctx, opSaveEntry, t0, 200, nil, 0)
	rec.record(ctx, opSaveEntry, t0, 409, &statusError{status: 409, body: `{"error":{"code":"stale_version"}}`}, 0)
	rec.record(ctx, opSaveEntry, t0, 409, &statusError{status: 409, body: `{"error":{"code":"not_editable"}}`}, 0)
	rec.record(ctx, opUpload, t0, 500, &statusError{status: 500, body: "internal"}, 0)
	rec.record(ctx, opPageSave, t0, 200, &statusError{status: 200, body: "no saved notice in the answer"}, 0)
	if rec.count(opSaveEntry) != 1 || rec.ops[opSaveEntry].conflicts != 1 || rec.unexpected() != 3 {
		t.Errorf("ok %d, conflicts %d, unexpected %d; want 1, 1, 3", rec.count(opSaveEntry), rec.ops[opSaveEntry].conflicts, rec.unexpected())
	}
	var out bytes.Buffer
	rec.print(&out, time.Second)
	if !strings.Contains(out.String(), "not_editable") || !strings.Contains(out.String(), "status 500 (1×)") {
		t.Errorf("report does not show the failures:\n%s", out.String())
	}
	// A cancelled run's failures are not the server's.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	rec.record(cctx, opUpload, t0, 0, context.Canceled, 0)
	if rec.unexpected() != 3 {
		t.Errorf("a cancelled request counted as a failure")
	}
}
