package platform_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

// testFramework is a small framework with one leaf of each kind:
// A (A.1 quantitative in %, goalposts 0–100, A.2 rubric with level scores
// 0, 50, 100), B (B.1 expert).
const testFramework = `id: tiny
version: "1"
name: {zh: 小框架, en: Tiny}
indicators:
  - code: A
    name: 甲
    children:
      - code: A.1
        name: 甲一
        kind: quantitative
        unit: "%"
        direction: 1
        goalposts: {low: 0, high: 100}
      - code: A.2
        name: 甲二
        kind: rubric
        rubric:
          - {label: 差, score: 0}
          - {label: 中, score: 50}
          - {label: 好, score: 100}
  - code: B
    name: 乙
    children:
      - code: B.1
        name: 乙一
        kind: expert
`

// frameworks serves the test framework and the built-ins.
type frameworks struct{ tiny *framework.Framework }

func (f frameworks) Framework(id string) (*framework.Framework, error) {
	if id == "tiny" {
		return f.tiny.Clone(), nil
	}
	return platform.BuiltinFrameworks{}.Framework(id)
}

var now = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

// newService returns a service on a fresh SQLite store and blob directory.
func newService(t testing.TB, opts platform.ServiceOptions) (*platform.Service, *sqlstore.Store) {
	t.Helper()
	return newServiceOn(t, opts, nil)
}

// newServiceOn is newService with the store wrapped by wrap (if not nil).
func newServiceOn(t testing.TB, opts platform.ServiceOptions, wrap func(platform.Store) platform.Store) (*platform.Service, *sqlstore.Store) {
	t.Helper()
	store := sqlstoretest.SQLite(t)
	return newServiceWith(t, store, opts, wrap), store
}

// newServiceWith is newServiceOn on a given store (SQLite or PostgreSQL).
func newServiceWith(t testing.TB, store *sqlstore.Store, opts platform.ServiceOptions, wrap func(platform.Store) platform.Store) *platform.Service {
	t.Helper()
	fw, diags := framework.Parse("tiny.yaml", []byte(testFramework))
	if diags.HasErrors() {
		t.Fatalf("test framework: %v", diags)
	}
	blobs, err := blob.NewFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	opts.Now = func() time.Time { return now }
	var st platform.Store = store
	if wrap != nil {
		st = wrap(store)
	}
	return platform.NewService(st, blobs, frameworks{fw}, opts)
}

func wantErr(t *testing.T, err error, kind platform.ErrorKind, code, inMessage string) {
	t.Helper()
	var e *platform.Error
	if !errors.As(err, &e) || e.Kind != kind || (code != "" && e.Code != code) || !strings.Contains(e.Message, inMessage) {
		t.Fatalf("err = %v (%+v), want kind %s code %s mentioning %q", err, e, kind, code, inMessage)
	}
}

func ptr[T any](v T) *T { return &v }

// openCycle creates and opens a cycle of the tiny framework.
func openCycle(t testing.TB, svc *platform.Service) platform.Cycle {
	t.Helper()
	ctx := adminContext()
	// No minimum completeness: the tests using it are about other rules
	// and submit partial submissions (completeness_test.go tests the rule).
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "2015 终期验收", Kind: platform.CycleFinalAcceptance, Year: 2015, FrameworkID: "tiny",
		MinCompleteness: ptr(0.0)})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPilotValidationAndImport(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := adminContext()
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "330106", Name: " 杭州市西湖区 ", Batch: "2013", Type: platform.PilotDistrict})
	if err != nil || p.ProvinceCode != "33" || p.Status != platform.PilotActive || p.Name != "杭州市西湖区" || p.Version != 1 {
		t.Fatalf("create: %+v, %v", p, err)
	}
	_, err = svc.CreatePilot(ctx, platform.Pilot{RegionCode: "33010", Name: "x", Batch: "2013", Type: platform.PilotCity})
	wantErr(t, err, platform.Invalid, platform.CodeBadValue, `"33010"`)
	_, err = svc.CreatePilot(ctx, platform.Pilot{RegionCode: "330106", Name: "x", Batch: "2013", Type: platform.PilotCity})
	wantErr(t, err, platform.Conflict, platform.CodeDuplicate, "330106")

	csv := "\ufeffregion_code,name,batch,type\n110105,朝阳区,2013,district\n320583101,\"昆山市, 花桥镇\",2014,town\n"
	n, err := svc.ImportPilots(ctx, "pilots.csv", strings.NewReader(csv))
	if err != nil || n != 2 {
		t.Fatalf("import: %d, %v", n, err)
	}
	bad := "region_code,name,batch,type,status\n120101,和平区,2013,district,active\n120102,河东区,2013,county,active\n"
	_, err = svc.ImportPilots(ctx, "bad.csv", strings.NewReader(bad))
	wantErr(t, err, platform.Invalid, "", "bad.csv:3: pilot type \"county\"")
	dup := "region_code,name,batch,type\n120101,和平区,2013,district\n120101,和平区,2013,district\n"
	_, err = svc.ImportPilots(ctx, "dup.csv", strings.NewReader(dup))
	wantErr(t, err, platform.Invalid, platform.CodeDuplicate, "dup.csv:3: region 120101 in batch 2013 already on line 2")
	if _, total, _ := svc.ListPilots(ctx, platform.PilotFilter{}); total != 3 {
		t.Fatalf("%d pilots after failed imports, want 3", total)
	}
	_, _, err = svc.ListPilots(ctx, platform.PilotFilter{Sort: "drop table"})
	wantErr(t, err, platform.Invalid, "", "sort")
}

func TestCycleStateMachineAndFrozenFramework(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := adminContext()
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "2014 年度监测", Kind: platform.CycleAnnualMonitoring, Year: 2014, FrameworkID: "tiny"})
	if err != nil || c.State != platform.CycleDraft || c.FrameworkVersion != "1" || len(c.StarThresholds) != 3 || len(c.Scheme) == 0 {
		t.Fatalf("create: %+v, %v", c, err)
	}
	_, err = svc.CreateCycle(ctx, platform.Cycle{Name: "x", Kind: platform.CycleAnnualMonitoring, Year: 2014, FrameworkID: "nope"})
	wantErr(t, err, platform.Invalid, "", "nope")
	_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished)
	wantErr(t, err, platform.Conflict, platform.CodeBadStateTransition, "cannot move from draft to published; from draft it can move to: open")
	_, err = svc.TransitionCycle(ctx, c.ID, c.Version+1, platform.CycleOpen)
	wantErr(t, err, platform.Conflict, platform.CodeStaleVersion, "version")

	c.FrameworkID = "mohurd-2012" // allowed while draft
	c.FrameworkVersion = ""
	if c, err = svc.UpdateCycle(ctx, c); err != nil || c.FrameworkID != "mohurd-2012" || c.Version != 2 {
		t.Fatalf("update draft: %+v, %v", c, err)
	}
	if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	c.FrameworkID, c.FrameworkVersion = "tiny", ""
	_, err = svc.UpdateCycle(ctx, c)
	wantErr(t, err, platform.Conflict, platform.CodeFrameworkFrozen, "frozen")
	c.FrameworkID = "mohurd-2012"
	c.Name = "2014 年度监测（修订）"
	if c, err = svc.UpdateCycle(ctx, c); err != nil || c.State != platform.CycleOpen {
		t.Fatalf("rename open cycle: %+v, %v", c, err)
	}
	for _, to := range []platform.CycleState{platform.CycleClosed, platform.CycleOpen, platform.CycleClosed} {
		if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, to); err != nil {
			t.Fatalf("to %s: %v", to, err)
		}
	}
	// Publishing needs computed results (lifecycle_test.go publishes).
	_, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished)
	wantErr(t, err, platform.Conflict, platform.CodeResultsStale, "no computed results")
}

func TestEntryValidation(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := adminContext()
	c := openCycle(t, svc)
	p, _ := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "330106", Name: "西湖区", Batch: "2013", Type: platform.PilotDistrict})
	sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		code      string
		in        platform.EntryInput
		kind      platform.ErrorKind
		errCode   string
		inMessage string
	}{
		{"Z.9", platform.EntryInput{Value: ptr(1.0)}, platform.Invalid, platform.CodeUnknownIndicator, `"Z.9"`},
		{"A", platform.EntryInput{Value: ptr(1.0)}, platform.Invalid, platform.CodeNotLeaf, "A"},
		{"A.1", platform.EntryInput{Value: ptr(math.Inf(1))}, platform.Invalid, platform.CodeBadValue, "finite"},
		{"A.1", platform.EntryInput{Level: ptr(1)}, platform.Invalid, platform.CodeBadValue, "no rubric"},
		{"A.1", platform.EntryInput{Value: ptr(3.0), Unit: "km"}, platform.Invalid, platform.CodeBadValue, `"km"`},
		{"A.2", platform.EntryInput{Level: ptr(4)}, platform.Invalid, platform.CodeOutOfRange, "level 4 is not from 1 (差) to 3 (好)"},
		{"A.2", platform.EntryInput{Level: ptr(0)}, platform.Invalid, platform.CodeOutOfRange, "level 0 is not from 1 (差) to 3 (好)"},
		// Valid ranges: a percentage is held to [0, 100]; a rubric leaf
		// takes a level, and the message says which.
		{"A.1", platform.EntryInput{Value: ptr(120.0)}, platform.Invalid, platform.CodeOutOfRange, "value 120% is outside its valid range [0, 100]%"},
		{"A.1", platform.EntryInput{Value: ptr(-0.5)}, platform.Invalid, platform.CodeOutOfRange, "[0, 100]%"},
		{"A.2", platform.EntryInput{Value: ptr(2.0)}, platform.Invalid, platform.CodeBadValue, "takes a level from 1 (差) to 3 (好), not a value"},
		{"A.2", platform.EntryInput{NotApplicable: true, Narrative: "无"}, platform.Invalid, platform.CodeNotApplicable, "cycle allows: none"},
		{"B.1", platform.EntryInput{Value: ptr(100.5)}, platform.Invalid, platform.CodeOutOfRange, "between 0 and 100"},
		{"B.1", platform.EntryInput{Value: ptr(-1.0)}, platform.Invalid, platform.CodeOutOfRange, "between 0 and 100"},
	} {
		_, err := svc.SaveEntry(ctx, sub.ID, tc.code, tc.in)
		wantErr(t, err, tc.kind, tc.errCode, tc.inMessage)
	}
	e, err := svc.SaveEntry(ctx, sub.ID, "A.1", platform.EntryInput{Value: ptr(12.5)})
	if err != nil || e.Version != 1 || !e.Complete || e.Unit != "%" {
		t.Fatalf("save: %+v, %v", e, err)
	}
	_, err = svc.SaveEntry(ctx, sub.ID, "A.1", platform.EntryInput{Value: ptr(13.0)})
	wantErr(t, err, platform.Conflict, platform.CodeStaleVersion, "current version is 1")
	if e, err = svc.SaveEntry(ctx, sub.ID, "A.1", platform.EntryInput{Value: ptr(13.0), Version: 1}); err != nil || e.Version != 2 {
		t.Fatalf("update: %+v, %v", e, err)
	}
	if _, err = svc.SaveEntry(ctx, sub.ID, "A.2", platform.EntryInput{Narrative: "正在编制"}); err != nil {
		t.Fatal(err)
	}
	got, _ := svc.GetSubmission(ctx, sub.ID)
	if math.Abs(got.Completeness-1.0/3) > 1e-12 || got.Version != 1 {
		t.Fatalf("completeness %v (want 1/3: a narrative alone is not complete), version %d", got.Completeness, got.Version)
	}
}

// TestSaveEntryStateWinsOverValidation: with the submission's plan cached,
// a submitted submission still refuses an entry as not editable, before
// (and whatever) the entry's own mistakes.
func TestSaveEntryStateWinsOverValidation(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := adminContext()
	c := openCycle(t, svc)
	p, _ := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "330106", Name: "西湖区", Batch: "2013", Type: platform.PilotDistrict})
	sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveEntry(ctx, sub.ID, "A.1", platform.EntryInput{Value: ptr(1.0)}); err != nil {
		t.Fatal(err) // caches the plan
	}
	if _, err := svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
		t.Fatal(err)
	}
	_, err = svc.SaveEntry(ctx, sub.ID, "Z.9", platform.EntryInput{Value: ptr(1.0)})
	wantErr(t, err, platform.Conflict, platform.CodeNotEditable, "submitted")
	_, err = svc.SaveEntry(ctx, sub.ID, "A.1", platform.EntryInput{Value: ptr(2.0), Version: 1})
	wantErr(t, err, platform.Conflict, platform.CodeNotEditable, "submitted")
	_, err = svc.SaveEntry(ctx, 9999, "A.1", platform.EntryInput{Value: ptr(2.0)})
	wantErr(t, err, platform.NotFound, "", "9999")
}

// With the region registry set, a well-formed code that names no division
// is refused, on create, update and import alike; GB/T 6-digit city codes
// (130100 for the registry's 1301 石家庄市) are accepted.
func TestPilotRegionMustExist(t *testing.T) {
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := newService(t, platform.ServiceOptions{Regions: regions})
	ctx := adminContext()
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: platform.PilotCity})
	if err != nil {
		t.Fatalf("known city code refused: %v", err)
	}
	_, err = svc.CreatePilot(ctx, platform.Pilot{RegionCode: "139900", Name: "x", Batch: "2013-1", Type: platform.PilotCity})
	wantErr(t, err, platform.Invalid, platform.CodeBadValue, "region code 139900 is not in the administrative-division registry")
	p.RegionCode = "110199"
	_, err = svc.UpdatePilot(ctx, p)
	wantErr(t, err, platform.Invalid, platform.CodeBadValue, "110199")
	bad := "region_code,name,batch,type\n110105,朝阳区,2013,district\n110199,不存在区,2013,district\n"
	_, err = svc.ImportPilots(ctx, "bad.csv", strings.NewReader(bad))
	wantErr(t, err, platform.Invalid, platform.CodeBadValue, "bad.csv:3: region code 110199 is not in")
	if _, total, _ := svc.ListPilots(ctx, platform.PilotFilter{}); total != 1 {
		t.Fatalf("%d pilots after the failed import, want 1", total)
	}
}

// Suspended and withdrawn pilots cannot start a submission; active and
// completed ones can.
func TestInactivePilotCannotStartSubmission(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := adminContext()
	c := openCycle(t, svc)
	for i, status := range []platform.PilotStatus{platform.PilotActive, platform.PilotCompleted, platform.PilotSuspended, platform.PilotWithdrawn} {
		p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "33010" + string(rune('1'+i)), Name: "试点", Batch: "2013", Type: platform.PilotDistrict, Status: status})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.CreateSubmission(ctx, c.ID, p.ID)
		switch status {
		case platform.PilotActive, platform.PilotCompleted:
			if err != nil {
				t.Errorf("%s pilot: %v", status, err)
			}
		default:
			wantErr(t, err, platform.Conflict, platform.CodePilotInactive, "is "+string(status))
		}
	}
}

// adminContext is the context of the tests that are not about
// authorization: an administrator may do everything.
func adminContext() context.Context {
	return platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
}
