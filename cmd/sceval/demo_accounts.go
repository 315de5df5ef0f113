package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/sceval/sceval/platform"
)

// demoAccount is one account created for the demo.
type demoAccount struct {
	user     platform.User
	password string
	note     string
}

// createDemoAccounts creates one account per role on the demo data —
// admin, ministry, the two provinces with the most pilots, three pilots
// (two of the first province, one of the second) and three experts (the
// demo's first three experts, by user name) — with
// random passwords, printed once. Demo accounts need no password change.
func createDemoAccounts(ctx context.Context, svc *platform.Service, out io.Writer) error {
	ctx = platform.WithIdentity(ctx, platform.Identity{User: "demo", Roles: []string{string(platform.RoleAdmin)}})
	pilots, _, err := svc.ListPilots(ctx, platform.PilotFilter{Limit: 1000})
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	byProvince := map[string][]platform.Pilot{}
	for _, p := range pilots {
		byProvince[p.ProvinceCode] = append(byProvince[p.ProvinceCode], p)
	}
	provinces := make([]string, 0, len(byProvince))
	for code := range byProvince {
		provinces = append(provinces, code)
	}
	slices.SortFunc(provinces, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(byProvince[b]), len(byProvince[a])), cmp.Compare(a, b))
	})
	if len(provinces) < 2 || len(byProvince[provinces[0]]) < 2 {
		return fmt.Errorf("demo accounts: the demo needs two provinces with pilots")
	}
	specs := []platform.NewUser{
		{Username: "demo-admin", Role: platform.RoleAdmin},
		{Username: "demo-ministry", Role: platform.RoleMinistry},
		{Username: "demo-province-" + provinces[0], Role: platform.RoleProvince, Province: provinces[0]},
		{Username: "demo-province-" + provinces[1], Role: platform.RoleProvince, Province: provinces[1]},
	}
	for _, p := range []platform.Pilot{byProvince[provinces[0]][0], byProvince[provinces[0]][1], byProvince[provinces[1]][0]} {
		specs = append(specs, platform.NewUser{Username: fmt.Sprintf("demo-pilot-%d", p.ID), Role: platform.RolePilot, PilotID: p.ID})
	}
	for i := 1; i <= 3; i++ {
		specs = append(specs, platform.NewUser{Username: fmt.Sprintf("demo-expert-%d", i), Role: platform.RoleExpert})
	}
	names := map[int64]string{}
	for _, p := range pilots {
		names[p.ID] = p.Name
	}
	// The demo's experts carry the demo-expert-N user names (demo package):
	// each expert account acts as that expert and sees its reviews.
	experts, _, err := svc.ListExperts(ctx, platform.ExpertFilter{Limit: 1000})
	if err != nil {
		return fmt.Errorf("demo accounts: %w", err)
	}
	expertNames := map[string]string{}
	for _, e := range experts {
		expertNames[e.Username] = e.Name
	}
	var made []demoAccount
	for _, nu := range specs {
		nu.Password = platform.RandomPassword()
		u, err := svc.CreateUser(ctx, nu)
		if err != nil {
			return fmt.Errorf("demo account %s: %w", nu.Username, err)
		}
		note := ""
		switch {
		case u.Province != "":
			note = "province " + u.Province
		case u.PilotID != 0:
			note = names[u.PilotID]
		case u.Role == platform.RoleExpert:
			note = expertNames[u.Username]
		}
		made = append(made, demoAccount{user: u, password: nu.Password, note: note})
	}
	printDemoAccounts(out, made)
	return nil
}

// printDemoAccounts prints the demo accounts and their passwords, once.
func printDemoAccounts(out io.Writer, accounts []demoAccount) {
	fmt.Fprintln(out, "demo accounts (passwords shown only now; log in at /login or POST /api/v1/auth/login):")
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, a := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", a.user.Username, a.password, a.user.Role, a.note)
	}
	tw.Flush()
}
