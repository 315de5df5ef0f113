package demo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/region"
)

func newService(t *testing.T) *platform.Service { return newServiceTB(t) }

// newServiceTB is a service on a new SQLite database in a temporary
// directory.
func newServiceTB(t testing.TB) *platform.Service {
	t.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
	dir := t.TempDir()
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "demo.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewFS(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
}

func TestFirstBatchRegionsExist(t *testing.T) {
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range FirstBatch() {
		r, ok := regions.Resolve(p.RegionCode)
		if !ok {
			t.Errorf("%s: region %s not in the registry", p.Name, p.RegionCode)
			continue
		}
		if seen[p.RegionCode] {
			t.Errorf("%s: region %s twice", p.Name, p.RegionCode)
		}
		seen[p.RegionCode] = true
		// The pilot's name ends with the region's name, except 坪山新区,
		// the functional area that became 坪山区 in 2017.
		if !strings.HasSuffix(p.Name, r.Name) && !(r.Name == "坪山区" && strings.HasSuffix(p.Name, "坪山新区")) {
			t.Errorf("%s: region %s is %s", p.Name, p.RegionCode, r.Name)
		}
		wantType := "city"
		if r.Level == region.County && !strings.HasSuffix(r.Name, "市") {
			wantType = "district"
		}
		if p.Type != wantType {
			t.Errorf("%s: type %s, want %s", p.Name, p.Type, wantType)
		}
	}
	if n := len(FirstBatch()); n < 30 || n > 90 {
		t.Errorf("%d pilots: the first batch had 90", n)
	}
}

// seedDemo seeds a fresh database and returns its service and summary.
func seedDemo(t *testing.T, opts Options) (*platform.Service, Summary) {
	t.Helper()
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := newService(t)
	sum, err := Seed(adminCtx(), svc, regions, opts)
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return svc, sum
}

func adminCtx() context.Context {
	return platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
}

// TestSeedTellsTheStory seeds once and checks the story's invariants, one
// subtest each.
func TestSeedTellsTheStory(t *testing.T) {
	svc, sum := seedDemo(t, Options{})
	t.Run("ranking", func(t *testing.T) { checkOpenRanking(t, svc, sum) })
	t.Run("cycles", func(t *testing.T) { checkCycles(t, svc, sum) })
	t.Run("every state", func(t *testing.T) { checkEveryState(t, svc, sum) })
	t.Run("trends", func(t *testing.T) { checkTrends(t, svc, sum) })
	t.Run("stars", func(t *testing.T) { checkStars(t, svc, sum) })
	t.Run("accounts", func(t *testing.T) { checkAccounts(t, svc, sum) })
	t.Run("evidence", func(t *testing.T) { checkEvidence(t, svc, sum) })
	t.Run("blind", func(t *testing.T) { checkBlind(t, svc, sum) })
	t.Run("expert rounds", func(t *testing.T) { checkExpertRounds(t, svc, sum) })
	t.Run("lookup", func(t *testing.T) {
		f, err := Lookup(context.Background(), svc)
		if err != nil || f != sum.Facts {
			t.Errorf("Lookup: %+v, %v; Seed said %+v", f, err, sum.Facts)
		}
	})
	t.Run("second seed", func(t *testing.T) {
		regions, _ := region.Default()
		var n *NotEmptyError
		if _, err := Seed(adminCtx(), svc, regions, Options{}); !errors.As(err, &n) || n.Pilots != sum.Pilots || n.Cycles != 4 ||
			!strings.Contains(err.Error(), "already has 45 pilots and 4 cycles") {
			t.Errorf("second seed: %v, want NotEmptyError", err)
		}
	})
}

// checkOpenRanking: the open cycle's results rank its accepted submissions
// by score, absolutely, all complete.
func checkOpenRanking(t *testing.T, svc *platform.Service, sum Summary) {
	ctx := adminCtx()
	accepted := sum.Submissions[platform.SubmissionAccepted]
	if accepted*2 <= sum.Pilots || sum.Run.Pilots != accepted {
		t.Errorf("accepted %d of %d, scored %d", accepted, sum.Pilots, sum.Run.Pilots)
	}
	rows, total, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: sum.CycleID, Limit: 100})
	if err != nil || total != accepted {
		t.Fatalf("ranking: %d rows, %v", total, err)
	}
	for i, r := range rows {
		if r.Rank == nil || r.Score == nil || *r.Score < 0 || *r.Score > 100 {
			t.Fatalf("row %d: %+v", i, r)
		}
		if i > 0 && *r.Score > *rows[i-1].Score {
			t.Errorf("ranking not by score at %d", i)
		}
	}
	if *rows[0].Score == *rows[len(rows)-1].Score {
		t.Error("every pilot has the same score")
	}
	checkDemoRules(t, svc, sum, rows)
}

// A database with a cycle but no pilot is not empty either; one with an
// account only is (a server's first administrator may exist).
func TestSeedRefusesCycles(t *testing.T) {
	svc := newService(t)
	ctx := adminCtx()
	if _, err := svc.CreateUser(ctx, platform.NewUser{Username: "first-admin", Role: platform.RoleAdmin, Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	if err := checkEmpty(ctx, svc); err != nil {
		t.Fatalf("an account only: %v", err)
	}
	if _, err := svc.CreateCycle(ctx, platform.Cycle{Name: "real", Kind: platform.CycleAnnualMonitoring, Year: 2020, FrameworkID: FrameworkID}); err != nil {
		t.Fatal(err)
	}
	regions, _ := region.Default()
	var n *NotEmptyError
	if _, err := Seed(ctx, svc, regions, Options{}); !errors.As(err, &n) || n.Cycles != 1 || err.Error() !=
		"the database already has 1 cycle: the demo seeds only an empty database (use a new --db)" {
		t.Errorf("seed beside a cycle: %v", err)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, err := Seed(ctx, newService(t), regions, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Seed(ctx, newService(t), regions, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Evidence files are stored concurrently: only their ids may differ.
	fa, fb := a.Facts, b.Facts
	fa.EvidencePDFID, fa.EvidencePNGID, fa.EvidenceXLSXID, fa.EvidenceDOCXID = 0, 0, 0, 0
	fb.EvidencePDFID, fb.EvidencePNGID, fb.EvidenceXLSXID, fb.EvidenceDOCXID = 0, 0, 0, 0
	if a.Run.InputHash != b.Run.InputHash || fa != fb {
		t.Errorf("same seed, different inputs: %s vs %s, facts %+v vs %+v", a.Run.InputHash, b.Run.InputHash, a.Facts, b.Facts)
	}
	c, err := Seed(ctx, newService(t), regions, Options{Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if c.Run.InputHash == a.Run.InputHash {
		t.Error("another seed gave the same inputs")
	}
}

func TestGeneratedFilesAreValid(t *testing.T) {
	pdf := minimalPDF("plan (1) \\ test")
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatalf("pdf framing: %q", pdf)
	}
	// startxref must point at the xref table.
	i := bytes.LastIndex(pdf, []byte("startxref\n"))
	var off int
	if _, err := fmt.Sscan(string(pdf[i+len("startxref\n"):]), &off); err != nil || !bytes.HasPrefix(pdf[off:], []byte("xref\n")) {
		t.Errorf("startxref %d does not point at xref (%v)", off, err)
	}
	if !bytes.Contains(pdf, []byte(`(plan \(1\) \\ test)`)) {
		t.Error("PDF string not escaped")
	}
	png := minimalPNG([]float64{10, 50, 100})
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Error("not a PNG")
	}
}

// checkDemoRules checks what the demo shows of the programme's rules: the
// open cycle is flagged as demo data and scores absolutely; its due date is
// the end of 2017-11-30 in Asia/Shanghai, and one draft, without an
// extension, is overdue; every accepted pilot is complete (heating marked
// not applicable in the south) and ranked.
func checkDemoRules(t *testing.T, svc *platform.Service, sum Summary, rows []platform.ResultRow) {
	t.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
	c, err := svc.GetCycle(ctx, sum.CycleID)
	if err != nil || !c.Demo || c.Scoring.Mode != platform.ScoringAbsolute || c.DueAt == nil ||
		c.DueAt.Format(time.RFC3339Nano) != "2017-11-30T23:59:59.999999+08:00" {
		t.Fatalf("demo cycle: %+v, %v", c, err)
	}
	overdue, n, err := svc.OverduePilots(ctx, sum.CycleID, 0, 0)
	if err != nil || n != 1 || overdue[0].PilotID != sum.Facts.OverduePilotID || overdue[0].PilotID == sum.Facts.PilotID {
		t.Errorf("overdue pilots: %+v, %v; want one draft, not the demo pilot's", overdue, err)
	}
	south := 0
	for _, r := range rows {
		if r.Coverage != 1 || r.Ranked == nil || !*r.Ranked || len(r.Missing) != 0 {
			t.Errorf("pilot %s: coverage %v, ranked %v, missing %v", r.PilotName, r.Coverage, r.Ranked, r.Missing)
		}
		sub, _, _ := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: sum.CycleID, PilotID: r.PilotID})
		full, _ := svc.GetSubmission(ctx, sub[0].ID)
		for _, e := range full.Entries {
			if e.Code == "2.2.6" && e.NotApplicable {
				south++
			}
		}
	}
	if south == 0 {
		t.Error("no accepted pilot has heating (2.2.6) marked not applicable")
	}
}
