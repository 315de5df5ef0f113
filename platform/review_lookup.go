package platform

import "context"

// reviewAssignments is the default AssignmentLookup: the review store's
// experts and assignments. An expert user is assigned a submission when
// the expert whose Username is the identity's user name has an assignment
// for it. In a blind cycle (the review settings, blind by default) the
// answer is no: the expert then reaches the submission only through the
// masked review endpoints, so that the direct submission and evidence
// routes cannot reveal the pilot.
type reviewAssignments struct{ store ReviewStore }

// ExpertAssigned implements AssignmentLookup.
func (r reviewAssignments) ExpertAssigned(ctx context.Context, id Identity, submissionID int64) (bool, error) {
	if id.User == "" || submissionID == 0 {
		return false, nil
	}
	es, _, err := r.store.ListExperts(ctx, ExpertFilter{Username: id.User, Limit: 1})
	if err != nil || len(es) == 0 {
		return false, err
	}
	as, _, err := r.store.ListAssignments(ctx, AssignmentFilter{ExpertID: es[0].ID, SubmissionID: submissionID, Limit: 1})
	if err != nil || len(as) == 0 {
		return false, err
	}
	rs, err := r.store.ReviewSettings(ctx, as[0].CycleID)
	if ErrorKindOf(err) == NotFound {
		rs, err = DefaultReviewSettings(as[0].CycleID), nil
	}
	if err != nil {
		return false, err
	}
	return !rs.Blind, nil
}
