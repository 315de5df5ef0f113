package platform_test

import (
	"os"
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
