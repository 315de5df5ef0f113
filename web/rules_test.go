package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// jsFramework is a province's own framework, published through the API.
const jsFramework = `id: js-2025
version: "1"
name: {zh: 江苏省智慧城市评价, en: Jiangsu smart-city evaluation}
indicators:
  - {code: N, name: 网络, kind: quantitative, unit: "%", goalposts: {low: 0, high: 100}}
  - {code: G, name: 治理, kind: rubric, rubric: [{label: 差, score: 0}, {label: 好, score: 100}]}
`

// Publishing, listing and exporting frameworks, and a cycle on one.
func TestPublishFrameworkAPI(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	bad := "id: x\nversion: \"1\"\nname: 坏\nindicators:\n  - code: A\n    name: 甲\n    kind: survey\n    weight: -1\n"
	e := env.do("POST", "/api/v1/frameworks?filename=bad.yaml", []byte(bad), "Content-Type", "application/yaml").
		expectError(422, "invalid_framework", "file")
	if len(e.Error.Details) != 2 || e.Error.Details[0].Field != "bad.yaml:7:11" || e.Error.Details[1].Field != "bad.yaml:8:13" ||
		!strings.Contains(e.Error.Details[1].Message, "weight: must be a positive finite number") {
		t.Fatalf("details: %+v", e.Error.Details)
	}
	var pub platform.PublishedFramework
	env.do("POST", "/api/v1/frameworks", []byte(jsFramework), "Content-Type", "application/yaml").expect(201).decode(&pub)
	if pub.ID != "js-2025" || pub.Version != "1" || pub.Leaves != 2 {
		t.Fatalf("published: %+v", pub)
	}
	env.do("POST", "/api/v1/frameworks", []byte(strings.Replace(jsFramework, "high: 100", "high: 90", 1)), "Content-Type", "application/yaml").
		expectError(409, "version_exists", "version")
	all := list[FrameworkSummary](env.do("GET", "/api/v1/frameworks", nil).expect(200))
	if all.Total != 2 || !all.Items[0].Builtin || all.Items[1].ID != "js-2025" || all.Items[1].Builtin {
		t.Fatalf("frameworks: %+v", all)
	}
	env.do("GET", "/api/v1/frameworks/js-2025/indicators", nil).expect(200)
	var c platform.Cycle
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "江苏", Kind: "annual_monitoring", Year: 2025, FrameworkID: "js-2025"}).expect(201).decode(&c)
	exported := string(env.do("GET", "/api/v1/cycles/"+itoa(c.ID)+"/framework", nil).expect(200).body)
	direct := string(env.do("GET", "/api/v1/frameworks/js-2025/export?version=1", nil).expect(200).body)
	if exported != direct || !strings.Contains(exported, "id: js-2025") || !strings.Contains(exported, "goalposts:") {
		t.Fatalf("cycle framework export:\n%s\nversion 1:\n%s", exported, direct)
	}
	pubs := list[platform.PublishedFramework](env.do("GET", "/api/v1/frameworks/published", nil).expect(200))
	if pubs.Total != 1 || pubs.Items[0].Cycles != 1 {
		t.Fatalf("published list: %+v", pubs)
	}
}

// The rules through the API: the gaming case, coverage in the results,
// publishing and retracting, deadlines and extensions.
func TestRulesAPI(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { runRulesAPI(t, newTestEnv(t, envOptions{})) })
	t.Run("postgres", func(t *testing.T) { runRulesAPI(t, newTestEnv(t, envOptions{dsn: sqlstoretest.PostgresDSN(t, nil)})) })
}

func runRulesAPI(t *testing.T, env *testEnv) {
	var strict platform.Cycle
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "默认规则", Kind: "annual_monitoring", Year: 2025, FrameworkID: "mohurd-2012",
		DueAt: "2099-12-31", NotApplicableAllowed: []string{"2.2.6"}}).expect(201).decode(&strict)
	if strict.TimeZone != "Asia/Shanghai" || strict.DueAt.Format("2006-01-02T15:04:05.999999Z07:00") != "2099-12-31T23:59:59.999999+08:00" ||
		*strict.MinCompleteness != 1 || *strict.CoverageThreshold != 1 || strict.Scoring.Mode != "absolute" {
		t.Fatalf("cycle with the default rules: %+v", strict)
	}
	env.do("POST", "/api/v1/cycles/"+itoa(strict.ID)+"/transition", CycleTransition{To: "open", Version: strict.Version}).expect(200)
	var gamer, full platform.Pilot
	env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "130100", Name: "石家庄市", Batch: "2013", Type: "city"}).expect(201).decode(&gamer)
	env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "320200", Name: "无锡市", Batch: "2013", Type: "city"}).expect(201).decode(&full)
	leaves := list[IndicatorRow](env.do("GET", "/api/v1/frameworks/mohurd-2012/indicators?leaf=true", nil).expect(200)).Items

	// Two of 57 leaves cannot be submitted under the default rules.
	sub := env.submission(strict, gamer)
	fill(t, env, sub, leaves[:2], 5)
	env.do("GET", "/api/v1/submissions/"+itoa(sub.ID), nil).expect(200).decode(&sub)
	e := env.do("POST", "/api/v1/submissions/"+itoa(sub.ID)+"/transition", SubmissionTransition{To: "submitted", Version: sub.Version}).
		expectError(409, "incomplete", "entries")
	if !strings.Contains(e.Error.Message, "answers 2 of 57 leaves (3.5 %)") {
		t.Errorf("incomplete: %s", e.Error.Message)
	}
	env.do("PUT", "/api/v1/submissions/"+itoa(sub.ID)+"/entries/1.2.1", EntryFields{Value: ptr(120.0)}).
		expectError(422, "out_of_range", "value")
	env.do("PUT", "/api/v1/submissions/"+itoa(sub.ID)+"/entries/2.2.6", EntryFields{NotApplicable: true, Narrative: "无集中供热"}).expect(200)

	// With the minimum lowered the gaming pilot is accepted, but flagged
	// and kept out of the ranking.
	var lax platform.Cycle
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "放宽", Kind: "annual_monitoring", Year: 2025, FrameworkID: "mohurd-2012",
		MinCompleteness: ptr(0.03)}).expect(201).decode(&lax)
	env.do("POST", "/api/v1/cycles/"+itoa(lax.ID)+"/transition", CycleTransition{To: "open", Version: lax.Version}).expect(200).decode(&lax)
	g := env.submission(lax, gamer)
	fill(t, env, g, leaves[:2], 5)
	f := env.submission(lax, full)
	fill(t, env, f, leaves, 3)
	for _, s := range []platform.Submission{g, f} {
		accept(t, env, s.ID)
	}
	env.do("POST", "/api/v1/cycles/"+itoa(lax.ID)+"/results", nil).expect(200)
	rows := list[platform.ResultRow](env.do("GET", "/api/v1/cycles/"+itoa(lax.ID)+"/results", nil).expect(200)).Items
	if len(rows) != 2 || rows[0].PilotID != full.ID || *rows[0].Rank != 1 || rows[0].Coverage != 1 || !*rows[0].Ranked ||
		rows[1].PilotID != gamer.ID || rows[1].Rank != nil || rows[1].Stars != nil || *rows[1].Ranked ||
		fmt.Sprintf("%.4f", rows[1].Coverage) != fmt.Sprintf("%.4f", 2.0/57) || len(rows[1].Missing) != 55 {
		t.Fatalf("ranking: %+v", rows)
	}
	// Publish, retract with a reason, republish.
	env.do("GET", "/api/v1/cycles/"+itoa(lax.ID), nil).expect(200).decode(&lax)
	tr := "/api/v1/cycles/" + itoa(lax.ID) + "/transition"
	env.do("POST", tr, CycleTransition{To: "closed", Version: lax.Version}).expect(200).decode(&lax)
	env.do("POST", tr, CycleTransition{To: "published", Version: lax.Version}).expect(200).decode(&lax)
	e = env.do("POST", tr, CycleTransition{To: "open", Version: lax.Version}).expectError(409, "bad_state_transition", "state")
	if !strings.Contains(e.Error.Message, "from published it can move to: closed") {
		t.Errorf("bad transition: %s", e.Error.Message)
	}
	env.do("POST", tr, CycleTransition{To: "closed", Version: lax.Version}).expectError(422, "reason_required", "reason")
	env.do("POST", tr, CycleTransition{To: "closed", Version: lax.Version, Reason: "更正"}).expect(200).decode(&lax)
	env.do("POST", tr, CycleTransition{To: "published", Version: lax.Version}).expect(200)
	events := list[platform.CycleEvent](env.do("GET", "/api/v1/cycles/"+itoa(lax.ID)+"/events", nil).expect(200))
	if events.Total != 1 || events.Items[0].Kind != "retract" || events.Items[0].Reason != "更正" {
		t.Fatalf("events: %+v", events)
	}

	// A past due date: overdue until the ministry extends it.
	var past platform.Cycle
	env.do("POST", "/api/v1/cycles", CycleFields{Name: "已截止", Kind: "annual_monitoring", Year: 2020, FrameworkID: "mohurd-2012",
		DueAt: "2020-06-30", MinCompleteness: ptr(0.0)}).expect(201).decode(&past)
	env.do("POST", "/api/v1/cycles/"+itoa(past.ID)+"/transition", CycleTransition{To: "open", Version: past.Version}).expect(200)
	late := env.submission(past, gamer)
	overdue := list[platform.OverduePilot](env.do("GET", "/api/v1/cycles/"+itoa(past.ID)+"/overdue", nil).expect(200))
	if overdue.Total != 1 || overdue.Items[0].PilotID != gamer.ID {
		t.Fatalf("overdue: %+v", overdue)
	}
	late = submit(t, env, late, 409, "past_due")
	env.do("POST", "/api/v1/cycles/"+itoa(past.ID)+"/extensions", ExtensionGrant{PilotID: gamer.ID, DueAt: "2099-01-01", Reason: "受灾"}).expect(201)
	submit(t, env, late, 200, "")
	if n := list[platform.OverduePilot](env.do("GET", "/api/v1/cycles/"+itoa(past.ID)+"/overdue", nil).expect(200)).Total; n != 0 {
		t.Errorf("overdue after the extension: %d", n)
	}
}

// fill saves a rubric level or a value (level-th goalpost share) on leaves.
func fill(t *testing.T, env *testEnv, sub platform.Submission, leaves []IndicatorRow, level int) {
	t.Helper()
	for _, leaf := range leaves {
		in := EntryFields{Level: ptr(level)}
		if leaf.Kind != "rubric" {
			in = EntryFields{Value: ptr(float64(level * 10))}
		}
		env.do("PUT", "/api/v1/submissions/"+itoa(sub.ID)+"/entries/"+leaf.Code, in).expect(200)
	}
}

// accept submits and accepts a submission.
func accept(t *testing.T, env *testEnv, id int64) {
	t.Helper()
	var s platform.Submission
	env.do("GET", "/api/v1/submissions/"+itoa(id), nil).expect(200).decode(&s)
	s = submit(t, env, s, 200, "")
	env.do("POST", "/api/v1/submissions/"+itoa(id)+"/transition", SubmissionTransition{To: "accepted", Version: s.Version}).expect(200)
}

// submit asks to submit s and expects status (and code, for errors).
func submit(t *testing.T, env *testEnv, s platform.Submission, status int, code string) platform.Submission {
	t.Helper()
	r := env.do("POST", "/api/v1/submissions/"+itoa(s.ID)+"/transition", SubmissionTransition{To: "submitted", Version: s.Version})
	if status != 200 {
		r.expectError(status, code)
		return s
	}
	r.expect(200).decode(&s)
	return s
}
