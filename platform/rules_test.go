package platform_test

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// rulesFixture is a service on a store with a cycle of the tiny framework
// (A.1 % with goalposts 0–100, A.2 rubric 0/50/100, B.1 expert) created
// from c and opened.
func rulesFixture(t *testing.T, store *sqlstore.Store, c platform.Cycle) (*platform.Service, context.Context, platform.Cycle) {
	t.Helper()
	svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "ministry", Roles: []string{"admin"}})
	c.Name, c.Kind, c.Year, c.FrameworkID = "规则", platform.CycleAnnualMonitoring, 2025, "tiny"
	c, err := svc.CreateCycle(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	return svc, ctx, c
}

// pilotWith creates a pilot in region and its submission with entries.
func pilotWith(t *testing.T, svc *platform.Service, ctx context.Context, c platform.Cycle, region string, entries map[string]platform.EntryInput) platform.Submission {
	t.Helper()
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: region, Name: "区" + region, Batch: "2013", Type: platform.PilotDistrict})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for code, in := range entries {
		if _, err := svc.SaveEntry(ctx, sub.ID, code, in); err != nil {
			t.Fatalf("%s %s: %v", region, code, err)
		}
	}
	sub, err = svc.GetSubmission(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// moveTo takes a submission through the given states.
func moveTo(t *testing.T, svc *platform.Service, ctx context.Context, sub platform.Submission, states ...platform.SubmissionState) platform.Submission {
	t.Helper()
	for _, to := range states {
		var err error
		if sub, err = svc.TransitionSubmission(ctx, sub.ID, sub.Version, to, ""); err != nil {
			t.Fatalf("submission %d to %s: %v", sub.ID, to, err)
		}
	}
	return sub
}

// The default rule: every leaf answered before submitting. A leaf the cycle
// allows may be not applicable, with a reason; others may not.
func TestCompletenessRule(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc, ctx, c := rulesFixture(t, store, platform.Cycle{NotApplicable: []string{"B.1"}})
		if *c.MinCompleteness != 1 || *c.CoverageThreshold != 1 || !slices.Equal(c.NotApplicable, []string{"B.1"}) {
			t.Fatalf("defaults: %+v", c)
		}
		sub := pilotWith(t, svc, ctx, c, "110105", map[string]platform.EntryInput{"A.1": {Value: ptr(40.0)}})
		_, err := svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionSubmitted, "")
		wantErr(t, err, platform.Conflict, platform.CodeIncomplete, "answers 1 of 3 leaves (33.3 %); cycle "+strconv.FormatInt(c.ID, 10)+" requires 100.0 %: missing A.2, B.1")
		wantErr(t, err, platform.Conflict, platform.CodeIncomplete, "this cycle allows B.1")

		_, err = svc.SaveEntry(ctx, sub.ID, "A.2", platform.EntryInput{NotApplicable: true, Narrative: "无"})
		wantErr(t, err, platform.Invalid, platform.CodeNotApplicable, "cannot be marked not applicable in this cycle (the cycle allows: B.1)")
		_, err = svc.SaveEntry(ctx, sub.ID, "B.1", platform.EntryInput{NotApplicable: true})
		wantErr(t, err, platform.Invalid, platform.CodeReasonRequired, "needs a reason")
		_, err = svc.SaveEntry(ctx, sub.ID, "B.1", platform.EntryInput{NotApplicable: true, Value: ptr(50.0), Narrative: "无"})
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, "no value and no level")
		e, err := svc.SaveEntry(ctx, sub.ID, "B.1", platform.EntryInput{NotApplicable: true, Narrative: "本市无此项"})
		if err != nil || !e.NotApplicable || !e.Complete || e.Level != nil || e.Value != nil {
			t.Fatalf("not applicable: %+v, %v", e, err)
		}
		if _, err := svc.SaveEntry(ctx, sub.ID, "A.2", platform.EntryInput{Level: ptr(2)}); err != nil {
			t.Fatal(err)
		}
		got, _ := svc.GetSubmission(ctx, sub.ID)
		if got.Completeness != 1 {
			t.Fatalf("completeness %v, want 1 (not applicable counts as answered)", got.Completeness)
		}
		for _, e := range got.Entries {
			if e.Code == "B.1" && (!e.NotApplicable || e.Narrative != "本市无此项") {
				t.Fatalf("stored B.1: %+v", e)
			}
		}
		moveTo(t, svc, ctx, got, platform.SubmissionSubmitted)
	})
}

// The gaming case: with a lowered minimum completeness a pilot that filled
// 1 of 3 leaves can be submitted and accepted, but the results flag it and
// keep it out of the ranking and the star rating; the others' scores and
// ranks do not change when it is accepted (absolute scoring).
func TestCoverageThresholdKeepsGamingOutOfTheRanking(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc, ctx, c := rulesFixture(t, store, platform.Cycle{MinCompleteness: ptr(0.3), NotApplicable: []string{"B.1"}})
		if c.Scoring.Mode != platform.ScoringAbsolute {
			t.Fatalf("scoring: %+v", c.Scoring)
		}
		// P2: A.1 50 → 50, A.2 level 2 → 50, B.1 70: A 50, B 70, overall 60 (1★).
		p2 := pilotWith(t, svc, ctx, c, "110106", map[string]platform.EntryInput{"A.1": {Value: ptr(50.0)}, "A.2": {Level: ptr(2)}, "B.1": {Value: ptr(70.0)}})
		// P3: A.1 40, A.2 level 3 → 100, B.1 not applicable: A 70, overall
		// 70 (B excluded, not zero), coverage 2/2 (1★).
		p3 := pilotWith(t, svc, ctx, c, "110107", map[string]platform.EntryInput{"A.1": {Value: ptr(40.0)}, "A.2": {Level: ptr(3)},
			"B.1": {NotApplicable: true, Narrative: "无"}})
		moveTo(t, svc, ctx, p2, platform.SubmissionSubmitted, platform.SubmissionAccepted)
		moveTo(t, svc, ctx, p3, platform.SubmissionSubmitted, platform.SubmissionAccepted)
		if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		before, _, _ := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID})

		// P1 fills A.1 = 100 only: 1 of 3 leaves.
		p1 := pilotWith(t, svc, ctx, c, "110105", map[string]platform.EntryInput{"A.1": {Value: ptr(100.0)}})
		moveTo(t, svc, ctx, p1, platform.SubmissionSubmitted, platform.SubmissionAccepted)
		run, err := svc.ComputeResults(ctx, c.ID)
		if err != nil || run.Flagged != 1 || !strings.Contains(strings.Join(run.Warnings, "\n"), "1 pilots are below the coverage threshold 100 %") {
			t.Fatalf("run: %+v, %v", run, err)
		}
		rows, total, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID})
		if err != nil || total != 3 {
			t.Fatalf("results: %d, %v", total, err)
		}
		type want struct {
			pilot       int64
			score, cov  float64
			rank, stars int // 0: none
			ranked      bool
			missing     string
		}
		wants := []want{{p3.PilotID, 70, 1, 1, 1, true, ""}, {p2.PilotID, 60, 1, 2, 1, true, ""},
			{p1.PilotID, 100, 1.0 / 3, 0, 0, false, "A.2,B.1"}}
		for i, w := range wants {
			r := rows[i]
			if r.PilotID != w.pilot || math.Abs(*r.Score-w.score) > 1e-9 || math.Abs(r.Coverage-w.cov) > 1e-12 ||
				r.Ranked == nil || *r.Ranked != w.ranked || strings.Join(r.Missing, ",") != w.missing ||
				(w.rank == 0) != (r.Rank == nil) || (w.rank != 0 && *r.Rank != w.rank) ||
				(w.stars == 0) != (r.Stars == nil) || (w.stars != 0 && *r.Stars != w.stars) {
				t.Errorf("row %d: %+v (score %v, rank %v, stars %v), want %+v", i, r, deref(r.Score), r.Rank, r.Stars, w)
			}
		}
		// Accepting the flagged pilot changed nothing for the others.
		for i := range before {
			if *before[i].Score != *rows[i].Score || *before[i].Rank != *rows[i].Rank || *before[i].Stars != *rows[i].Stars {
				t.Errorf("pilot %d changed when another was accepted: %+v → %+v", before[i].PilotID, before[i], rows[i])
			}
		}
		across, err := svc.PilotResults(ctx, p1.PilotID)
		if err != nil || len(across) != 1 || across[0].Ranked == nil || *across[0].Ranked || strings.Join(across[0].Missing, ",") != "A.2,B.1" {
			t.Fatalf("pilot results of the flagged pilot: %+v, %v", across, err)
		}
		// The flagged pilot has no rank at any level either.
		level1, _, _ := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Level: 1, PilotIDs: []int64{p1.PilotID}})
		for _, r := range level1 {
			if r.Rank != nil {
				t.Errorf("flagged pilot ranked at %s: %d", r.Code, *r.Rank)
			}
		}
	})
}

// A scheme with a cohort-relative step says so; the default is absolute.
func TestCycleSaysHowItScores(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "ministry", Roles: []string{"admin"}})
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "相对", Kind: platform.CycleAnnualMonitoring, Year: 2025, FrameworkID: "tiny",
		Scheme: []byte(`{"normalisation":{"method":"minmax"},"weighting":{"method":"entropy"}}`)})
	if err != nil || c.Scoring.Mode != platform.ScoringRelative ||
		!slices.Equal(c.Scoring.Relative, []string{"normalisation: minmax", "weighting: entropy"}) {
		t.Fatalf("relative cycle: %+v, %v", c.Scoring, err)
	}
	c, _ = svc.GetCycle(ctx, c.ID)
	if c.Scoring.Mode != platform.ScoringRelative {
		t.Fatalf("stored cycle: %+v", c.Scoring)
	}
	// The built-in framework has goalposts on every quantitative leaf; a
	// framework without them needs an explicit scheme.
	if c, err = svc.CreateCycle(ctx, platform.Cycle{Name: "绝对", Kind: platform.CycleAnnualMonitoring, Year: 2025, FrameworkID: "mohurd-2012"}); err != nil ||
		c.Scoring.Mode != platform.ScoringAbsolute || !strings.Contains(string(c.Scheme), `"goalposts"`) {
		t.Fatalf("absolute cycle: %+v, %v", c, err)
	}
}

// A quantitative leaf whose framework lists a rubric takes a level when no
// number is available, and the level's score is what the leaf scores.
func TestRubricFallbackIsScored(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "ministry", Roles: []string{"admin"}})
		c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "回退", Kind: platform.CycleAnnualMonitoring, Year: 2025, FrameworkID: "mohurd-2012",
			MinCompleteness: ptr(0.0), CoverageThreshold: ptr(0.0)})
		if err == nil {
			c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)
		}
		if err != nil {
			t.Fatal(err)
		}
		// 1.2.1 (%, goalposts 0–100) level 4 scores 75; 4.1.2 (%, goalposts
		// 0.5–4) level 3 scores 50; 3.1.3 (%) by its value 64 scores 64.
		sub := pilotWith(t, svc, ctx, c, "110105", map[string]platform.EntryInput{"1.2.1": {Level: ptr(4)}, "4.1.2": {Level: ptr(3)},
			"3.1.3": {Value: ptr(64.0)}})
		for _, e := range sub.Entries {
			if !e.Complete {
				t.Errorf("entry %s with a rubric level is not complete", e.Code)
			}
		}
		_, err = svc.SaveEntry(ctx, sub.ID, "4.1.2", platform.EntryInput{Value: ptr(150.0), Version: 1})
		wantErr(t, err, platform.Invalid, platform.CodeOutOfRange, "value 150% is outside its valid range [0, 100]%")
		moveTo(t, svc, ctx, sub, platform.SubmissionSubmitted, platform.SubmissionAccepted)
		if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		for code, want := range map[string]float64{"1.2.1": 75, "4.1.2": 50, "3.1.3": 64} {
			rows, _, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Code: code})
			if err != nil || len(rows) != 1 || rows[0].Score == nil || math.Abs(*rows[0].Score-want) > 1e-9 {
				t.Errorf("%s: %+v, %v; want score %v", code, rows, err, want)
			}
		}
	})
}

// Publishing needs current results and no pending decision (or a recorded
// override); a publication can be retracted with a reason, corrected and
// published again; an acceptance or a threshold change after computing
// makes the results stale.
func TestPublishRetractRepublish(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		svc, ctx, c, p1 := acceptThreeIn(t, svc)
		full := map[string]platform.EntryInput{"A.1": {Value: ptr(90.0)}, "A.2": {Level: ptr(3)}, "B.1": {Value: ptr(90.0)}}
		pending := moveTo(t, svc, ctx, pilotWith(t, svc, ctx, c, "110108", full), platform.SubmissionSubmitted)
		c, _ = svc.GetCycle(ctx, c.ID)
		c, err := svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleClosed)
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished)
		wantErr(t, err, platform.Conflict, platform.CodeResultsStale, "no computed results")
		if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished)
		wantErr(t, err, platform.Conflict, platform.CodePendingDecisions, "1 submissions of cycle "+strconv.FormatInt(c.ID, 10)+" await a decision ("+strconv.FormatInt(pending.ID, 10)+")")
		_, err = svc.TransitionCycleWith(ctx, c.ID, c.Version, platform.CyclePublished, platform.CycleTransitionOptions{Override: true})
		wantErr(t, err, platform.Invalid, platform.CodeReasonRequired, "reason")
		c, err = svc.TransitionCycleWith(ctx, c.ID, c.Version, platform.CyclePublished,
			platform.CycleTransitionOptions{Override: true, Reason: "部长会议决定先行公布"})
		if err != nil || c.State != platform.CyclePublished {
			t.Fatalf("publish with override: %+v, %v", c, err)
		}
		_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)
		wantErr(t, err, platform.Conflict, platform.CodeBadStateTransition, "from published it can move to: closed")
		_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleClosed)
		wantErr(t, err, platform.Invalid, platform.CodeReasonRequired, "retracting")
		c, err = svc.TransitionCycleWith(ctx, c.ID, c.Version, platform.CycleClosed, platform.CycleTransitionOptions{Reason: "漏评一个试点"})
		if err != nil || c.State != platform.CycleClosed {
			t.Fatalf("retract: %+v, %v", c, err)
		}
		// Correct: decide the pending submission; the results are stale.
		moveTo(t, svc, ctx, pending, platform.SubmissionAccepted)
		if run, err := svc.LatestRun(ctx, c.ID); err != nil || !run.Stale || run.Pilots != 3 {
			t.Fatalf("run after an acceptance: %+v, %v", run, err)
		}
		_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished)
		wantErr(t, err, platform.Conflict, platform.CodeResultsStale, "compute them again")
		if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		// New thresholds after computing: stale again until recomputed,
		// and the published stars follow them (p1's 67.5 reaches 3★ ≥ 65).
		c, _ = svc.GetCycle(ctx, c.ID)
		c.StarThresholds = []engine.StarThreshold{{Stars: 1, Min: 20}, {Stars: 2, Min: 50}, {Stars: 3, Min: 65}}
		if c, err = svc.UpdateCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
		_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished)
		wantErr(t, err, platform.Conflict, platform.CodeResultsStale, "thresholds")
		if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished); err != nil {
			t.Fatalf("republish: %v", err)
		}
		rows, total, _ := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, PilotIDs: []int64{p1.ID}})
		if total != 1 || *rows[0].Stars != 3 {
			t.Fatalf("p1 after republishing: %+v", rows)
		}
		if _, n, _ := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID}); n != 4 {
			t.Fatalf("published ranking has %d pilots, want 4", n)
		}
		events, err := svc.CycleEvents(ctx, c.ID)
		if err != nil || len(events) != 2 || events[0].Kind != platform.EventPublishOverride ||
			events[0].Reason != "部长会议决定先行公布 (1 submissions awaiting a decision)" || events[1].Kind != platform.EventRetract ||
			events[1].Reason != "漏评一个试点" || events[1].Actor != "审核员" {
			t.Fatalf("events: %+v, %v", events, err)
		}
	})
}

// A return's reason is the current reason only until the submission is
// submitted again; the history keeps it.
func TestReturnReasonClearedOnResubmission(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc, ctx, c := rulesFixture(t, store, platform.Cycle{MinCompleteness: ptr(0.0)})
		sub := moveTo(t, svc, ctx, pilotWith(t, svc, ctx, c, "110105", nil), platform.SubmissionSubmitted)
		sub, err := svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionReturned, "缺少材料")
		if err != nil || sub.Reason != "缺少材料" {
			t.Fatalf("returned: %+v, %v", sub, err)
		}
		sub = moveTo(t, svc, ctx, sub, platform.SubmissionSubmitted)
		got, _ := svc.GetSubmission(ctx, sub.ID)
		if sub.Reason != "" || got.Reason != "" || len(got.History) != 3 || got.History[1].Reason != "缺少材料" {
			t.Fatalf("resubmitted: reason %q / %q, history %+v", sub.Reason, got.Reason, got.History)
		}
	})
}

// Due dates: a date ends at 24:00 in the cycle's zone; a late submission
// needs an unexpired extension, which the ministry grants with a reason;
// the cycle lists its overdue pilots.
func TestDeadlinesAndExtensions(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		// now is 2025-06-30 12:00 UTC = 20:00 in Shanghai.
		due, err := platform.ParseCycleDate("due_at", "2025-06-29", platform.DefaultTimeZone, true)
		if err != nil || due.Format(time.RFC3339Nano) != "2025-06-29T23:59:59.999999+08:00" {
			t.Fatalf("due: %v, %v", due, err)
		}
		_, err = platform.ParseCycleDate("due_at", "29/06/2025", "", true)
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, "neither a date (2014-11-30) nor a date-time")
		_, err = platform.ParseCycleDate("due_at", "2025-06-29", "Mars/Base", true)
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, `time zone "Mars/Base"`)
		svc, ctx, c := rulesFixture(t, store, platform.Cycle{MinCompleteness: ptr(0.0), DueAt: &due})
		late := pilotWith(t, svc, ctx, c, "110105", nil)
		other := pilotWith(t, svc, ctx, c, "110106", nil)
		_, err = svc.TransitionSubmission(ctx, late.ID, late.Version, platform.SubmissionSubmitted, "")
		wantErr(t, err, platform.Conflict, platform.CodePastDue, "the cycle's due date was 2025-06-29 23:59 CST")
		list, n, err := svc.OverduePilots(ctx, c.ID, 0, 0)
		if err != nil || n != 2 || list[0].PilotID != late.PilotID || list[0].Extended || !list[0].DueAt.Equal(due) {
			t.Fatalf("overdue: %d %+v, %v", n, list, err)
		}
		_, err = svc.GrantExtension(ctx, c.ID, late.PilotID, "2025-07-01", " ")
		wantErr(t, err, platform.Invalid, platform.CodeReasonRequired, "reason")
		_, err = svc.GrantExtension(ctx, c.ID, late.PilotID, "2025-06-28", "洪灾")
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, "after the cycle's due date")
		if _, err := svc.GrantExtension(ctx, c.ID, late.PilotID, "2025-06-30T11:00:00Z", "洪灾"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.TransitionSubmission(ctx, late.ID, late.Version, platform.SubmissionSubmitted, "")
		wantErr(t, err, platform.Conflict, platform.CodePastDue, "the pilot's extension was 2025-06-30 19:00 CST")
		ext, err := svc.GrantExtension(ctx, c.ID, late.PilotID, "2025-07-01", "洪灾，延长至七月一日")
		if err != nil || ext.DueAt.Format(time.RFC3339Nano) != "2025-07-01T15:59:59.999999Z" {
			t.Fatalf("extension: %+v, %v", ext, err)
		}
		moveTo(t, svc, ctx, late, platform.SubmissionSubmitted)
		if list, n, _ := svc.OverduePilots(ctx, c.ID, 0, 0); n != 1 || list[0].PilotID != other.PilotID {
			t.Fatalf("overdue after the late submission: %d %+v", n, list)
		}
		events, _ := svc.CycleEvents(ctx, c.ID)
		if len(events) != 2 || events[1].Kind != platform.EventExtension || events[1].PilotID != late.PilotID ||
			events[1].Reason != "洪灾，延长至七月一日" || events[1].Actor != "ministry" || !events[1].DueAt.Equal(ext.DueAt) {
			t.Fatalf("events: %+v", events)
		}
	})
}

// storeWithPublishHook runs hook (once) when the service hands a
// publication to the store, as a concurrent acceptance would between the
// service's checks and the write.
type storeWithPublishHook struct {
	platform.Store
	hook func()
}

func (s *storeWithPublishHook) PublishCycle(ctx context.Context, c platform.Cycle, ev *platform.CycleEvent, n int, last int64) (platform.Cycle, error) {
	if h := s.hook; h != nil {
		s.hook = nil
		h()
	}
	return s.Store.PublishCycle(ctx, c, ev, n, last)
}

// A submission accepted after the service checked the results but before
// the publication is written makes the store refuse the publication: the
// published results never miss an accepted pilot.
func TestPublishRacingAnAcceptance(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		hooked := &storeWithPublishHook{}
		svc := newServiceWith(t, store, platform.ServiceOptions{}, func(s platform.Store) platform.Store {
			hooked.Store = s
			return hooked
		})
		svc, ctx, c, _ := acceptThreeIn(t, svc)
		full := map[string]platform.EntryInput{"A.1": {Value: ptr(90.0)}, "A.2": {Level: ptr(3)}, "B.1": {Value: ptr(90.0)}}
		late := moveTo(t, svc, ctx, pilotWith(t, svc, ctx, c, "110108", full), platform.SubmissionSubmitted)
		c, _ = svc.GetCycle(ctx, c.ID)
		c, err := svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleClosed)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		hooked.hook = func() { moveTo(t, svc, ctx, late, platform.SubmissionAccepted) }
		_, err = svc.TransitionCycleWith(ctx, c.ID, c.Version, platform.CyclePublished,
			platform.CycleTransitionOptions{Override: true, Reason: "先行公布"})
		wantErr(t, err, platform.Conflict, platform.CodeResultsStale, "accepted after its results were computed")
		if got, _ := svc.GetCycle(ctx, c.ID); got.State != platform.CycleClosed {
			t.Fatalf("cycle after the refused publication: %s", got.State)
		}
		if events, _ := svc.CycleEvents(ctx, c.ID); len(events) != 0 {
			t.Fatalf("the refused publication left events: %+v", events)
		}
	})
}

// A submission submitted in time and returned after the due date may be
// submitted again without an extension; a first submission after the due
// date may not.
func TestResubmissionAfterTheDueDate(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		clock := now
		svc := platform.NewService(store, nil, frameworksForTest(t), platform.ServiceOptions{Now: func() time.Time { return clock }})
		ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "ministry", Roles: []string{"admin"}})
		due := clock.Add(time.Hour)
		c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "期限", Kind: platform.CycleAnnualMonitoring, Year: 2025, FrameworkID: "tiny",
			MinCompleteness: ptr(0.0), DueAt: &due})
		if err == nil {
			c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)
		}
		if err != nil {
			t.Fatal(err)
		}
		onTime := moveTo(t, svc, ctx, pilotWith(t, svc, ctx, c, "110105", nil), platform.SubmissionSubmitted)
		late := pilotWith(t, svc, ctx, c, "110106", nil)
		clock = due.Add(time.Minute)
		onTime, err = svc.TransitionSubmission(ctx, onTime.ID, onTime.Version, platform.SubmissionReturned, "补充")
		if err != nil {
			t.Fatal(err)
		}
		if list, n, err := svc.OverduePilots(ctx, c.ID, 0, 0); err != nil || n != 1 || list[0].PilotID != late.PilotID {
			t.Fatalf("overdue: %d %+v, %v; want only the pilot that never submitted", n, list, err)
		}
		moveTo(t, svc, ctx, onTime, platform.SubmissionSubmitted)
		_, err = svc.TransitionSubmission(ctx, late.ID, late.Version, platform.SubmissionSubmitted, "")
		wantErr(t, err, platform.Conflict, platform.CodePastDue, "needs an extension")
	})
}

// frameworksForTest serves the tiny test framework and the built-ins.
func frameworksForTest(t *testing.T) platform.FrameworkSource {
	t.Helper()
	fw, diags := framework.Parse("tiny.yaml", []byte(testFramework))
	if diags.HasErrors() {
		t.Fatalf("test framework: %v", diags)
	}
	return frameworks{fw}
}
