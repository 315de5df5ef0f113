package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/sceval/sceval/platform"
)

// formState is what a form page needs besides its data: the values typed
// (shown again after a refusal, passwords excepted), the errors by field
// ("" is the form's own message), the problems of a file by line, and the
// message of a success.
type formState struct {
	Values  url.Values
	Errors  map[string]string
	Details []platform.ErrorDetail
	Done    string
}

// V returns the value typed into field.
func (f formState) V(field string) string { return f.Values.Get(field) }

// Err returns the message next to field ("" for none).
func (f formState) Err(field string) string { return f.Errors[field] }

// Failed reports whether the form was refused.
func (f formState) Failed() bool { return len(f.Errors) > 0 }

// fieldAliases map the fields the service names to the inputs of the
// pages that differ from them.
var fieldAliases = map[string]string{"expires_in": "expires_in_days"}

// refusal turns a service error into the form's messages: a
// *platform.Error next to its field (or at the top), a throttled login
// with its wait. ok is false for an internal failure, which the caller
// renders as the 500 page.
func refusal(l catalogue, err error) (errs map[string]string, details []platform.ErrorDetail, ok bool) {
	var throttled *platform.LoginThrottled
	if errors.As(err, &throttled) {
		secs := int((throttled.RetryAfter.Seconds()) + 0.999)
		return map[string]string{"": l.F("admin.login.throttled", secs)}, nil, true
	}
	var pe *platform.Error
	if !errors.As(err, &pe) {
		return nil, nil, false
	}
	field := pe.Field
	if a, ok := fieldAliases[field]; ok {
		field = a
	}
	if len(pe.Details) > 0 && field != "file" {
		field = "" // the summary above the list of problems
	}
	return map[string]string{field: errorText(l, pe)}, pe.Details, true
}

// errorText is a service error in the page's language: the catalogue's
// sentence for its code where there is one, followed by the service's own
// message, which names the value, line or object concerned.
func errorText(l catalogue, pe *platform.Error) string {
	key := "admin.err." + pe.Code
	if _, known := messages()[key]; !known {
		if len(pe.Details) > 0 { // the details list every problem below
			return l.F("admin.err.problems", len(pe.Details))
		}
		return pe.Message
	}
	msg := l.T(key)
	if len(pe.Details) > 0 {
		return msg
	}
	detail := serviceDetail(pe.Message)
	if alt, ok := englishDetail[pe.Code]; ok && l.lang == "en" && hasHan(detail) {
		detail = l.T(alt) // the service words these only in Chinese
	}
	if detail != "" && detail != msg {
		if strings.HasSuffix(msg, "：") {
			return msg + detail
		}
		return msg + " " + detail
	}
	return msg
}

// englishDetail names, by code, the catalogue sentence shown in English
// instead of a service message written only in Chinese.
var englishDetail = map[string]string{"weak_password": "admin.password.policy"}

// hasHan reports whether s contains Chinese characters.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// serviceDetail is the part of a service message worth repeating after the
// catalogue's sentence: the whole message, except those that are only a
// bilingual restatement "中文 (english)" of the code.
func serviceDetail(msg string) string {
	if strings.HasSuffix(msg, ")") && strings.Contains(msg, " (") && !strings.ContainsAny(msg, "0123456789:") {
		return ""
	}
	return msg
}

// statusOf is the HTTP status of a page showing a service error: what the
// API would answer for it (every area uses it); an error that is not the
// service's refusal is a server error.
func statusOf(err error) int {
	var throttled *platform.LoginThrottled
	if errors.As(err, &throttled) {
		return http.StatusTooManyRequests
	}
	switch platform.ErrorKindOf(err) {
	case platform.Invalid:
		return http.StatusUnprocessableEntity
	case platform.NotFound:
		return http.StatusNotFound
	case platform.Conflict:
		return http.StatusConflict
	case platform.Forbidden:
		return http.StatusForbidden
	case platform.Unauthenticated:
		return http.StatusUnauthorized
	case platform.TooLarge:
		return http.StatusRequestEntityTooLarge
	case platform.Unsupported:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// invalid is a refusal of the page itself (a field it could not parse),
// shaped as the service's so that it shows next to the field.
func invalid(field, format string, args ...any) error {
	return &platform.Error{Kind: platform.Invalid, Code: "admin_input", Field: field, Message: fmt.Sprintf(format, args...)}
}

// localPath returns next if it is a path on this site ("/…", not "//…"
// nor "/\…", which browsers treat as another host), else "".
func localPath(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	if strings.ContainsAny(next, "\r\n\t") {
		return ""
	}
	return next
}

// seeOther redirects a POST to the page that shows its outcome, with an
// optional notice (a catalogue key) the page displays once.
func seeOther(w http.ResponseWriter, r *http.Request, target, notice string) {
	path, fragment, hasFragment := strings.Cut(target, "#")
	if notice != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "done=" + url.QueryEscape(notice)
	}
	if hasFragment {
		path += "#" + fragment
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// doneNotice is the success message named by ?done= (only catalogue keys
// of this area, so a link cannot put arbitrary text on a page).
func doneNotice(r *http.Request, l catalogue) string {
	key := r.URL.Query().Get("done")
	if !strings.HasPrefix(key, "admin.done.") {
		return ""
	}
	if _, ok := messages()[key]; !ok {
		return ""
	}
	return l.T(key)
}
