package platform_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// assignInstance is a random panel: experts in 8 provinces with random
// declared conflicts, submissions of pilots in the same provinces.
func assignInstance(r *rand.Rand, nSubs, nExperts int) ([]platform.AssignSubmission, []platform.Expert) {
	provinces := []string{"11", "13", "32", "33", "37", "44", "51", "61"}
	subs := make([]platform.AssignSubmission, nSubs)
	for i := range subs {
		subs[i] = platform.AssignSubmission{SubmissionID: int64(100 + i), PilotID: int64(1000 + i), ProvinceCode: provinces[r.IntN(len(provinces))]}
	}
	experts := make([]platform.Expert, nExperts)
	for i := range experts {
		e := platform.Expert{ID: int64(i + 1), Name: fmt.Sprintf("专家%d", i+1), ProvinceCode: provinces[r.IntN(len(provinces))], Active: true}
		for range r.IntN(3) {
			e.ConflictPilots = append(e.ConflictPilots, int64(1000+r.IntN(nSubs)))
		}
		if r.IntN(4) == 0 {
			e.ConflictProvinces = []string{provinces[r.IntN(len(provinces))]}
		}
		experts[i] = e
	}
	return subs, experts
}

// conflicted is the conflict rule written out independently of the
// platform's: own province, a declared pilot, a declared province.
func conflicted(e platform.Expert, s platform.AssignSubmission) bool {
	return e.ProvinceCode == s.ProvinceCode || slices.Contains(e.ConflictPilots, s.PilotID) || slices.Contains(e.ConflictProvinces, s.ProvinceCode)
}

// minEligible is the fewest conflict-free experts any submission has.
func minEligible(subs []platform.AssignSubmission, experts []platform.Expert) int {
	least := len(experts)
	for _, s := range subs {
		n := 0
		for _, e := range experts {
			if !conflicted(e, s) {
				n++
			}
		}
		least = min(least, n)
	}
	return least
}

func TestPlanAssignmentsConflictFreeBalancedReproducible(t *testing.T) {
	t.Parallel()
	for seed := int64(1); seed <= 40; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		nSubs, nExperts, k := 20+r.IntN(60), 8+r.IntN(12), 2+r.IntN(3)
		// Instances where every submission has at least k+1 eligible
		// experts: k is always reachable.
		subs, experts := assignInstance(r, nSubs, nExperts)
		for minEligible(subs, experts) <= k {
			subs, experts = assignInstance(r, nSubs, nExperts)
		}
		plan := platform.PlanAssignments(subs, experts, nil, k, seed)
		if len(plan.Short) > 0 {
			t.Fatalf("seed %d: short: %v", seed, plan.Short)
		}
		byID := map[int64]platform.Expert{}
		for _, e := range experts {
			byID[e.ID] = e
		}
		panels := map[int64][]int64{}
		loads := map[int64]int{}
		for _, c := range plan.Choices {
			s := subs[c.SubmissionID-100]
			if conflicted(byID[c.ExpertID], s) {
				t.Fatalf("seed %d: expert %d assigned submission %d despite a conflict", seed, c.ExpertID, c.SubmissionID)
			}
			if slices.Contains(panels[c.SubmissionID], c.ExpertID) {
				t.Fatalf("seed %d: expert %d twice on submission %d", seed, c.ExpertID, c.SubmissionID)
			}
			if !strings.Contains(c.Explanation, "eligible") {
				t.Fatalf("seed %d: explanation %q", seed, c.Explanation)
			}
			panels[c.SubmissionID] = append(panels[c.SubmissionID], c.ExpertID)
			loads[c.ExpertID]++
		}
		for _, s := range subs {
			if len(panels[s.SubmissionID]) != k {
				t.Fatalf("seed %d: submission %d has %d experts, want %d", seed, s.SubmissionID, len(panels[s.SubmissionID]), k)
			}
		}
		lo, hi := math.MaxInt, 0
		for _, e := range experts {
			lo, hi = min(lo, loads[e.ID]), max(hi, loads[e.ID])
			if loads[e.ID] != plan.Loads[e.ID] {
				t.Fatalf("seed %d: expert %d: plan says load %d, counted %d", seed, e.ID, plan.Loads[e.ID], loads[e.ID])
			}
		}
		if hi-lo > 1 {
			t.Errorf("seed %d (%d submissions, %d experts, k=%d): loads from %d to %d, want within ±1", seed, nSubs, nExperts, k, lo, hi)
		}
		again := platform.PlanAssignments(slices.Clone(subs), slices.Clone(experts), nil, k, seed)
		if !reflect.DeepEqual(plan, again) {
			t.Fatalf("seed %d: a second run differs", seed)
		}
	}
}

func TestPlanAssignmentsSeedMattersAndShortfallIsReported(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 7))
	subs, experts := assignInstance(r, 30, 12)
	a := platform.PlanAssignments(subs, experts, nil, 3, 1)
	b := platform.PlanAssignments(subs, experts, nil, 3, 2)
	if reflect.DeepEqual(a.Choices, b.Choices) {
		t.Error("seeds 1 and 2 gave the same assignment")
	}
	// Two experts, both of the pilot's province or in conflict: nobody can
	// review it.
	only := []platform.AssignSubmission{{SubmissionID: 1, PilotID: 9, ProvinceCode: "13"}}
	es := []platform.Expert{{ID: 1, ProvinceCode: "13", Active: true}, {ID: 2, ProvinceCode: "32", ConflictPilots: []int64{9}, Active: true}}
	p := platform.PlanAssignments(only, es, nil, 2, 1)
	if len(p.Choices) != 0 || len(p.Short) != 1 || !strings.Contains(p.Short[0], "0 eligible experts for 2 places") {
		t.Fatalf("plan = %+v", p)
	}
}

func TestCombineScores(t *testing.T) {
	t.Parallel()
	x := []float64{40, 10, 100, 30, 20}
	// By hand: mean 200/5 = 40; median 30; 20 % trimmed: g = ⌊0.2·5⌋ = 1,
	// mean of 20, 30, 40 = 30 (scipy.stats.trim_mean(x, 0.2) = 30.0).
	for _, c := range []struct {
		m    platform.CombineMethod
		trim float64
		want float64
	}{{platform.CombineMean, 0, 40}, {platform.CombineMedian, 0, 30}, {platform.CombineTrimmedMean, 0.2, 30},
		{platform.CombineTrimmedMean, 0.1, 40}} {
		if got := platform.CombineScores(x, c.m, c.trim); got != c.want {
			t.Errorf("%s(trim %v) = %v, want %v", c.m, c.trim, got, c.want)
		}
	}
	if got := platform.CombineScores([]float64{10, 20, 30, 40}, platform.CombineMedian, 0); got != 25 {
		t.Errorf("median of four = %v, want 25", got)
	}
	if got := platform.CombineScores(nil, platform.CombineMean, 0); !math.IsNaN(got) {
		t.Errorf("no scores = %v, want NaN", got)
	}
}

func TestPseudonymIsStableAndHasNoDigits(t *testing.T) {
	t.Parallel()
	a := platform.Pseudonym(7, 1, 42)
	if a != platform.Pseudonym(7, 1, 42) || a == platform.Pseudonym(7, 1, 43) || a == platform.Pseudonym(8, 1, 42) {
		t.Fatalf("pseudonyms not stable or not distinct: %s", a)
	}
	if strings.ContainsAny(a, "0123456789") || !strings.HasPrefix(a, "匿名-") {
		t.Fatalf("pseudonym %q", a)
	}
}
