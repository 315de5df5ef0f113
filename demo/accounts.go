package demo

import (
	"context"
	"fmt"
	"runtime"

	"github.com/sceval/sceval/platform"
)

// Account is a demo account with its known password.
type Account struct {
	Username string
	Password string
	Role     platform.Role
	// Province is a province account's province (two-digit code).
	Province string
	// Pilot is a pilot account's pilot (its name; Lookup gives the id).
	Pilot string
	// About says what the account is for in the story (English).
	About string
}

// The demo's passwords, one per role: public by design.
const (
	adminPassword    = "admin-demo-2013"
	ministryPassword = "ministry-demo-2013"
	provincePassword = "province-demo-2013"
	pilotPassword    = "pilot-demo-2013"
	expertPassword   = "expert-demo-2013"
)

// mainPilots are the main province's pilots in FirstBatch order: [0] has
// the open draft, [1] awaits the province, [2] is returned, [3] awaits the
// ministry, [4] is accepted (see mainRoles).
func mainPilots() []Pilot {
	var out []Pilot
	for _, p := range FirstBatch() {
		if p.RegionCode[:2] == MainProvince() {
			out = append(out, p)
		}
	}
	return out
}

// Accounts returns the demo accounts Seed creates, the first of each role
// being the one to use (AccountFor): demo-admin, demo-ministry,
// demo-province (MainProvince), demo-province-2 (SecondProvince),
// demo-pilot (the open draft), demo-pilot-2 (the returned submission),
// demo-pilot-3 (accepted, with stars in the final acceptance), and
// demo-expert-1 to demo-expert-3 (the fictional experts of both rounds).
func Accounts() []Account {
	mp := mainPilots()
	out := []Account{
		{"demo-admin", adminPassword, platform.RoleAdmin, "", "", "administration: users, frameworks, cycles, pilots, experts, audit"},
		{"demo-ministry", ministryPassword, platform.RoleMinistry, "", "", "the ministry: accepts forwarded submissions, computes and publishes"},
		{"demo-province", provincePassword, platform.RoleProvince, MainProvince(), "", "first review of its province's pilots (queue: submitted)"},
		{"demo-province-2", provincePassword, platform.RoleProvince, SecondProvince(), "", "another province"},
		{"demo-pilot", pilotPassword, platform.RolePilot, "", mp[0].Name, "the open cycle's draft: some indicators filled, some empty"},
		{"demo-pilot-2", pilotPassword, platform.RolePilot, "", mp[2].Name, "returned with a reason and per-indicator comments"},
		{"demo-pilot-3", pilotPassword, platform.RolePilot, "", mp[4].Name, "accepted; stars in the final acceptance"},
	}
	for _, d := range demoExperts[:3] {
		out = append(out, Account{d.username, expertPassword, platform.RoleExpert, "", "", "expert " + d.name + ": reviews in both rounds"})
	}
	return out
}

// AccountFor returns the demo account to use for role: demo-admin,
// demo-ministry, demo-province, demo-pilot or demo-expert-1.
func AccountFor(role platform.Role) (Account, bool) {
	for _, a := range Accounts() {
		if a.Role == role {
			return a, true
		}
	}
	return Account{}, false
}

// createAccounts creates the accounts of Accounts. Demo passwords need no
// change at the first login.
func createAccounts(ctx context.Context, svc *platform.Service) error {
	ids := map[string]int64{}
	pilots, _, err := svc.ListPilots(ctx, platform.PilotFilter{Limit: 1000})
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	for _, p := range pilots {
		ids[p.Name] = p.ID
	}
	var jobs []func() error
	for _, a := range Accounts() {
		nu := platform.NewUser{Username: a.Username, Role: a.Role, Province: a.Province, Password: a.Password}
		if a.Pilot != "" {
			nu.PilotID = ids[a.Pilot]
		}
		jobs = append(jobs, func() error {
			if _, err := svc.CreateUser(ctx, nu); err != nil {
				return fmt.Errorf("demo account %s: %w", nu.Username, err)
			}
			return nil
		})
	}
	// Hashing the passwords (argon2id) is most of the work: use the cores.
	return parallel(runtime.GOMAXPROCS(0), jobs)
}
