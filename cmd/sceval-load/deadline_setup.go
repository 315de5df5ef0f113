package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/web"
)

// deadlineFixture is the world of deadline day: this year's open cycle the
// pilots are finishing, last year's closed cycle whose forwarded
// submissions the experts score, and the logged-in users.
type deadlineFixture struct {
	pilots []platform.Pilot
	leaves []web.IndicatorRow
	// current is the open cycle; subs[i] is pilots[i]'s submission in it.
	current int64
	subs    []int64
	// review is last year's cycle, closed, with results computed from
	// its accepted half; reviewSubs[i] is pilots[i]'s submission in it.
	review     int64
	reviewSubs []int64
	// pilotUsers[u] is logged in as the pilot account of pilots[u%len].
	pilotUsers []*client
	experts    []*client
	managers   []manager
}

// manager is a ministry or province user reading dashboards.
type manager struct {
	c *client
	// province is the province a province user is bound to ("" for the
	// ministry).
	province string
	// pilots are the pilots whose scorecards the manager reads: last
	// year's accepted pilots, of the province for a province user.
	pilots []platform.Pilot
}

// deadlinePassword is every generated account's password: the accounts
// live only in the generator's temporary database.
const deadlinePassword = "load-generator-password-2014"

// expertsPerSubmission is k, the panel size of last year's review.
const expertsPerSubmission = 3

// setupDeadline builds the world through the API as the administrator (c),
// creating the accounts with svc (the API has no account creation), and
// logs every user in through the API as a browser does.
func setupDeadline(ctx context.Context, c *client, svc *platform.Service, regions *region.Registry, cfg config) (*deadlineFixture, error) {
	pilots, err := importPilots(ctx, c, regions, cfg.pilots)
	if err != nil {
		return nil, err
	}
	fx := &deadlineFixture{pilots: pilots}
	var leaves web.ListBody[web.IndicatorRow]
	if _, err := c.do(ctx, "GET", "/api/v1/frameworks/mohurd-2012/indicators?leaf=true", "", nil, &leaves); err != nil {
		return nil, fmt.Errorf("read leaves: %w", err)
	}
	fx.leaves = leaves.Items
	batch := pilots[0].Batch
	if err := setupReviewCycle(ctx, c, fx, cfg, "上年度监测 "+batch); err != nil {
		return nil, fmt.Errorf("last year's cycle: %w", err)
	}
	// This year's cycle is due in two hours: deadline day.
	due := time.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	if fx.current, err = openCycle(ctx, c, web.CycleFields{Name: "本年度监测 " + batch, Kind: "annual_monitoring",
		Year: 2014, FrameworkID: "mohurd-2012", DueAt: due}); err != nil {
		return nil, err
	}
	if fx.subs, err = createSubmissions(ctx, c, fx.current, pilotIDs(pilots)); err != nil {
		return nil, err
	}
	// Most of the data was entered on earlier days.
	if err := importEntries(ctx, c, fx.current, pilots, fx.leaves, 0); err != nil {
		return nil, err
	}
	if err := createAccounts(ctx, c, svc, fx, regions, cfg); err != nil {
		return nil, err
	}
	return fx, nil
}

// openCycle creates a cycle and opens it.
func openCycle(ctx context.Context, c *client, f web.CycleFields) (int64, error) {
	var cycle platform.Cycle
	if _, err := c.do(ctx, "POST", "/api/v1/cycles", "", f, &cycle); err != nil {
		return 0, fmt.Errorf("create cycle %s: %w", f.Name, err)
	}
	if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/cycles/%d/transition", cycle.ID), "",
		web.CycleTransition{To: "open", Version: cycle.Version}, &cycle); err != nil {
		return 0, fmt.Errorf("open cycle %s: %w", f.Name, err)
	}
	return cycle.ID, nil
}

// setupReviewCycle runs last year's cycle up to the expert review: every
// pilot filled in and submitted, the province forwarded, the cycle closed,
// the ministry accepted every other submission and computed results, and
// k experts were assigned to each submission (assignExperts, after the
// experts exist).
func setupReviewCycle(ctx context.Context, c *client, fx *deadlineFixture, cfg config, name string) error {
	var err error
	if fx.review, err = openCycle(ctx, c, web.CycleFields{Name: name, Kind: "annual_monitoring", Year: 2013, FrameworkID: "mohurd-2012"}); err != nil {
		return err
	}
	if fx.reviewSubs, err = createSubmissions(ctx, c, fx.review, pilotIDs(fx.pilots)); err != nil {
		return err
	}
	if err := importEntries(ctx, c, fx.review, fx.pilots, fx.leaves, 1); err != nil {
		return err
	}
	for _, to := range []string{"submitted", "forwarded"} {
		if err := transitionAll(ctx, c, fx.reviewSubs, to, func(int) bool { return true }); err != nil {
			return err
		}
	}
	var cycle platform.Cycle
	if _, err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/cycles/%d", fx.review), "", nil, &cycle); err != nil {
		return err
	}
	if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/cycles/%d/transition", fx.review), "",
		web.CycleTransition{To: "closed", Version: cycle.Version}, &cycle); err != nil {
		return fmt.Errorf("close cycle %d: %w", fx.review, err)
	}
	if err := transitionAll(ctx, c, fx.reviewSubs, "accepted", func(i int) bool { return i%2 == 0 }); err != nil {
		return err
	}
	if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/cycles/%d/results", fx.review), "", nil, nil); err != nil {
		return fmt.Errorf("compute results of cycle %d: %w", fx.review, err)
	}
	var rs platform.ReviewSettings
	if _, err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/cycles/%d/review-settings", fx.review), "", nil, &rs); err != nil {
		return err
	}
	rs.ExpertsPerSubmission, rs.Blind = min(expertsPerSubmission, max(1, cfg.experts)), true
	if _, err := c.do(ctx, "PUT", fmt.Sprintf("/api/v1/cycles/%d/review-settings", fx.review), "", rs, nil); err != nil {
		return fmt.Errorf("review settings of cycle %d: %w", fx.review, err)
	}
	return nil
}

// importEntries fills every leaf of every pilot's submission in a cycle
// with one CSV import, as a province's bulk upload does.
func importEntries(ctx context.Context, c *client, cycleID int64, pilots []platform.Pilot, leaves []web.IndicatorRow, variant int) error {
	var csv strings.Builder
	csv.WriteString("pilot_id,code,value,level,narrative\n")
	for i, p := range pilots {
		for j, l := range leaves {
			value, level := "", ""
			if l.Kind == "rubric" && len(l.Rubric) > 0 {
				level = fmt.Sprint(1 + (i+j+variant)%len(l.Rubric))
			} else {
				value = fmt.Sprintf("%.1f", float64((i*7+j*13+variant*29)%1000)/10)
			}
			fmt.Fprintf(&csv, "%d,%s,%s,%s,前期已填报的数据\n", p.ID, l.Code, value, level)
		}
	}
	body, ctype, err := multipartFile("entries.csv", []byte(csv.String()))
	if err != nil {
		return err
	}
	var rep platform.EntryImportReport
	if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/cycles/%d/entries/import", cycleID), ctype, body, &rep); err != nil {
		return fmt.Errorf("import entries of cycle %d: %w", cycleID, err)
	}
	if !rep.OK() || rep.Applied != len(pilots)*len(leaves) {
		return fmt.Errorf("import entries of cycle %d: %d of %d rows applied, %d errors (first: %+v)",
			cycleID, rep.Applied, len(pilots)*len(leaves), rep.ErrorCount, rep.Errors[:min(1, len(rep.Errors))])
	}
	return nil
}

// multipartFile is a multipart/form-data body with one file in the field
// "file", and its content type.
func multipartFile(name string, content []byte) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return nil, "", err
	}
	if _, err := fw.Write(content); err != nil {
		return nil, "", err
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), mw.FormDataContentType(), nil
}

// transitionAll moves the chosen submissions to state to, 16 at a time.
func transitionAll(ctx context.Context, c *client, subs []int64, to string, chosen func(i int) bool) error {
	return parallel(len(subs), 16, func(i int) error {
		if !chosen(i) {
			return nil
		}
		var s platform.Submission
		if _, err := c.do(ctx, "GET", fmt.Sprintf("/api/v1/submissions/%d", subs[i]), "", nil, &s); err != nil {
			return err
		}
		if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/submissions/%d/transition", subs[i]), "",
			web.SubmissionTransition{To: to, Version: s.Version}, nil); err != nil {
			return fmt.Errorf("move submission %d to %s: %w", subs[i], to, err)
		}
		return nil
	})
}

// parallel runs f(0..n-1) with at most width at once and returns the
// first error.
func parallel(n, width int, f func(i int) error) error {
	errs := make(chan error, n)
	sem := make(chan struct{}, width)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// createAccounts creates the pilot, expert and manager accounts, the
// experts' panel records (provinces spread over the country, so that the
// conflict rule leaves room), assigns the experts to last year's
// submissions, and logs every user in.
func createAccounts(ctx context.Context, c *client, svc *platform.Service, fx *deadlineFixture, regions *region.Registry, cfg config) error {
	admin := platform.WithIdentity(ctx, platform.Identity{User: "sceval-load", Roles: []string{string(platform.RoleAdmin)}})
	provinces := regions.Children("")
	// Scorecards exist for last year's accepted pilots: every other one.
	accepted := map[string][]platform.Pilot{"": nil}
	var pilotProvinces []string
	for i, p := range fx.pilots {
		if _, ok := accepted[p.ProvinceCode]; !ok {
			pilotProvinces = append(pilotProvinces, p.ProvinceCode)
			accepted[p.ProvinceCode] = nil
		}
		if i%2 == 0 {
			accepted[p.ProvinceCode] = append(accepted[p.ProvinceCode], p)
			accepted[""] = append(accepted[""], p)
		}
	}
	type account struct {
		user     platform.NewUser
		province string
	}
	var accounts []account
	for u := range cfg.clients {
		accounts = append(accounts, account{user: platform.NewUser{Username: fmt.Sprintf("load-pilot-%d", u), Role: platform.RolePilot,
			PilotID: fx.pilots[u%len(fx.pilots)].ID}})
	}
	for e := range cfg.experts {
		accounts = append(accounts, account{user: platform.NewUser{Username: fmt.Sprintf("load-expert-%d", e), Role: platform.RoleExpert},
			province: provinces[e%len(provinces)].Code})
	}
	// One manager in four is at the ministry, the others at the pilots'
	// provincial housing departments.
	for m := range cfg.managers {
		nu := platform.NewUser{Username: fmt.Sprintf("load-manager-%d", m), Role: platform.RoleMinistry}
		if m%4 != 0 {
			nu.Role, nu.Province = platform.RoleProvince, pilotProvinces[m%len(pilotProvinces)]
		}
		accounts = append(accounts, account{user: nu})
	}
	// argon2id hashing takes a core for tens of milliseconds: one per core.
	if err := parallel(len(accounts), 2, func(i int) error {
		nu := accounts[i].user
		nu.Password = deadlinePassword
		if _, err := svc.CreateUser(admin, nu); err != nil {
			return err
		}
		if nu.Role != platform.RoleExpert {
			return nil
		}
		_, err := c.do(ctx, "POST", "/api/v1/experts", "", web.ExpertFields{Name: "负载测试专家 " + nu.Username,
			ProvinceCode: accounts[i].province, Organisation: "负载测试", Username: nu.Username}, nil)
		return err
	}); err != nil {
		return fmt.Errorf("create accounts: %w", err)
	}
	if len(fx.reviewSubs) > 0 && cfg.experts > 0 {
		if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/cycles/%d/assignments", fx.review), "", nil, nil); err != nil {
			return fmt.Errorf("assign experts in cycle %d: %w", fx.review, err)
		}
	}
	users := make([]*client, len(accounts))
	if err := parallel(len(accounts), 2, func(i int) error {
		var err error
		users[i], err = login(ctx, c, accounts[i].user.Username)
		return err
	}); err != nil {
		return err
	}
	fx.pilotUsers = users[:cfg.clients]
	fx.experts = users[cfg.clients : cfg.clients+cfg.experts]
	for m, u := range users[cfg.clients+cfg.experts:] {
		province := accounts[cfg.clients+cfg.experts+m].user.Province
		fx.managers = append(fx.managers, manager{c: u, province: province, pilots: accepted[province]})
	}
	return nil
}

// login opens a session as username through POST /api/v1/auth/login and
// returns a client carrying its cookie.
func login(ctx context.Context, c *client, username string) (*client, error) {
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, username, deadlinePassword)
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+"/api/v1/auth/login", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", username, err)
	}
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.Name == web.SessionCookie && ck.Value != "" {
			return c.as(ck.Name + "=" + ck.Value), nil
		}
	}
	return nil, fmt.Errorf("log in %s: status %d, no session cookie", username, res.StatusCode)
}
