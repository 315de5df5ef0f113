package platform

import (
	"github.com/sceval/sceval/region"

	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/sceval/sceval/framework"
)

// DefaultMaxEvidenceSize is the default size limit of one evidence file.
const DefaultMaxEvidenceSize = 50 << 20 // 50 MiB

// ServiceOptions configures a Service. Zero values mean the defaults.
type ServiceOptions struct {
	// MaxEvidenceSize limits one evidence file (default 50 MiB).
	MaxEvidenceSize int64
	// EvidenceQuota bounds each submission's live evidence (zero fields:
	// DefaultEvidenceQuota's).
	EvidenceQuota EvidenceQuota
	// Now returns the current time (default time.Now); tests fix it.
	Now func() time.Time
	// Regions, when set, is the administrative-division registry that
	// pilots' region codes must exist in (GB/T 2260 6-digit codes such as
	// 130100 are resolved to the registry's 1301). Nil skips the check.
	Regions RegionLookup
	// Assignments tells which submissions are assigned to which expert
	// (ScopeAssigned); nil uses the store's experts and assignments, which
	// deny a submission of a blind cycle (reviewAssignments).
	Assignments AssignmentLookup
	// Accounts configures passwords, sessions and login throttling.
	Accounts AccountOptions
}

// RegionLookup finds administrative divisions by code; *region.Registry
// satisfies it.
type RegionLookup interface {
	// Resolve finds a region by a code in any accepted form.
	Resolve(code string) (region.Region, bool)
	// Children returns the regions one level below code ("" for the
	// provinces).
	Children(code string) []region.Region
}

// Service applies the platform's business rules on top of a Store, a
// BlobStore and a FrameworkSource. It is safe for concurrent use.
type Service struct {
	store      Store
	blobs      BlobStore
	frameworks FrameworkSource
	opts       ServiceOptions

	mu    sync.Mutex
	plans map[string]*leafPlan // by framework id + "@" + version
	// subPlans caches each editable submission's leaf plan (SaveEntry).
	subPlans *planCache
	// computes runs result computations one per cycle, a bounded number
	// at once (ComputeResults).
	computes computeFlights
	// logins and addresses throttle failed logins per account and per
	// client address.
	logins, addresses *throttle
}

// NewService returns a Service using the given dependencies.
func NewService(store Store, blobs BlobStore, frameworks FrameworkSource, opts ServiceOptions) *Service {
	if opts.MaxEvidenceSize <= 0 {
		opts.MaxEvidenceSize = DefaultMaxEvidenceSize
	}
	if opts.EvidenceQuota.Files <= 0 {
		opts.EvidenceQuota.Files = DefaultEvidenceQuota.Files
	}
	if opts.EvidenceQuota.Bytes <= 0 {
		opts.EvidenceQuota.Bytes = DefaultEvidenceQuota.Bytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Assignments == nil {
		opts.Assignments = reviewAssignments{store}
	}
	opts.Accounts.setDefaults()
	return &Service{store: store, blobs: blobs, frameworks: frameworks, opts: opts, plans: map[string]*leafPlan{},
		subPlans:  newPlanCache(maxCachedSubmissions),
		logins:    newThrottle(accountFreeFailures, throttleBase, throttleMax),
		addresses: newThrottle(addressFreeFailures, throttleBase, throttleMax)}
}

// now returns the current time in UTC, truncated to microseconds (the
// precision the stores keep), so that returned and re-read objects agree.
func (s *Service) now() time.Time { return s.opts.Now().UTC().Truncate(time.Microsecond) }

// leafPlan is what the service needs to know about a framework's leaves:
// their order (the engine input columns) and each leaf by code.
type leafPlan struct {
	fw     *framework.Framework
	leaves []*framework.Indicator
	index  map[string]int
	// notApplicable holds the leaves a cycle allows to be marked not
	// applicable (naCodes in order); empty in a framework's own plan.
	notApplicable map[string]bool
	naCodes       []string
}

// plan returns the leaf plan of framework id at version, cached: a framework
// is immutable once a cycle uses it.
func (s *Service) plan(id, version string) (*leafPlan, error) {
	key := id + "@" + version
	s.mu.Lock()
	p, ok := s.plans[key]
	s.mu.Unlock()
	if ok {
		return p, nil
	}
	// A plan is looked up once per framework version and cached; the
	// lookup of a published version is one short read, not tied to the
	// request that happens to need it first.
	fw, err := s.lookupFramework(context.Background(), id, version)
	if ErrorKindOf(err) == NotFound && version != "" {
		return nil, Errorf(Conflict, "framework_version_unavailable", "framework %s version %s is not available: %v", id, version, err)
	}
	if err != nil {
		return nil, fmt.Errorf("load framework %s: %w", id, err)
	}
	p = &leafPlan{fw: fw, leaves: fw.Leaves(), index: map[string]int{}}
	for i, l := range p.leaves {
		p.index[l.Code] = i
	}
	s.mu.Lock()
	s.plans[key] = p
	s.mu.Unlock()
	return p, nil
}

// cyclePlan returns the leaf plan of cycle c: its framework's, with the
// leaves the cycle allows to be marked not applicable. Cached like plan
// (the list is part of the key, and frozen once the cycle is open).
func (s *Service) cyclePlan(c Cycle) (*leafPlan, error) {
	p, err := s.plan(c.FrameworkID, c.FrameworkVersion)
	if err != nil || len(c.NotApplicable) == 0 {
		return p, err
	}
	key := c.FrameworkID + "@" + c.FrameworkVersion + "|na:" + strings.Join(c.NotApplicable, ",")
	s.mu.Lock()
	defer s.mu.Unlock()
	if q, ok := s.plans[key]; ok {
		return q, nil
	}
	q := *p
	q.notApplicable, q.naCodes = make(map[string]bool, len(c.NotApplicable)), c.NotApplicable
	for _, code := range c.NotApplicable {
		q.notApplicable[code] = true
	}
	s.plans[key] = &q
	return &q, nil
}

// authorize wraps Authorize's refusal as a Forbidden error.
func authorize(ctx context.Context, action, resource string) error {
	if err := Authorize(ctx, action, resource); err != nil {
		if ErrorKindOf(err) != "" {
			return err
		}
		return &Error{Kind: Forbidden, Code: "forbidden", Message: fmt.Sprintf("%s on %s: %v", action, resource, err)}
	}
	return nil
}

// MaxOffset is the largest list offset the service passes on: larger than
// any list it holds (41,352 towns × 57 indicators is 2.4 M result rows), and
// small enough that offset + limit never overflows an int anywhere below.
const MaxOffset = 1 << 30

// page clamps a limit and offset: limit defaults to 50 and is at most 1000;
// offset is in [0, MaxOffset] (an offset past the end gives an empty page).
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = 50
	}
	return min(limit, 1000), min(max(offset, 0), MaxOffset)
}
