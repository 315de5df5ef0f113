package engine

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/sceval/sceval/framework"
)

// yaml.v3 words its decoding errors in Go terms ("field normalisaton not
// found in type engine.Scheme", "cannot unmarshal !!str `abc` into
// float64"); a scheme's author knows the file, not the Go types, so
// schemeMessage rewords them in the file's terms.
var (
	reUnknownField = regexp.MustCompile(`^field (\S+) not found in type \S*?\.?(\w+)$`)
	reCannotDecode = regexp.MustCompile("^cannot unmarshal !!(\\w+) `(.*)` into (\\S+)$")
)

// schemeTypes are the scheme's YAML mapping types by Go name, to list their
// fields for suggestions.
var schemeTypes = map[string]reflect.Type{
	"Scheme":         reflect.TypeFor[Scheme](),
	"Imputation":     reflect.TypeFor[Imputation](),
	"Outliers":       reflect.TypeFor[Outliers](),
	"Normalisation":  reflect.TypeFor[Normalisation](),
	"Weighting":      reflect.TypeFor[Weighting](),
	"EntropyVariant": reflect.TypeFor[EntropyVariant](),
	"CRITICVariant":  reflect.TypeFor[CRITICVariant](),
	"PCAVariant":     reflect.TypeFor[PCAVariant](),
	"Aggregation":    reflect.TypeFor[Aggregation](),
	"FuzzyGrade":     reflect.TypeFor[FuzzyGrade](),
	"Rating":         reflect.TypeFor[Rating](),
	"StarThreshold":  reflect.TypeFor[StarThreshold](),
	"Override":       reflect.TypeFor[Override](),
}

// schemeMessage rewords one yaml.v3 message; other messages are returned
// unchanged.
func schemeMessage(msg string) string {
	if m := reUnknownField.FindStringSubmatch(msg); m != nil {
		out := "unknown field " + strconv.Quote(m[1])
		if t, ok := schemeTypes[m[2]]; ok {
			fields := yamlFields(t)
			if s := framework.Suggest(m[1], fields); s != "" {
				out += " (did you mean " + strconv.Quote(s) + "?)"
			} else {
				out += " (known fields: " + strings.Join(fields, ", ") + ")"
			}
		}
		return out
	}
	if m := reCannotDecode.FindStringSubmatch(msg); m != nil {
		return strconv.Quote(m[2]) + " is not " + yamlTypeWant(m[3])
	}
	return msg
}

// yamlTypeWant says in words what a Go type accepts.
func yamlTypeWant(goType string) string {
	switch {
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "a text value"
	case strings.HasPrefix(goType, "map"):
		return "a mapping (key: value)"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a mapping of fields"
}

// yamlFields lists the YAML field names of a struct type.
func yamlFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}
