package platform_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// FuzzImportEntries feeds arbitrary files to the entries import (dry run
// and partial): it must never panic, must name a cell for every problem,
// and its counts must add up.
func FuzzImportEntries(f *testing.F) {
	f.Add([]byte(csvHeader + "1,A.1,85,,ok,\n1,A.2,,2 中,,\n"))
	f.Add([]byte("标题\n" + csvHeader + "1,A.1,abc,,,\n2,Z,1,,,\n"))
	f.Add([]byte("\xef\xbb\xbf" + csvHeader + "1,B.1,1e400,,\"x\ny\",是\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	fx := newImportFixture(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := fx.svc.ImportEntries(admin, fx.cycle.ID, "fuzz.csv", bytes.NewReader(data), platform.EntryImportOptions{DryRun: true, Partial: true})
		if err != nil {
			return
		}
		if rep.Changes+rep.Unchanged+rep.Invalid != rep.Rows || rep.Applied != 0 {
			t.Fatalf("counts do not add up: %+v", rep)
		}
		for _, p := range rep.Errors {
			if !strings.Contains(p.Cell, "!") || p.Message == "" {
				t.Fatalf("problem without a cell: %+v", p)
			}
		}
	})
}
