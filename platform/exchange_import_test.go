package platform_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sceval/sceval/exchange"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// importFixture is an open cycle of the tiny framework with two pilots'
// draft submissions and a third pilot's submitted one.
type importFixture struct {
	svc       *platform.Service
	cycle     platform.Cycle
	subs      []platform.Submission
	auditRows func() int
}

func newImportFixture(t testing.TB) *importFixture {
	t.Helper()
	return newImportFixtureOn(t, sqlstoretest.SQLite(t))
}

// newImportFixtureOn is newImportFixture on a given store.
func newImportFixtureOn(t testing.TB, store *sqlstore.Store) *importFixture {
	t.Helper()
	svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
	fx := &importFixture{svc: svc, cycle: openCycle(t, svc)}
	for i, code := range []string{"330106", "330108", "330109"} {
		p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: code, Name: "试点" + code, Batch: "2013", Type: platform.PilotDistrict})
		if err != nil {
			t.Fatal(err)
		}
		sub, err := svc.CreateSubmission(admin, fx.cycle.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			if _, err := svc.SaveEntry(asPilot(svc, "p3", sub), sub.ID, "A.1", platform.EntryInput{Value: ptr(50.0)}); err != nil {
				t.Fatal(err)
			}
			if sub, err = svc.TransitionSubmission(asPilot(svc, "p3", sub), sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
				t.Fatal(err)
			}
		}
		fx.subs = append(fx.subs, sub)
	}
	fx.auditRows = func() int {
		_, n, err := svc.ListAudit(admin, platform.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	return fx
}

func (fx *importFixture) importCSV(t *testing.T, ctx context.Context, text string, opt platform.EntryImportOptions) *platform.EntryImportReport {
	t.Helper()
	rep, err := fx.svc.ImportEntries(ctx, fx.cycle.ID, "entries.csv", strings.NewReader(text), opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (fx *importFixture) entries(t *testing.T, i int) map[string]platform.Entry {
	t.Helper()
	sub, err := fx.svc.GetSubmission(admin, fx.subs[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]platform.Entry{}
	for _, e := range sub.Entries {
		out[e.Code] = e
	}
	return out
}

const csvHeader = "试点ID,指标代码,数值,等级,填报说明,不适用\n"

func TestImportEntriesEveryErrorWithItsCell(t *testing.T) {
	sqlstoretest.Each(t, testImportErrors)
}

func testImportErrors(t *testing.T, store *sqlstore.Store) {
	fx := newImportFixtureOn(t, store)
	p1, p3 := itoa(fx.subs[0].PilotID), itoa(fx.subs[2].PilotID)
	text := "2015 年度填报,,,,,\n" + csvHeader + // a title row above the header
		p1 + ",A.1,85,,ok,\n" + // line 3: valid
		p1 + ",Z.9,1,,,\n" + // 4: unknown code
		p1 + ",A.1,abc,,,\n" + // 5: text in a number cell (and A.1 twice, but the row is invalid first)
		p1 + ",A.2,,很好,,\n" + // 6: level not in the rubric
		itoa(fx.subs[1].PilotID) + ",A.1,120,,,\n" + // 7: out of the valid range
		"999,A.1,1,,,\n" + // 8: pilot not in the cycle
		p3 + ",A.1,60,,,\n" + // 9: submission not editable
		p1 + ",A.2,50,,,\n" + // 10: a value on a rubric leaf
		p1 + ",A,1,,,\n" + // 11: not a leaf
		p1 + ",甲一,1,,,\n" + // 12: the leaf's name instead of its code
		p1 + ",a.1,1,,,\n" // 13: a code in the wrong case
	before := fx.auditRows()
	rep := fx.importCSV(t, admin, text, platform.EntryImportOptions{})
	want := map[string]string{
		"entries.csv!B4":  "未知的指标代码“Z.9”",
		"entries.csv!B12": "“甲一”是指标 A.1 的名称，请填写代码 A.1",
		"entries.csv!B13": "是否为“A.1”？",
		"entries.csv!C5":  "“abc”不是数字",
		"entries.csv!D6":  "等级“很好”不在指标 A.2 的评分标准中（可选：1 差、2 中、3 好）",
		"entries.csv!C7":  "数值 120 超出指标 A.1 的有效范围 [0, 100]%",
		"entries.csv!A8":  "试点 999 不在本周期中",
		"entries.csv!A9":  "状态为“已提交”，不可修改",
		"entries.csv!C10": "按评分标准等级评价",
		"entries.csv!B11": "指标 A 有下级指标",
	}
	if rep.ErrorCount != len(want) || rep.Rows != 11 || rep.Changes != 1 || rep.Applied != 0 {
		t.Fatalf("report = %+v", rep)
	}
	for _, p := range rep.Errors {
		if w, ok := want[p.Cell]; !ok || !strings.Contains(p.Message, w) {
			t.Errorf("error %s: %q, want %q", p.Cell, p.Message, w)
		}
	}
	if len(fx.entries(t, 0)) != 0 || fx.auditRows() != before {
		t.Fatal("an invalid import wrote something")
	}
	// Partial: the valid row is written, the others reported.
	rep = fx.importCSV(t, admin, text, platform.EntryImportOptions{Partial: true})
	if rep.Applied != 1 || rep.ErrorCount != len(want) {
		t.Fatalf("partial report = %+v", rep)
	}
	if e := fx.entries(t, 0)["A.1"]; e.Value == nil || *e.Value != 85 || e.Narrative != "ok" || e.Version != 1 ||
		e.UpdatedBy != platform.IdentityFrom(admin).User {
		t.Fatalf("entry after partial import = %+v (it must name the importing user)", e)
	}
}

func TestImportEntriesUnchangedWritesNothing(t *testing.T) {
	sqlstoretest.Each(t, testImportUnchanged)
}

func testImportUnchanged(t *testing.T, store *sqlstore.Store) {
	fx := newImportFixtureOn(t, store)
	p1 := itoa(fx.subs[0].PilotID)
	text := csvHeader + p1 + ",A.1,85,,=SUM(A1),\n" + p1 + ",A.2,,2 中,,\n" + p1 + ",B.1,70.5,,,\n"
	rep := fx.importCSV(t, admin, text, platform.EntryImportOptions{DryRun: true})
	if rep.Changes != 3 || rep.Applied != 0 || len(fx.entries(t, 0)) != 0 {
		t.Fatalf("dry run = %+v", rep)
	}
	rep = fx.importCSV(t, admin, text, platform.EntryImportOptions{})
	if rep.Applied != 3 || !rep.OK() {
		t.Fatalf("import = %+v", rep)
	}
	got := fx.entries(t, 0)
	if *got["A.2"].Level != 2 || got["A.1"].Narrative != "=SUM(A1)" || *got["B.1"].Value != 70.5 {
		t.Fatalf("entries = %+v", got)
	}
	sub, _ := fx.svc.GetSubmission(admin, fx.subs[0].ID)
	if sub.Completeness != 1 {
		t.Fatalf("completeness = %v, want 1", sub.Completeness)
	}
	audit := fx.auditRows()
	rep = fx.importCSV(t, admin, text, platform.EntryImportOptions{})
	if rep.Changes != 0 || rep.Unchanged != 3 || rep.Applied != 0 || fx.auditRows() != audit {
		t.Fatalf("re-import = %+v (audit %d → %d)", rep, audit, fx.auditRows())
	}
	if fx.entries(t, 0)["A.1"].Version != 1 {
		t.Fatal("an unchanged re-import made a new version")
	}
	// One changed row: one update, a new version, one audit row, a chain
	// that still verifies.
	rep = fx.importCSV(t, admin, strings.Replace(text, ",85,", ",86,", 1), platform.EntryImportOptions{})
	if rep.Changes != 1 || rep.Applied != 1 || rep.ChangeList[0].Action != "update" || fx.auditRows() != audit+1 {
		t.Fatalf("update import = %+v (audit %d → %d)", rep, audit, fx.auditRows())
	}
	if e := fx.entries(t, 0)["A.1"]; *e.Value != 86 || e.Version != 2 || e.Narrative != "=SUM(A1)" {
		t.Fatalf("updated entry = %+v", e)
	}
	if v, err := fx.svc.VerifyAudit(admin); err != nil || !v.OK {
		t.Fatalf("audit chain after imports: %+v %v", v, err)
	}
}

func TestImportEntriesGB18030AndScope(t *testing.T) {
	fx := newImportFixture(t)
	p1, p2 := itoa(fx.subs[0].PilotID), itoa(fx.subs[1].PilotID)
	text := csvHeader + p1 + ",A.1,10,,中文说明,\n" + p2 + ",A.1,20,,,\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	// A pilot account may import only its own rows.
	ctx := asPilot(fx.svc, "p1", fx.subs[0])
	rep := fx.importCSV(t, ctx, gb, platform.EntryImportOptions{Partial: true})
	if rep.Encoding != "GB18030" || rep.Applied != 1 || rep.ErrorCount != 1 || rep.Errors[0].Cell != "entries.csv!A3" {
		t.Fatalf("report = %+v", rep)
	}
	if e := fx.entries(t, 0)["A.1"]; e.Narrative != "中文说明" || *e.Value != 10 {
		t.Fatalf("entry = %+v", e)
	}
	// An expert may not import at all.
	expert := fx.svc.Bind(context.Background(), platform.Identity{User: "e", Roles: []string{"expert"}})
	if _, err := fx.svc.ImportEntries(expert, fx.cycle.ID, "x.csv", strings.NewReader(text), platform.EntryImportOptions{}); platform.ErrorKindOf(err) != platform.Forbidden {
		t.Fatalf("expert import: %v", err)
	}
}

// TestTemplateRoundTrip writes the template, fills it in as a user would,
// imports it, and checks that exporting and importing again changes
// nothing.
func TestTemplateRoundTrip(t *testing.T) {
	fx := newImportFixture(t)
	sh, err := fx.svc.EntrySheet(admin, fx.cycle.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exchange.WriteTemplate(&buf, sh); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(exchange.SheetData)
	if len(rows) != 1+3*3 || rows[0][0] != "试点ID" || rows[2][3] != "A.2" {
		t.Fatalf("data sheet rows = %v", rows)
	}
	if dvs, _ := f.GetDataValidations(exchange.SheetData); len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "等级") {
		t.Fatalf("validations = %+v", dvs)
	}
	// Fill in pilot 1: A.1 = 88, A.2 = "3 好", B.1 = 90 with a narrative.
	f.SetCellValue(exchange.SheetData, "I2", 88)
	f.SetCellValue(exchange.SheetData, "J3", "3 好")
	f.SetCellValue(exchange.SheetData, "I4", 90)
	f.SetCellValue(exchange.SheetData, "K4", "-专家意见")
	var filled bytes.Buffer
	f.WriteTo(&filled)
	rep, err := fx.svc.ImportEntries(admin, fx.cycle.ID, "t.xlsx", bytes.NewReader(filled.Bytes()), platform.EntryImportOptions{})
	if err != nil || rep.Applied != 3 || !rep.OK() {
		t.Fatalf("import: %+v %v", rep, err)
	}
	got := fx.entries(t, 0)
	if *got["A.1"].Value != 88 || *got["A.2"].Level != 3 || got["B.1"].Narrative != "-专家意见" {
		t.Fatalf("entries = %+v", got)
	}
	// Export again: pre-filled (the narrative escaped), and unchanged on import.
	sh, _ = fx.svc.EntrySheet(admin, fx.cycle.ID, fx.subs[0].PilotID)
	buf.Reset()
	if err := exchange.WriteTemplate(&buf, sh); err != nil {
		t.Fatal(err)
	}
	f2, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if v, _ := f2.GetCellValue(exchange.SheetData, "K4"); v != "'-专家意见" {
		t.Fatalf("narrative cell = %q, want it escaped", v)
	}
	rep, err = fx.svc.ImportEntries(admin, fx.cycle.ID, "t.xlsx", bytes.NewReader(buf.Bytes()), platform.EntryImportOptions{})
	if err != nil || rep.Changes != 0 || rep.Unchanged != 3 || rep.Applied != 0 {
		t.Fatalf("re-import of the export: %+v %v", rep, err)
	}
}

// The not-applicable column: only for the leaves the cycle allows, without
// value or level, with a reason; its cell named in every error.
func TestImportEntriesNotApplicable(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	c, err := svc.CreateCycle(admin, platform.Cycle{Name: "na", Kind: platform.CycleFinalAcceptance, Year: 2015, FrameworkID: "tiny",
		MinCompleteness: ptr(0.0), NotApplicable: []string{"B.1"}})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	p, _ := svc.CreatePilot(admin, platform.Pilot{RegionCode: "330106", Name: "西湖区", Batch: "2013", Type: platform.PilotDistrict})
	sub, err := svc.CreateSubmission(admin, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := itoa(p.ID)
	text := csvHeader + id + ",A.1,,,x,是\n" + id + ",B.1,5,,x,是\n" + id + ",B.1,,,,是\n" + id + ",B.1,,,,也许\n"
	rep, err := svc.ImportEntries(admin, c.ID, "na.csv", strings.NewReader(text), platform.EntryImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"na.csv!F2": "本周期不允许将指标 A.1 标为不适用（允许的指标：B.1）",
		"na.csv!F3": "数值和等级须留空",
		"na.csv!E4": "须在填报说明中写明原因",
		"na.csv!F5": "“也许”不是“是”或“否”",
	}
	if rep.ErrorCount != len(want) {
		t.Fatalf("report = %+v", rep)
	}
	for _, p := range rep.Errors {
		if !strings.Contains(p.Message, want[p.Cell]) || want[p.Cell] == "" {
			t.Errorf("%s: %q, want %q", p.Cell, p.Message, want[p.Cell])
		}
	}
	rep, err = svc.ImportEntries(admin, c.ID, "na.csv", strings.NewReader(csvHeader+id+",B.1,,,本镇无此设施,是\n"), platform.EntryImportOptions{})
	if err != nil || rep.Applied != 1 {
		t.Fatalf("valid not applicable: %+v %v", rep, err)
	}
	got, _ := svc.GetSubmission(admin, sub.ID)
	if len(got.Entries) != 1 || !got.Entries[0].NotApplicable || !got.Entries[0].Complete {
		t.Fatalf("entries = %+v", got.Entries)
	}
}
