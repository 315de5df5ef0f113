package platform

import (
	"fmt"
	"strings"
	"time"
)

// DefaultTimeZone is the zone of a cycle's dates unless it names another:
// the programme runs on China Standard Time.
const DefaultTimeZone = "Asia/Shanghai"

// ParseCycleDate reads a cycle date: a date-time in RFC 3339
// ("2014-11-30T18:00:00+08:00") as given, or a date ("2014-11-30") in the
// cycle's zone tz — its end (the last microsecond of the day, the stores'
// precision) when end is true, as for a due date, else its start. field
// names the input in errors.
func ParseCycleDate(field, value, tz string, end bool) (time.Time, error) {
	value = strings.TrimSpace(value)
	if t, err := time.Parse(time.RFC3339Nano, value); err == nil {
		return t, nil
	}
	loc, err := loadZone(tz)
	if err != nil {
		return time.Time{}, err
	}
	d, err := time.ParseInLocation(time.DateOnly, value, loc)
	if err != nil {
		return time.Time{}, invalidField(field, CodeBadValue,
			"%s %q is neither a date (2014-11-30) nor a date-time (2014-11-30T18:00:00+08:00)", field, value)
	}
	if end {
		d = d.AddDate(0, 0, 1).Add(-time.Microsecond)
	}
	return d, nil
}

// loadZone loads an IANA time zone, or explains which one is unknown.
func loadZone(tz string) (*time.Location, error) {
	if tz == "" {
		tz = DefaultTimeZone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, invalidField("time_zone", CodeBadValue, "time zone %q is not an IANA zone such as Asia/Shanghai", tz)
	}
	return loc, nil
}

// Extension is a pilot's later due date in a cycle, granted by the ministry.
type Extension struct {
	CycleID int64     `json:"cycle_id"`
	PilotID int64     `json:"pilot_id"`
	DueAt   time.Time `json:"due_at"`
	Reason  string    `json:"reason"`
}

// CycleEvent is a recorded decision on a cycle: a publication despite
// submissions awaiting a decision ("publish_override"), a retraction
// ("retract"), or an extension ("extension", with PilotID and DueAt).
type CycleEvent struct {
	ID      int64      `json:"id"`
	CycleID int64      `json:"cycle_id"`
	Kind    string     `json:"kind" enum:"publish_override,retract,extension"`
	PilotID int64      `json:"pilot_id,omitempty"`
	DueAt   *time.Time `json:"due_at,omitempty"`
	Reason  string     `json:"reason"`
	Actor   string     `json:"actor"`
	At      time.Time  `json:"at"`
}

// The kinds of CycleEvent.
const (
	EventPublishOverride = "publish_override"
	EventRetract         = "retract"
	EventExtension       = "extension"
)

// OverduePilot is a pilot whose submission was not submitted by its due
// date (the cycle's, or its extension's).
type OverduePilot struct {
	PilotID      int64           `json:"pilot_id"`
	PilotName    string          `json:"pilot_name"`
	RegionCode   string          `json:"region_code"`
	SubmissionID int64           `json:"submission_id"`
	State        SubmissionState `json:"state"`
	DueAt        time.Time       `json:"due_at"`
	Extended     bool            `json:"extended"`
}

// lateError is the refusal of a submission after its due date.
func lateError(c Cycle, due time.Time, extended bool) *Error {
	loc, _ := loadZone(c.TimeZone)
	what := "the cycle's due date"
	if extended {
		what = "the pilot's extension"
	}
	return &Error{Kind: Conflict, Code: CodePastDue, Current: c,
		Message: fmt.Sprintf("cycle %d: %s was %s: a late submission needs an extension from the ministry",
			c.ID, what, due.In(loc).Format("2006-01-02 15:04 MST"))}
}
