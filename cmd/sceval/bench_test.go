package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
)

// nationalUnits is the number of towns and subdistricts in the national
// registry (DESIGN §2): the scale score must handle in under a second.
const nationalUnits = 41352

// benchFiles writes, once per benchmark, a framework file and a synthetic
// data file of n units. With quantitative set, every leaf of the MOHURD
// framework is made quantitative, so that all 57 columns hold decimals
// (~15 MB of CSV) instead of mostly rubric levels (~7 MB).
func benchFiles(b *testing.B, n int, quantitative bool) (fwPath, dataPath string) {
	b.Helper()
	fw, ok := framework.Builtin("mohurd-2012")
	if !ok {
		b.Fatal("no built-in mohurd-2012")
	}
	fw = fw.Clone()
	if quantitative {
		for _, l := range fw.Leaves() {
			l.Kind, l.Rubric = framework.Quantitative, nil
		}
	}
	dir := b.TempDir()
	fwPath = filepath.Join(dir, "fw.yaml")
	dataPath = filepath.Join(dir, "data.csv")
	ff, err := os.Create(fwPath)
	if err != nil {
		b.Fatal(err)
	}
	if err := framework.ExportYAML(ff, fw); err != nil {
		b.Fatal(err)
	}
	ff.Close()
	df, err := os.Create(dataPath)
	if err != nil {
		b.Fatal(err)
	}
	if err := dataset.WriteDataCSV(df, engine.Synthetic(fw, n, 1)); err != nil {
		b.Fatal(err)
	}
	df.Close()
	return fwPath, dataPath
}

// BenchmarkScoreCommand runs `sceval score` end to end at the national
// scale: read the CSV, score 41,352 units × 73 nodes, write the ~3 million
// row long CSV to a file.
func BenchmarkScoreCommand(b *testing.B) {
	for _, bc := range []struct {
		name         string
		quantitative bool
	}{{"mohurd-2012", false}, {"quantitative-57", true}} {
		b.Run(bc.name, func(b *testing.B) {
			fwPath, dataPath := benchFiles(b, nationalUnits, bc.quantitative)
			st, err := os.Stat(dataPath)
			if err != nil {
				b.Fatal(err)
			}
			out := filepath.Join(b.TempDir(), "scores.csv")
			args := []string{"score", "--framework", fwPath, "--data", dataPath, "--attr", "province", "--format", "csv", "--out", out}
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for b.Loop() {
				root := newRootCmd()
				root.SetArgs(args)
				root.SetErr(io.Discard)
				if err := root.Execute(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
