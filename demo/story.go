package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// roundKind is how far a cycle's expert round went.
type roundKind int

const (
	// roundComplete: an open (not blind) round, every review submitted.
	roundComplete roundKind = iota + 1
	// roundInProgress: a blind round, reviews untouched, drafted and
	// submitted.
	roundInProgress
)

// cycleSpec is one cycle of the story.
type cycleSpec struct {
	name       string
	kind       platform.CycleKind
	year       int
	opens, due string
	stars      []engine.StarThreshold
	// missing is how many pilots never submitted (left in draft).
	missing int
	round   roundKind
	// live marks the open cycle of the live workflow; the others are
	// computed and published.
	live bool
}

// Cycle names of the story, oldest first.
const (
	Cycle2014  = "2014 年度监测（演示数据）"
	Cycle2015  = "2015 年度监测（演示数据）"
	CycleFinal = "2016 终期验收（演示数据）"
	CycleOpen  = "2017 年度监测（演示数据）"
)

// FinalStars are the final acceptance's star thresholds (the programme
// published none: a demo choice).
var FinalStars = []engine.StarThreshold{{Stars: 1, Min: 60}, {Stars: 2, Min: 70}, {Stars: 3, Min: 80}}

// story is the demo's cycles, oldest first.
var story = []cycleSpec{
	{name: Cycle2014, kind: platform.CycleAnnualMonitoring, year: 2014, opens: "2014-03-01", due: "2014-11-30", missing: 2},
	{name: Cycle2015, kind: platform.CycleAnnualMonitoring, year: 2015, opens: "2015-03-01", due: "2015-11-30"},
	{name: CycleFinal, kind: platform.CycleFinalAcceptance, year: 2016, opens: "2016-03-01", due: "2016-10-31",
		stars: FinalStars, round: roundComplete},
	{name: CycleOpen, kind: platform.CycleAnnualMonitoring, year: 2017, opens: "2017-03-01", due: "2017-11-30",
		round: roundInProgress, live: true},
}

// seeder carries what every cycle of the story needs.
type seeder struct {
	svc    *platform.Service
	fw     *framework.Framework
	pilots []seededPilot
	rng    *rand.Rand
	// experts are the demo experts' user names by expert id.
	experts map[int64]string
	// base is each pilot's latent level of development in the first cycle.
	base []float64
}

// quality is pilot i's level in the story's cycle k: its base, a steady
// improvement of 5 points a year, and a little noise.
func (s *seeder) quality(i, k int) float64 {
	return clamp(s.base[i]+0.05*float64(k)+0.03*s.rng.NormFloat64(), 0.05, 0.98)
}

// runCycle creates and plays cycle k of the story.
func (s *seeder) runCycle(ctx context.Context, k int, spec cycleSpec, sum *Summary) (platform.Cycle, error) {
	c, err := s.openCycle(ctx, spec)
	if err != nil {
		return c, err
	}
	if spec.live {
		if err := s.playLive(ctx, k, c, spec, sum); err != nil {
			return c, err
		}
		return s.svc.GetCycle(ctx, c.ID)
	}
	if err := s.loadPublished(ctx, k, c, spec); err != nil {
		return c, err
	}
	if spec.round == roundComplete {
		n, err := s.completeRound(ctx, c.ID)
		if err != nil {
			return c, err
		}
		sum.Reviews += n
	}
	if c, err = setDueDate(ctx, s.svc, c.ID, spec.due); err != nil {
		return c, err
	}
	if c, err = s.svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleClosed); err != nil {
		return c, fmt.Errorf("close: %w", err)
	}
	if _, err := s.svc.ComputeResults(ctx, c.ID); err != nil {
		return c, fmt.Errorf("compute: %w", err)
	}
	if c, err = s.svc.TransitionCycle(ctx, c.ID, c.Version, platform.CyclePublished); err != nil {
		return c, fmt.Errorf("publish: %w", err)
	}
	return c, nil
}

// openCycle creates the cycle of spec and opens it.
func (s *seeder) openCycle(ctx context.Context, spec cycleSpec) (platform.Cycle, error) {
	opens, err := platform.ParseCycleDate("opens_at", spec.opens, platform.DefaultTimeZone, false)
	if err != nil {
		return platform.Cycle{}, err
	}
	c, err := s.svc.CreateCycle(ctx, platform.Cycle{Name: spec.name, Kind: spec.kind, Year: spec.year,
		FrameworkID: FrameworkID, OpensAt: &opens, Demo: true, NotApplicable: []string{"2.2.6"}, StarThresholds: spec.stars})
	if err != nil {
		return platform.Cycle{}, fmt.Errorf("create: %w", err)
	}
	if c, err = s.svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		return platform.Cycle{}, fmt.Errorf("open: %w", err)
	}
	return c, nil
}

// loadPublished loads a past cycle's submissions in one transaction: every
// pilot accepted except spec.missing drafts (pilots that never submitted).
func (s *seeder) loadPublished(ctx context.Context, k int, c platform.Cycle, spec cycleSpec) error {
	missing := map[int]bool{}
	for _, i := range s.rng.Perm(len(s.pilots))[:spec.missing] {
		missing[i] = true
	}
	loads := make([]platform.SubmissionLoad, len(s.pilots))
	for i, p := range s.pilots {
		entries := generateEntries(s.rng, s.fw, p, s.quality(i, k), spec.year)
		state := platform.SubmissionAccepted
		if missing[i] {
			state, entries = platform.SubmissionDraft, entries[:int(float64(len(entries))*draftShare)]
		}
		loads[i] = platform.SubmissionLoad{PilotID: p.ID, State: state, Entries: entries}
	}
	if _, err := s.svc.LoadSubmissions(ctx, c.ID, loads); err != nil {
		return fmt.Errorf("load submissions: %w", err)
	}
	return nil
}

// setDueDate gives a cycle its (past) due date once its submissions are in
// place: a date, so it ends at 24:00 in the cycle's time zone
// (Asia/Shanghai).
func setDueDate(ctx context.Context, svc *platform.Service, cycleID int64, date string) (platform.Cycle, error) {
	c, err := svc.GetCycle(ctx, cycleID)
	if err != nil {
		return c, fmt.Errorf("get cycle %d: %w", cycleID, err)
	}
	due, err := platform.ParseCycleDate("due_at", date, c.TimeZone, true)
	if err != nil {
		return c, err
	}
	c.DueAt = &due
	if c, err = svc.UpdateCycle(ctx, c); err != nil {
		return c, fmt.Errorf("set the due date %s: %w", date, err)
	}
	return c, nil
}
