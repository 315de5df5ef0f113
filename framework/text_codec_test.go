package framework

import (
	"encoding/json"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestTextDecoding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		json    string
		yaml    string
		want    Text
		wantErr bool
	}{
		{"plain string", `"组织机构"`, `组织机构`, Text{Zh: "组织机构", En: "组织机构"}, false},
		{"object", `{"zh":"组织机构","en":"Organisation"}`, "{zh: 组织机构, en: Organisation}", Text{Zh: "组织机构", En: "Organisation"}, false},
		{"zh only", `{"zh":"组织机构"}`, "zh: 组织机构", Text{Zh: "组织机构"}, false},
		{"null", `null`, `~`, Text{}, false},
		{"trailing space kept", `"指… "`, `"指… "`, Text{Zh: "指… ", En: "指… "}, false},
		{"unknown language", `{"zh":"a","de":"b"}`, "{zh: a, de: b}", Text{}, true},
		{"list", `["a"]`, `[a]`, Text{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var j, y Text
			errJ := json.Unmarshal([]byte(tt.json), &j)
			errY := yaml.Unmarshal([]byte(tt.yaml), &y)
			if (errJ != nil) != tt.wantErr || (errY != nil) != tt.wantErr {
				t.Fatalf("errors: json %v, yaml %v; want error %v", errJ, errY, tt.wantErr)
			}
			if !tt.wantErr && (j != tt.want || y != tt.want) {
				t.Errorf("json %+v, yaml %+v, want %+v", j, y, tt.want)
			}
		})
	}
}

func TestTextIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text       Text
		lang, want string
	}{
		{Text{Zh: "甲", En: "A"}, "en", "A"},
		{Text{Zh: "甲", En: "A"}, "zh", "甲"},
		{Text{Zh: "甲"}, "en", "甲"},
		{Text{En: "A"}, "zh", "A"},
	}
	for _, tt := range tests {
		if got := tt.text.In(tt.lang); got != tt.want {
			t.Errorf("%+v.In(%q) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}
