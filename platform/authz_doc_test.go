package platform_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// docs/accounts.md documents every row of the authorization table.
func TestEveryRuleIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/accounts.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(doc), "cycle.transition.{draft,open,closed,published}",
		"cycle.transition.draft cycle.transition.open cycle.transition.closed cycle.transition.published")
	for _, a := range platform.RuleActions() {
		if !strings.Contains(text, a) {
			t.Errorf("action %s is not in docs/accounts.md", a)
		}
	}
}

// serviceAction is an action literal passed to authorize, Authorize,
// ListScope or tokenOwner in the platform sources (not a built prefix such
// as "cycle.transition." + state).
var serviceAction = regexp.MustCompile(`(?:[aA]uthorize|ListScope|tokenOwner)\(ctx, "([a-z.]*[a-z])"`)

// adminOnlyActions are the actions deliberately left out of the table.
var adminOnlyActions = map[string]bool{"user.create": true, "user.list": true, "user.update": true}

// Every action the service authorizes has a row of the table (an action
// without one is the administrator's alone, which a module merged after the
// table was written would get by accident), and every row is an action
// that something authorizes.
func TestEveryServiceActionHasARule(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	// Built names: the workflow's transitions (TransitionAction) and the
	// cycle transitions ("cycle.transition." + state).
	for _, st := range []platform.SubmissionState{platform.SubmissionSubmitted, platform.SubmissionReturned,
		platform.SubmissionForwarded, platform.SubmissionAccepted} {
		used[platform.TransitionAction(st)] = true
	}
	for _, st := range []platform.CycleState{platform.CycleDraft, platform.CycleOpen, platform.CycleClosed, platform.CyclePublished} {
		used["cycle.transition."+string(st)] = true
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range serviceAction.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 50 {
		t.Fatalf("found %d actions in the sources: the pattern no longer matches the calls", len(used))
	}
	rows := map[string]bool{}
	for _, a := range platform.RuleActions() {
		rows[a] = true
		if !used[a] && a != "region.read" && a != "metrics.read" { // the web layer's
			t.Errorf("row %s: no service method authorizes it", a)
		}
	}
	for a := range used {
		if !rows[a] && !adminOnlyActions[a] {
			t.Errorf("action %s has no row in the authorization table (platform/authz.go): it is admin-only", a)
		}
	}
}
