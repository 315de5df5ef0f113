package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"
)

// MergePatch applies a JSON merge patch (RFC 7396 §2) to target and returns
// the result: a patch that is an object sets each member it names, a null
// member removes it, and objects merge recursively; any other patch
// replaces target.
func MergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = MergePatch(t[k], v)
	}
	return t
}

// patchObject parses a merge patch that must be a JSON object, returns its
// members and the version it carries (required: a patch is
// version-checked like every write), refusing members not in allowed.
func patchObject(what string, raw []byte, allowed []string) (map[string]any, int, error) {
	var members map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&members); err != nil || members == nil {
		return nil, 0, invalidField("body", CodeBadValue, "a %s patch must be a JSON object (RFC 7396 merge patch)", what)
	}
	var unknown []string
	for k := range members {
		if k != "version" && !slices.Contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, 0, invalidField(unknown[0], CodeBadValue, "a %s patch cannot set %s: the fields are %s and version",
			what, strings.Join(unknown, ", "), strings.Join(allowed, ", "))
	}
	n, ok := members["version"].(json.Number)
	version, err := n.Int64()
	if !ok || err != nil || version < 1 {
		return nil, 0, invalidField("version", CodeRequired, "a %s patch must carry the version you read (\"version\": N)", what)
	}
	delete(members, "version")
	return members, int(version), nil
}

// applyPatch merges members into v's JSON form and decodes the result back
// into v.
func applyPatch(what string, v any, members map[string]any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", what, err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	merged, err := json.Marshal(MergePatch(doc, members))
	if err != nil {
		return fmt.Errorf("encode patched %s: %w", what, err)
	}
	// Decode into the zero value: a member the patch removed (null) must
	// not keep its old value.
	reflect.ValueOf(v).Elem().SetZero()
	if err := json.Unmarshal(merged, v); err != nil {
		return invalidField("body", CodeBadValue, "%s patch: %v", what, err)
	}
	return nil
}

// pilotPatchFields are the fields a pilot patch may set.
var pilotPatchFields = []string{"region_code", "name", "batch", "type", "status"}

// pilotFields is the writable part of a pilot, as a patch sees it.
type pilotFields struct {
	RegionCode string      `json:"region_code"`
	Name       string      `json:"name"`
	Batch      string      `json:"batch"`
	Type       PilotType   `json:"type"`
	Status     PilotStatus `json:"status"`
}

// PatchPilot applies a JSON merge patch (RFC 7396) to the pilot's writable
// fields — region_code, name, batch, type, status — and the version it
// carries must be current; fields the patch does not name keep their
// values. Every pilot field is required, so null is refused. The change is
// validated as UpdatePilot validates and recorded in the pilot's history.
func (s *Service) PatchPilot(ctx context.Context, id int64, patch []byte) (Pilot, error) {
	if err := authorize(ctx, "pilot.update", fmt.Sprintf("pilot/%d", id)); err != nil {
		return Pilot{}, err
	}
	members, version, err := patchObject("pilot", patch, pilotPatchFields)
	if err != nil {
		return Pilot{}, err
	}
	for k, v := range members {
		if v == nil {
			return Pilot{}, invalidField(k, CodeRequired, "%s cannot be removed from a pilot: give a new value", k)
		}
	}
	cur, err := s.store.GetPilot(ctx, id)
	if err != nil {
		return Pilot{}, err
	}
	if version != cur.Version {
		return Pilot{}, StaleVersion("pilot", id, version, cur.Version, cur)
	}
	f := pilotFields{RegionCode: cur.RegionCode, Name: cur.Name, Batch: cur.Batch, Type: cur.Type, Status: cur.Status}
	if err := applyPatch("pilot", &f, members); err != nil {
		return Pilot{}, err
	}
	p := Pilot{ID: id, Version: version, RegionCode: f.RegionCode, Name: f.Name, Batch: f.Batch, Type: f.Type, Status: f.Status}
	return s.UpdatePilot(ctx, p)
}

// PilotHistory returns the recorded corrections of a pilot, oldest first.
func (s *Service) PilotHistory(ctx context.Context, id int64) ([]PilotChange, error) {
	if err := authorize(ctx, "pilot.history.read", fmt.Sprintf("pilot/%d", id)); err != nil {
		return nil, err
	}
	if _, err := s.store.GetPilot(ctx, id); err != nil {
		return nil, err
	}
	return s.store.PilotHistory(ctx, id)
}

// cyclePatchFields are the fields a cycle patch may set: the writable
// members of Cycle's JSON form, which the patch is applied to.
var cyclePatchFields = []string{"name", "kind", "year", "framework_id", "framework_version", "scheme", "star_thresholds",
	"opens_at", "due_at", "time_zone", "min_completeness", "coverage_threshold", "not_applicable_allowed"}

// PatchCycle applies a JSON merge patch (RFC 7396) to the cycle's writable
// fields and updates it as UpdateCycle does (same rules: version current,
// framework frozen once open, published cycles unchanged). Fields the patch
// does not name keep their values; null clears opens_at or due_at and
// resets scheme or star_thresholds to the defaults, which only an explicit
// null does.
func (s *Service) PatchCycle(ctx context.Context, id int64, patch []byte) (Cycle, error) {
	if err := authorize(ctx, "cycle.update", fmt.Sprintf("cycle/%d", id)); err != nil {
		return Cycle{}, err
	}
	members, version, err := patchObject("cycle", patch, cyclePatchFields)
	if err != nil {
		return Cycle{}, err
	}
	cur, err := s.store.GetCycle(ctx, id)
	if err != nil {
		return Cycle{}, err
	}
	if version != cur.Version {
		return Cycle{}, StaleVersion("cycle", id, version, cur.Version, cur)
	}
	if err := patchDates(members, cur.TimeZone); err != nil {
		return Cycle{}, err
	}
	if _, ok := members["framework_id"]; ok {
		if _, v := members["framework_version"]; !v {
			// A new framework without a version means its current one.
			members["framework_version"] = nil
		}
	}
	// The patch applies to the cycle's own JSON form, so a field added to
	// Cycle cannot be forgotten here; members outside cyclePatchFields were
	// refused above, and UpdateCycle keeps the state and dates it owns.
	c := cur
	if err := applyPatch("cycle", &c, members); err != nil {
		return Cycle{}, err
	}
	c.ID, c.Version = id, version
	return s.UpdateCycle(ctx, c)
}

// patchDates rewrites the opens_at and due_at members of a cycle patch, given
// as a date or a date-time (ParseCycleDate), to RFC 3339 instants in the
// cycle's time zone — the patch's time_zone if it sets one, else current.
func patchDates(members map[string]any, currentZone string) error {
	zone := currentZone
	if z, ok := members["time_zone"].(string); ok {
		zone = z
	}
	for _, d := range []struct {
		field string
		end   bool
	}{{"opens_at", false}, {"due_at", true}} {
		v, ok := members[d.field].(string)
		if !ok {
			continue
		}
		t, err := ParseCycleDate(d.field, v, zone, d.end)
		if err != nil {
			return err
		}
		members[d.field] = t.Format(time.RFC3339Nano)
	}
	return nil
}
