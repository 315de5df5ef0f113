package report_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/report"
	"github.com/sceval/sceval/web/ui"
)

// The PDF of a scorecard holds its total, ranks and Chinese indicator names
// as text (pdftotext), with the charts drawn (the report waits for them).
func TestPilotPDF(t *testing.T) {
	if _, err := report.FindChromium(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("pilot PDF: %v (CI installs chromium)", err)
		}
		t.Skipf("pilot PDF test skipped: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pilot PDF test skipped: no pdftotext (apt-get install poppler-utils)")
	}
	html, err := report.PilotHTML(report.PilotTestScorecard(), report.PilotOptions{Assets: ui.ReportAssets()})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := report.PDF(t.Context(), html)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pilot.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// pdftotext drops the spaces around the slash of "4 / 4".
	text := strings.ReplaceAll(string(out), " ", "")
	for _, want := range []string{"25.00", "4/4", "3/3", "丰台区", "甲一", "甲二", "乙一", "试点评分卡", "演示数据", "同类中位数"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
}

// Without Chromium, PDF says so and the HTML is still made.
func TestPilotPDFWithoutChromium(t *testing.T) {
	t.Setenv("SCEVAL_CHROMIUM", "")
	t.Setenv("PATH", t.TempDir())
	html, err := report.PilotHTML(report.PilotTestScorecard(), report.PilotOptions{Assets: ui.ReportAssets()})
	if err != nil || !strings.Contains(string(html), "25.00") {
		t.Fatalf("HTML without Chromium: %v", err)
	}
	if _, err := report.PDF(t.Context(), html); !errors.Is(err, report.ErrNoChromium) {
		t.Errorf("PDF without Chromium: %v, want ErrNoChromium", err)
	}
}
