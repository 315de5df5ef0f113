package report

import (
	"context"
	"fmt"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

// cycleListLength is the length of the report's top and bottom lists.
const cycleListLength = 10

// cycleIntervalsShown is how many pilots (best nominal ranks) the report's
// uncertainty chart and table show: beyond that the bars are unreadable.
const cycleIntervalsShown = 30

// CycleReport is the content of a cycle summary report, national or for
// one province.
type CycleReport struct {
	Lang          string
	Cycle         platform.Cycle
	Run           platform.ResultRun
	FrameworkName string
	// Province is the 2-digit code of the province reported on, "" for the
	// national report; ProvinceName its name.
	Province, ProvinceName string
	Level1                 []string
	Level1Names            map[string]string
	// Submissions counts the cycle's submissions by state in workflow
	// order (of the province, for a province report); Accepted those
	// accepted.
	Submissions []CycleStateCount
	Accepted    int
	Stats       CycleStats
	// National is the whole run's statistics: the map colours every
	// province even in a province's report.
	National CycleStats
	// Agreement and Uncertainty are nil when the reader may not see them
	// (they are the ministry's) or there is nothing to show.
	Agreement   *platform.CycleAgreement
	Uncertainty *platform.ResultUncertainty
	Generated   time.Time
	Demo        bool
}

// CycleSource is what a report reads: the service (with the reader's
// identity in the context), the region registry, and the framework of the
// cycle when the caller has it (names; codes alone otherwise).
type CycleSource struct {
	Service *platform.Service
	Regions *region.Registry
}

// BuildCycleReport gathers a cycle's report for province ("" national) in
// lang at now. The ranking must be readable by the context's identity; the
// agreement and uncertainty sections are left out when it may not read
// them.
func BuildCycleReport(ctx context.Context, src CycleSource, cycleID int64, province, lang string, now time.Time) (*CycleReport, error) {
	tab, err := src.Service.ResultTable(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	name := func(code string) string {
		if src.Regions != nil {
			if r, ok := src.Regions.Get(code); ok {
				return r.Name
			}
		}
		return code
	}
	rep := &CycleReport{Lang: lang, Cycle: tab.Cycle, Run: tab.Run, FrameworkName: tab.Cycle.FrameworkID, Level1: tab.Level1,
		Level1Names: map[string]string{}, Generated: now, Demo: tab.Cycle.Demo}
	if province != "" {
		reg, ok := src.Regions.Resolve(province)
		if !ok || reg.Level != 1 {
			return nil, &platform.Error{Kind: platform.Invalid, Field: "province", Code: platform.CodeBadValue,
				Message: fmt.Sprintf("province %q is not a province code of the registry (e.g. 32 or 320000)", province)}
		}
		rep.Province, rep.ProvinceName = reg.Code, reg.Name
	}
	if fw, err := src.Service.CycleFramework(ctx, cycleID); err == nil {
		rep.FrameworkName = fw.Name.In(lang)
		rep.nameLevel1(fw)
	}
	rows := tab.Rows
	if rep.Province != "" {
		rows = nil
		for _, r := range tab.Rows {
			if r.ProvinceCode == rep.Province {
				rows = append(rows, r)
			}
		}
	}
	rep.Stats = Summarise(rows, tab.Level1, tab.Cycle.StarThresholds, name, cycleListLength)
	rep.National = Summarise(tab.Rows, tab.Level1, tab.Cycle.StarThresholds, name, 0)
	if rep.Submissions, err = submissionCounts(ctx, src.Service, cycleID, rep.Province); err != nil {
		return nil, err
	}
	for _, sc := range rep.Submissions {
		if sc.State == platform.SubmissionAccepted {
			rep.Accepted = sc.N
		}
	}
	if err := rep.addAnalyses(ctx, src.Service, rows); err != nil {
		return nil, err
	}
	return rep, nil
}

// nameLevel1 names the first-level codes from the framework in the
// report's language.
func (rep *CycleReport) nameLevel1(fw *framework.Framework) {
	for _, code := range rep.Level1 {
		if ind := fw.Lookup(code); ind != nil {
			rep.Level1Names[code] = ind.Name.In(rep.Lang)
		}
	}
}

// addAnalyses adds the expert agreement and the uncertainty of the ranking
// (platform.DefaultUncertainty), each only when the reader may see it;
// the intervals are those of rows' pilots, best nominal ranks first.
func (rep *CycleReport) addAnalyses(ctx context.Context, svc *platform.Service, rows []platform.ResultTableRow) error {
	ag, err := svc.CycleAgreement(ctx, rep.Cycle.ID)
	switch k := platform.ErrorKindOf(err); {
	case k == platform.Forbidden || k == platform.Unauthenticated || k == platform.NotFound:
	case err != nil:
		return fmt.Errorf("agreement of cycle %d: %w", rep.Cycle.ID, err)
	default:
		rep.Agreement = &ag
	}
	if !platform.MayDo(ctx, "cycle.results.analyse") {
		return nil
	}
	unc, err := svc.ResultUncertainty(ctx, rep.Cycle.ID, platform.DefaultUncertainty())
	switch k := platform.ErrorKindOf(err); {
	case k == platform.Forbidden || k == platform.Conflict || k == platform.Invalid:
		return nil
	case err != nil:
		return fmt.Errorf("uncertainty of cycle %d: %w", rep.Cycle.ID, err)
	}
	in := map[int64]bool{}
	for _, r := range rows {
		in[r.PilotID] = true
	}
	kept := unc.Intervals[:0:0]
	for _, iv := range unc.Intervals {
		if in[iv.PilotID] && len(kept) < cycleIntervalsShown {
			kept = append(kept, iv)
		}
	}
	unc.Intervals = kept
	rep.Uncertainty = &unc
	return nil
}

// CycleStateCount is the number of submissions in one state.
type CycleStateCount struct {
	State platform.SubmissionState
	N     int
}

// submissionCounts counts the cycle's submissions by state, of one
// province's pilots when province is set.
func submissionCounts(ctx context.Context, svc *platform.Service, cycleID int64, province string) ([]CycleStateCount, error) {
	var out []CycleStateCount
	for _, st := range []platform.SubmissionState{platform.SubmissionDraft, platform.SubmissionSubmitted,
		platform.SubmissionReturned, platform.SubmissionForwarded, platform.SubmissionAccepted} {
		_, n, err := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: cycleID, State: string(st), Province: province, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("count %s submissions of cycle %d: %w", st, cycleID, err)
		}
		out = append(out, CycleStateCount{State: st, N: n})
	}
	return out, nil
}
