package web

import (
	"slices"
	"testing"
)

// huma reports a missing required property at the object that lacks it
// (location "body"); the API's error must still name the property.
func TestMissingRequiredPropertyNamesTheField(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	_, c := env.fixture()

	env.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/submissions", `{}`).expectError(422, "invalid", "pilot_id")
	env.do("POST", "/api/v1/cycles", `{"name":"x","kind":"annual_monitoring","year":2016,"framework_id":"mohurd-2012",
		"star_thresholds":[{"min":60}]}`).expectError(422, "invalid", "star_thresholds[0].stars")

	e := env.do("POST", "/api/v1/cycles", `{"kind":"annual_monitoring","year":2016}`).expectError(422, "invalid")
	var fields []string
	for _, d := range e.Error.Details {
		fields = append(fields, d.Field)
	}
	slices.Sort(fields)
	if !slices.Equal(fields, []string{"framework_id", "name"}) || (e.Error.Field != "framework_id" && e.Error.Field != "name") {
		t.Errorf("two missing properties: field %q, details %v; want framework_id and name", e.Error.Field, fields)
	}
}
