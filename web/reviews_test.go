package web

import (
	"encoding/csv"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// TestReviewWorkflowEndToEnd walks a submission through the API from the
// pilot to the province (a return with per-indicator comments, then a
// forward), the ministry (a return, then an acceptance after an expert
// round) and checks the audit trail of it all, on SQLite and PostgreSQL.
// Every step is taken by an account of the role that takes it in the
// programme, and the roles that may not take a step are refused it.
func TestReviewWorkflowEndToEnd(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		env := newTestEnv(t, envOptions{store: store})
		p, c := env.fixture()
		sub := env.submission(c, p)
		subPath := "/api/v1/submissions/" + itoa(sub.ID)
		pilot := env.as(env.newUser("sjz", platform.NewUser{Role: platform.RolePilot, PilotID: p.ID}))
		province := env.as(env.newUser("hebei", platform.NewUser{Role: platform.RoleProvince, Province: "13"}))
		otherProvince := env.as(env.newUser("jiangsu", platform.NewUser{Role: platform.RoleProvince, Province: "32"}))
		ministry := env.as(env.newUser("mohurd", platform.NewUser{Role: platform.RoleMinistry}))
		pilot.do("PUT", subPath+"/entries/1.1.1", EntryFields{Level: ptr(4), Narrative: "规划纲要已评审"}).expect(200)
		move := func(actor *testEnv, to, reason string, comments []platform.IndicatorComment) platform.Submission {
			t.Helper()
			actor.do("POST", subPath+"/transition", SubmissionTransition{To: to, Version: sub.Version, Reason: reason, Comments: comments}).
				expect(200).decode(&sub)
			return sub
		}
		move(pilot, "submitted", "", nil)
		// Nobody reviews their own work, and a province sees only its own.
		pilot.do("POST", subPath+"/transition", SubmissionTransition{To: "accepted", Version: sub.Version}).expectError(403, "forbidden")
		province.do("POST", subPath+"/transition", SubmissionTransition{To: "accepted", Version: sub.Version}).expectError(403, "forbidden")
		otherProvince.do("POST", subPath+"/transition", SubmissionTransition{To: "forwarded", Version: sub.Version}).expect(404)

		// The province returns it with comments on two indicators.
		province.do("POST", subPath+"/transition", SubmissionTransition{To: "returned", Version: sub.Version, Reason: "材料不全",
			Comments: []platform.IndicatorComment{{Code: "1.1", Comment: "x"}}}).expectError(422, "unknown_indicator", "comments")
		province.do("POST", subPath+"/transition", SubmissionTransition{To: "forwarded", Version: sub.Version,
			Comments: []platform.IndicatorComment{{Code: "1.1.1", Comment: "x"}}}).expectError(422, "bad_value", "comments")
		move(province, "returned", "材料不全", []platform.IndicatorComment{{Code: "1.1.1", Comment: "请补充专家评审意见"}, {Code: "1.2.1", Comment: "缺少数据来源"}})
		var got platform.Submission
		pilot.do("GET", subPath, nil).expect(200).decode(&got) // the pilot sees the reason and comments
		if got.Reason != "材料不全" || len(got.ReturnComments) != 2 || got.Entries[0].ReturnComment != "请补充专家评审意见" {
			t.Fatalf("returned submission: reason %q, comments %+v, entries %+v", got.Reason, got.ReturnComments, got.Entries)
		}
		// Resubmitting clears the reason and comments; the history keeps them.
		move(pilot, "submitted", "", nil)
		got = platform.Submission{}
		pilot.do("GET", subPath, nil).expect(200).decode(&got)
		if got.Reason != "" || len(got.ReturnComments) != 0 || got.Entries[0].ReturnComment != "" {
			t.Fatalf("resubmitted: reason %q, comments %+v", got.Reason, got.ReturnComments)
		}
		if h := got.History[1]; h.To != "returned" || h.Reason != "材料不全" || len(h.Comments) != 2 || h.Comments[1].Code != "1.2.1" {
			t.Fatalf("history: %+v", got.History)
		}
		// Province forwards, the ministry returns, the pilot resubmits, the
		// province forwards again.
		move(province, "forwarded", "", nil)
		pilot.do("POST", subPath+"/transition", SubmissionTransition{To: "submitted", Version: sub.Version}).expectError(409, "bad_state_transition")
		province.do("POST", subPath+"/transition", SubmissionTransition{To: "accepted", Version: sub.Version}).expectError(403, "forbidden")
		move(ministry, "returned", "指标说明不清", nil)
		move(pilot, "submitted", "", nil)
		move(province, "forwarded", "", nil)

		reviewRound(t, env, ministry, c, sub)

		move(ministry, "accepted", "", nil)
		ministry.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/results", nil).expect(200)
		pilot.do("GET", "/api/v1/audit?object=submission/"+itoa(sub.ID), nil).expectError(403, "forbidden")

		// The audit trail: every step of the submission, and a sound chain.
		rows := list[platform.AuditRecord](ministry.do("GET", "/api/v1/audit?object=submission/"+itoa(sub.ID)+"&limit=1000", nil).expect(200))
		var actions []string
		for _, r := range rows.Items {
			actions = append(actions, r.Action)
		}
		want := "submission.create submission.entry.save submission.submit submission.return submission.submit submission.forward " +
			"submission.return submission.submit submission.forward submission.accept"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("audit of %s:\n got %s\nwant %s", subPath, got, want)
		}
		if len(rows.Items) < 4 {
			t.Fatalf("audit rows: %+v", rows.Items)
		}
		if r := rows.Items[3]; !strings.Contains(string(r.After), "请补充专家评审意见") || r.Address != "127.0.0.1" || r.Actor != "hebei" {
			t.Errorf("return row %+v", r)
		}
		var v platform.AuditVerification
		env.do("GET", "/api/v1/audit/verify", nil).expect(200).decode(&v)
		var inHeads int64
		for _, h := range v.Heads {
			inHeads += h.Seq
		}
		if !v.OK || v.Rows < 20 || inHeads != v.Rows || len(v.Heads) != platform.AuditChains || len(v.HeadDigest) != 64 {
			t.Errorf("verify: %+v", v)
		}
		res := env.do("GET", "/api/v1/audit/export?format=csv&object=cycle/"+itoa(c.ID), nil).expect(200)
		recs, err := csv.NewReader(strings.NewReader(string(res.body))).ReadAll()
		if err != nil || len(recs) < 3 || strings.Join(recs[0], ",") != "id,chain,chain_seq,at,actor,address,action,object,before,after,prev_hash,hash" {
			t.Errorf("csv export: %v %q", err, res.body)
		}
		env.do("GET", "/api/v1/audit?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", nil).expectError(422, "bad_value", "to")
	})
}

// reviewRound runs a blind expert round on the forwarded submission: three
// experts (none of the pilot's province 13), k = 2, scores on every leaf,
// submitted; then checks agreement and the expert total.
func reviewRound(t *testing.T, root, env *testEnv, c platform.Cycle, sub platform.Submission) {
	t.Helper()
	experts := map[int64]*testEnv{} // expert ID → the expert's own account
	for i, e := range []ExpertFields{{Name: "王一", ProvinceCode: "32", Organisation: "东南大学"},
		{Name: "李二", ProvinceCode: "33", Organisation: "浙江大学"}, {Name: "张三", ProvinceCode: "13", Organisation: "河北工业大学"}} {
		e.Username = "expert-" + itoa(int64(i+1))
		var x platform.Expert
		env.do("POST", "/api/v1/experts", e).expect(201).decode(&x)
		experts[x.ID] = root.as(root.newUser(e.Username, platform.NewUser{Role: platform.RoleExpert}))
	}
	env.do("POST", "/api/v1/experts", ExpertFields{Name: "坏", ProvinceCode: "1"}).expect(422)
	cycle := "/api/v1/cycles/" + itoa(c.ID)
	var rs platform.ReviewSettings
	env.do("GET", cycle+"/review-settings", nil).expect(200).decode(&rs)
	rs.ExpertsPerSubmission = 2
	stale := rs
	env.do("PUT", cycle+"/review-settings", rs).expect(200).decode(&rs)
	env.do("PUT", cycle+"/review-settings", stale).expectError(409, "stale_version")
	var ar platform.AssignResult
	env.do("POST", cycle+"/assignments", nil).expect(200).decode(&ar)
	if len(ar.Created) != 2 || len(ar.Plan.Short) != 0 {
		t.Fatalf("assignments: %+v", ar)
	}
	fw, _ := framework.Builtin("mohurd-2012")
	for i, a := range ar.Created {
		if a.ExpertID == 3 {
			t.Fatalf("expert of the pilot's province assigned: %+v", a)
		}
		var scores []platform.ReviewScore
		for j, l := range fw.Leaves() {
			scores = append(scores, platform.ReviewScore{Code: l.Code, Score: ptr(float64(40 + (j*7+i*13)%60)), Comment: "意见"})
		}
		path := "/api/v1/reviews/" + itoa(a.ID)
		expert := experts[a.ExpertID]
		var saved platform.Assignment
		env.do("PUT", path, ReviewSave{Version: a.Version, Scores: scores}).expectError(403, "forbidden") // the ministry does not score
		expert.do("PUT", path, ReviewSave{Version: a.Version, Scores: scores}).expect(200).decode(&saved)
		expert.do("POST", path+"/submit", ReviewAction{Version: saved.Version}).expect(200).decode(&saved)
		expert.do("PUT", path, ReviewSave{Version: saved.Version, Scores: scores}).expectError(409, "not_editable")
	}
	l := list[platform.Assignment](env.do("GET", cycle+"/assignments?state=submitted", nil).expect(200))
	if l.Total != 2 || l.Items[0].Explanation == "" {
		t.Fatalf("submitted assignments: %+v", l)
	}
	var pa platform.PanelAgreement
	env.do("GET", "/api/v1/submissions/"+itoa(sub.ID)+"/agreement", nil).expect(200).decode(&pa)
	if pa.Items != len(fw.Leaves()) || pa.KendallW == nil || pa.ICC21 == nil || len(pa.Deviations) != 2 {
		t.Errorf("agreement: %+v", pa)
	}
	ers := list[platform.ExpertResult](env.do("GET", cycle+"/expert-results", nil).expect(200))
	if ers.Total != 1 || ers.Items[0].Total == nil || len(ers.Items[0].Scores) != len(fw.Leaves()) {
		t.Errorf("expert results: %+v", ers)
	}
}
