package platform

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"
)

// ReviewView is what an expert (or the ministry) sees of one review: the
// review itself and the submission's entries with their evidence. In a
// blind cycle seen by an expert, the pilot is only its Pseudonym: no pilot,
// submission ID, explanation, pilot or region name or code, and evidence
// file names are masked.
type ReviewView struct {
	Review Assignment `json:"review"`
	Blind  bool       `json:"blind"`
	// Masked is true when this view hides the pilot (blind, seen by an
	// expert).
	Masked           bool    `json:"masked"`
	Pseudonym        string  `json:"pseudonym"`
	Pilot            *Pilot  `json:"pilot,omitempty"`
	FrameworkID      string  `json:"framework_id"`
	FrameworkVersion string  `json:"framework_version"`
	Entries          []Entry `json:"entries"`
}

// callerExpert returns the expert the caller acts as — the one whose
// Username is the identity's user name — and whether the caller is an
// expert at all (linked, or holding the "expert" role without a link).
// Experts see only their own reviews, masked in blind cycles.
func (s *Service) callerExpert(ctx context.Context) (*Expert, bool, error) {
	id := IdentityFrom(ctx)
	if id.User != "" {
		es, _, err := s.store.ListExperts(ctx, ExpertFilter{Username: id.User, Limit: 1})
		if err != nil {
			return nil, false, err
		}
		if len(es) == 1 {
			return &es[0], true, nil
		}
	}
	return nil, slices.Contains(id.Roles, "expert"), nil
}

// reviewAccess loads assignment id for the caller: an expert may reach only
// their own reviews (another's answers NotFound, so that its existence does
// not leak). masked reports whether the caller must get the blind view.
func (s *Service) reviewAccess(ctx context.Context, id int64) (a Assignment, rs ReviewSettings, masked bool, err error) {
	e, isExpert, err := s.callerExpert(ctx)
	if err != nil {
		return a, rs, false, err
	}
	a, err = s.store.GetAssignment(ctx, id)
	if err != nil {
		return a, rs, false, err
	}
	if isExpert && (e == nil || e.ID != a.ExpertID) {
		return Assignment{}, rs, false, NotFoundf("review %d does not exist", id)
	}
	rs, err = s.reviewSettings(ctx, a.CycleID)
	if err != nil {
		return a, rs, false, err
	}
	return a, rs, isExpert && rs.Blind, nil
}

// maskAssignment removes from a the fields that would identify the pilot.
func maskAssignment(a Assignment) Assignment {
	a.SubmissionID, a.Explanation, a.OverrideReason = 0, "", ""
	return a
}

// pilotMask replaces a pilot's identifying strings in free text by the
// pseudonym: the pilot's name, its region's name and its region code.
type pilotMask struct {
	pseudonym string
	words     []string
}

// newPilotMask collects the strings to hide for pilot p.
func (s *Service) newPilotMask(p Pilot, pseudonym string) pilotMask {
	words := []string{p.Name, p.RegionCode, shortPlaceName(p.Name)}
	if s.opts.Regions != nil {
		// The region and every region above it (county, city, province):
		// "浙江省" in a narrative narrows a pilot down as much as its name.
		code, seen := p.RegionCode, map[string]bool{}
		for code != "" && !seen[code] {
			seen[code] = true
			r, ok := s.opts.Regions.Resolve(code)
			if !ok {
				break
			}
			words = append(words, r.Code)
			if !genericPlaceNames[r.Name] {
				words = append(words, r.Name, shortPlaceName(r.Name))
			}
			code = r.Parent
		}
	}
	// Longest first, so that a name containing another is replaced whole.
	slices.SortFunc(words, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	var keep []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 2 && !slices.Contains(keep, w) {
			keep = append(keep, w)
		}
	}
	return pilotMask{pseudonym: pseudonym, words: keep}
}

// genericPlaceNames are registry names that name no particular place.
var genericPlaceNames = map[string]bool{"市辖区": true, "县": true, "省直辖县级行政区划": true, "自治区直辖县级行政区划": true}

// placeSuffixes are the administrative suffixes a narrative often drops
// ("宁波" for 宁波市), longest first.
var placeSuffixes = []string{"特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
	"街道办事处", "街道", "新区", "地区", "省", "市", "区", "县", "旗", "盟", "镇", "乡"}

// shortPlaceName is name without its administrative suffix, or "" when
// that would leave fewer than two characters (a one-character word would
// mask far too much).
func shortPlaceName(name string) string {
	for _, suf := range placeSuffixes {
		if short, ok := strings.CutSuffix(name, suf); ok {
			if utf8.RuneCountInString(short) >= 2 {
				return short
			}
			return ""
		}
	}
	return ""
}

// text returns t with every identifying string replaced.
func (m pilotMask) text(t string) string {
	for _, w := range m.words {
		t = strings.ReplaceAll(t, w, m.pseudonym)
	}
	return t
}

// entries returns masked copies of a submission's entries: narratives
// without the pilot's names and codes, evidence under neutral names.
func (m pilotMask) entries(in []Entry) []Entry {
	out := slices.Clone(in)
	for i := range out {
		out[i].Narrative = m.text(out[i].Narrative)
		out[i].Unit = m.text(out[i].Unit) // free text the pilot typed, like the narrative
		out[i].ReturnComment = m.text(out[i].ReturnComment)
		evs := slices.Clone(out[i].Evidence)
		for j := range evs {
			evs[j] = maskEvidence(evs[j])
		}
		out[i].Evidence = evs
	}
	return out
}

// maskEvidence hides an evidence file's names (keeping the extension), its
// submission and who uploaded or deleted it. It copies an allow-list of
// fields rather than clearing known ones, so that a field added to
// Evidence later stays hidden from experts until it is listed here (the
// original name, added after blind review was written, once leaked).
func maskEvidence(ev Evidence) Evidence {
	ext := strings.ToLower(path.Ext(ev.Filename))
	if len(ext) > 10 || strings.ContainsAny(ext, " /\\") {
		ext = ""
	}
	name := fmt.Sprintf("证据-%d%s", ev.ID, ext)
	return Evidence{ID: ev.ID, Code: ev.Code, SHA256: ev.SHA256, Filename: name, OriginalName: name,
		ContentType: ev.ContentType, Size: ev.Size, UploadedAt: ev.UploadedAt, DeletedAt: ev.DeletedAt}
}

// expertError strips the current object from a conflict answered to a
// masked caller (it would carry the unmasked assignment).
func expertError(err error, masked bool) error {
	if e, ok := err.(*Error); ok && masked && e.Current != nil {
		c := *e
		c.Current = nil
		return &c
	}
	return err
}
