package platform_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/sceval/sceval/platform"
)

// Actions without a row in the table (added by other modules before their
// rules are) are the administrator's alone.
func TestUnknownActionsAreAdminOnly(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		id   platform.Identity
		kind platform.ErrorKind
	}{
		{platform.Identity{User: "root", Roles: []string{"admin"}}, ""},
		{platform.Identity{User: "m", Roles: []string{"ministry"}}, platform.Forbidden},
		{platform.Identity{User: "p", Roles: []string{"pilot"}, PilotID: 1}, platform.Forbidden},
		{platform.Identity{}, platform.Unauthenticated},
	} {
		err := platform.Authorize(platform.WithIdentity(ctx, tc.id), "framework.delete", "framework/x")
		if platform.ErrorKindOf(err) != tc.kind || (err == nil) != (tc.kind == "") {
			t.Errorf("%v on an unknown action: %v, want kind %q", tc.id.Roles, err, tc.kind)
		}
		if tc.kind == platform.Forbidden && platform.ErrorCodeOf(err) != "forbidden" {
			t.Errorf("code %q, want forbidden", platform.ErrorCodeOf(err))
		}
	}
	// Every action of the table is a real row: no role is granted nothing.
	if len(platform.RuleActions()) < 30 {
		t.Fatalf("only %d rules", len(platform.RuleActions()))
	}
}

// A scoped grant without a service bound to the request is refused: the
// facts to decide on are missing, so the answer is no.
func TestScopedGrantNeedsTheBinding(t *testing.T) {
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "p", Roles: []string{"pilot"}, PilotID: 1})
	if err := platform.Authorize(ctx, "submission.read", "submission/1"); platform.ErrorKindOf(err) != platform.Forbidden {
		t.Fatalf("scoped grant without a binding: %v", err)
	}
}

// Lists are narrowed to the caller's scope, and a filter outside it finds
// nothing.
func TestListsAreNarrowedToTheScope(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	admin := adminContext()
	a, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "330100", Name: "杭州市", Batch: "2013-1", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	c := openCycle(t, svc)
	for _, p := range []platform.Pilot{a, b} {
		if _, err := svc.CreateSubmission(admin, c.ID, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	province := svc.Bind(context.Background(), platform.Identity{User: "hb", Roles: []string{"province"}, Province: "13"})
	pilotB := svc.Bind(context.Background(), platform.Identity{User: "hz", Roles: []string{"pilot"}, PilotID: b.ID})
	anonymous := svc.Bind(context.Background(), platform.Identity{})
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		filter platform.PilotFilter
		want   []int64
	}{
		{"province 13", province, platform.PilotFilter{}, []int64{a.ID}},
		{"province 13 asking for 33", province, platform.PilotFilter{Province: "33"}, nil},
		{"pilot B", pilotB, platform.PilotFilter{}, []int64{b.ID}},
		{"anonymous (the published list of pilots)", anonymous, platform.PilotFilter{}, []int64{a.ID, b.ID}},
	} {
		ps, n, err := svc.ListPilots(tc.ctx, tc.filter)
		var got []int64
		for _, p := range ps {
			got = append(got, p.ID)
		}
		if err != nil || n != len(tc.want) || len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%s: pilots %v (total %d), %v; want %v", tc.name, got, n, err, tc.want)
		}
	}
	subs, n, err := svc.ListSubmissions(province, platform.SubmissionFilter{})
	if err != nil || n != 1 || subs[0].PilotID != a.ID {
		t.Errorf("province 13's submissions: %+v %d %v", subs, n, err)
	}
	if _, n, err := svc.ListSubmissions(pilotB, platform.SubmissionFilter{PilotID: a.ID}); err != nil || n != 0 {
		t.Errorf("pilot B asking for A's submissions: %d, %v; want none", n, err)
	}
	if _, n, err := svc.ListSubmissions(anonymous, platform.SubmissionFilter{}); err != nil || n != 0 {
		t.Errorf("anonymous sees %d submissions of an unpublished cycle (%v)", n, err)
	}
	if cs, _, err := svc.ListCycles(anonymous, platform.CycleFilter{}); err != nil || len(cs) != 0 {
		t.Errorf("anonymous sees unpublished cycles: %+v %v", cs, err)
	}
	// Reading one object outside the scope is "not found", worded as for a
	// missing one.
	_, errOut := svc.GetPilot(province, b.ID)
	_, errMissing := svc.GetPilot(admin, 999)
	if platform.ErrorKindOf(errOut) != platform.NotFound || errOut.Error() != "pilot "+itoa(b.ID)+" does not exist" ||
		errMissing.Error() != "pilot 999 does not exist" {
		t.Errorf("out of scope: %v; missing: %v", errOut, errMissing)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// assignments is an AssignmentLookup of fixed expert → submission pairs,
// as the expert-review module will provide.
type assignments map[string]int64

func (a assignments) ExpertAssigned(_ context.Context, expert platform.Identity, submissionID int64) (bool, error) {
	return a[expert.User] == submissionID, nil
}

// Experts read only the submissions assigned to them, through the lookup.
func TestExpertsReadAssignedSubmissionsOnly(t *testing.T) {
	svc0, store := newService(t, platform.ServiceOptions{})
	admin := adminContext()
	p, err := svc0.CreatePilot(admin, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	q, err := svc0.CreatePilot(admin, platform.Pilot{RegionCode: "330100", Name: "杭州市", Batch: "2013-1", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	c := openCycle(t, svc0)
	a, _ := svc0.CreateSubmission(admin, c.ID, p.ID)
	b, _ := svc0.CreateSubmission(admin, c.ID, q.ID)
	expert := platform.Identity{User: "zhang", Roles: []string{"expert"}}
	// Without an assignment (no expert is named zhang) every submission
	// is denied (404).
	if _, err := svc0.GetSubmission(svc0.Bind(context.Background(), expert), a.ID); platform.ErrorKindOf(err) != platform.NotFound {
		t.Fatalf("expert without assignments: %v", err)
	}
	svc := newServiceWith(t, store, platform.ServiceOptions{Assignments: assignments{"zhang": a.ID}}, nil)
	ctx := svc.Bind(context.Background(), expert)
	if got, err := svc.GetSubmission(ctx, a.ID); err != nil || got.ID != a.ID {
		t.Fatalf("assigned submission: %+v %v", got, err)
	}
	if _, err := svc.GetSubmission(ctx, b.ID); platform.ErrorKindOf(err) != platform.NotFound {
		t.Fatalf("unassigned submission: %v", err)
	}
	if _, err := svc.GetPilot(ctx, p.ID); platform.ErrorKindOf(err) != platform.Forbidden {
		t.Fatalf("an expert reading a pilot (blind review): %v", err)
	}
}
