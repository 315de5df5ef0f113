package report

import (
	"strings"

	"github.com/sceval/sceval/region"
)

// PilotRegion is a region as a person reads it, its chain of names from
// the province down (河北省 › 石家庄市); the code itself when the registry
// is nil or does not know it.
func PilotRegion(reg *region.Registry, code string) string {
	if reg == nil {
		return code
	}
	r, ok := reg.Resolve(code)
	if !ok {
		return code
	}
	var names []string
	for _, c := range reg.Chain(r.Code) {
		names = append(names, c.Name)
	}
	return strings.Join(names, " › ")
}
