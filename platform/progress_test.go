package platform_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// SubmissionProgress counts the answered leaves overall and per group,
// lists the missing ones in framework order, and gives the pilot's due
// date (its extension when it has one).
func TestSubmissionProgress(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		due := time.Date(2030, 3, 31, 23, 59, 59, 0, time.UTC)
		svc, ctx, c := rulesFixture(t, store, platform.Cycle{NotApplicable: []string{"B.1"}, DueAt: &due})
		sub := pilotWith(t, svc, ctx, c, "110105", map[string]platform.EntryInput{
			"A.2": {Level: ptr(2)},
			"B.1": {NotApplicable: true, Narrative: "没有"},
		})
		p, err := svc.SubmissionProgress(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		// tiny: A (A.1, A.2), B (B.1); A.1 is the one leaf missing.
		if p.Answered != 2 || p.Leaves != 3 || !slices.Equal(p.Missing, []string{"A.1"}) || p.Enough() {
			t.Errorf("progress %+v", p)
		}
		if p.Groups["A"] != (platform.LeafCount{Answered: 1, Leaves: 2}) || p.Groups["B"] != (platform.LeafCount{Answered: 1, Leaves: 1}) {
			t.Errorf("groups %+v", p.Groups)
		}
		if p.Required != 1 || !p.MayBeNotApplicable("B.1") || p.MayBeNotApplicable("A.1") {
			t.Errorf("rules %+v", p)
		}
		if p.DueAt == nil || !p.DueAt.Equal(due) || p.Extended {
			t.Errorf("due %v extended %v, want %v", p.DueAt, p.Extended, due)
		}
		ext := due.AddDate(0, 1, 0)
		if _, err := svc.GrantExtension(ctx, c.ID, sub.PilotID, ext.Format(time.RFC3339), "洪水"); err != nil {
			t.Fatal(err)
		}
		if p, err = svc.SubmissionProgress(ctx, sub); err != nil || p.DueAt == nil || !p.DueAt.Equal(ext) || !p.Extended {
			t.Errorf("after the extension: %v %+v", err, p)
		}
		// Another pilot's user cannot read it: not found.
		other := platform.WithIdentity(context.Background(), platform.Identity{User: "p2", Roles: []string{"pilot"}, PilotID: sub.PilotID + 99})
		if _, err := svc.SubmissionProgress(svc.Bind(other, platform.IdentityFrom(other)), sub); platform.ErrorKindOf(err) != platform.NotFound {
			t.Errorf("another pilot: %v", err)
		}
	})
}

// An entry records who saved it, and a stale save's conflict carries the
// current entry with its author: the form shows whose change it was.
func TestEntryRecordsItsAuthor(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc, ctx, c := rulesFixture(t, store, platform.Cycle{})
		sub := pilotWith(t, svc, ctx, c, "110105", nil)
		alice := platform.WithIdentity(context.Background(), platform.Identity{User: "alice", Roles: []string{"admin"}})
		e, err := svc.SaveEntry(alice, sub.ID, "A.1", platform.EntryInput{Value: ptr(40.0)})
		if err != nil || e.UpdatedBy != "alice" {
			t.Fatalf("save: %v %+v", err, e)
		}
		_, err = svc.SaveEntry(ctx, sub.ID, "A.1", platform.EntryInput{Value: ptr(50.0), Version: 0})
		var pe *platform.Error
		if !errors.As(err, &pe) || pe.Code != platform.CodeStaleVersion {
			t.Fatalf("stale save: %v", err)
		}
		cur, ok := pe.Current.(platform.Entry)
		if !ok || cur.UpdatedBy != "alice" || cur.Value == nil || *cur.Value != 40 || cur.Version != 1 {
			t.Errorf("conflict's current entry: %#v", pe.Current)
		}
		full, err := svc.GetSubmission(ctx, sub.ID)
		if err != nil || len(full.Entries) != 1 || full.Entries[0].UpdatedBy != "alice" {
			t.Errorf("read back: %v %+v", err, full.Entries)
		}
	})
}
