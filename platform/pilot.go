package platform

import "time"

// PilotType is the kind of administrative unit a pilot is.
type PilotType string

// The pilot types of the programme (cities, districts, towns).
const (
	PilotCity     PilotType = "city"
	PilotDistrict PilotType = "district"
	PilotTown     PilotType = "town"
)

// Valid reports whether t is a known pilot type.
func (t PilotType) Valid() bool { return t == PilotCity || t == PilotDistrict || t == PilotTown }

// PilotStatus is where a pilot stands in the programme.
type PilotStatus string

// The pilot statuses.
const (
	PilotActive    PilotStatus = "active"
	PilotCompleted PilotStatus = "completed"
	PilotSuspended PilotStatus = "suspended"
	PilotWithdrawn PilotStatus = "withdrawn"
)

// Valid reports whether s is a known pilot status.
func (s PilotStatus) Valid() bool {
	switch s {
	case PilotActive, PilotCompleted, PilotSuspended, PilotWithdrawn:
		return true
	}
	return false
}

// Pilot is a region taking part in one batch of the programme. A region
// appears at most once per batch.
type Pilot struct {
	ID int64 `json:"id"`
	// RegionCode is the region's code in the one form sceval returns
	// (region.GBCode): GB/T 2260's 6 digits, or 9 for a town or
	// subdistrict. Input may use any form the registry resolves.
	RegionCode string `json:"region_code"`
	Name       string `json:"name"`
	// ProvinceCode is the 2-digit province prefix of RegionCode, derived.
	ProvinceCode string      `json:"province_code"`
	Batch        string      `json:"batch"`
	Type         PilotType   `json:"type"`
	Status       PilotStatus `json:"status"`
	Version      int         `json:"version"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// PilotFilter selects pilots for ListPilots. Empty fields do not filter.
type PilotFilter struct {
	// Province is a province by code (32, 320000) or name (江苏省, 江苏);
	// the service resolves it to the 2-digit code the store filters on.
	Province string `json:"province,omitempty"`
	// ID, when set, keeps only that pilot (a pilot user's own view).
	ID     int64  `json:"id,omitempty"`
	Type   string `json:"type,omitempty"`
	Batch  string `json:"batch,omitempty"`
	Status string `json:"status,omitempty"`
	// Q matches a substring of the name or a prefix of the region code.
	Q string `json:"q,omitempty"`
	// Sort is one of PilotSorts; "" means "region_code".
	Sort   string `json:"sort,omitempty"`
	Limit  int    `json:"limit,omitempty"`
	Offset int    `json:"offset,omitempty"`
}

// PilotSorts lists the accepted PilotFilter.Sort values; a leading "-"
// reverses the order.
var PilotSorts = []string{"region_code", "-region_code", "name", "-name", "batch", "-batch", "id", "-id", "updated_at", "-updated_at"}

// PilotChange is one corrected field of a pilot: the version the change
// produced, the field's old and new values, who changed it and when.
type PilotChange struct {
	Version int       `json:"version"`
	Field   string    `json:"field"`
	Old     string    `json:"old"`
	New     string    `json:"new"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
}

// PilotDiff returns the fields (region_code, name, batch, type, status) in
// which after differs from before, in that order.
func PilotDiff(before, after Pilot) []PilotChange {
	var out []PilotChange
	for _, f := range []struct{ name, old, new string }{
		{"region_code", before.RegionCode, after.RegionCode},
		{"name", before.Name, after.Name},
		{"batch", before.Batch, after.Batch},
		{"type", string(before.Type), string(after.Type)},
		{"status", string(before.Status), string(after.Status)},
	} {
		if f.old != f.new {
			out = append(out, PilotChange{Field: f.name, Old: f.old, New: f.new})
		}
	}
	return out
}
