package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

// The crash test: a child process (this test binary, re-executed into
// TestCrashChild) imports pilots in bulk, uploads evidence and computes
// results in a loop, writing a line to a log after each call returns (that
// is, after its commit). The parent kills it with SIGKILL at a random
// moment, again and again, and after each kill opens the platform as a
// restarting server would and checks that
//   - every logged change is there (committed means durable),
//   - every bulk import is all or nothing (300 pilots or none of its batch),
//   - the stored results are whole (one row per accepted submission),
//   - the audit chain verifies;
// and at the end that sceval gc leaves exactly the evidence files the
// database names, and no partial upload. SCEVAL_CRASH_ROUNDS sets the number
// of kills per database (default 8: the test takes about 20 s on SQLite).

const (
	crashChildEnv = "SCEVAL_CRASH_CHILD"
	crashBatch    = 300
)

func TestCrashSafetySQLite(t *testing.T) {
	db, data := writeDemoDB(t)
	crashRounds(t, db, data)
}

func TestCrashSafetyPostgres(t *testing.T) {
	db := sqlstoretest.PostgresDSN(t, nil)
	data := filepath.Join(t.TempDir(), "data")
	if _, stderr, code := runFrameworkCLI(t, "demo", "--db", db, "--data-dir", data); code != 0 {
		t.Fatalf("demo: %s", stderr)
	}
	crashRounds(t, db, data)
}

// crashRounds runs the child and kills it, round after round.
func crashRounds(t *testing.T, db, data string) {
	rounds := 8
	if n, err := strconv.Atoi(os.Getenv("SCEVAL_CRASH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	sub := draftSubmission(t, db, data)
	logFile := filepath.Join(t.TempDir(), "committed.log")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 14))
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
		cmd.Env = append(os.Environ(), crashChildEnv+"=1", "SCEVAL_CRASH_DB="+db, "SCEVAL_CRASH_DATA="+data,
			"SCEVAL_CRASH_LOG="+logFile, fmt.Sprintf("SCEVAL_CRASH_ROUND=%d", round), fmt.Sprintf("SCEVAL_CRASH_SUB=%d", sub))
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(300+rng.IntN(1500)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: the child ended before the kill: %v\n%s", round, err, out.String())
		}
		checkAfterCrash(t, db, data, logFile, round)
	}
	checkGCAfterCrashes(t, db, data)
}

// draftSubmission returns a draft submission of the demo that takes
// evidence: a draft in an open cycle. (The first draft listed may be in a
// closed cycle, where every upload is refused with a conflict — which the
// child took for a full quota, so that no round ever committed a file.)
func draftSubmission(t *testing.T, db, data string) int64 {
	t.Helper()
	deps, err := openPlatform(context.Background(), db, data, platform.DefaultMaxEvidenceSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.store.Close()
	subs, _, err := deps.service.ListSubmissions(backupAdmin, platform.SubmissionFilter{State: "draft", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		c, err := deps.service.GetCycle(backupAdmin, sub.CycleID)
		if err == nil && platform.EntriesEditable(sub, c) == nil {
			return sub.ID
		}
	}
	t.Fatalf("no editable draft submission among the demo's %d drafts", len(subs))
	return 0
}

// TestCrashChild is the child process of the crash test; it does nothing
// (and passes) unless started by it — not a skip, so that a run where
// nothing may skip (CI) reports none.
func TestCrashChild(t *testing.T) {
	if os.Getenv(crashChildEnv) == "" {
		return
	}
	round, _ := strconv.Atoi(os.Getenv("SCEVAL_CRASH_ROUND"))
	sub, _ := strconv.ParseInt(os.Getenv("SCEVAL_CRASH_SUB"), 10, 64)
	log, err := os.OpenFile(os.Getenv("SCEVAL_CRASH_LOG"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	// One write per line: a kill leaves a line whole or absent.
	record := func(format string, args ...any) { log.WriteString(fmt.Sprintf(format, args...) + "\n") }
	deps, err := openPlatform(context.Background(), os.Getenv("SCEVAL_CRASH_DB"), os.Getenv("SCEVAL_CRASH_DATA"), platform.DefaultMaxEvidenceSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := deps.service
	cycles, _, err := svc.ListCycles(backupAdmin, platform.CycleFilter{})
	if err != nil || len(cycles) == 0 {
		t.Fatalf("cycles: %v", err)
	}
	towns, _ := deps.regions.Search(region.Query{Level: 4, Limit: crashBatch})
	if len(towns) != crashBatch {
		t.Fatalf("%d towns in the registry", len(towns))
	}
	for k := 0; ; k++ {
		batch := fmt.Sprintf("r%d-%d", round, k)
		record("start %s", batch)
		var csv strings.Builder
		csv.WriteString("region_code,name,batch,type\n")
		for _, town := range towns {
			fmt.Fprintf(&csv, "%s,%s,%s,town\n", town.Code, town.Name, batch)
		}
		if _, err := svc.ImportPilots(backupAdmin, "towns.csv", strings.NewReader(csv.String())); err != nil {
			t.Fatalf("import %s: %v", batch, err)
		}
		record("import %s %d", batch, crashBatch)
		pdf := fmt.Sprintf("%%PDF-1.4\n%% crash test %s %d\n%s\n%%%%EOF\n", batch, time.Now().UnixNano(), strings.Repeat("x", 20000))
		ev, err := svc.AddEvidence(backupAdmin, sub, "1.1.1", "证明 "+batch+".pdf", strings.NewReader(pdf))
		switch {
		case platform.ErrorCodeOf(err) == platform.CodeEvidenceQuota:
			// The submission's quota is full (many rounds): go on without.
		case err != nil:
			t.Fatalf("evidence %s: %v", batch, err)
		default:
			record("evidence %s", ev.SHA256)
		}
		run, err := svc.ComputeResults(backupAdmin, cycles[0].ID)
		if err != nil {
			t.Fatalf("results: %v", err)
		}
		record("results %d", run.Pilots)
	}
}

// checkAfterCrash opens the platform as a restart would and checks every
// logged change and the invariants.
func checkAfterCrash(t *testing.T, db, data, logFile string, round int) {
	t.Helper()
	deps, err := openPlatform(context.Background(), db, data, platform.DefaultMaxEvidenceSize, nil)
	if err != nil {
		t.Fatalf("round %d: restart: %v", round, err)
	}
	defer deps.store.Close()
	svc := deps.service
	f, err := os.Open(logFile)
	if err != nil {
		t.Fatalf("round %d: the child logged nothing: %v", round, err)
	}
	defer f.Close()
	sums, err := deps.store.EvidenceSums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	lines := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines++
		fields := strings.Fields(sc.Text())
		switch fields[0] {
		case "start", "import":
			_, n, err := svc.ListPilots(backupAdmin, platform.PilotFilter{Batch: fields[1], Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if fields[0] == "import" && n != crashBatch {
				t.Fatalf("round %d: committed import %s has %d pilots, want %d", round, fields[1], n, crashBatch)
			}
			if n != 0 && n != crashBatch {
				t.Fatalf("round %d: import %s half-written: %d pilots", round, fields[1], n)
			}
			counts[fields[0]]++
		case "evidence":
			if !sums[fields[1]] {
				t.Fatalf("round %d: committed evidence %s has no record", round, fields[1])
			}
			checkBlob(t, data, fields[1])
			counts["evidence"]++
		case "results":
			counts["results"]++
		}
	}
	if counts["results"] > 0 && counts["evidence"] == 0 {
		// Each iteration uploads before it computes: a committed run
		// without any committed upload means uploads are not exercised.
		t.Fatalf("round %d: %d result runs but no evidence upload committed: the child's uploads are all refused", round, counts["results"])
	}
	checkResultsWhole(t, svc)
	v, err := platform.VerifyAuditChain(context.Background(), deps.store)
	if err != nil || !v.OK {
		t.Fatalf("round %d: audit chain after the kill: %+v %v", round, v, err)
	}
	t.Logf("round %d: %d log lines checked (%d imports, %d evidence files, %d result runs committed so far), audit chain of %d rows intact",
		round, lines, counts["import"], counts["evidence"], counts["results"], v.Rows)
}

// checkBlob checks that an evidence file is stored whole.
func checkBlob(t *testing.T, data, sum string) {
	t.Helper()
	b, err := os.ReadFile(blobFile(data, sum))
	if err != nil {
		t.Fatalf("committed evidence file %s: %v", sum, err)
	}
	if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
		t.Fatalf("evidence file %s is damaged", sum)
	}
}

// checkResultsWhole checks that the stored results hold one overall row per
// accepted submission: a run is stored whole or not at all.
func checkResultsWhole(t *testing.T, svc *platform.Service) {
	t.Helper()
	cycles, _, err := svc.ListCycles(backupAdmin, platform.CycleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	_, accepted, err := svc.ListSubmissions(backupAdmin, platform.SubmissionFilter{CycleID: cycles[0].ID, State: "accepted", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, total, err := svc.ListResults(backupAdmin, platform.ResultFilter{CycleID: cycles[0].ID, Limit: 1})
	if err != nil || total != accepted {
		t.Fatalf("results: %d rows for %d accepted submissions (%v)", total, accepted, err)
	}
}

// checkGCAfterCrashes runs sceval gc and checks that exactly the files the
// database names are left, and no partial upload.
func checkGCAfterCrashes(t *testing.T, db, data string) {
	t.Helper()
	stdout, stderr, code := runFrameworkCLI(t, "gc", "--db", db, "--data-dir", data, "--min-age", "0s")
	if code != 0 {
		t.Fatalf("gc: %s %s", stdout, stderr)
	}
	t.Logf("gc after the crashes: %s", strings.TrimSpace(stdout))
	if stdout, stderr, code := runFrameworkCLI(t, "audit-log", "verify", "--db", db); code != 0 {
		t.Fatalf("audit-log verify after the crashes: %s %s", stdout, stderr)
	}
	deps, err := openPlatform(context.Background(), db, data, platform.DefaultMaxEvidenceSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer deps.store.Close()
	sums, err := deps.store.EvidenceSums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := countBlobs(t, data); n != len(sums) {
		t.Errorf("after gc: %d evidence files, the database names %d", n, len(sums))
	}
	for sum := range sums {
		checkBlob(t, data, sum)
	}
	if left, _ := filepath.Glob(filepath.Join(data, "tmp", "upload-*")); len(left) > 0 {
		t.Errorf("partial uploads left after restart and gc: %v", left)
	}
}
