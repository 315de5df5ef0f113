package platform_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// provincialV1 is a province's own two-leaf framework.
const provincialV1 = `id: js-2025
version: "1"
name: {zh: 江苏省智慧城市评价, en: Jiangsu smart-city evaluation}
indicators:
  - code: N
    name: 网络
    kind: quantitative
    unit: Mbps
    goalposts: {low: 100, high: 1000}
    valid: {min: 0, max: 10000}
  - code: G
    name: 治理
    kind: rubric
    rubric: [{label: 差, score: 0}, {label: 好, score: 100}]
`

// Frameworks are published with every error and its line, stored
// immutably per version, listed, and used by cycles; the framework a cycle
// scores with is the one it was created with, whatever is published later.
func TestPublishedFrameworks(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "规划处", Roles: []string{"admin"}})
		bad := "id: x\nversion: \"1\"\nname: 坏\nindicators:\n  - code: A\n    name: 甲\n    kind: survey\n  - code: A\n    name: 乙\n    kind: expert\n    weight: -1\n"
		_, err := svc.PublishFramework(ctx, "bad.yaml", []byte(bad))
		var pe *platform.Error
		if !asError(err, &pe) || pe.Code != platform.CodeInvalidFramework || len(pe.Details) != 3 ||
			pe.Details[0].Field != "bad.yaml:7:11" || !strings.Contains(pe.Details[0].Message, `"survey" is not a kind`) ||
			pe.Details[1].Field != "bad.yaml:8:11" || pe.Details[2].Field != "bad.yaml:11:13" {
			t.Fatalf("invalid file: %v %+v", err, pe)
		}
		pub, err := svc.PublishFramework(ctx, "js.yaml", []byte(provincialV1))
		if err != nil || pub.ID != "js-2025" || pub.Version != "1" || pub.Leaves != 2 || pub.Format != "yaml" || pub.PublishedBy != "规划处" || len(pub.SHA256) != 64 {
			t.Fatalf("publish: %+v, %v", pub, err)
		}
		if again, err := svc.PublishFramework(ctx, "js.yaml", []byte(provincialV1)); err != nil || again.SHA256 != pub.SHA256 {
			t.Fatalf("identical republish: %+v, %v", again, err)
		}
		changed := strings.Replace(provincialV1, "high: 1000", "high: 500", 1)
		_, err = svc.PublishFramework(ctx, "js.yaml", []byte(changed))
		wantErr(t, err, platform.Conflict, platform.CodeVersionExists, "a version never changes")
		builtin, _ := framework.Builtin("mohurd-2012")
		_, err = svc.PublishFramework(ctx, "m.yaml", []byte(strings.Replace(provincialV1, "id: js-2025\nversion: \"1\"",
			"id: mohurd-2012\nversion: \""+builtin.Version+"\"", 1)))
		wantErr(t, err, platform.Conflict, platform.CodeVersionExists, "built into sceval")

		c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "江苏 2025", Kind: platform.CycleAnnualMonitoring, Year: 2025, FrameworkID: "js-2025"})
		if err != nil || c.FrameworkVersion != "1" || c.Scoring.Mode != platform.ScoringAbsolute {
			t.Fatalf("cycle on a published framework: %+v, %v", c, err)
		}
		// Version 2 is published later; the cycle keeps version 1.
		if _, err := svc.PublishFramework(ctx, "js.yaml", []byte(strings.Replace(changed, `version: "1"`, `version: "2"`, 1))); err != nil {
			t.Fatal(err)
		}
		list, err := svc.ListFrameworks(ctx)
		if err != nil || len(list) != 2 || list[0].Version != "1" || list[0].Cycles != 1 || list[1].Version != "2" || list[1].Cycles != 0 {
			t.Fatalf("list: %+v, %v", list, err)
		}
		used, err := svc.CycleFramework(ctx, c.ID)
		if err != nil || used.Version != "1" || used.Lookup("N").Goalposts.High != 1000 {
			t.Fatalf("cycle framework: %+v, %v", used, err)
		}
		got, err := svc.GetFramework(ctx, "js-2025", "1")
		if err != nil {
			t.Fatal(err)
		}
		var a, b bytes.Buffer
		if err := framework.Export(&a, used, "yaml"); err != nil {
			t.Fatal(err)
		}
		if err := framework.Export(&b, got, "yaml"); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() || !strings.Contains(a.String(), "valid:") {
			t.Fatalf("export of the cycle's framework differs from version 1:\n%s\n---\n%s", a.String(), b.String())
		}
		if latest, err := svc.GetFramework(ctx, "js-2025", ""); err != nil || latest.Version != "2" {
			t.Fatalf("latest: %+v, %v", latest, err)
		}
		// The cycle scores with it: a value outside N's valid range is
		// refused; results follow N's goalposts.
		c, _ = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)
		sub := pilotWith(t, svc, ctx, c, "320102", map[string]platform.EntryInput{"N": {Value: ptr(550.0)}, "G": {Level: ptr(2)}})
		_, err = svc.SaveEntry(ctx, sub.ID, "N", platform.EntryInput{Value: ptr(-5.0), Version: 1})
		wantErr(t, err, platform.Invalid, platform.CodeOutOfRange, "valid range [0, 10000]Mbps")
		moveTo(t, svc, ctx, sub, platform.SubmissionSubmitted, platform.SubmissionAccepted)
		if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		rows, _, _ := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID})
		// N: 100·(550−100)/(1000−100) = 50; G: 100; overall 75.
		if len(rows) != 1 || *rows[0].Score != 75 {
			t.Fatalf("results: %+v", rows)
		}
		_, err = svc.GetFramework(ctx, "js-2025", "9")
		wantErr(t, err, platform.NotFound, "", "framework js-2025 has no version 9 (latest published: 2)")
		_, err = svc.GetFramework(ctx, "mohurd-2012", "2099")
		wantErr(t, err, platform.NotFound, "", "(built in: "+builtin.Version+"; none published)")
	})
}

func asError(err error, target **platform.Error) bool {
	e, ok := err.(*platform.Error)
	if ok {
		*target = e
	}
	return ok
}
