// Command sceval is the smart-city pilot evaluation system: a command-line
// tool for indicator frameworks, composite scoring and sensitivity analysis,
// and the server of the assessment platform.
package main

import (
	"errors"
	"fmt"
	"os"
	_ "time/tzdata" // --timezone works where the system has no zone database

	"github.com/spf13/cobra"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes the command line and returns the process exit code. Errors are
// printed once, to stderr, without usage text or stack traces.
func run(args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			if exit.msg != "" {
				fmt.Fprintln(os.Stderr, "sceval:", exit.msg)
			}
			return exit.code
		}
		fmt.Fprintln(os.Stderr, "sceval:", err)
		return 1
	}
	return 0
}

// exitError ends the command with a given exit code; an empty msg means the
// command already reported what went wrong.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "sceval",
		Short: "智慧城市试点评价系统 — smart-city pilot evaluation",
		Long: `sceval puts the National Smart City (District, Town) Pilot Indicator System
(MOHURD, 2012) and any other indicator framework to work: frameworks,
composite scores, weights, sensitivity analysis and the assessment platform.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newVersionCmd(),
		newRegionCmd(),
		newScoreCmd(),
		newCompareCmd(),
		newSensitivityCmd(),
		newSynthDataCmd(),
		newFrameworkCmd(),
		newServeCmd(),
		newMigrateCmd(),
		newGCCmd(),
		newDemoCmd(),
		newWeightsCmd(),
		newAuditCmd(),
		newAuditLogCmd(),
		newUserCmd(),
		newTokenCmd(),
		newBackupCmd(), newRestoreCmd(),
		newImportCmd(),
		newExportCmd(),
		newReportCmd(),
	)
	addPortableCommands(root)
	return root
}
