package demo

import (
	"context"
	"fmt"

	"github.com/sceval/sceval/platform"
)

// Facts are the ids a test needs to follow the story in a seeded database.
// The submissions are in the open cycle unless said otherwise.
type Facts struct {
	// Cycle2014ID and Cycle2015ID are the published annual cycles,
	// FinalCycleID the published final acceptance (stars, open expert
	// round), OpenCycleID the open cycle (live workflow, blind round).
	Cycle2014ID, Cycle2015ID, FinalCycleID, OpenCycleID int64
	// Province is demo-province's province (MainProvince).
	Province string
	// PilotID and PilotName are demo-pilot's pilot; DraftSubmissionID is
	// its draft (some indicators filled, some empty; an extension lets it
	// submit).
	PilotID           int64
	PilotName         string
	DraftSubmissionID int64
	// SubmittedSubmissionID awaits demo-province (submitted, in Province).
	SubmittedSubmissionID int64
	// ReturnedSubmissionID is demo-pilot-2's (ReturnedPilotID), returned
	// with a reason and comments on two indicators.
	ReturnedSubmissionID int64
	ReturnedPilotID      int64
	// ForwardedSubmissionID awaits demo-ministry (forwarded, in Province).
	ForwardedSubmissionID int64
	// AcceptedSubmissionID is demo-pilot-3's (StarPilotID): accepted here,
	// with results and stars in every published cycle.
	AcceptedSubmissionID int64
	StarPilotID          int64
	// OverduePilotID is a pilot whose draft is overdue (no extension).
	OverduePilotID int64
	// ExpertID is demo-expert-1's expert; its reviews in the blind open
	// cycle: one untouched, one drafted, one submitted. BlindPilotName
	// is the pilot behind UntouchedReviewID, which the expert must never
	// see. FinalReviewID is its submitted review in the final acceptance
	// (not blind).
	ExpertID                                            int64
	UntouchedReviewID, DraftReviewID, SubmittedReviewID int64
	BlindPilotName                                      string
	FinalReviewID                                       int64
	// Evidence files on the demo pilot's draft, by type (stored
	// concurrently: these ids may differ between two seeds).
	EvidencePDFID, EvidencePNGID, EvidenceXLSXID, EvidenceDOCXID int64
}

// Lookup finds the story's Facts in a database seeded by Seed (by the
// cycles' names, the demo accounts and the experts' user names); it fails
// naming what it could not find.
func Lookup(ctx context.Context, svc *platform.Service) (Facts, error) {
	ctx = adminContext(ctx)
	var f Facts
	if err := lookupCycles(ctx, svc, &f); err != nil {
		return f, err
	}
	if err := lookupSubmissions(ctx, svc, &f); err != nil {
		return f, err
	}
	if err := lookupReviews(ctx, svc, &f); err != nil {
		return f, err
	}
	evs, err := svc.ListEvidence(ctx, f.DraftSubmissionID, false)
	if err != nil {
		return f, fmt.Errorf("demo facts: evidence: %w", err)
	}
	for _, ev := range evs {
		switch ev.ContentType {
		case platform.TypePDF:
			f.EvidencePDFID = ev.ID
		case platform.TypePNG:
			f.EvidencePNGID = ev.ID
		case platform.TypeXLSX:
			f.EvidenceXLSXID = ev.ID
		case platform.TypeDOCX:
			f.EvidenceDOCXID = ev.ID
		}
	}
	return f, nil
}

func lookupCycles(ctx context.Context, svc *platform.Service, f *Facts) error {
	yes := true
	cycles, _, err := svc.ListCycles(ctx, platform.CycleFilter{Demo: &yes, Limit: 100})
	if err != nil {
		return fmt.Errorf("demo facts: cycles: %w", err)
	}
	ids := map[string]*int64{Cycle2014: &f.Cycle2014ID, Cycle2015: &f.Cycle2015ID, CycleFinal: &f.FinalCycleID, CycleOpen: &f.OpenCycleID}
	for _, c := range cycles {
		if p, ok := ids[c.Name]; ok {
			*p = c.ID
		}
	}
	for name, p := range ids {
		if *p == 0 {
			return fmt.Errorf("demo facts: no cycle named %s: is this a demo database?", name)
		}
	}
	return nil
}

// pilotOf returns the pilot bound to a demo account.
func pilotOf(ctx context.Context, svc *platform.Service, username string) (int64, error) {
	u, err := svc.GetUserByName(ctx, username)
	if err != nil || u.PilotID == 0 {
		return 0, fmt.Errorf("demo facts: account %s: not a pilot account (%v)", username, err)
	}
	return u.PilotID, nil
}

// submissionOf returns the one open-cycle submission that f selects.
func submissionOf(ctx context.Context, svc *platform.Service, what string, sf platform.SubmissionFilter) (platform.Submission, error) {
	subs, _, err := svc.ListSubmissions(ctx, sf)
	if err != nil || len(subs) == 0 {
		return platform.Submission{}, fmt.Errorf("demo facts: no %s submission (%v)", what, err)
	}
	return subs[0], nil
}

func lookupSubmissions(ctx context.Context, svc *platform.Service, f *Facts) error {
	f.Province = MainProvince()
	var err error
	if f.PilotID, err = pilotOf(ctx, svc, "demo-pilot"); err != nil {
		return err
	}
	p, err := svc.GetPilot(ctx, f.PilotID)
	if err != nil {
		return fmt.Errorf("demo facts: pilot %d: %w", f.PilotID, err)
	}
	f.PilotName = p.Name
	if f.ReturnedPilotID, err = pilotOf(ctx, svc, "demo-pilot-2"); err != nil {
		return err
	}
	if f.StarPilotID, err = pilotOf(ctx, svc, "demo-pilot-3"); err != nil {
		return err
	}
	open := f.OpenCycleID
	for _, q := range []struct {
		what string
		sf   platform.SubmissionFilter
		out  *int64
	}{
		{"draft", platform.SubmissionFilter{CycleID: open, PilotID: f.PilotID}, &f.DraftSubmissionID},
		{"returned", platform.SubmissionFilter{CycleID: open, PilotID: f.ReturnedPilotID}, &f.ReturnedSubmissionID},
		{"accepted", platform.SubmissionFilter{CycleID: open, PilotID: f.StarPilotID}, &f.AcceptedSubmissionID},
		{"submitted", platform.SubmissionFilter{CycleID: open, State: "submitted", Province: f.Province, Limit: 1}, &f.SubmittedSubmissionID},
		{"forwarded", platform.SubmissionFilter{CycleID: open, State: "forwarded", Province: f.Province, Limit: 1}, &f.ForwardedSubmissionID},
	} {
		s, err := submissionOf(ctx, svc, q.what, q.sf)
		if err != nil {
			return err
		}
		*q.out = s.ID
	}
	overdue, _, err := svc.OverduePilots(ctx, open, 1, 0)
	if err != nil || len(overdue) == 0 {
		return fmt.Errorf("demo facts: no overdue pilot (%v)", err)
	}
	f.OverduePilotID = overdue[0].PilotID
	return nil
}

func lookupReviews(ctx context.Context, svc *platform.Service, f *Facts) error {
	es, _, err := svc.ListExperts(ctx, platform.ExpertFilter{Username: demoExperts[0].username, Limit: 1})
	if err != nil || len(es) == 0 {
		return fmt.Errorf("demo facts: no expert %s (%v)", demoExperts[0].username, err)
	}
	f.ExpertID = es[0].ID
	final, _, err := svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: f.FinalCycleID, ExpertID: f.ExpertID, Limit: 1})
	if err != nil || len(final) == 0 {
		return fmt.Errorf("demo facts: no final-acceptance review of %s (%v)", demoExperts[0].username, err)
	}
	f.FinalReviewID = final[0].ID
	open, _, err := svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: f.OpenCycleID, ExpertID: f.ExpertID, Limit: 1000})
	if err != nil {
		return fmt.Errorf("demo facts: reviews: %w", err)
	}
	for _, a := range open {
		v, err := svc.GetReview(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("demo facts: review %d: %w", a.ID, err)
		}
		switch {
		case a.State == platform.ReviewSubmitted && f.SubmittedReviewID == 0:
			f.SubmittedReviewID = a.ID
		case a.State == platform.ReviewDraft && len(v.Review.Scores) > 0 && f.DraftReviewID == 0:
			f.DraftReviewID = a.ID
		case a.State == platform.ReviewDraft && len(v.Review.Scores) == 0 && f.UntouchedReviewID == 0 && v.Pilot != nil:
			f.UntouchedReviewID, f.BlindPilotName = a.ID, v.Pilot.Name
		}
	}
	if f.SubmittedReviewID == 0 || f.DraftReviewID == 0 || f.UntouchedReviewID == 0 {
		return fmt.Errorf("demo facts: %s lacks an untouched, a drafted or a submitted review in the open cycle", demoExperts[0].username)
	}
	return nil
}
