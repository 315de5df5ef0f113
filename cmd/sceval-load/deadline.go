package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/url"
	"os"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/web"
)

// The deadline scenario's pace and mix. A person acts about once a second
// (pilots) or, by default, every two seconds (experts reading and scoring,
// managers reading dashboards: --expert-rate, --manager-rate); these are
// our assumptions, not measurements.
const (
	// deadlinePilotRate is each pilot user's actions per second.
	deadlinePilotRate = 1.0
	// uploadShare and pageShare are the shares of a pilot's actions that
	// upload an evidence file and that reload the entry page; the rest
	// save an entry.
	uploadShare = 0.05
	pageShare   = 0.05
	// submitEvery: every submitEvery-th pilot (with one user) submits its
	// submission in the last submitWindow of the run.
	submitEvery  = 5
	submitWindow = 0.2
	// Evidence files are between minEvidence and maxEvidence bytes,
	// log-uniformly (median about 330 KB, mean about 550 KB).
	minEvidence = 50 << 10
	maxEvidence = 2 << 20
)

// runDeadline runs the deadline scenario on an in-process server and
// fails when any operation failed other than by a version conflict.
func runDeadline(ctx context.Context, cfg config, regions *region.Registry, out io.Writer) error {
	if cfg.experts < 0 || cfg.managers < 0 || cfg.expertRate <= 0 || cfg.managerRate <= 0 || cfg.rate <= 0 {
		return fmt.Errorf("--experts and --managers must not be negative, --rate, --expert-rate and --manager-rate must be positive")
	}
	srv, err := startServer(ctx, cfg.db, regions)
	if err != nil {
		return err
	}
	defer srv.stop()
	_, rec, err := deadlineDay(ctx, srv, cfg, regions, out)
	if err != nil {
		return err
	}
	if n := rec.unexpected(); n > 0 {
		return fmt.Errorf("%d operations failed unexpectedly (listed above)", n)
	}
	return nil
}

// deadlineDay sets up the world on srv and runs every user for
// cfg.duration, printing the report to out.
func deadlineDay(ctx context.Context, srv *server, cfg config, regions *region.Registry, out io.Writer) (*deadlineFixture, *recorder, error) {
	users := cfg.clients + cfg.experts + cfg.managers
	admin := newClient(srv.url, srv.token, users)
	fmt.Fprintf(out, "target %s: deadline day — %d pilots, %d pilot users, %d experts, %d managers; setting up…\n",
		srv.url, cfg.pilots, cfg.clients, cfg.experts, cfg.managers)
	setupStart := time.Now()
	fx, err := setupDeadline(ctx, admin, srv.svc, regions, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("setup: %w", err)
	}
	fmt.Fprintf(out, "setup took %s: two cycles, %d entries imported, %d accounts logged in\n",
		time.Since(setupStart).Round(time.Millisecond), 2*len(fx.pilots)*len(fx.leaves), users)
	fmt.Fprintf(out, "load: pilots %.0f actions/s in all (%.0f%% uploads of 50 KB–2 MB, %.0f%% page views, the rest entry saves; every %dth pilot submits in the last %.0f%%), "+
		"experts %.1f/s each, managers %.1f/s each, for %s…\n", cfg.rate, 100*uploadShare, 100*pageShare, submitEvery, 100*submitWindow,
		cfg.expertRate, cfg.managerRate, cfg.duration)
	fmt.Fprintf(out, "machine before: %s\n", machineLoad())
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, nil, err
		}
		defer pprof.StopCPUProfile()
	}
	rec := newRecorder()
	heap := startHeapSampler(50 * time.Millisecond)
	// stop ends the schedules, not the requests: an operation in flight at
	// the end completes and is counted, as the server completes it.
	stop, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	run := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	for u := range fx.pilotUsers {
		run(func() { pilotUser(ctx, stop, fx, u, cfg, start, rec) })
	}
	for e := range fx.experts {
		run(func() { expertUser(ctx, stop, fx, e, cfg, rec) })
	}
	for m := range fx.managers {
		run(func() { managerUser(ctx, stop, fx, m, cfg, rec) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	peak := heap.finish()
	fmt.Fprintf(out, "ran %s\n", elapsed.Round(time.Millisecond))
	rec.print(out, elapsed)
	fmt.Fprintf(out, "memory (server and generator in one process): Go heap peak %.0f MB; %s\n", float64(peak)/1e6, processMemory())
	fmt.Fprintf(out, "machine after: %s\n", machineLoad())
	return fx, rec, nil
}

// rolePacer paces one of n users sharing a total rate (Poisson arrivals
// unless the command line chose uniform ones for the pilots).
func rolePacer(cfg config, n int, total float64, id int, poisson bool) *pacer {
	return newPacer(config{clients: n, rate: total, poisson: poisson, seed: cfg.seed}, id)
}

// nextAction waits for a user's next slot; false once the run is over (a
// user behind its schedule gets its slots at once, so the pacer alone
// would not stop it).
func nextAction(pace *pacer, stop context.Context) (time.Time, bool) {
	if stop.Err() != nil {
		return time.Time{}, false
	}
	return pace.next(stop)
}

// pilotUser is one pilot's user on deadline day: reads the submission,
// then saves entries (even-numbered users through the entry page's form,
// as a browser does; the others through the JSON API, as a pilot's data
// script does), uploads evidence and reloads the entry page; every
// submitEvery-th pilot with a single user submits near the end and stops.
func pilotUser(ctx, stop context.Context, fx *deadlineFixture, u int, cfg config, start time.Time, rec *recorder) {
	c, p := fx.pilotUsers[u], u%len(fx.pilots)
	sub := fx.subs[p]
	rng := rand.New(rand.NewPCG(cfg.seed, uint64(u)))
	submitter := p%submitEvery == 0 && p+len(fx.pilots) >= len(fx.pilotUsers)
	submitAt := start.Add(time.Duration((1 - submitWindow) * float64(cfg.duration)))
	pace := rolePacer(cfg, len(fx.pilotUsers), cfg.rate, u, cfg.poisson)
	versions := map[string]int{}
	t0, ok := nextAction(pace, stop)
	if !ok {
		return
	}
	var s platform.Submission
	status, err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/submissions/%d", sub), "", nil, &s)
	if !rec.record(ctx, opOpen, t0, status, err, 0) {
		return
	}
	for _, e := range s.Entries {
		versions[e.Code] = e.Version
	}
	first := true
	for {
		t0, ok := nextAction(pace, stop)
		if !ok {
			return
		}
		if submitter && time.Now().After(submitAt) {
			submit(ctx, c, sub, t0, rec)
			return
		}
		// The first action after reading the submission is an upload for
		// one user in ten and a page reload for another, so that even a
		// short run has both; then chance decides.
		r := rng.Float64()
		if first {
			first = false
			switch u % 10 {
			case 1:
				r = 0 // an upload
			case 3:
				r = uploadShare // a page reload
			}
		}
		switch {
		case r < uploadShare:
			upload(ctx, c, rng, sub, fx.leaves[rng.IntN(len(fx.leaves))].Code, t0, rec)
		case r < uploadShare+pageShare:
			status, err := c.do(ctx, "GET", fmt.Sprintf("/entry/submissions/%d", sub), "", nil, nil)
			rec.record(ctx, opEntryPage, t0, status, err, 0)
		case u%2 == 0:
			leaf := fx.leaves[rng.IntN(len(fx.leaves))]
			versions[leaf.Code] = pageSave(ctx, c, sub, leaf, entryFor(rng, leaf, versions[leaf.Code]), t0, rec)
		default:
			leaf := fx.leaves[rng.IntN(len(fx.leaves))]
			var e platform.Entry
			status, err := c.do(ctx, "PUT", fmt.Sprintf("/api/v1/submissions/%d/entries/%s", sub, leaf.Code), "",
				entryFor(rng, leaf, versions[leaf.Code]), &e)
			if rec.record(ctx, opSaveEntry, t0, status, err, 0) {
				versions[leaf.Code] = e.Version
			} else if se, ok := err.(*statusError); ok && status == 409 {
				versions[leaf.Code] = currentVersion(se.body) // take the other user's version, as the page offers
			}
		}
	}
}

// The entry page's answer to an htmx save: the version the form holds
// now, the current version after a conflict ("base"), and the outcome.
var (
	formVersion = regexp.MustCompile(`name="version" value="(\d+)"`)
	formBase    = regexp.MustCompile(`name="base" value="(\d+)"`)
	fieldError  = regexp.MustCompile(`class="field-error"[^>]*>([^<]*)<`)
)

// pageSave saves an entry as the entry page does in a browser (an htmx
// form post, answered with a fragment whose status is always 200) and
// returns the version the form holds afterwards.
func pageSave(ctx context.Context, c *client, sub int64, leaf web.IndicatorRow, in web.EntryFields, t0 time.Time, rec *recorder) int {
	form := url.Values{"version": {strconv.Itoa(in.Version)}, "narrative": {in.Narrative}}
	if in.Level != nil {
		form.Set("level", strconv.Itoa(*in.Level))
	}
	if in.Value != nil {
		form.Set("value", strconv.FormatFloat(*in.Value, 'f', -1, 64))
	}
	status, body, err := c.htmxPost(ctx, fmt.Sprintf("/entry/submissions/%d/entries/%s", sub, leaf.Code), form)
	page := string(body)
	switch {
	case err != nil:
	case strings.Contains(page, `class="conflict"`):
		err = &statusError{status: 409, body: `"stale_version"`}
		if m := formBase.FindStringSubmatch(page); m != nil {
			v, _ := strconv.Atoi(m[1])
			rec.record(ctx, opPageSave, t0, 409, err, 0)
			return v
		}
	case !strings.Contains(page, `class="saved"`):
		msg := "no saved notice in the answer"
		if m := fieldError.FindStringSubmatch(page); m != nil {
			msg = m[1]
		}
		err = &statusError{status: status, body: msg}
	}
	if !rec.record(ctx, opPageSave, t0, status, err, 0) {
		return in.Version
	}
	m := formVersion.FindStringSubmatch(page)
	if m == nil {
		return in.Version
	}
	v, _ := strconv.Atoi(m[1])
	return v
}

// submit reads the submission's version and submits it.
func submit(ctx context.Context, c *client, sub int64, t0 time.Time, rec *recorder) {
	var s platform.Submission
	status, err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/submissions/%d", sub), "", nil, &s)
	if err == nil {
		status, err = c.do(ctx, "POST", fmt.Sprintf("/api/v1/submissions/%d/transition", sub), "",
			web.SubmissionTransition{To: "submitted", Version: s.Version}, nil)
	}
	rec.record(ctx, opSubmit, t0, status, err, 0)
}

// upload sends one evidence file: a PDF or a JPEG (valid signature, then
// random bytes, so that no two files share content and none is stored
// only once for two uploads).
func upload(ctx context.Context, c *client, rng *rand.Rand, sub int64, code string, t0 time.Time, rec *recorder) {
	size := int(math.Exp(math.Log(minEvidence) + rng.Float64()*(math.Log(maxEvidence)-math.Log(minEvidence))))
	content := make([]byte, size)
	for i := 0; i+8 <= len(content); i += 8 {
		v := rng.Uint64()
		for j := range 8 {
			content[i+j] = byte(v >> (8 * j))
		}
	}
	name := fmt.Sprintf("证明材料-%s-%d.pdf", code, rng.Uint32())
	if rng.IntN(2) == 0 {
		copy(content, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	} else {
		copy(content, "\xff\xd8\xff\xe0\x00\x10JFIF\x00")
		name = fmt.Sprintf("现场照片-%s-%d.jpg", code, rng.Uint32())
	}
	body, ctype, err := multipartFile(name, content)
	if err != nil {
		rec.record(ctx, opUpload, t0, 0, err, 0)
		return
	}
	status, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/submissions/%d/entries/%s/evidence", sub, code), ctype, body, nil)
	rec.record(ctx, opUpload, t0, status, err, int64(size))
}

// expertUser works through one expert's draft reviews of last year's
// cycle: open, save half the scores, save all, submit; then lists the
// reviews again.
func expertUser(ctx, stop context.Context, fx *deadlineFixture, e int, cfg config, rec *recorder) {
	c := fx.experts[e]
	rng := rand.New(rand.NewPCG(cfg.seed^0x5eed, uint64(e)))
	pace := rolePacer(cfg, len(fx.experts), cfg.expertRate*float64(len(fx.experts)), e, true)
	var todo []platform.Assignment
	step, version := 0, 0
	for {
		t0, ok := nextAction(pace, stop)
		if !ok {
			return
		}
		if len(todo) == 0 {
			var list web.ListBody[platform.Assignment]
			status, err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/reviews?cycle_id=%d&state=draft&limit=100", fx.review), "", nil, &list)
			if rec.record(ctx, opReviewList, t0, status, err, 0) {
				todo, step = list.Items, 0
			}
			continue
		}
		id := todo[0].ID
		path := fmt.Sprintf("/api/v1/reviews/%d", id)
		switch step {
		case 0:
			var v platform.ReviewView
			status, err := c.do(ctx, "GET", path, "", nil, &v)
			if rec.record(ctx, opReviewOpen, t0, status, err, 0) {
				version, step = v.Review.Version, 1
			}
		case 1, 2:
			leaves := fx.leaves
			if step == 1 {
				leaves = leaves[:len(leaves)/2]
			}
			var a platform.Assignment
			status, err := c.do(ctx, "PUT", path, "", web.ReviewSave{Version: version, Scores: reviewScores(rng, leaves)}, &a)
			if rec.record(ctx, opReviewSave, t0, status, err, 0) {
				version, step = a.Version, step+1
			}
		default:
			status, err := c.do(ctx, "POST", path+"/submit", "", web.ReviewAction{Version: version}, nil)
			rec.record(ctx, opReviewSubmit, t0, status, err, 0)
			// A failed submit is counted; the expert moves on either way.
			todo, step = todo[1:], 0
		}
	}
}

// reviewScores scores leaves: a rubric level or a score 0–100, with a
// comment.
func reviewScores(rng *rand.Rand, leaves []web.IndicatorRow) []platform.ReviewScore {
	out := make([]platform.ReviewScore, len(leaves))
	for i, l := range leaves {
		out[i] = platform.ReviewScore{Code: l.Code, Comment: "材料基本齐全，数据可信。"}
		if l.Kind == "rubric" && len(l.Rubric) > 0 {
			level := 1 + rng.IntN(len(l.Rubric))
			out[i].Level = &level
		} else {
			v := float64(rng.IntN(1001)) / 10
			out[i].Score = &v
		}
	}
	return out
}

// managerUser reads dashboards: the review queue of this year's submitted
// submissions, last year's ranking (ministry), scorecards of accepted
// pilots, the submissions list as JSON, the experts' combined results
// (ministry).
func managerUser(ctx, stop context.Context, fx *deadlineFixture, m int, cfg config, rec *recorder) {
	mg := fx.managers[m]
	rng := rand.New(rand.NewPCG(cfg.seed^0x3a7a, uint64(m)))
	pace := rolePacer(cfg, len(fx.managers), cfg.managerRate*float64(len(fx.managers)), m, true)
	ops := []string{opQueue, opScorecard, opSubmissions}
	switch {
	case mg.province == "":
		ops = []string{opResults, opExpertTotals, opQueue, opScorecard, opSubmissions}
	case len(mg.pilots) == 0:
		ops = []string{opQueue, opSubmissions}
	}
	// The pages in turn, each manager starting at another one (the
	// ministry's at the ranking or the experts' results), so that even a
	// short run reads every kind.
	for k := m / 4; ; k++ {
		t0, ok := nextAction(pace, stop)
		if !ok {
			return
		}
		var path string
		op := ops[k%len(ops)]
		switch op {
		case opQueue:
			path = fmt.Sprintf("/review?cycle=%d&tab=submitted", fx.current)
		case opResults:
			path = fmt.Sprintf("/cycles/%d/results", fx.review)
		case opScorecard:
			path = fmt.Sprintf("/pilots/%d/scorecard?cycle=%d", mg.pilots[rng.IntN(len(mg.pilots))].ID, fx.review)
		case opSubmissions:
			path = fmt.Sprintf("/api/v1/cycles/%d/submissions?state=submitted&limit=50", fx.current)
		case opExpertTotals:
			path = fmt.Sprintf("/api/v1/cycles/%d/expert-results", fx.review)
		}
		status, err := mg.c.do(ctx, "GET", path, "", nil, nil)
		rec.record(ctx, op, t0, status, err, 0)
	}
}
