package platform_test

import (
	"context"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// storeWithScopeHook runs hook (once) after reading a submission's scope,
// as a concurrent request would between a transition's read and its write.
type storeWithScopeHook struct {
	platform.Store
	hook func()
}

func (s *storeWithScopeHook) SubmissionScope(ctx context.Context, id int64) (platform.Submission, platform.Cycle, error) {
	sub, c, err := s.Store.SubmissionScope(ctx, id)
	if h := s.hook; h != nil {
		s.hook = nil
		h()
	}
	return sub, c, err
}

// A cycle closed between a submit's read and its write refuses the submit,
// and a cycle published between an accept's read and its write refuses the
// accept: the store checks the cycle inside the write, and nothing changes.
func TestTransitionRacingACycleTransition(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		hooked := &storeWithScopeHook{}
		svc := newServiceWith(t, store, platform.ServiceOptions{}, func(s platform.Store) platform.Store {
			hooked.Store = s
			return hooked
		})
		ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "审核员", Roles: []string{"admin"}})
		c := openCycle(t, svc)
		var subs []platform.Submission
		for _, region := range []string{"110105", "110106"} {
			p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: region, Name: "区" + region, Batch: "2013", Type: platform.PilotDistrict})
			if err != nil {
				t.Fatal(err)
			}
			sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			subs = append(subs, sub)
		}
		// The second submission is submitted before the cycle closes.
		if subs[1], _ = svc.TransitionSubmission(ctx, subs[1].ID, subs[1].Version, platform.SubmissionSubmitted, ""); subs[1].State != platform.SubmissionSubmitted {
			t.Fatalf("submit: %+v", subs[1])
		}

		hooked.hook = func() {
			var err error
			if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleClosed); err != nil {
				t.Errorf("close: %v", err)
			}
		}
		_, err := svc.TransitionSubmission(ctx, subs[0].ID, subs[0].Version, platform.SubmissionSubmitted, "")
		wantErr(t, err, platform.Conflict, platform.CodeCycleNotOpen, "closed")
		unchanged(t, svc, subs[0], 0)

		// The publication is written to the store directly: the service
		// would refuse it while a submission awaits a decision, but the
		// store's own check must hold whatever slips in between.
		hooked.hook = func() {
			cur, err := store.GetCycle(ctx, c.ID)
			if err == nil {
				cur.State = platform.CyclePublished
				c, err = store.UpdateCycle(ctx, cur)
			}
			if err != nil {
				t.Errorf("publish: %v", err)
			}
		}
		_, err = svc.TransitionSubmission(ctx, subs[1].ID, subs[1].Version, platform.SubmissionAccepted, "")
		wantErr(t, err, platform.Conflict, platform.CodeCycleNotOpen, "published")
		unchanged(t, svc, subs[1], 1)
		if in, err := store.AcceptedInputs(ctx, c.ID); err != nil || len(in) != 0 {
			t.Fatalf("accepted inputs after the refused accept: %+v, %v", in, err)
		}
	})
}

// unchanged fails unless the submission still has the state and version of
// want and a history of n transitions.
func unchanged(t *testing.T, svc *platform.Service, want platform.Submission, n int) {
	t.Helper()
	got, err := svc.GetSubmission(adminContext(), want.ID)
	if err != nil || got.State != want.State || got.Version != want.Version || len(got.History) != n {
		t.Fatalf("submission after a refused transition: %+v, %v; want state %s, version %d, %d transitions",
			got, err, want.State, want.Version, n)
	}
}
