// Package demo seeds a platform with demonstration data that tells the
// story of the first batch of national smart-city pilots (2013) on the
// mohurd-2012 framework. The pilots are a selection of the real first batch;
// every submission, value, narrative, evidence file, review and score is
// FICTIONAL (演示数据), generated deterministically from a fixed seed, and
// every cycle's name says 演示数据.
//
// # The story
//
//   - 2014 年度监测（演示数据）and 2015 年度监测（演示数据）: annual
//     monitoring, computed and published (a few pilots did not submit in
//     2014).
//   - 2016 终期验收（演示数据）: the final acceptance, with star thresholds
//     (★ ≥ 60, ★★ ≥ 70, ★★★ ≥ 80), an open (not blind) expert round with
//     every review submitted, computed and published: stars of all three
//     levels.
//   - 2017 年度监测（演示数据）: the monitoring after acceptance, OPEN: the
//     live workflow. Submissions in every state (draft, submitted,
//     returned with a reason and per-indicator comments, forwarded,
//     accepted), a blind expert round in progress (reviews untouched,
//     drafted and submitted), evidence files (PDF, PNG, XLSX, DOCX), a past
//     due date with extensions for the pilots still working, and results
//     computed on the accepted submissions but not published.
//
// Each pilot's latent level of development improves from cycle to cycle,
// so the published cycles show trends.
//
// # Accounts
//
// Seed creates one account per role with a known password, listed by
// Accounts (see AccountFor): demo-admin, demo-ministry, demo-province (the
// province with the most demo pilots), demo-pilot (its pilot with the open
// draft), demo-expert (demo-expert-1, assigned in both expert rounds), and
// a few more of each role. The passwords are public: never seed the demo
// into a database that real people use (Seed refuses a non-empty one).
//
// # For tests
//
// Lookup(ctx, svc) finds the story's facts in a seeded database without
// hard-coded ids — the open cycle, the demo pilot's draft, a returned, a
// submitted, a forwarded and an accepted submission, demo-expert-1's
// untouched, drafted and submitted blind reviews, evidence files, a pilot
// with stars and a trend — and Seed returns them in Summary.Facts. In a
// browser test (package web/e2e):
//
//	s := Start(t)                               // seeds the demo
//	f := s.Demo.Facts
//	a, _ := demo.AccountFor(platform.RolePilot) // demo-pilot, pilot-demo-2013
//	ctx := s.Browser(t)
//	s.Login(t, ctx, a.Username, a.Password)
//	// … the draft f.DraftSubmissionID of pilot f.PilotID in cycle f.OpenCycleID
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

// FrameworkID is the framework of the demo cycles.
const FrameworkID = "mohurd-2012"

// DefaultSeed is the seed of the generated data: the year of the first batch.
const DefaultSeed = 2013

// Disclaimer is shown wherever the demo is announced.
const Disclaimer = "demo data: the pilots are a selection of the published first batch (MOHURD, 2013-01-29); " +
	"all submissions, values, narratives, files, reviews and scores are fictional (演示数据，均为虚构)"

// Options tunes Seed; the zero value gives the standard demo.
type Options struct {
	// Seed of the generated values (DefaultSeed when zero).
	Seed uint64
}

// Summary says what Seed created. CycleID, Submissions, Run and Reviews
// describe the open cycle (the live workflow).
type Summary struct {
	Pilots int
	// CycleID is the open cycle, 2017 年度监测（演示数据）.
	CycleID int64
	// Submissions counts the open cycle's submissions by state.
	Submissions map[platform.SubmissionState]int
	// Evidence is the number of evidence files attached.
	Evidence int
	// Run is the open cycle's result run (its accepted submissions).
	Run platform.ResultRun
	// Reviews is the number of submitted expert reviews in all cycles.
	Reviews int
	// Cycles are every demo cycle, oldest first, as they ended.
	Cycles []platform.Cycle
	// Facts are what tests need to find their way (Lookup's answer).
	Facts Facts
}

// NotEmptyError means the database already has pilots or cycles: the demo
// seeds only an empty database, so it never mixes fictional data into real
// data. (Accounts do not count: a server's first administrator may exist.)
type NotEmptyError struct {
	Pilots, Cycles int
}

// Error says what is in the way.
func (e *NotEmptyError) Error() string {
	what := count(e.Pilots, "pilot")
	switch {
	case e.Pilots == 0:
		what = count(e.Cycles, "cycle")
	case e.Cycles > 0:
		what += " and " + count(e.Cycles, "cycle")
	}
	return "the database already has " + what + ": the demo seeds only an empty database (use a new --db)"
}

// adminContext is the identity the demo acts as.
func adminContext(ctx context.Context) context.Context {
	return platform.WithIdentity(ctx, platform.Identity{User: "demo", Roles: []string{string(platform.RoleAdmin)}})
}

// Seed creates the demo (see the package documentation) in an empty
// platform, accounts included; a database with pilots is refused with a
// *NotEmptyError and left unchanged.
func Seed(ctx context.Context, svc *platform.Service, regions *region.Registry, opts Options) (Summary, error) {
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	ctx = adminContext(ctx)
	if err := checkEmpty(ctx, svc); err != nil {
		return Summary{}, err
	}
	fw, ok := framework.Builtin(FrameworkID)
	if !ok {
		return Summary{}, fmt.Errorf("framework %s is not built in", FrameworkID)
	}
	pilots, err := createPilots(ctx, svc, regions)
	if err != nil {
		return Summary{}, err
	}
	experts, err := createExperts(ctx, svc)
	if err != nil {
		return Summary{}, err
	}
	// Hashing the accounts' passwords is CPU work that needs only the
	// pilots: it runs beside the cycles, which mostly wait on the database.
	accounts := make(chan error, 1)
	go func() { accounts <- createAccounts(ctx, svc) }()
	sum, err := playStory(ctx, &seeder{svc: svc, fw: fw, pilots: pilots, experts: experts,
		rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5ce7a1))})
	if aerr := <-accounts; err == nil {
		err = aerr
	}
	if err != nil {
		return Summary{}, err
	}
	if sum.Facts, err = Lookup(ctx, svc); err != nil {
		return Summary{}, err
	}
	return sum, nil
}

// playStory plays the story's cycles in order.
func playStory(ctx context.Context, s *seeder) (Summary, error) {
	s.base = make([]float64, len(s.pilots))
	for i := range s.base {
		// The pilot's latent level of development in 2014: every
		// indicator scatters around it, so rankings are plausible.
		s.base[i] = 0.3 + 0.5*s.rng.Float64()
	}
	for i, p := range s.pilots {
		// demo-pilot-3 shows a scorecard with stars.
		if p.Name == mainPilots()[4].Name {
			s.base[i] = max(s.base[i], 0.72)
		}
	}
	sum := Summary{Pilots: len(s.pilots)}
	for i, spec := range story {
		c, err := s.runCycle(ctx, i, spec, &sum)
		if err != nil {
			return Summary{}, fmt.Errorf("demo cycle %s: %w", spec.name, err)
		}
		sum.Cycles = append(sum.Cycles, c)
	}
	return sum, nil
}

// count is "1 pilot", "2 pilots".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// checkEmpty refuses a database with pilots or cycles (*NotEmptyError).
func checkEmpty(ctx context.Context, svc *platform.Service) error {
	_, pilots, err := svc.ListPilots(ctx, platform.PilotFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("count pilots: %w", err)
	}
	_, cycles, err := svc.ListCycles(ctx, platform.CycleFilter{Limit: 1})
	if err != nil {
		return fmt.Errorf("count cycles: %w", err)
	}
	if pilots > 0 || cycles > 0 {
		return &NotEmptyError{Pilots: pilots, Cycles: cycles}
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
