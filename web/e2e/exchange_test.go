package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/platform"
)

// TestExchangePageChecksAnUpload uploads a bulk CSV with errors on the
// data exchange page as the ministry and checks that the dry run lists
// every error with its cell, and that the page offers the template.
func TestExchangePageChecksAnUpload(t *testing.T) {
	s := Start(t)
	user, pw := s.NewUser(t, platform.NewUser{Username: "e2e-ministry", Role: platform.RoleMinistry})
	file := filepath.Join(t.TempDir(), "entries.csv")
	if err := os.WriteFile(file, []byte("试点ID,指标代码,数值,等级,填报说明\n999999,1.1.1,,2 起步,\n3,9.9.9,,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := s.Browser(t)
	s.AllowConsole(ctx, "422")
	s.Login(t, ctx, user, pw)
	s.Open(t, ctx, "/exchange")
	if text := Text(t, ctx); !strings.Contains(text, "全部试点（批量）") {
		t.Fatalf("no template link: %q", text)
	}
	err := chromedp.Run(ctx,
		chromedp.SetUploadFiles(`input[name="file"]`, []string{file}, chromedp.ByQuery),
		chromedp.Click(`button[value="check"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`table.exchange-errors`, chromedp.ByQuery))
	if err != nil {
		t.Fatal(err)
	}
	text := Text(t, ctx)
	for _, want := range []string{"entries.csv!A2", "试点 999999 不在本周期中", "entries.csv!B3", "未知的指标代码“9.9.9”"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	Screenshot(t, ctx, "exchange-dry-run")
}
