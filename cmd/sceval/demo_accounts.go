package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/region"
)

// printDemoAccounts prints the demo accounts (demo.Accounts) with their
// known passwords as a compact table, under the URL to log in at (empty
// for `sceval demo`, which serves nothing).
func printDemoAccounts(out io.Writer, url string) {
	at := "/login"
	if url != "" {
		at = url + "/login"
	}
	fmt.Fprintf(out, "demo accounts (public demo passwords; log in at %s):\n", at)
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  user\tpassword\trole\tfor")
	for _, a := range demo.Accounts() {
		what := a.About
		switch {
		case a.Province != "":
			what = provinceName(a.Province) + ": " + what
		case a.Pilot != "":
			what = a.Pilot + ": " + what
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.Username, a.Password, a.Role, what)
	}
	tw.Flush()
}

// provinceName is "13 河北省" for code 13 (the code alone if the registry
// does not know it).
func provinceName(code string) string {
	if reg, err := region.Default(); err == nil {
		if r, ok := reg.Resolve(code); ok {
			return code + " " + r.Name
		}
	}
	return "province " + code
}
