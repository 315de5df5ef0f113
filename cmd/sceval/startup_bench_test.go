package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkStartup runs the built sceval binary as a user would, one process
// per iteration, so that ns/op is the whole cost of a small command: the
// process start, every linked package's init, and the command's work (the
// < 15 ms target of BENCHMARKS.md, "Start-up"). The binary is built once,
// with the go command on PATH.
//
//	go test ./cmd/sceval -run '^$' -bench Startup -benchtime 100x
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "sceval")
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skipf("no go command on PATH to build sceval: %v", err)
	}
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "s51.csv")
	gen := newRootCmd()
	gen.SetArgs([]string{"synth-data", "--units", "51", "--out", data})
	gen.SetOut(io.Discard)
	if err := gen.Execute(); err != nil {
		b.Fatal(err)
	}
	tiny := filepath.Join("testdata", "score")
	for _, c := range []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"score-tiny", []string{"score", "--framework", filepath.Join(tiny, "tiny.yaml"), "--data", filepath.Join(tiny, "tiny.csv")}},
		{"score-51x57", []string{"score", "--data", data, "--attr", "province", "--format", "csv", "--out", os.DevNull}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(bin, c.args...)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("sceval %v: %v\n%s", c.args, err, out)
				}
			}
		})
	}
}
