package ui

import (
	"errors"
	"net/http"

	"github.com/sceval/sceval/platform"
)

// entryFieldMessages map a service error's field and code to the catalogue
// message shown next to that field.
var entryFieldMessages = map[[2]string]string{
	{"value", platform.CodeOutOfRange}:             "entry.err.value_range",
	{"value", platform.CodeBadValue}:               "entry.err.value_bad",
	{"level", platform.CodeOutOfRange}:             "entry.err.level",
	{"level", platform.CodeBadValue}:               "entry.err.level",
	{"narrative", platform.CodeOutOfRange}:         "entry.err.narrative_long",
	{"narrative", platform.CodeReasonRequired}:     "entry.err.na_reason",
	{"not_applicable", platform.CodeNotApplicable}: "entry.err.na_refused",
	{"not_applicable", platform.CodeBadValue}:      "entry.err.na_value",
	{"unit", platform.CodeBadValue}:                "entry.err.unit",
	{"file", platform.CodeUnsupportedType}:         "entry.err.file_type",
	{"file", platform.CodeTooLarge}:                "entry.err.file_large",
	{"file", platform.CodeEvidenceQuota}:           "entry.err.file_quota",
	{"file", platform.CodeRequired}:                "entry.err.file_empty",
}

// entryCodeMessages map an error code without a field of its own to the
// message shown for the indicator or at the top of the form.
var entryCodeMessages = map[string]string{
	platform.CodeNotEditable:        "entry.err.not_editable",
	platform.CodeCycleNotOpen:       "entry.err.cycle_not_open",
	platform.CodeStaleVersion:       "entry.err.stale_submission",
	platform.CodePastDue:            "entry.err.past_due",
	platform.CodeIncomplete:         "entry.err.incomplete",
	platform.CodePilotInactive:      "entry.err.pilot_inactive",
	platform.CodeDuplicate:          "entry.err.duplicate",
	platform.CodeBadStateTransition: "entry.err.bad_transition",
	"forbidden":                     "entry.err.forbidden",
}

// entryField is the form field a service error concerns ("" for the
// indicator or the page as a whole).
func entryField(err error) string {
	var pe *platform.Error
	if !errors.As(err, &pe) {
		return ""
	}
	if _, ok := entryFieldMessages[[2]string{pe.Field, pe.Code}]; ok {
		return pe.Field
	}
	return ""
}

// entryErrorText is the message of a service error in the page's language:
// a catalogue message for the errors a pilot can meet (with the indicator's
// valid range for a value out of range), else the service's own message,
// which names the object and field (the page around it says which state,
// date or leaves are concerned).
func (h *Handler) entryErrorText(l catalogue, it *entryItem, err error) string {
	var pe *platform.Error
	if !errors.As(err, &pe) {
		return l.T("error.internal_text")
	}
	if key, ok := entryFieldMessages[[2]string{pe.Field, pe.Code}]; ok {
		switch {
		case key == "entry.err.value_range" && it != nil:
			return l.F(key, it.Input.Value, it.Range)
		case key == "entry.err.file_large":
			return l.F(key, h.maxUpload()>>20)
		case key == "entry.err.value_range":
			return l.T("entry.err.value_bad")
		}
		return l.T(key)
	}
	if key, ok := entryCodeMessages[pe.Code]; ok {
		return l.T(key)
	}
	return pe.Message
}

// entryFail renders err like Handler.fail, except a refusal of the
// identity (forbidden, e.g. an account that must change its password
// first): a 403 page that says so instead of a server error.
func (h *Handler) entryFail(w http.ResponseWriter, r *http.Request, pg page, err error, notFound string) {
	if k := platform.ErrorKindOf(err); k == platform.Forbidden || k == platform.Unauthenticated {
		h.entryRefused(w, r, pg, err)
		return
	}
	h.fail(w, r, pg, err, notFound)
}
