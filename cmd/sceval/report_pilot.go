package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/report"
	"github.com/sceval/sceval/web/ui"
)

// reportPilotConfig are the flags of "sceval report pilot".
type reportPilotConfig struct {
	db, dataDir, format, out, lang, timezone string
	pilot, cycle                             int64
	public                                   bool
}

func newReportPilotCmd() *cobra.Command {
	var cfg reportPilotConfig
	cmd := &cobra.Command{
		Use:   "pilot --pilot ID --cycle ID --out FILE",
		Short: "A pilot's scorecard as HTML or PDF / 试点评分卡",
		Long: `Write a pilot's scorecard in one cycle — total, rank among all and among its
type, stars, radar charts against the peer median, every indicator with value,
score and contribution, gaps, trend, expert review, method — as one
self-contained A4 HTML file (inline styles and charts, nothing loaded from the
network) or as PDF printed by headless Chromium (Debian's chromium; or
SCEVAL_CHROMIUM). Without Chromium, --format pdf fails saying so; the HTML
works. The report is made with the operator's rights (everything, expert names
included); --public makes it as an anonymous visitor sees it: published
cycles only, experts of a blind review numbered. --db falls back to SCEVAL_DB.`,
		Example: `  sceval report pilot --pilot 3 --cycle 1 --format pdf --out shijiazhuang.pdf
  sceval report pilot --pilot 3 --cycle 1 --lang en --public --out scorecard.html`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			return runReportPilot(cmd, cfg)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	f.StringVar(&cfg.dataDir, "data-dir", "./sceval-data", "directory of the evidence files")
	f.Int64Var(&cfg.pilot, "pilot", 0, "pilot ID (required)")
	f.Int64Var(&cfg.cycle, "cycle", 0, "cycle ID (required)")
	f.StringVar(&cfg.format, "format", "", "html or pdf (default: from --out's extension)")
	f.StringVar(&cfg.out, "out", "", "output file (required)")
	f.StringVar(&cfg.lang, "lang", "zh", "zh or en")
	f.StringVar(&cfg.timezone, "timezone", "Asia/Shanghai", "time zone of the times in the report (IANA name)")
	f.BoolVar(&cfg.public, "public", false, "as an anonymous visitor sees it")
	return cmd
}

// runReportPilot renders the report and writes it.
func runReportPilot(cmd *cobra.Command, cfg reportPilotConfig) error {
	if cfg.pilot <= 0 || cfg.cycle <= 0 || cfg.out == "" {
		return errors.New("--pilot, --cycle and --out are required (sceval report pilot --help)")
	}
	format := cfg.format
	if format == "" {
		format = "html"
		if len(cfg.out) > 4 && cfg.out[len(cfg.out)-4:] == ".pdf" {
			format = "pdf"
		}
	}
	if format != "html" && format != "pdf" {
		return fmt.Errorf("--format %q: want html or pdf", format)
	}
	if cfg.lang != "zh" && cfg.lang != "en" {
		return fmt.Errorf("--lang %q: want zh or en", cfg.lang)
	}
	loc, err := time.LoadLocation(cfg.timezone)
	if err != nil {
		return fmt.Errorf("--timezone: %w", err)
	}
	if format == "pdf" { // fail before any work when the browser is missing
		if _, err := report.FindChromium(); err != nil {
			return fmt.Errorf("--format pdf: %w", err)
		}
	}
	ctx := cmd.Context()
	deps, err := openPlatform(ctx, cfg.db, cfg.dataDir, 0, nil)
	if err != nil {
		return err
	}
	defer deps.store.Close()
	who := operatorIdentity()
	if cfg.public {
		who = platform.Identity{}
	}
	ctx = deps.service.Bind(ctx, who)
	sc, err := deps.service.Scorecard(ctx, cfg.cycle, cfg.pilot)
	if err != nil {
		return fmt.Errorf("scorecard of pilot %d in cycle %d: %w", cfg.pilot, cfg.cycle, err)
	}
	body, err := report.PilotHTML(sc, report.PilotOptions{Lang: cfg.lang, Assets: ui.ReportAssets(),
		Region: report.PilotRegion(deps.regions, sc.Pilot.RegionCode), Location: loc})
	if err != nil {
		return err
	}
	if format == "pdf" {
		if body, err = report.PDF(ctx, body); err != nil {
			return err
		}
	}
	if err := os.WriteFile(cfg.out, body, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s, %d bytes): %s in %s, total %s\n", cfg.out, format, len(body),
		sc.Pilot.Name, sc.Cycle.Name, formatTotal(sc.Total))
	return nil
}

// formatTotal prints a total with two decimals, or "–".
func formatTotal(x *float64) string {
	if x == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", *x)
}
