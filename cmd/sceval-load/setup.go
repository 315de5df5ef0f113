package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/web"
)

// fixture is what the load phase works on.
type fixture struct {
	cycleID     int64
	submissions []int64
	leaves      []web.IndicatorRow
}

// setup creates the pilots (one CSV import), an open cycle, one submission
// per pilot, and reads the framework's leaves.
func setup(ctx context.Context, c *client, regions *region.Registry, n int) (*fixture, error) {
	pilots, err := importPilots(ctx, c, regions, n)
	if err != nil {
		return nil, err
	}
	batch := pilots[0].Batch
	var cycle platform.Cycle
	if _, err := c.do(ctx, "POST", "/api/v1/cycles", "", web.CycleFields{Name: "负载测试 " + batch, Kind: "annual_monitoring",
		Year: 2014, FrameworkID: "mohurd-2012"}, &cycle); err != nil {
		return nil, fmt.Errorf("create cycle: %w", err)
	}
	if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/cycles/%d/transition", cycle.ID), "",
		web.CycleTransition{To: "open", Version: cycle.Version}, &cycle); err != nil {
		return nil, fmt.Errorf("open cycle: %w", err)
	}
	subs, err := createSubmissions(ctx, c, cycle.ID, pilotIDs(pilots))
	if err != nil {
		return nil, err
	}
	var leaves web.ListBody[web.IndicatorRow]
	if _, err := c.do(ctx, "GET", "/api/v1/frameworks/mohurd-2012/indicators?leaf=true", "", nil, &leaves); err != nil {
		return nil, fmt.Errorf("read leaves: %w", err)
	}
	return &fixture{cycleID: cycle.ID, submissions: subs, leaves: leaves.Items}, nil
}

// regionCodes returns n real region codes: county-level divisions first,
// then towns.
func regionCodes(regions *region.Registry, n int) []string {
	var out []string
	for _, level := range []int{region.County, region.Town} {
		for offset := 0; len(out) < n; offset += region.MaxLimit {
			items, total := regions.Search(region.Query{Level: level, Limit: region.MaxLimit, Offset: offset})
			for _, r := range items {
				if len(out) < n && (len(r.Code) == 6 || len(r.Code) == 9) {
					out = append(out, r.Code)
				}
			}
			if offset+region.MaxLimit >= total {
				break
			}
		}
	}
	return out
}

// importPilots creates n pilots of a new batch with one CSV import and
// returns them in id order.
func importPilots(ctx context.Context, c *client, regions *region.Registry, n int) ([]platform.Pilot, error) {
	batch := "load-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	codes := regionCodes(regions, n)
	if len(codes) < n {
		return nil, fmt.Errorf("only %d regions available for %d pilots", len(codes), n)
	}
	var csv strings.Builder
	csv.WriteString("region_code,name,batch,type\n")
	for i, code := range codes {
		fmt.Fprintf(&csv, "%s,负载测试试点 %d,%s,district\n", code, i+1, batch)
	}
	if _, err := c.do(ctx, "POST", "/api/v1/pilots/import", "text/csv", []byte(csv.String()), nil); err != nil {
		return nil, fmt.Errorf("import pilots: %w", err)
	}
	return listPilots(ctx, c, batch)
}

func pilotIDs(pilots []platform.Pilot) []int64 {
	ids := make([]int64, len(pilots))
	for i, p := range pilots {
		ids[i] = p.ID
	}
	return ids
}

// listPilots reads the pilots of a batch.
func listPilots(ctx context.Context, c *client, batch string) ([]platform.Pilot, error) {
	var pilots []platform.Pilot
	for offset := 0; ; offset += 1000 {
		var page web.ListBody[platform.Pilot]
		path := fmt.Sprintf("/api/v1/pilots?batch=%s&sort=id&limit=1000&offset=%d", batch, offset)
		if _, err := c.do(ctx, "GET", path, "", nil, &page); err != nil {
			return nil, fmt.Errorf("list pilots: %w", err)
		}
		pilots = append(pilots, page.Items...)
		if len(page.Items) == 0 || len(pilots) >= page.Total {
			return pilots, nil
		}
	}
}

// createSubmissions starts one submission per pilot, 16 at a time.
func createSubmissions(ctx context.Context, c *client, cycleID int64, pilots []int64) ([]int64, error) {
	subs := make([]int64, len(pilots))
	errs := make(chan error, len(pilots))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, pid := range pilots {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var s platform.Submission
			if _, err := c.do(ctx, "POST", fmt.Sprintf("/api/v1/cycles/%d/submissions", cycleID), "",
				web.SubmissionCreate{PilotID: pid}, &s); err != nil {
				errs <- fmt.Errorf("create submission of pilot %d: %w", pid, err)
				return
			}
			subs[i] = s.ID
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return subs, nil
}
