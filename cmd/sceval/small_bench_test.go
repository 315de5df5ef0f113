package main

import (
	"io"
	"path/filepath"
	"testing"
)

// BenchmarkScoreSmall runs `sceval score` in process on a COINr-sized case
// (51 units × 57 indicators of the built-in framework, long CSV out): the
// work a small command does after start-up, which the process start-up
// figures in BENCHMARKS.md add to.
func BenchmarkScoreSmall(b *testing.B) {
	dir := b.TempDir()
	data := filepath.Join(dir, "s51.csv")
	gen := newRootCmd()
	gen.SetArgs([]string{"synth-data", "--units", "51", "--out", data})
	gen.SetOut(io.Discard)
	gen.SetErr(io.Discard)
	if err := gen.Execute(); err != nil {
		b.Fatal(err)
	}
	args := []string{"score", "--data", data, "--attr", "province", "--format", "csv", "--out", filepath.Join(dir, "out.csv")}
	b.ReportAllocs()
	for b.Loop() {
		root := newRootCmd()
		root.SetArgs(args)
		root.SetOut(io.Discard)
		root.SetErr(io.Discard)
		if err := root.Execute(); err != nil {
			b.Fatal(err)
		}
	}
}
