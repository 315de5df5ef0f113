package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/sceval/sceval/platform"
)

// MainProvince is the province of the demo-province account and of the
// demo pilot: the province with the most demo pilots (the lowest code on a
// tie), 13 河北省.
func MainProvince() string { return provincesByPilots()[0] }

// SecondProvince is the province of the demo-province-2 account: the next
// one in the same order, 33 浙江省.
func SecondProvince() string { return provincesByPilots()[1] }

// provincesByPilots lists the demo pilots' provinces (two-digit codes),
// most pilots first, then by code.
func provincesByPilots() []string {
	n := map[string]int{}
	for _, p := range FirstBatch() {
		n[p.RegionCode[:2]]++
	}
	codes := make([]string, 0, len(n))
	for c := range n {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int { return cmp.Or(cmp.Compare(n[b], n[a]), cmp.Compare(a, b)) })
	return codes
}

// mainRoles are the states of the main province's pilots in the open
// cycle, in FirstBatch order: the demo pilot's draft, one awaiting the
// province, one returned, one awaiting the ministry, the rest accepted.
var mainRoles = []platform.SubmissionState{platform.SubmissionDraft, platform.SubmissionSubmitted,
	platform.SubmissionReturned, platform.SubmissionForwarded}

// otherQuota is how many of the other provinces' pilots end in each state
// (the rest are accepted), at positions drawn from the seed.
var otherQuota = []struct {
	state platform.SubmissionState
	n     int
}{{platform.SubmissionDraft, 2}, {platform.SubmissionReturned, 2}, {platform.SubmissionSubmitted, 3}, {platform.SubmissionForwarded, 3}}

// planLive assigns each pilot the state its open-cycle submission ends in.
func (s *seeder) planLive() []platform.SubmissionState {
	plan := make([]platform.SubmissionState, len(s.pilots))
	var others []int
	k := 0
	main := MainProvince()
	for i, p := range s.pilots {
		plan[i] = platform.SubmissionAccepted
		if p.RegionCode[:2] != main {
			others = append(others, i)
			continue
		}
		if k < len(mainRoles) {
			plan[i] = mainRoles[k]
		}
		k++
	}
	order := s.rng.Perm(len(others))
	k = 0
	for _, q := range otherQuota {
		for j := 0; j < q.n && k < len(order); j++ {
			plan[others[order[k]]] = q.state
			k++
		}
	}
	return plan
}

// playLive plays the open cycle: drafts loaded, evidence attached, each
// submission moved to its planned state by the province and the ministry,
// the due date set (past), extensions granted, the blind expert round
// begun and the results computed on the accepted submissions.
func (s *seeder) playLive(ctx context.Context, k int, c platform.Cycle, spec cycleSpec, sum *Summary) error {
	plan := s.planLive()
	loads := make([]platform.SubmissionLoad, len(s.pilots))
	for i, p := range s.pilots {
		entries := generateEntries(s.rng, s.fw, p, s.quality(i, k), spec.year)
		if plan[i] == platform.SubmissionDraft {
			entries = entries[:int(float64(len(entries))*draftShare)]
		}
		loads[i] = platform.SubmissionLoad{PilotID: p.ID, State: platform.SubmissionDraft, Entries: entries}
	}
	if _, err := s.svc.LoadSubmissions(ctx, c.ID, loads); err != nil {
		return fmt.Errorf("load submissions: %w", err)
	}
	var err error
	if sum.Evidence, err = addEvidence(ctx, s.svc, s.fw, c.ID, s.pilots); err != nil {
		return err
	}
	if err := moveSubmissions(ctx, s.svc, c.ID, s.pilots, plan); err != nil {
		return err
	}
	sum.CycleID, sum.Submissions = c.ID, map[platform.SubmissionState]int{}
	for _, st := range plan {
		sum.Submissions[st]++
	}
	if _, err := setDueDate(ctx, s.svc, c.ID, spec.due); err != nil {
		return err
	}
	if err := s.grantExtensions(ctx, c.ID, plan); err != nil {
		return err
	}
	n, err := s.roundInProgress(ctx, c.ID)
	if err != nil {
		return err
	}
	sum.Reviews += n
	if sum.Run, err = s.svc.ComputeResults(ctx, c.ID); err != nil {
		return fmt.Errorf("compute: %w", err)
	}
	return nil
}

// extensionReason is the (fictional) reason of the open cycle's extensions.
const extensionReason = "【演示】省住房城乡建设厅同意延期：演示系统中的填报、退回与重新提交流程"

// grantExtensions extends the deadline of every pilot whose submission
// still needs work (draft, submitted, returned, forwarded) except one
// draft, which stays overdue: the browser workflow happens now, years after
// the story's 2017 due date. The extensions end on 31 December of the year
// after seeding.
func (s *seeder) grantExtensions(ctx context.Context, cycleID int64, plan []platform.SubmissionState) error {
	due := fmt.Sprintf("%d-12-31", time.Now().Year()+1)
	overdueLeft := false
	main := MainProvince()
	for i, st := range plan {
		if st == platform.SubmissionAccepted {
			continue
		}
		if st == platform.SubmissionDraft && s.pilots[i].RegionCode[:2] != main && !overdueLeft {
			overdueLeft = true
			continue
		}
		if _, err := s.svc.GrantExtension(ctx, cycleID, s.pilots[i].ID, due, extensionReason); err != nil {
			return fmt.Errorf("extension for %s: %w", s.pilots[i].Name, err)
		}
	}
	return nil
}
