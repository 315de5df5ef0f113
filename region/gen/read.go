package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// packageMeta is what SOURCE records about the package.
type packageMeta struct {
	name, version, declaredLicense string
	license                        []byte // the LICENSE file
	dataTitle                      string // e.g. 2023年统计用区划代码和城乡划分代码
	cutoff, published              string // dates of the data, from README.md
}

// dataDate matches the line of the package README that names the edition of
// the National Bureau of Statistics data, e.g.
// 2023年统计用区划代码和城乡划分代码（截止时间：2023-06-30，发布时间：2023-09-11）.
var dataDate = regexp.MustCompile(`(\d{4}年统计用区划代码和城乡划分代码)（截止时间：(\d{4}-\d{2}-\d{2})，发布时间：(\d{4}-\d{2}-\d{2})）`)

// readMeta reads package.json, LICENSE and the data date in README.md.
func readMeta(dir string) (packageMeta, error) {
	var pj struct{ Name, Version, License string }
	if err := readJSON(filepath.Join(dir, "package.json"), &pj); err != nil {
		return packageMeta{}, err
	}
	if pj.Name == "" || pj.Version == "" {
		return packageMeta{}, fmt.Errorf("%s: name or version missing", filepath.Join(dir, "package.json"))
	}
	license, err := os.ReadFile(filepath.Join(dir, "LICENSE"))
	if err != nil {
		return packageMeta{}, fmt.Errorf("read licence: %w", err)
	}
	readmePath := filepath.Join(dir, "README.md")
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		return packageMeta{}, fmt.Errorf("read readme: %w", err)
	}
	m := dataDate.FindSubmatch(readme)
	if m == nil {
		return packageMeta{}, fmt.Errorf("%s: no line naming the data edition and its dates (截止时间/发布时间); update the pattern in region/gen/read.go", readmePath)
	}
	return packageMeta{
		name: pj.Name, version: pj.Version, declaredLicense: pj.License, license: license,
		dataTitle: string(m[1]), cutoff: string(m[2]), published: string(m[3]),
	}, nil
}

// regionRow is one region as written to regions.tsv.
type regionRow struct{ code, name string }

// levelFile describes the package file of one level: its code length and the
// field that holds the parent code.
type levelFile struct {
	file        string
	codeLen     int
	parentField string
	parentLen   int
}

var levelFiles = []levelFile{
	{"provinces.json", 2, "", 0},
	{"cities.json", 4, "provinceCode", 2},
	{"areas.json", 6, "cityCode", 4},
	{"streets.json", 9, "areaCode", 6},
}

// inputFile records an input file and its contents for SOURCE.
type inputFile struct {
	name string
	data []byte
	rows int
}

// readRegions reads the four level files, checks codes, names and parent
// links, and returns the regions sorted by code.
func readRegions(dir string) ([]regionRow, []inputFile, error) {
	var rows []regionRow
	var inputs []inputFile
	known := map[string]bool{}
	for _, lf := range levelFiles {
		path := filepath.Join(dir, "dist", lf.file)
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("read level file: %w", err)
		}
		var items []map[string]string
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, nil, fmt.Errorf("parse %s: %w", path, err)
		}
		for i, it := range items {
			if err := checkItem(it, lf, known); err != nil {
				return nil, nil, fmt.Errorf("%s: item %d: %w", path, i, err)
			}
			known[it["code"]] = true
			rows = append(rows, regionRow{it["code"], it["name"]})
		}
		inputs = append(inputs, inputFile{name: "dist/" + lf.file, data: data, rows: len(items)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].code < rows[j].code })
	return rows, inputs, nil
}

// checkItem validates one JSON item of a level file against the codes read
// so far (all of the levels above).
func checkItem(it map[string]string, lf levelFile, known map[string]bool) error {
	code, name := it["code"], it["name"]
	if len(code) != lf.codeLen || strings.Trim(code, "0123456789") != "" {
		return fmt.Errorf("code %q: want %d digits", code, lf.codeLen)
	}
	if known[code] {
		return fmt.Errorf("code %s: duplicate", code)
	}
	if name == "" || name != strings.TrimSpace(name) || strings.ContainsAny(name, "\t\r\n") || !utf8.ValidString(name) {
		return fmt.Errorf("code %s: invalid name %q", code, name)
	}
	if lf.parentField == "" {
		return nil
	}
	parent := it[lf.parentField]
	if parent != code[:lf.parentLen] || !known[parent] {
		return fmt.Errorf("code %s: %s %q is not the code of a known region with the first %d digits", code, lf.parentField, parent, lf.parentLen)
	}
	return nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	return nil
}
