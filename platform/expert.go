package platform

import "time"

// Expert is a member of the review panels: the province and organisation
// they belong to and the conflicts of interest they declared. Username, when
// set, links the expert to the account they sign in with; a caller whose
// identity carries that user name acts as this expert.
type Expert struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	ProvinceCode string `json:"province_code"`
	Organisation string `json:"organisation"`
	Username     string `json:"username,omitempty"`
	// ConflictPilots and ConflictProvinces are the declared conflicts of
	// interest: the expert is never assigned these pilots, nor pilots of
	// these provinces (nor of their own province).
	ConflictPilots    []int64   `json:"conflict_pilots"`
	ConflictProvinces []string  `json:"conflict_provinces"`
	Active            bool      `json:"active"`
	Version           int       `json:"version"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// ExpertFilter selects experts. Empty fields do not filter.
type ExpertFilter struct {
	Province string `json:"province,omitempty"`
	Username string `json:"username,omitempty"`
	// ActiveOnly leaves out inactive experts.
	ActiveOnly bool `json:"active_only,omitempty"`
	Limit      int  `json:"limit,omitempty"`
	Offset     int  `json:"offset,omitempty"`
}
