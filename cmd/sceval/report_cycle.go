package main

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/report"
	"github.com/sceval/sceval/web/ui"
	"github.com/spf13/cobra"
)

// newReportCmd is "sceval report": the printable reports.
func newReportCmd() *cobra.Command {
	parent := &cobra.Command{
		Use:   "report",
		Short: "Printable reports (HTML or PDF): a pilot's scorecard, a cycle's summary / 报告",
		Long:  "Self-contained, print-ready A4 reports as HTML, or as PDF through a headless Chromium.",
		Args:  cobra.NoArgs,
	}
	parent.AddCommand(newReportPilotCmd(), newReportCycleCmd())
	return parent
}

// reportCycleFlags are the flags of `sceval report cycle`.
type reportCycleFlags struct {
	accountFlags
	cycle                       int64
	province, format, out, lang string
	mapFile, timezone           string
}

func newReportCycleCmd() *cobra.Command {
	var f reportCycleFlags
	cmd := &cobra.Command{
		Use:   "cycle",
		Short: "A cycle's summary report: participation, distribution, stars, map, top and bottom, agreement, uncertainty",
		Long: `Writes the summary report of a cycle's stored results, national or for one
province (--province, a code such as 32 or 320000): participation, the
distribution of overall scores with the star thresholds, star counts, the
province map, the top and bottom of the ranking, first-level averages by pilot
type, the agreement statistics of the expert review and the uncertainty of the
ranking (rank intervals). --format html writes one self-contained A4 file (styles,
charts and map inline, no network needed); --format pdf prints it with the
headless Chromium (chromium must be installed).`,
		Example: `  sceval report cycle --db sceval.db --cycle 1 --format pdf --out summary.pdf
  sceval report cycle --cycle 1 --province 32 --format html --out jiangsu.html --lang en`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runReportCycle(cmd, &f) },
	}
	f.add(cmd)
	fl := cmd.Flags()
	fl.Int64Var(&f.cycle, "cycle", 0, "cycle ID (required)")
	fl.StringVar(&f.province, "province", "", "report on one province (code, e.g. 32 or 320000); national when empty")
	fl.StringVar(&f.format, "format", "html", "html or pdf")
	fl.StringVarP(&f.out, "out", "o", "", "output file (required)")
	fl.StringVar(&f.lang, "lang", "zh", "language of the report: zh or en")
	fl.StringVar(&f.mapFile, "map-geojson", "", "GeoJSON file of China's provinces instead of the built-in map")
	fl.StringVar(&f.timezone, "timezone", "Asia/Shanghai", "time zone of the dates in the report (IANA name)")
	return cmd
}

func runReportCycle(cmd *cobra.Command, f *reportCycleFlags) error {
	switch {
	case f.cycle <= 0:
		return errors.New("--cycle: give the ID of the cycle to report on")
	case f.out == "":
		return errors.New("--out: give the file to write")
	case f.format != "html" && f.format != "pdf":
		return fmt.Errorf("--format %q: want html or pdf", f.format)
	case f.lang != "zh" && f.lang != "en":
		return fmt.Errorf("--lang %q: want zh or en", f.lang)
	}
	loc, err := time.LoadLocation(f.timezone)
	if err != nil {
		return fmt.Errorf("--timezone %q: %v", f.timezone, err)
	}
	assets := ui.ReportAssets()
	if f.mapFile != "" {
		if assets.Map, err = os.ReadFile(f.mapFile); err != nil {
			return fmt.Errorf("--map-geojson: %w", err)
		}
	}
	regions, err := region.Default()
	if err != nil {
		return err
	}
	svc, ctx, closeDB, err := f.openAccounts(cmd)
	if err != nil {
		return err
	}
	defer closeDB()
	rep, err := report.BuildCycleReport(ctx, report.CycleSource{Service: svc, Regions: regions}, f.cycle, f.province, f.lang, time.Now().In(loc))
	if err != nil {
		return fmt.Errorf("report on cycle %d: %w", f.cycle, err)
	}
	doc, err := rep.HTML(assets)
	if err != nil {
		return err
	}
	if f.format == "pdf" {
		if doc, err = report.PDF(ctx, doc); err != nil {
			return fmt.Errorf("PDF of the report on cycle %d (the HTML format works without Chromium): %w", f.cycle, err)
		}
	}
	if err := os.WriteFile(f.out, doc, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d bytes)\n", f.out, len(doc))
	return nil
}
