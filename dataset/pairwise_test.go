package dataset

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Header and code-column detection on the same 3×3 matrix.
func TestReadPairwiseLayouts(t *testing.T) {
	t.Parallel()
	body := [][]string{{"1", "2", "4"}, {"1/2", "1", "2"}, {"0.25", "0.5", "1"}}
	join := func(label string, cells []string) string {
		if label != "-" {
			return label + "," + strings.Join(cells, ",")
		}
		return strings.Join(cells, ",")
	}
	tests := []struct {
		name, content string
		codes         string
	}{
		{"plain.csv", join("-", body[0]) + "\n" + join("-", body[1]) + "\n" + join("-", body[2]) + "\n", "1,2,3"},
		{"numeric-header.csv", "1.1,1.2,1.3\n" + join("-", body[0]) + "\n" + join("-", body[1]) + "\n" + join("-", body[2]) + "\n", "1.1,1.2,1.3"},
		{"code-col.csv", join("x", body[0]) + "\n" + join("y", body[1]) + "\n" + join("z", body[2]) + "\n", "x,y,z"},
		{"both.csv", "指标,x,y,z\n" + join("x", body[0]) + "\n\n" + join("y", body[1]) + "\n" + join("z", body[2]) + "\n", "x,y,z"},
		{"tabs.tsv", "\t2.1\t2.2\t2.3\n2.1\t1\t2\t4\n2.2\t1/2\t1\t2\n2.3\t1/4\t1/2\t1\n", "2.1,2.2,2.3"},
	}
	for _, tc := range tests {
		pm, _, err := ReadPairwise(tc.name, []byte(tc.content))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := strings.Join(pm.Codes, ","); got != tc.codes {
			t.Errorf("%s: codes %s, want %s", tc.name, got, tc.codes)
		}
		if pm.Values[2][0] != 0.25 || pm.Values[1][0] != 0.5 || pm.Values[0][2] != 4 {
			t.Errorf("%s: matrix %v", tc.name, pm.Values)
		}
	}
}

// A matrix saved by Excel on Chinese Windows (GB18030) is decoded, with a
// notice; fractions and rounded reciprocals are read as typed.
func TestReadPairwiseGB18030(t *testing.T) {
	t.Parallel()
	gb, err := simplifiedchinese.GB18030.NewEncoder().String("指标,网络,平台\n网络,1,3\n平台,0.3333,1\n")
	if err != nil {
		t.Fatal(err)
	}
	pm, warns, err := ReadPairwise("m.csv", []byte(gb))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pm.Codes, ",") != "网络,平台" || pm.Values[1][0] != 0.3333 || !pm.Labelled {
		t.Errorf("read %+v", pm)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "GB18030") {
		t.Errorf("warnings %q", warns)
	}
}

func TestReadPairwiseLimit(t *testing.T) {
	t.Parallel()
	big := strings.Repeat(strings.Repeat("1,", 99)+"1\n", 100)
	if _, _, err := ReadPairwise("big.csv", []byte(big)); err == nil || !strings.Contains(err.Error(), "more than 4096 cells") {
		t.Errorf("got %v", err)
	}
}
