package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// TestConcurrentSavesOneWins: writers that read the same entry version race;
// exactly one write per version succeeds, the others get stale_version.
func TestConcurrentSavesOneWins(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ps := fixture(t, s, 1)
		sub, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		const writers = 8
		for version := range 3 { // create (0), then two updates
			var wg sync.WaitGroup
			results := make(chan error, writers)
			for w := range writers {
				wg.Go(func() {
					_, err := s.SaveEntry(ctx, platform.EntryWrite{SubmissionID: sub.ID, Version: version, Leaves: 1,
						Entry: platform.Entry{Code: "1.1.1", Value: ptr(float64(w)), Complete: true, UpdatedAt: t0}})
					results <- err
				})
			}
			wg.Wait()
			close(results)
			won, stale := 0, 0
			for err := range results {
				switch {
				case err == nil:
					won++
				case platform.ErrorCodeOf(err) == platform.CodeStaleVersion:
					stale++
				default:
					t.Fatalf("version %d: %v", version, err)
				}
			}
			if won != 1 || stale != writers-1 {
				t.Fatalf("version %d: %d won, %d stale; want 1 and %d", version, won, stale, writers-1)
			}
		}
		got, _ := s.GetSubmission(ctx, sub.ID)
		if len(got.Entries) != 1 || got.Entries[0].Version != 3 || got.Completeness != 1 {
			t.Fatalf("after the races: %+v", got)
		}
	})
}
