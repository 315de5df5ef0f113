package sqlstore_test

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// fixture creates an open cycle and n pilots.
func fixture(t *testing.T, s *sqlstore.Store, n int) (platform.Cycle, []platform.Pilot) {
	t.Helper()
	ctx := context.Background()
	c, err := s.CreateCycle(ctx, platform.Cycle{Name: "c", Kind: platform.CycleFinalAcceptance, Year: 2016,
		FrameworkID: "f", FrameworkVersion: "1", Scheme: json.RawMessage(`{}`), State: platform.CycleOpen, Version: 1, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	var ps []platform.Pilot
	for i := range n {
		p, err := s.CreatePilot(ctx, newPilot(string(rune('1'+i%9))+"10100", "b"+string(rune('a'+i/9))))
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return c, ps
}

func ptr[T any](v T) *T { return &v }

func TestSubmissionsAndEntries(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ps := fixture(t, s, 2)
		sub, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		wantKind(t, err, platform.Conflict, platform.CodeDuplicate)

		w := platform.EntryWrite{SubmissionID: sub.ID, Leaves: 4, Entry: platform.Entry{Code: "1.1.1", Value: ptr(42.5), Complete: true, UpdatedAt: t0}}
		e, err := s.SaveEntry(ctx, w)
		if err != nil || e.Version != 1 || *e.Value != 42.5 || e.Level != nil {
			t.Fatalf("create entry: %+v, %v", e, err)
		}
		_, err = s.SaveEntry(ctx, w) // creating again: stale
		wantKind(t, err, platform.Conflict, platform.CodeStaleVersion)
		if cur := err.(*platform.Error).Current.(platform.Entry); cur.Version != 1 {
			t.Fatalf("current = %+v", cur)
		}
		w.Version, w.Entry = 1, platform.Entry{Code: "1.1.1", Level: ptr(3), Narrative: "说明", UpdatedAt: t0}
		if e, err = s.SaveEntry(ctx, w); err != nil || e.Version != 2 || e.Value != nil || *e.Level != 3 || e.Complete {
			t.Fatalf("update entry: %+v, %v", e, err)
		}
		w.Entry = platform.Entry{Code: "1.1.2", Value: ptr(1.0), Complete: true, UpdatedAt: t0}
		w.Version = 5 // updating an entry that does not exist
		_, err = s.SaveEntry(ctx, w)
		wantKind(t, err, platform.Conflict, platform.CodeStaleVersion)
		w.Version = 0
		if _, err := s.SaveEntry(ctx, w); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetSubmission(ctx, sub.ID)
		if err != nil || len(got.Entries) != 2 || got.Completeness != 0.25 || got.Entries[0].Narrative != "说明" {
			t.Fatalf("get: %+v, %v (completeness want 1/4)", got, err)
		}

		tr := platform.SubmissionTransition{ID: sub.ID, Version: 1, Inputs: []byte{1, 2},
			Transition: platform.Transition{From: platform.SubmissionDraft, To: platform.SubmissionSubmitted, Actor: "u", At: t0}}
		if sub, err = s.TransitionSubmission(ctx, tr); err != nil || sub.Version != 2 || sub.SubmittedAt == nil {
			t.Fatalf("transition: %+v, %v", sub, err)
		}
		_, err = s.TransitionSubmission(ctx, tr)
		wantKind(t, err, platform.Conflict, platform.CodeStaleVersion)
		_, err = s.SaveEntry(ctx, w)
		wantKind(t, err, platform.Conflict, platform.CodeNotEditable)
		tr = platform.SubmissionTransition{ID: sub.ID, Version: 2,
			Transition: platform.Transition{From: platform.SubmissionSubmitted, To: platform.SubmissionReturned, Reason: "缺少证明材料", Actor: "r", At: t0}}
		if sub, err = s.TransitionSubmission(ctx, tr); err != nil || sub.Reason != "缺少证明材料" || sub.State != platform.SubmissionReturned {
			t.Fatalf("return: %+v, %v", sub, err)
		}
		got, _ = s.GetSubmission(ctx, sub.ID)
		if len(got.History) != 2 || got.History[1].Reason != "缺少证明材料" || got.History[0].To != platform.SubmissionSubmitted {
			t.Fatalf("history: %+v", got.History)
		}
		ev, _, err := s.AddEvidence(ctx, platform.EvidenceWrite{Evidence: platform.Evidence{SubmissionID: sub.ID, Code: "1.1.1", SHA256: "ab", Filename: "规划.pdf", ContentType: platform.TypePDF, Size: 10, UploadedAt: t0}})
		if err != nil {
			t.Fatal(err)
		}
		got, _ = s.GetSubmission(ctx, sub.ID)
		if len(got.Entries[0].Evidence) != 1 || got.Entries[0].Evidence[0].ID != ev.ID || len(got.Entries[1].Evidence) != 0 {
			t.Fatalf("evidence on entries: %+v", got.Entries)
		}
		list, n, err := s.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: c.ID, State: "returned", Limit: 10})
		if err != nil || n != 1 || list[0].ID != sub.ID {
			t.Fatalf("list: %d %+v %v", n, list, err)
		}
		gs, gc, err := s.SubmissionScope(ctx, sub.ID)
		if err != nil || gs.State != platform.SubmissionReturned || gc.ID != c.ID || gc.FrameworkID != "f" {
			t.Fatalf("scope: %+v %+v %v", gs, gc, err)
		}
		_, _, err = s.SubmissionScope(ctx, 12345)
		wantKind(t, err, platform.NotFound, "")
	})
}

func TestImportAndResults(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ps := fixture(t, s, 3)
		var imps []platform.SubmissionImport
		for i, p := range ps {
			state := platform.SubmissionAccepted
			if i == 1 {
				state = platform.SubmissionSubmitted
			}
			imps = append(imps, platform.SubmissionImport{Inputs: []byte{byte(i)}, Submission: platform.Submission{
				CycleID: c.ID, PilotID: p.ID, State: state, Version: 3, CreatedAt: t0, UpdatedAt: t0,
				Entries: []platform.Entry{{Code: "a", Value: ptr(1.0), Complete: true, Version: 1, UpdatedAt: t0}},
				History: []platform.Transition{{From: "draft", To: "submitted", Actor: "import", At: t0}}}})
		}
		if err := s.ImportSubmissions(ctx, imps); err != nil {
			t.Fatal(err)
		}
		in, err := s.AcceptedInputs(ctx, c.ID)
		if err != nil || len(in) != 2 || in[0].PilotID != ps[0].ID || in[1].PilotID != ps[2].ID || in[1].Inputs[0] != 2 || in[0].Province != "11" {
			t.Fatalf("accepted inputs: %+v, %v", in, err)
		}
		_, _, err = s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Limit: 10})
		wantKind(t, err, platform.NotFound, "")

		nan := math.NaN()
		// Two pilots × three nodes (root, "1", "1.1"), row-major by pilot.
		rs := &platform.ResultSet{
			Run:      platform.ResultRun{CycleID: c.ID, ComputedAt: t0, InputHash: "h", FrameworkID: "f", FrameworkVersion: "1", Scheme: json.RawMessage(`{}`), Pilots: 2},
			PilotIDs: []int64{ps[0].ID, ps[2].ID},
			Nodes:    []platform.ResultNode{{Code: "f", Level: 0, Parent: -1}, {Code: "1", Level: 1, Parent: 0}, {Code: "1.1", Level: 2, Parent: 1}},
			Score:    []float64{50, 50, 50, 80, 80, nan}, Rank: []int32{2, 2, 1, 1, 1, 0},
			Coverage: []float64{1, 1, 1, 0.5, 0.5, 0}, Contribution: []float64{nan, 1, 1, nan, 1, nan}, Stars: []int{0, 2},
		}
		for range 2 { // replacing gives the same rows
			if err := s.ReplaceResults(ctx, rs); err != nil {
				t.Fatal(err)
			}
		}
		rows, n, err := s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Limit: 10})
		if err != nil || n != 2 || rows[0].PilotID != ps[2].ID || *rows[0].Score != 80 || *rows[0].Rank != 1 || *rows[0].Stars != 2 ||
			rows[0].Contribution != nil || rows[0].Code != "f" || rows[0].PilotName != ps[2].Name || rows[0].Coverage != 0.5 {
			t.Fatalf("root rows: %d %+v %v", n, rows, err)
		}
		rows, _, _ = s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Code: "1.1", Sort: "-score", Limit: 10})
		if len(rows) != 2 || rows[0].PilotID != ps[0].ID || rows[1].Score != nil || rows[1].Rank != nil || rows[0].Stars != nil {
			t.Fatalf("node 1.1 by -score (missing last): %+v", rows)
		}
		rows, n, _ = s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Level: 1, Sort: "name", Limit: 1, Offset: 1})
		if n != 2 || len(rows) != 1 || rows[0].Code != "1" || rows[0].PilotName != ps[2].Name {
			t.Fatalf("level 1 by name, second: %d %+v", n, rows)
		}
		_, _, err = s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Code: "9.9", Limit: 10})
		wantKind(t, err, platform.NotFound, "")
		pr, err := s.PilotResults(ctx, ps[0].ID)
		if err != nil || len(pr) != 1 || *pr[0].Score != 50 || *pr[0].Rank != 2 || *pr[0].Stars != 0 || pr[0].Code != "f" {
			t.Fatalf("pilot results: %+v, %v", pr, err)
		}
		run, err := s.LatestRun(ctx, c.ID)
		if err != nil || run.InputHash != "h" || run.Pilots != 2 || !run.ComputedAt.Equal(t0) {
			t.Fatalf("run: %+v, %v", run, err)
		}
	})
}
