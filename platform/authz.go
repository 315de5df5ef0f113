package platform

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Scope is how far a grant reaches: which resources of an action a role may
// touch. A resource outside the scope is answered as not found, so that its
// existence does not leak.
type Scope uint8

// The scopes of a grant.
const (
	// ScopeNone: no grant (the zero value).
	ScopeNone Scope = iota
	// ScopeAll: every resource.
	ScopeAll
	// ScopeProvince: resources of pilots in the identity's province.
	ScopeProvince
	// ScopePilot: resources of the identity's own pilot.
	ScopePilot
	// ScopeAssigned: submissions assigned to the (expert) identity, as the
	// AssignmentLookup says; denied while there is none.
	ScopeAssigned
	// ScopePublished: resources of published cycles only.
	ScopePublished
	// ScopeSelf: the identity's own objects: its account (tokens,
	// password), an expert's own reviews (the service checks the owner).
	ScopeSelf
)

// anonymousRole is the grants key of callers who are not logged in.
const anonymousRole Role = "anonymous"

// grants maps a role to its scope for one action. Admin is never listed: it
// may do everything.
type grants map[Role]Scope

// everyone grants s to every logged-in role but admin (who has all).
func everyone(s Scope) grants {
	return grants{RoleMinistry: s, RoleProvince: s, RolePilot: s, RoleExpert: s}
}

// with returns g plus role r at scope s.
func (g grants) with(r Role, s Scope) grants {
	out := grants{r: s}
	for k, v := range g {
		if k != r {
			out[k] = v
		}
	}
	return out
}

// rules is the authorization table: one row per action, each naming the
// roles allowed and their scope. An action missing from the table is allowed
// to admin only. Keep one row per action, in object order.
var rules = map[string]grants{
	// Reference data: the indicator frameworks and the administrative
	// divisions are public documents; the ministry publishes a framework.
	"framework.list":    everyone(ScopeAll).with(anonymousRole, ScopeAll),
	"framework.read":    everyone(ScopeAll).with(anonymousRole, ScopeAll),
	"framework.publish": {RoleMinistry: ScopeAll},
	"region.read":       everyone(ScopeAll).with(anonymousRole, ScopeAll),

	// Pilots: the list of pilots is published by the ministry (anonymous
	// callers see it next to the published rankings); a province sees its
	// own, a pilot itself; experts never see pilots (blind review).
	"pilot.list":   {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot, anonymousRole: ScopeAll},
	"pilot.read":   {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot, anonymousRole: ScopeAll},
	"pilot.create": {RoleMinistry: ScopeAll},
	// pilot.update: PUT and PATCH (corrections, recorded in the history).
	"pilot.update": {RoleMinistry: ScopeAll},
	"pilot.import": {RoleMinistry: ScopeAll},
	// The corrections history names who changed what: not public.
	"pilot.history.read": {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot},
	// A pilot's results across cycles: its own, its province's, the
	// ministry's. Others who may read the pilot see only its rows of
	// cycles whose rankings they may read (Service.PilotResults).
	"pilot.results.read": {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot},
	// A pilot's scorecard in one cycle ("cycle/C/pilot/P"), compared with
	// the other pilots: whoever may read the cycle's ranking. The pilot and
	// its province read it before publication through pilot.results.read,
	// without the comparison (Service.Scorecard). pilot.read applies too:
	// experts see no scorecard, a pilot only its own, a province its own.
	"pilot.scorecard.read": everyone(ScopePublished).with(RoleMinistry, ScopeAll).with(anonymousRole, ScopePublished),

	// Cycles: every logged-in role sees the cycles (a pilot must see the
	// open ones); anonymous callers only published ones. The ministry runs
	// them: transitions, retraction of a publication, extensions of a
	// pilot's due date.
	"cycle.list":                 everyone(ScopeAll).with(anonymousRole, ScopePublished),
	"cycle.read":                 everyone(ScopeAll).with(anonymousRole, ScopePublished),
	"cycle.create":               {RoleMinistry: ScopeAll},
	"cycle.update":               {RoleMinistry: ScopeAll},
	"cycle.transition.draft":     {RoleMinistry: ScopeAll},
	"cycle.transition.open":      {RoleMinistry: ScopeAll},
	"cycle.transition.closed":    {RoleMinistry: ScopeAll},
	"cycle.transition.published": {RoleMinistry: ScopeAll},
	"cycle.retract":              {RoleMinistry: ScopeAll},
	"cycle.extend":               {RoleMinistry: ScopeAll},
	// The overdue list and the decisions log (extensions, overrides,
	// retractions) name pilots of every province: the ministry's.
	"cycle.overdue.read":    {RoleMinistry: ScopeAll},
	"cycle.events.read":     {RoleMinistry: ScopeAll},
	"cycle.results.compute": {RoleMinistry: ScopeAll},
	// Rankings: the ministry always; everybody else once published.
	"cycle.results.read": everyone(ScopePublished).with(RoleMinistry, ScopeAll).with(anonymousRole, ScopePublished),
	// Method comparison and uncertainty of a ranking (Service.CompareSchemes,
	// ResultUncertainty) rescore current inputs: the ministry's analyses.
	"cycle.results.analyse": {RoleMinistry: ScopeAll},

	// Submissions. An expert reaches a submission directly only when
	// assigned to it in a cycle that is not blind (the AssignmentLookup);
	// otherwise through the masked review endpoints.
	"submission.list": {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot,
		RoleExpert: ScopeAssigned, anonymousRole: ScopePublished},
	"submission.read":       {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot, RoleExpert: ScopeAssigned},
	"submission.create":     {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot},
	"submission.import":     {RoleMinistry: ScopeAll},
	"submission.entry.save": {RolePilot: ScopePilot},
	// Entries from a filled template or bulk file (Service.ImportEntries):
	// a pilot its own, a province its pilots', the ministry all; the same
	// rules as entry saves apply to every row. The template names the
	// current entries of the same pilots.
	"submission.entry.import": {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot},
	"submission.template":     {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot},
	// The workflow: a pilot submits its own; its province returns or
	// forwards it to the ministry, which returns or accepts it.
	"submission.submit":  {RolePilot: ScopePilot},
	"submission.return":  {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince},
	"submission.forward": {RoleProvince: ScopeProvince},
	"submission.accept":  {RoleMinistry: ScopeAll},

	// Evidence. Deleting is for the uploader (Service.DeleteEvidence checks
	// it), that is a pilot on its own editable submission, or admin.
	"submission.evidence.add":  {RolePilot: ScopePilot},
	"submission.evidence.list": {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot, RoleExpert: ScopeAssigned},
	"evidence.read":            {RoleMinistry: ScopeAll, RoleProvince: ScopeProvince, RolePilot: ScopePilot, RoleExpert: ScopeAssigned},
	"evidence.delete":          {RolePilot: ScopePilot},

	// Expert review: the ministry manages experts, settings and
	// assignments, reopens reviews and reads the combined results and the
	// panels' agreement. An expert lists, reads, scores and submits only
	// their own reviews (ScopeSelf: the review service matches the
	// identity's user name to the assignment's expert and answers another's
	// review as not found); the ministry reads every review.
	"expert.list":            {RoleMinistry: ScopeAll},
	"expert.read":            {RoleMinistry: ScopeAll},
	"expert.create":          {RoleMinistry: ScopeAll},
	"expert.update":          {RoleMinistry: ScopeAll},
	"review.settings.read":   {RoleMinistry: ScopeAll},
	"review.settings.update": {RoleMinistry: ScopeAll},
	"assignment.list":        {RoleMinistry: ScopeAll},
	"assignment.create":      {RoleMinistry: ScopeAll},
	"assignment.override":    {RoleMinistry: ScopeAll},
	"review.list":            {RoleExpert: ScopeSelf},
	"review.read":            {RoleMinistry: ScopeAll, RoleExpert: ScopeSelf},
	"review.evidence.read":   {RoleMinistry: ScopeAll, RoleExpert: ScopeSelf},
	"review.save":            {RoleExpert: ScopeSelf},
	"review.submit":          {RoleExpert: ScopeSelf},
	"review.reopen":          {RoleMinistry: ScopeAll},
	"review.results.read":    {RoleMinistry: ScopeAll},
	"agreement.read":         {RoleMinistry: ScopeAll},

	// The audit trail: the ministry (and admin) read, export and verify it.
	"audit.read":   {RoleMinistry: ScopeAll},
	"audit.export": {RoleMinistry: ScopeAll},
	"audit.verify": {RoleMinistry: ScopeAll},

	// Accounts: users are managed by admin only (no row: "user.create",
	// "user.list", "user.update"); everybody manages their own password
	// and tokens.
	"account.read":            everyone(ScopeSelf),
	"account.password.change": everyone(ScopeSelf),
	"token.create":            everyone(ScopeSelf),
	"token.list":              everyone(ScopeSelf),
	"token.revoke":            everyone(ScopeSelf),
	// /metrics: operators' tokens (the web layer also admits loopback).
	"metrics.read": {RoleMinistry: ScopeAll},
}

// RuleActions returns the actions of the authorization table, sorted (for
// documentation and tests).
func RuleActions() []string {
	out := make([]string, 0, len(rules))
	for a := range rules {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// passwordChangeActions are what an identity that must change its password
// may still do.
var passwordChangeActions = map[string]bool{"account.read": true, "account.password.change": true}

// grantOf returns the identity's widest scope for action, or ScopeNone.
func grantOf(id Identity, action string) Scope {
	if id.Anonymous() {
		return rules[action][anonymousRole]
	}
	best := ScopeNone
	for _, r := range id.Roles {
		if s := rules[action][Role(r)]; s != ScopeNone && (best == ScopeNone || s < best) {
			best = s // ScopeAll sorts first: the widest grant wins
		}
	}
	return best
}

// Authorize is the one place where authorization is decided. Every Service
// method calls it with an action such as "pilot.create" and the resource it
// acts on (e.g. "pilot/12", or a collection such as "pilot"). Admin may do
// everything. Otherwise the table (rules) names the scope of the caller's
// role: no grant answers kind Unauthenticated for anonymous callers and
// Forbidden (naming the action) for others; a resource outside the scope
// answers NotFound. Scopes other than ScopeAll need the resource's facts,
// looked up through the Service that the request's context is bound to
// (Service.Bind); without one they are denied.
func Authorize(ctx context.Context, action string, resource string) error {
	id := IdentityFrom(ctx)
	if id.hasRole(RoleAdmin) && !id.MustChangePassword {
		return nil
	}
	if id.MustChangePassword && !passwordChangeActions[action] {
		return &Error{Kind: Forbidden, Code: "password_change_required",
			Message: fmt.Sprintf("%s: 请先修改初始密码（POST /api/v1/me/password）", action)}
	}
	scope := grantOf(id, action)
	if scope == ScopeNone {
		return denied(id, action)
	}
	if scope == ScopeAll || scope == ScopeSelf || isCollection(resource) {
		return nil
	}
	b, _ := ctx.Value(binderKey{}).(*Service)
	if b == nil {
		return &Error{Kind: Forbidden, Code: "forbidden", Message: fmt.Sprintf("%s on %s: no scope lookup bound to the request", action, resource)}
	}
	f, err := b.facts(ctx, resource)
	if err != nil {
		return err
	}
	ok, err := b.inScope(ctx, id, scope, f)
	if err != nil {
		return err
	}
	if !ok {
		return outOfScope(resource)
	}
	return nil
}

// outOfScope is the answer for a resource outside the caller's scope: the
// very message the store gives for a missing one, so that nothing tells
// the two apart.
func outOfScope(resource string) *Error {
	p := strings.Split(resource, "/")
	if len(p) == 4 && p[0] == "cycle" && p[2] == "pilot" {
		return NotFoundf("cycle %s or pilot %s does not exist", p[1], p[3])
	}
	return NotFoundf("%s %s does not exist", p[0], p[len(p)-1])
}

// denied is the refusal of an action the identity has no grant for.
func denied(id Identity, action string) *Error {
	if id.Anonymous() {
		return &Error{Kind: Unauthenticated, Code: "unauthenticated", Message: fmt.Sprintf("%s: 请先登录 (log in first)", action)}
	}
	roles := strings.Join(id.Roles, ",")
	if roles == "" {
		roles = "（无）"
	}
	return &Error{Kind: Forbidden, Code: "forbidden", Message: fmt.Sprintf("%s: 角色 %s 无权执行此操作 (forbidden)", action, roles)}
}

// isCollection reports whether resource names a whole collection ("pilot",
// "submission"): list and create actions, narrowed by ListScope instead.
func isCollection(resource string) bool { return !strings.Contains(resource, "/") }

// ListScope authorizes a list action and returns how the caller's view of
// the collection is narrowed (ScopeAll: not at all).
func ListScope(ctx context.Context, action string) (Scope, Identity, error) {
	if err := Authorize(ctx, action, strings.SplitN(action, ".", 2)[0]); err != nil {
		return ScopeNone, Identity{}, err
	}
	id := IdentityFrom(ctx)
	if id.hasRole(RoleAdmin) {
		return ScopeAll, id, nil
	}
	return grantOf(id, action), id, nil
}

// MayDo reports whether the identity in ctx holds any grant for action,
// whatever its scope: what a navigation asks before it shows a link. It
// decides nothing; the service's Authorize still checks every call.
func MayDo(ctx context.Context, action string) bool {
	id := IdentityFrom(ctx)
	if id.MustChangePassword {
		return passwordChangeActions[action]
	}
	return id.hasRole(RoleAdmin) || grantOf(id, action) != ScopeNone
}
