package platform_test

import (
	"bytes"
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// acceptThree runs three pilots' submissions of the tiny framework through
// the workflow (with a return and a resubmission), checking every rule on the
// way, and returns the open cycle with three accepted submissions and the
// first pilot.
func acceptThree(t *testing.T) (*platform.Service, context.Context, platform.Cycle, platform.Pilot) {
	t.Helper()
	svc, _ := newService(t, platform.ServiceOptions{})
	return acceptThreeIn(t, svc)
}

// acceptThreeIn is acceptThree on a given service.
func acceptThreeIn(t *testing.T, svc *platform.Service) (*platform.Service, context.Context, platform.Cycle, platform.Pilot) {
	t.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "审核员", Roles: []string{"admin"}})
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "c", Kind: platform.CycleFinalAcceptance, Year: 2015, FrameworkID: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	p1, _ := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "110105", Name: "朝阳区", Batch: "2013", Type: platform.PilotDistrict})
	_, err = svc.CreateSubmission(ctx, c.ID, p1.ID)
	wantErr(t, err, platform.Conflict, platform.CodeCycleNotOpen, "draft")
	c, _ = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)

	// Three pilots with A.1 = 10, 20, 30 % (absolute, goalposts 0–100 →
	// 10, 20, 30), A.2 levels 3, 1, 2 (→ 100, 0, 50) and B.1 = 80, 40, 60.
	// With equal weights and the arithmetic mean: A = 55, 10, 40; B = 80,
	// 40, 60; overall = 67.5, 25, 50; ranks 1, 3, 2; stars (60/75/90) 1, 0, 0.
	data := []struct {
		region string
		a1     float64
		a2     int
		b1     float64
	}{{"110105", 10, 3, 80}, {"110106", 20, 1, 40}, {"110107", 30, 2, 60}}
	var subs []platform.Submission
	for i, d := range data {
		p := p1
		if i > 0 {
			p, _ = svc.CreatePilot(ctx, platform.Pilot{RegionCode: d.region, Name: "区" + d.region, Batch: "2013", Type: platform.PilotDistrict})
		}
		sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.CreateSubmission(ctx, c.ID, p.ID)
		wantErr(t, err, platform.Conflict, platform.CodeDuplicate, "already")
		for code, in := range map[string]platform.EntryInput{"A.1": {Value: &d.a1}, "A.2": {Level: &d.a2}, "B.1": {Value: &d.b1}} {
			if _, err := svc.SaveEntry(ctx, sub.ID, code, in); err != nil {
				t.Fatal(err)
			}
		}
		subs = append(subs, sub)
	}
	s := subs[0]
	_, err = svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionAccepted, "")
	wantErr(t, err, platform.Conflict, platform.CodeBadStateTransition, "from draft to accepted")
	s, err = svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionSubmitted, "")
	if err != nil || s.State != platform.SubmissionSubmitted || s.Completeness != 1 {
		t.Fatalf("submit: %+v, %v", s, err)
	}
	_, err = svc.SaveEntry(ctx, s.ID, "A.1", platform.EntryInput{Value: ptr(1.0), Version: 1})
	wantErr(t, err, platform.Conflict, platform.CodeNotEditable, "submitted")
	_, err = svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionReturned, "  ")
	wantErr(t, err, platform.Invalid, platform.CodeReasonRequired, "reason")
	if s, err = svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionReturned, "请补充材料"); err != nil {
		t.Fatal(err)
	}
	if s, err = svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionSubmitted, ""); err != nil {
		t.Fatal(err)
	}
	_, err = svc.TransitionSubmission(ctx, s.ID, s.Version-1, platform.SubmissionAccepted, "")
	wantErr(t, err, platform.Conflict, platform.CodeStaleVersion, "version")
	subs[0] = s
	for _, s := range subs {
		if s.State == platform.SubmissionDraft {
			if s, err = svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionSubmitted, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err = svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionAccepted, ""); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := svc.GetSubmission(ctx, subs[0].ID)
	if len(got.History) != 4 || got.History[1].Reason != "请补充材料" || got.History[3].Actor != "审核员" {
		t.Fatalf("history: %+v", got.History)
	}
	return svc, ctx, c, p1
}

func TestSubmissionWorkflow(t *testing.T) {
	svc, ctx, c, _ := acceptThree(t)
	list, total, err := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: c.ID, State: "accepted"})
	if err != nil || total != 3 || len(list) != 3 || list[0].Completeness != 1 {
		t.Fatalf("accepted submissions: %d %+v %v", total, list, err)
	}
}

func TestComputeResults(t *testing.T) {
	svc, ctx, c, p1 := acceptThree(t)
	run, err := svc.ComputeResults(ctx, c.ID)
	if err != nil || run.Pilots != 3 || len(run.InputHash) != 64 {
		t.Fatalf("compute: %+v, %v", run, err)
	}
	rows, total, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID})
	if err != nil || total != 3 {
		t.Fatalf("list: %d, %v", total, err)
	}
	want := []struct {
		region      string
		score       float64
		rank, stars int
	}{{"110105", 67.5, 1, 1}, {"110107", 50, 2, 0}, {"110106", 25, 3, 0}}
	for i, w := range want {
		r := rows[i]
		if r.RegionCode != w.region || r.Score == nil || math.Abs(*r.Score-w.score) > 1e-9 || *r.Rank != w.rank || *r.Stars != w.stars || r.Code != "tiny" {
			t.Errorf("row %d: %+v (score %v), want %+v", i, r, deref(r.Score), w)
		}
	}
	// Contribution of A to the overall score: w·A / overall = 0.5·55 / 67.5.
	a, _, _ := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Code: "A", Sort: "-score"})
	if len(a) != 3 || math.Abs(*a[0].Score-55) > 1e-9 || math.Abs(*a[0].Contribution-0.5*55/67.5) > 1e-9 {
		t.Fatalf("node A: %+v", a)
	}
	again, err := svc.ComputeResults(ctx, c.ID)
	if err != nil || again.InputHash != run.InputHash {
		t.Fatalf("recompute: %+v, %v; hash was %s", again, err, run.InputHash)
	}
	rows2, _, _ := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID})
	for i := range rows {
		if *rows[i].Score != *rows2[i].Score || *rows[i].Rank != *rows2[i].Rank || rows[i].PilotID != rows2[i].PilotID {
			t.Fatalf("recomputed row %d differs: %+v vs %+v", i, rows[i], rows2[i])
		}
	}
	pr, err := svc.PilotResults(ctx, p1.ID)
	if err != nil || len(pr) != 1 || math.Abs(*pr[0].Score-67.5) > 1e-9 {
		t.Fatalf("pilot results: %+v, %v", pr, err)
	}
	c, _ = svc.GetCycle(ctx, c.ID)
	c, _ = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleClosed)
	c, _ = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished)
	_, err = svc.ComputeResults(ctx, c.ID)
	wantErr(t, err, platform.Conflict, platform.CodeNotEditable, "published")
}

// storeWithHook runs hook (once) after reading a cycle's accepted inputs,
// as a concurrent request would between a computation's read and its write.
type storeWithHook struct {
	platform.Store
	hook func()
}

func (s *storeWithHook) AcceptedInputs(ctx context.Context, cycleID int64) ([]platform.AcceptedInput, error) {
	in, err := s.Store.AcceptedInputs(ctx, cycleID)
	if h := s.hook; h != nil {
		s.hook = nil
		h()
	}
	return in, err
}

// A cycle published while its results are being computed keeps the results
// it was published with: the late run is refused, not stored.
func TestComputeResultsRacingAPublication(t *testing.T) {
	var hooked *storeWithHook
	svc, _ := newServiceOn(t, platform.ServiceOptions{}, func(s platform.Store) platform.Store {
		hooked = &storeWithHook{Store: s}
		return hooked
	})
	svc, ctx, c, _ := acceptThreeIn(t, svc)
	first, err := svc.ComputeResults(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, _ = svc.GetCycle(ctx, c.ID)
	if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleClosed); err != nil {
		t.Fatal(err)
	}
	hooked.hook = func() {
		if _, err := svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished); err != nil {
			t.Errorf("publish: %v", err)
		}
	}
	_, err = svc.ComputeResults(ctx, c.ID)
	wantErr(t, err, platform.Conflict, platform.CodeStaleVersion, "published")
	run, err := svc.LatestRun(ctx, c.ID)
	if err != nil || run.InputHash != first.InputHash {
		t.Fatalf("published cycle's run: %+v, %v", run, err)
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func TestEvidence(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{MaxEvidenceSize: 1 << 10})
	ctx := adminContext()
	c := openCycle(t, svc)
	p, _ := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "330106", Name: "西湖区", Batch: "2013", Type: platform.PilotDistrict})
	sub, _ := svc.CreateSubmission(ctx, c.ID, p.ID)
	pdf := "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
	ev, err := svc.AddEvidence(ctx, sub.ID, "A.2", "C:\\Users\\张三\\智慧城市\u0007规划.pdf", strings.NewReader(pdf))
	if err != nil || ev.Filename != "智慧城市规划.pdf" || ev.ContentType != platform.TypePDF || ev.Size != int64(len(pdf)) || len(ev.SHA256) != 64 {
		t.Fatalf("add: %+v, %v", ev, err)
	}
	got, rc, err := svc.OpenEvidence(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	content, _ := io.ReadAll(rc)
	rc.Close()
	if string(content) != pdf || got.Filename != ev.Filename {
		t.Fatalf("open: %+v %q", got, content)
	}
	_, err = svc.AddEvidence(ctx, sub.ID, "A.2", "setup.exe", strings.NewReader("MZ\x90\x00 this is a program"))
	wantErr(t, err, platform.Unsupported, platform.CodeUnsupportedType, "setup.exe")
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 2<<10)...)
	_, err = svc.AddEvidence(ctx, sub.ID, "A.2", "big.pdf", bytes.NewReader(big))
	wantErr(t, err, platform.TooLarge, platform.CodeTooLarge, "big.pdf")
	_, err = svc.AddEvidence(ctx, sub.ID, "Q", "a.pdf", strings.NewReader(pdf))
	wantErr(t, err, platform.Invalid, platform.CodeUnknownIndicator, "Q")
	list, err := svc.ListEvidence(ctx, sub.ID, false)
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %+v, %v", list, err)
	}
	xlsx := "PK\x03\x04\x14\x00\x06\x00"
	if ev, err = svc.AddEvidence(ctx, sub.ID, "A.1", "台账.xlsx", strings.NewReader(xlsx)); err != nil || ev.ContentType != platform.TypeXLSX {
		t.Fatalf("xlsx: %+v, %v", ev, err)
	}
	ole := "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"
	if ev, err = svc.AddEvidence(ctx, sub.ID, "A.1", "报告.doc", strings.NewReader(ole)); err != nil || ev.ContentType != platform.TypeDOC {
		t.Fatalf("doc: %+v, %v", ev, err)
	}
}

// A file whose name says another kind of file than its content (a PDF
// renamed .png) would not open after download: it is refused. Within a kind
// (a JPEG named .png, an old .doc named .docx) and without a known
// extension it is accepted.
func TestEvidenceExtensionMustMatchContent(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := adminContext()
	c := openCycle(t, svc)
	p, _ := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "330106", Name: "西湖区", Batch: "2013", Type: platform.PilotDistrict})
	sub, _ := svc.CreateSubmission(ctx, c.ID, p.ID)
	pdf, jpeg, zip := "%PDF-1.4\n", "\xFF\xD8\xFF\xE0 jpeg", "PK\x03\x04\x14\x00"
	_, err := svc.AddEvidence(ctx, sub.ID, "A.1", "规划.pdf", strings.NewReader(""))
	wantErr(t, err, platform.Invalid, platform.CodeRequired, "规划.pdf is empty")
	for _, bad := range []struct{ name, content, is string }{
		{"规划.png", pdf, "a PDF document"}, {"scan.PDF", jpeg, "an image"}, {"台账.pdf", zip, "an Office document or zip archive"},
		{"photo.docx", jpeg, "an image"},
	} {
		_, err = svc.AddEvidence(ctx, sub.ID, "A.1", bad.name, strings.NewReader(bad.content))
		wantErr(t, err, platform.Unsupported, platform.CodeUnsupportedType, bad.name+" is "+bad.is)
	}
	for _, ok := range []struct{ name, content string }{
		{"photo.png", jpeg}, {"报告.docx", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"}, {"规划", pdf}, {"规划.2014", pdf},
	} {
		if _, err := svc.AddEvidence(ctx, sub.ID, "A.1", ok.name, strings.NewReader(ok.content)); err != nil {
			t.Errorf("%s: %v", ok.name, err)
		}
	}
}

func TestSanitizeFilename(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":                "passwd",
		`C:\tmp\报告 2015.pdf`:              "报告 2015.pdf",
		"a\x00b\nc\u202e.pdf":             "abc.pdf",
		"  ..  ":                          "evidence",
		"":                                "evidence",
		"名\"称.png":                        "名称.png",
		strings.Repeat("长", 100) + ".pdf": strings.Repeat("长", 83) + ".pdf",
	} {
		if got := platform.SanitizeFilename(in); got != want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
