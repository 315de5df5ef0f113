package main

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Data and scheme files saved on Chinese Windows (GB18030) are decoded,
// with a notice naming the encoding; a title row is skipped with
// --header-row.
func TestScoreReadsGB18030AndHeaderRow(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gb := func(s string) string {
		out, err := simplifiedchinese.GB18030.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	data := wtWriteFile(t, dir, "d.csv", gb("2023年度测试数据\n单元,省份,A.1,A.2,B.1\n杭州市,浙江,1,10,3\n宁波市,浙江,2,12,4\n"))
	scheme := wtWriteFile(t, dir, "s.yaml", gb("name: 测试方案\naggregation: {method: amean}\n"))
	fw := filepath.Join("testdata", "score", "tiny.yaml")
	_, _, err := runWeights(t, "score", "--framework", fw, "--data", data, "--attr", "省份", "--scheme", scheme, "--format", "csv")
	if err == nil || !strings.Contains(err.Error(), "--header-row 2") {
		t.Fatalf("title row: %v", err)
	}
	out, errOut, err := runWeights(t, "score", "--framework", fw, "--data", data, "--attr", "省份", "--scheme", scheme, "--format", "csv", "--header-row", "2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "杭州市,tiny,0,") {
		t.Errorf("output %q", out)
	}
	for _, f := range []string{"d.csv", "s.yaml"} {
		if !strings.Contains(errOut, f+": read as GB18030 text (not UTF-8) and converted to UTF-8") {
			t.Errorf("no notice for %s in %q", f, errOut)
		}
	}
}
