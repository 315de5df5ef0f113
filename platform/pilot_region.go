package platform

import (
	"strings"

	"github.com/sceval/sceval/region"
)

// Region codes are accepted in every form people write them — the
// registry's short codes (32, 3205, 320583, 320583101), the six-digit
// GB/T 2260 forms (320000, 320500) and the twelve-digit statistical form
// (320583101000) — and stored and returned in one: region.GBCode's (six
// digits down to the county, nine for a town or subdistrict).

// regionFit is the level a pilot's region has and whether it is a city by
// name (a municipality or a county-level city, whose names end in 市).
type regionFit struct {
	level  int
	cityly bool
}

// canonicalRegion returns code in the canonical form and how it fits pilot
// types. With a registry the code must exist there; without one only its
// shape is checked (and a six-digit county code may be a county-level city).
func (s *Service) canonicalRegion(code string) (string, regionFit, error) {
	code = strings.TrimSpace(code)
	if s.opts.Regions != nil {
		reg, ok := s.opts.Regions.Resolve(code)
		if !ok {
			if shapeLevel(code) == 0 {
				return "", regionFit{}, badRegionShape(code)
			}
			return "", regionFit{}, invalidField("region_code", CodeBadValue,
				"region code %s is not in the administrative-division registry", code)
		}
		return region.GBCode(reg.Code), regionFit{level: reg.Level, cityly: strings.HasSuffix(reg.Name, "市")}, nil
	}
	level := shapeLevel(code)
	if level == 0 {
		return "", regionFit{}, badRegionShape(code)
	}
	canon := region.GBCode(code)
	if len(code) == 12 {
		canon = code[:9]
	}
	if len(canon) == 6 {
		// 320000 is a province and 320500 a prefecture in GB/T 2260.
		switch {
		case strings.HasSuffix(canon, "0000"):
			level = region.Province
		case strings.HasSuffix(canon, "00"):
			level = region.Prefecture
		}
	}
	return canon, regionFit{level: level, cityly: level == region.County || level == region.Province}, nil
}

// shapeLevel returns the level a code's length implies (2, 4, 6, 9 digits,
// or 12 digits ending in 000 for a town), or 0 when no form has that shape.
func shapeLevel(code string) int {
	if len(code) == 12 && strings.HasSuffix(code, "000") {
		return region.LevelOf(code[:9])
	}
	return region.LevelOf(code)
}

// badRegionShape is the error for a code of no accepted form.
func badRegionShape(code string) *Error {
	return invalidField("region_code", CodeBadValue,
		"region code %q is not an administrative-division code: write the GB/T 2260 code (6 digits, e.g. 320583 or 320500), "+
			"a town's 9- or 12-digit statistical code, or the registry's 2- or 4-digit code (32, 3205)", code)
}

// fitsType reports whether a pilot of type t may be a region of this fit: a
// city is a prefecture-level city, a municipality or a county-level city
// (名 …市); a district is a county-level division (区, 县, 旗, 县级市 too);
// a town is a town, township or subdistrict.
func (f regionFit) fitsType(t PilotType) bool {
	switch t {
	case PilotCity:
		return f.level == region.Prefecture || (f.level == region.Province || f.level == region.County) && f.cityly
	case PilotDistrict:
		return f.level == region.County
	case PilotTown:
		return f.level == region.Town
	}
	return false
}

// levelWords names a region level for messages.
var levelWords = map[int]string{
	region.Province: "a province-level division", region.Prefecture: "a prefecture-level city",
	region.County: "a county-level division", region.Town: "a town or subdistrict",
}

// typeMismatch is the error for a pilot type its region cannot have.
func typeMismatch(code string, f regionFit, t PilotType) *Error {
	want := map[PilotType]string{
		PilotCity:     "a prefecture-level city, a municipality or a county-level city (…市)",
		PilotDistrict: "a county-level division (district, county)",
		PilotTown:     "a town, township or subdistrict (9-digit code)",
	}[t]
	return invalidField("type", CodeBadValue, "region %s is %s, so the pilot cannot be of type %s, which needs %s",
		code, levelWords[f.level], t, want)
}

// provinceCode resolves a province filter written as a two-digit code
// (32), a six-digit code (320000), a name (江苏省) or its short form (江苏)
// to the two-digit code pilots carry. field names the parameter in errors.
func (s *Service) provinceCode(field, q string) (string, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return "", nil
	}
	if region.LevelOf(q) == region.Province || len(q) == 6 && strings.HasSuffix(q, "0000") && region.LevelOf(q) != 0 {
		code := q[:2]
		if s.opts.Regions != nil {
			if reg, ok := s.opts.Regions.Resolve(code); !ok || reg.Level != region.Province {
				return "", invalidField(field, CodeBadValue, "%s %q is not a province code", field, q)
			}
		}
		return code, nil
	}
	if s.opts.Regions != nil {
		for _, p := range s.opts.Regions.Children("") {
			if p.Name == q || strings.HasPrefix(p.Name, q) && len([]rune(q)) >= 2 {
				return p.Code, nil
			}
		}
	}
	return "", invalidField(field, CodeBadValue,
		"%s %q is neither a province code (32 or 320000) nor a province name (江苏省 or 江苏)", field, q)
}
