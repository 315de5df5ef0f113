package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
)

// TestREADMEScreenshots makes the README's pictures from the demo: the
// overview as the ministry sees it, the demo pilot's data-entry form, and
// a three-star scorecard. With SCEVAL_README_SCREENSHOTS=docs/screenshots
// (relative to the repository) it writes them there; otherwise to the
// usual screenshot folder. Either way it checks that each page shows what
// the picture is meant to show.
func TestREADMEScreenshots(t *testing.T) {
	s := Start(t)
	f := s.Demo.Facts
	shots := []struct {
		name, role, path string
		want             []string
	}{
		{"overview", string(platform.RoleMinistry), "/", []string{"评价周期", "2017 年度监测"}},
		{"entry-form", string(platform.RolePilot), fmt.Sprintf("/entry/submissions/%d", f.DraftSubmissionID), []string{f.PilotName, "1.1.1"}},
		{"scorecard", "", fmt.Sprintf("/pilots/%d/scorecard?cycle=%d", f.StarPilotID, f.FinalCycleID), []string{"★★★", "同类中位数"}},
	}
	dir := os.Getenv("SCEVAL_README_SCREENSHOTS")
	if dir != "" && !filepath.IsAbs(dir) {
		dir = filepath.Join("..", "..", dir) // the test runs in web/e2e
	}
	for _, sh := range shots {
		ctx := s.Browser(t, Size(1280, 860))
		if sh.role != "" {
			a, ok := demo.AccountFor(platform.Role(sh.role))
			if !ok {
				t.Fatalf("no demo account for %s", sh.role)
			}
			s.Login(t, ctx, a.Username, a.Password)
		}
		s.Open(t, ctx, sh.path)
		text := Text(t, ctx)
		for _, w := range sh.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s (%s): the page lacks %q", sh.name, sh.path, w)
			}
		}
		// The first screen only: a picture the README can show whole.
		var png []byte
		run(t, ctx, "screenshot "+sh.name, chromedp.CaptureScreenshot(&png))
		out := dir
		if out == "" {
			out = filepath.Join(os.TempDir(), "sceval-screenshots")
		}
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(out, "readme-"+sh.name+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
}
