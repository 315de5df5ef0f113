package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/platform"
)

// publishDemo closes and publishes the demo cycle (its results are
// computed by the demo) and returns the best-ranked pilot's scorecard as
// the service gives it to an anonymous caller.
func publishDemo(t *testing.T, s *Server) *platform.Scorecard {
	t.Helper()
	c, err := s.Svc.GetCycle(s.Ctx, s.Demo.CycleID)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = s.Svc.TransitionCycle(s.Ctx, c.ID, c.Version, platform.CycleClosed); err != nil {
		t.Fatalf("close the demo cycle: %v", err)
	}
	if _, err = s.Svc.TransitionCycleWith(s.Ctx, c.ID, c.Version, platform.CyclePublished,
		platform.CycleTransitionOptions{Override: true, Reason: "e2e: publish the demo results"}); err != nil {
		t.Fatalf("publish the demo cycle: %v", err)
	}
	rows, _, err := s.Svc.ListResults(s.Ctx, platform.ResultFilter{CycleID: c.ID, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("demo ranking: %v", err)
	}
	anon := s.Svc.Bind(t.Context(), platform.Identity{})
	sc, err := s.Svc.Scorecard(anon, c.ID, rows[0].PilotID)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// An anonymous visitor opens a published scorecard in both languages at
// 1280 and 375 px: the radar charts are drawn on their canvas, the key
// figures are those of the service, nothing but tables sticks out on a
// phone, and (Browser) no request leaves the server and no console error
// is logged. The PDF report of the same scorecard holds the total, the
// rank and the Chinese indicator names (pdftotext) and is rendered to PNG
// for a look.
func TestAnonymousScorecardInTheBrowser(t *testing.T) {
	s := Start(t)
	sc := publishDemo(t, s)
	path := fmt.Sprintf("/pilots/%d/scorecard?cycle=%d", sc.Pilot.ID, sc.Cycle.ID)
	total := fmt.Sprintf("%.2f", *sc.Total)
	for _, width := range []int64{1280, 375} {
		ctx := s.Browser(t, Size(width, 900))
		for _, lang := range []string{"zh", "en"} {
			s.Open(t, ctx, path+"&lang="+lang)
			text := Text(t, ctx)
			if !strings.Contains(text, total) || !strings.Contains(text, sc.Pilot.Name) || strings.Contains(text, "⟦") {
				t.Errorf("%s (%s, %d px): want the total %s and the pilot's name, no missing message: %q", path, lang, width, total, text[:min(len(text), 300)])
			}
			var drawn int
			const probe = `Array.from(document.querySelectorAll('.sc-radar canvas')).filter(function(c){
  var g=c.getContext('2d'); if(!c.width||!c.height) return false;
  var d=g.getImageData(0,0,c.width,c.height).data; for(var i=3;i<d.length;i+=4){ if(d[i]>0) return true; } return false;}).length`
			if err := chromedp.Run(ctx, chromedp.Evaluate(probe, &drawn)); err != nil {
				t.Fatal(err)
			}
			if drawn != 2 {
				t.Errorf("%s (%s, %d px): %d radar canvases have pixels, want 2", path, lang, width, drawn)
			}
			if width == 375 {
				if over := HorizontalOverflow(t, ctx); len(over) > 0 {
					t.Errorf("%s (%s) at 375 px sticks out: %v", path, lang, over)
				}
			}
			Screenshot(t, ctx, fmt.Sprintf("scorecard-%s-%d", lang, width))
		}
	}
	checkScorecardPDF(t, s, sc)
}

// checkScorecardPDF downloads the PDF report anonymously, checks its text
// and renders its pages to PNG beside the screenshots.
func checkScorecardPDF(t *testing.T, s *Server, sc *platform.Scorecard) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("PDF check skipped: %s not found (apt-get install poppler-utils)", tool)
		}
	}
	res, err := http.Get(fmt.Sprintf("%s/pilots/%d/scorecard.pdf?cycle=%d&lang=zh", s.URL, sc.Pilot.ID, sc.Cycle.ID))
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("scorecard.pdf: HTTP %d %s: %.200s", res.StatusCode, res.Header.Get("Content-Type"), pdf)
	}
	file := filepath.Join(t.TempDir(), "scorecard.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.ReplaceAll(string(out), " ", "") // pdftotext drops the spaces of "8 / 36"
	want := []string{fmt.Sprintf("%.2f", *sc.Total), fmt.Sprintf("%d/%d", *sc.Rank, sc.Ranked), sc.Pilot.Name, "演示数据"}
	for _, n := range sc.Nodes {
		if n.Code == "1.1.1" || n.Code == "3.3.11" || n.Code == "2" {
			want = append(want, strings.ReplaceAll(n.Name.Zh, " ", ""))
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF's text lacks %q", w)
		}
	}
	dir := os.Getenv("SCEVAL_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sceval-screenshots")
	}
	if err := exec.Command("pdftoppm", "-png", "-r", "60", file, filepath.Join(dir, "scorecard-pdf")).Run(); err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	t.Logf("PDF pages: %s/scorecard-pdf-*.png", dir)
}
