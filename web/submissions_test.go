package web

import (
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestSubmissionEntries(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	p, c := env.fixture()
	sub := env.submission(c, p)
	if sub.State != platform.SubmissionDraft || sub.Completeness != 0 {
		t.Fatalf("created: %+v", sub)
	}
	entry := "/api/v1/submissions/" + itoa(sub.ID) + "/entries/"

	var e platform.Entry
	env.do("PUT", entry+"1.1.1", EntryFields{Level: ptr(4), Narrative: "规划纲要已评审", Version: 0}).expect(200).decode(&e)
	if e.Version != 1 || !e.Complete || e.Level == nil || *e.Level != 4 {
		t.Fatalf("saved: %+v", e)
	}
	env.do("PUT", entry+"1.2.1", EntryFields{Value: ptr(87.5), Unit: "%", Version: 0}).expect(200)
	env.do("PUT", entry+"1.1.1", EntryFields{Level: ptr(5), Version: 1}).expect(200).decode(&e)
	if e.Version != 2 {
		t.Fatalf("second save: version %d, want 2", e.Version)
	}

	// Someone else saved version 2 meanwhile: the stale write gets 409 and
	// the current entry, so the client can merge.
	stale := env.do("PUT", entry+"1.1.1", EntryFields{Level: ptr(3), Version: 1}).expectError(409, "stale_version")
	cur, _ := stale.Current.(map[string]any)
	if cur["code"] != "1.1.1" || cur["version"] != float64(2) || cur["level"] != float64(5) {
		t.Errorf("stale save: current = %v", stale.Current)
	}

	var got platform.Submission
	env.do("GET", "/api/v1/submissions/"+itoa(sub.ID), nil).expect(200).decode(&got)
	if len(got.Entries) != 2 || got.Completeness <= 0 || got.Completeness >= 1 {
		t.Fatalf("submission: %d entries, completeness %v", len(got.Entries), got.Completeness)
	}

	for _, q := range []string{"/api/v1/submissions?cycle_id=" + itoa(c.ID), "/api/v1/submissions?pilot_id=" + itoa(p.ID) + "&state=draft",
		"/api/v1/cycles/" + itoa(c.ID) + "/submissions"} {
		if l := list[platform.Submission](env.do("GET", q, nil).expect(200)); l.Total != 1 || l.Items[0].ID != sub.ID {
			t.Errorf("%s: %+v", q, l)
		}
	}
	if l := list[platform.Submission](env.do("GET", "/api/v1/submissions?state=accepted", nil).expect(200)); l.Total != 0 {
		t.Errorf("accepted: %d, want 0", l.Total)
	}
}

func TestSubmissionEntryErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	p, c := env.fixture()
	sub := env.submission(c, p)
	entry := "/api/v1/submissions/" + itoa(sub.ID) + "/entries/"

	env.do("PUT", "/api/v1/submissions/999/entries/1.1.1", EntryFields{Level: ptr(1)}).expectError(404, "not_found")
	env.do("PUT", entry+"9.9.9", EntryFields{Level: ptr(1)}).expectError(422, "unknown_indicator", "code")
	env.do("PUT", entry+"1.1", EntryFields{Level: ptr(1)}).expectError(422, "not_leaf", "code")
	env.do("PUT", entry+"1.1.1", EntryFields{Level: ptr(6)}).expectError(422, "out_of_range", "level")
	env.do("PUT", entry+"1.1.1", EntryFields{Level: ptr(0)}).expectError(422, "invalid", "level")
	env.do("PUT", entry+"1.2.1", EntryFields{Value: ptr(50.0), Unit: "km"}).expectError(422, "bad_value", "unit")
	env.do("PUT", entry+"1.1.1", `{"level": "four"}`).expectError(422, "invalid", "level")
	env.do("PUT", entry+"1.1.1", `{"level": 4,`).expectError(400, "bad_request")
	deep := env.do("PUT", entry+"1.1.1", strings.Repeat(`{"a":`, 20000)).expectError(400, "bad_request")
	if !strings.HasPrefix(deep.Error.Message, "malformed JSON body: ") {
		t.Errorf("too deeply nested body: %q, want it called malformed JSON", deep.Error.Message)
	}
}

func TestSubmissionTransitions(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	p, c := env.fixture()
	sub := env.submission(c, p)
	path := "/api/v1/submissions/" + itoa(sub.ID) + "/transition"
	clerk := env.as(env.newUser("pilot-clerk", platform.NewUser{Role: platform.RolePilot, PilotID: p.ID}))
	reviewer := env.as(env.newUser("reviewer", platform.NewUser{Role: platform.RoleProvince, Province: p.ProvinceCode}))

	env.do("POST", path, SubmissionTransition{To: "accepted", Version: sub.Version}).expectError(409, "bad_state_transition")
	env.do("POST", path, SubmissionTransition{To: "submitted", Version: sub.Version + 5}).expectError(409, "stale_version")
	clerk.do("POST", path, SubmissionTransition{To: "submitted", Version: sub.Version}).expect(200).decode(&sub)
	if sub.State != platform.SubmissionSubmitted || sub.SubmittedAt == nil {
		t.Fatalf("submitted: %+v", sub)
	}
	env.do("PUT", "/api/v1/submissions/"+itoa(sub.ID)+"/entries/1.1.1", EntryFields{Level: ptr(2)}).expectError(409, "not_editable")
	env.do("POST", path, SubmissionTransition{To: "returned", Version: sub.Version}).expectError(422, "reason_required", "reason")
	reviewer.do("POST", path, SubmissionTransition{To: "returned", Version: sub.Version, Reason: "缺少规划纲要"}).
		expect(200).decode(&sub)
	if sub.State != platform.SubmissionReturned || sub.Reason != "缺少规划纲要" {
		t.Fatalf("returned: %+v", sub)
	}
	env.do("PUT", "/api/v1/submissions/"+itoa(sub.ID)+"/entries/1.1.1", EntryFields{Level: ptr(2)}).expect(200)
	env.do("POST", path, SubmissionTransition{To: "submitted", Version: sub.Version}).expect(200).decode(&sub)
	env.do("POST", path, SubmissionTransition{To: "accepted", Version: sub.Version}).expect(200).decode(&sub)

	env.do("GET", "/api/v1/submissions/"+itoa(sub.ID), nil).expect(200).decode(&sub)
	if len(sub.History) != 4 || sub.History[0].Actor != "pilot-clerk" || sub.History[1].Actor != "reviewer" {
		t.Fatalf("history (actors from the accounts): %+v", sub.History)
	}
}

func TestSubmissionErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	p, c := env.fixture()
	env.do("POST", "/api/v1/cycles/999/submissions", SubmissionCreate{PilotID: p.ID}).expectError(404, "not_found")
	env.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/submissions", SubmissionCreate{PilotID: 999}).expectError(404, "not_found")
	env.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/submissions", SubmissionCreate{}).expectError(422, "invalid", "pilot_id")
	env.submission(c, p)
	env.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/submissions", SubmissionCreate{PilotID: p.ID}).expectError(409, "duplicate")
	env.do("GET", "/api/v1/submissions/999", nil).expectError(404, "not_found")
	env.do("POST", "/api/v1/submissions/999/transition", SubmissionTransition{To: "submitted", Version: 1}).expectError(404, "not_found")

	var draft platform.Cycle
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "草稿", Kind: "final_acceptance", Year: 2016, FrameworkID: "mohurd-2012"}).
		expect(201).decode(&draft)
	env.do("POST", "/api/v1/cycles/"+itoa(draft.ID)+"/submissions", SubmissionCreate{PilotID: p.ID}).expectError(409, "cycle_not_open")
}
