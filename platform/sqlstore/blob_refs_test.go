package sqlstore_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// EvidenceSums lists each blob an evidence row names once, on both databases.
func TestEvidenceSums(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if sums, err := s.EvidenceSums(ctx); err != nil || len(sums) != 0 {
			t.Fatalf("empty database: %v, %v", sums, err)
		}
		c, ps := fixture(t, s, 1)
		sub, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID,
			State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range []struct{ code, sum string }{{"1.1.1", "aa"}, {"1.1.2", "bb"}, {"1.1.3", "aa"}} {
			if _, _, err := s.AddEvidence(ctx, platform.EvidenceWrite{Evidence: platform.Evidence{SubmissionID: sub.ID, Code: ev.code, SHA256: ev.sum,
				Filename: "f.pdf", ContentType: platform.TypePDF, Size: 1, UploadedAt: t0}}); err != nil {
				t.Fatal(err)
			}
		}
		sums, err := s.EvidenceSums(ctx)
		if got := slices.Sorted(maps.Keys(sums)); err != nil || !slices.Equal(got, []string{"aa", "bb"}) {
			t.Errorf("EvidenceSums = %v, %v; want [aa bb]", got, err)
		}
	})
}
