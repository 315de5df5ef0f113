// Package demo seeds a platform with demonstration data: a selection of
// the real first batch of national smart-city pilots (2013) and one annual
// monitoring cycle whose submissions, values, narratives, evidence files and
// scores are all FICTIONAL, generated deterministically from a fixed seed.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

// FrameworkID is the framework of the demo cycle.
const FrameworkID = "mohurd-2012"

// DefaultSeed is the seed of the generated data: the year of the first batch.
const DefaultSeed = 2013

// Disclaimer is shown wherever the demo is announced.
const Disclaimer = "demo data: the pilots are a selection of the published first batch (MOHURD, 2013-01-29); " +
	"all submissions, values, narratives, files and scores are fictional (演示数据，均为虚构)"

// Options tunes Seed; the zero value gives the standard demo.
type Options struct {
	// Seed of the generated values (DefaultSeed when zero).
	Seed uint64
}

// Summary says what Seed created.
type Summary struct {
	Pilots      int
	CycleID     int64
	Submissions map[platform.SubmissionState]int
	Evidence    int
	Run         platform.ResultRun
	// Reviews is the number of submitted expert reviews of the blind
	// expert round.
	Reviews int
}

// NotEmptyError means the database already has pilots: the demo seeds only
// an empty database, so it never mixes fictional data into real data.
type NotEmptyError struct {
	Pilots int
}

// Error says how many pilots are in the way.
func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("the database already has %d pilots: the demo seeds only an empty database (use a new --db)", e.Pilots)
}

// Seed creates the demo in an empty platform: the pilots, the 2014 annual
// monitoring cycle (open) with a submission per pilot in every state
// (mostly accepted, each forwarded by its province first), evidence files,
// a blind expert-review round on the accepted submissions with every
// review submitted, and the computed results.
func Seed(ctx context.Context, svc *platform.Service, regions *region.Registry, opts Options) (Summary, error) {
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	ctx = platform.WithIdentity(ctx, platform.Identity{User: "demo", Roles: []string{string(platform.RoleAdmin)}})
	if _, n, err := svc.ListPilots(ctx, platform.PilotFilter{Limit: 1}); err != nil {
		return Summary{}, fmt.Errorf("count pilots: %w", err)
	} else if n > 0 {
		return Summary{}, &NotEmptyError{Pilots: n}
	}
	fw, ok := framework.Builtin(FrameworkID)
	if !ok {
		return Summary{}, fmt.Errorf("framework %s is not built in", FrameworkID)
	}
	pilots, err := createPilots(ctx, svc, regions)
	if err != nil {
		return Summary{}, err
	}
	cycle, err := openCycle(ctx, svc)
	if err != nil {
		return Summary{}, err
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5ce7a1))
	plan := planStates(rng, len(pilots))
	sum := Summary{Pilots: len(pilots), CycleID: cycle.ID, Submissions: map[platform.SubmissionState]int{}}
	if err := loadSubmissions(ctx, svc, fw, cycle.ID, pilots, plan, rng); err != nil {
		return Summary{}, err
	}
	if sum.Evidence, err = addEvidence(ctx, svc, fw, cycle.ID, pilots); err != nil {
		return Summary{}, err
	}
	if err := moveSubmissions(ctx, svc, cycle.ID, pilots, plan); err != nil {
		return Summary{}, err
	}
	for _, st := range plan {
		sum.Submissions[st]++
	}
	if sum.Reviews, err = seedReviews(ctx, svc, fw, cycle.ID, rng); err != nil {
		return Summary{}, err
	}
	if sum.Run, err = svc.ComputeResults(ctx, cycle.ID); err != nil {
		return Summary{}, fmt.Errorf("compute demo results: %w", err)
	}
	if err := setDueDate(ctx, svc, cycle.ID); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// demoDue is the demo cycle's due date: a date, so it ends at 24:00 in the
// cycle's time zone (Asia/Shanghai).
const demoDue = "2014-11-30"

// setDueDate gives the demo cycle its (past) due date once its submissions
// have been moved: the fictional pilots submitted in 2014, and the drafts
// and returned submissions show as overdue.
func setDueDate(ctx context.Context, svc *platform.Service, cycleID int64) error {
	c, err := svc.GetCycle(ctx, cycleID)
	if err != nil {
		return fmt.Errorf("get demo cycle: %w", err)
	}
	due, err := platform.ParseCycleDate("due_at", demoDue, c.TimeZone, true)
	if err != nil {
		return err
	}
	c.DueAt = &due
	if _, err := svc.UpdateCycle(ctx, c); err != nil {
		return fmt.Errorf("set the demo cycle's due date: %w", err)
	}
	return nil
}

// seededPilot is a demo pilot as stored.
type seededPilot struct {
	Pilot
	ID       int64
	Province string
}

func createPilots(ctx context.Context, svc *platform.Service, regions *region.Registry) ([]seededPilot, error) {
	var out []seededPilot
	for _, p := range FirstBatch() {
		if _, ok := regions.Resolve(p.RegionCode); !ok {
			return nil, fmt.Errorf("demo pilot %s: region %s is not in the registry", p.Name, p.RegionCode)
		}
		created, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: p.RegionCode, Name: p.Name, Batch: Batch,
			Type: platform.PilotType(p.Type), Status: platform.PilotActive})
		if err != nil {
			return nil, fmt.Errorf("create demo pilot %s: %w", p.Name, err)
		}
		out = append(out, seededPilot{Pilot: p, ID: created.ID, Province: created.ProvinceCode})
	}
	return out, nil
}

func openCycle(ctx context.Context, svc *platform.Service) (platform.Cycle, error) {
	opens, err := platform.ParseCycleDate("opens_at", "2014-03-01", platform.DefaultTimeZone, false)
	if err != nil {
		return platform.Cycle{}, err
	}
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "2014 年度监测（演示数据）", Kind: platform.CycleAnnualMonitoring,
		Year: 2014, FrameworkID: FrameworkID, OpensAt: &opens, Demo: true, NotApplicable: []string{"2.2.6"}})
	if err != nil {
		return platform.Cycle{}, fmt.Errorf("create demo cycle: %w", err)
	}
	c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)
	if err != nil {
		return platform.Cycle{}, fmt.Errorf("open demo cycle: %w", err)
	}
	return c, nil
}

// planStates assigns each pilot the state its submission ends in: two
// drafts, three returned, four submitted, the rest accepted, at positions
// drawn from rng.
func planStates(rng *rand.Rand, n int) []platform.SubmissionState {
	states := make([]platform.SubmissionState, n)
	for i := range states {
		states[i] = platform.SubmissionAccepted
	}
	order := rng.Perm(n)
	quota := []struct {
		state platform.SubmissionState
		n     int
	}{{platform.SubmissionDraft, 2}, {platform.SubmissionReturned, 3}, {platform.SubmissionSubmitted, 4}}
	k := 0
	for _, q := range quota {
		for j := 0; j < q.n && k < n; j++ {
			states[order[k]] = q.state
			k++
		}
	}
	return states
}
