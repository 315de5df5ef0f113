package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

// queuePage is the number of submissions per page of a review queue.
const queuePage = 50

// queueTabs are the queue's tabs: a submission state, or "overdue"
// (draft or returned past the due date).
var queueTabs = []string{"submitted", "forwarded", "returned", "accepted", "draft", "overdue"}

// queueFilter is what the queue shows, read from the query.
type queueFilter struct {
	Tab      string
	Cycle    int64
	Province string
	Type     string
	Batch    string
	Page     int
}

// queueTab is one tab with its count under the other filters.
type queueTab struct {
	Key, Label string
	Count      int
	URL        string
	Current    bool
}

// queueRow is one submission of the queue with its pilot and cycle.
type queueRow struct {
	platform.Submission
	Pilot     platform.Pilot
	Region    string
	CycleName string
	// Deadline is read on the overdue tab only (one more read a row).
	Deadline *platform.SubmissionDeadline
}

// queueData is the content of the review queue.
type queueData struct {
	page
	Filter    queueFilter
	Tabs      []queueTab
	Rows      []queueRow
	Total     int
	Cycles    []platform.Cycle
	Provinces []region.Region
	Types     []string
	Pager     pager
}

// readQueueFilter reads the queue's query; the default tab is what the
// identity decides on: the province's submitted ones, the ministry's
// forwarded ones.
func readQueueFilter(r *http.Request) queueFilter {
	q := r.URL.Query()
	f := queueFilter{Tab: q.Get("tab"), Province: q.Get("province"), Type: q.Get("type"),
		Batch: strings.TrimSpace(q.Get("batch")), Page: pageNumber(r)}
	f.Cycle, _ = strconv.ParseInt(q.Get("cycle"), 10, 64)
	if !validTab(f.Tab) {
		f.Tab = "submitted"
		if platform.MayDo(r.Context(), "submission.accept") && !platform.MayDo(r.Context(), "submission.forward") {
			f.Tab = "forwarded"
		}
	}
	if !platform.PilotType(f.Type).Valid() {
		f.Type = ""
	}
	return f
}

func validTab(t string) bool {
	for _, k := range queueTabs {
		if k == t {
			return true
		}
	}
	return false
}

// submissionFilter is the service's filter for tab under f's other filters.
func (f queueFilter) submissionFilter(tab string) platform.SubmissionFilter {
	sf := platform.SubmissionFilter{CycleID: f.Cycle, Province: f.Province, PilotType: f.Type, Batch: f.Batch}
	if tab == "overdue" {
		sf.Overdue = true
	} else {
		sf.State = tab
	}
	return sf
}

// url links to the queue with f's filters, tab and page.
func (f queueFilter) url(tab string, pageNo int) string {
	q := url.Values{}
	q.Set("tab", tab)
	if f.Cycle > 0 {
		q.Set("cycle", strconv.FormatInt(f.Cycle, 10))
	}
	for k, v := range map[string]string{"province": f.Province, "type": f.Type, "batch": f.Batch} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if pageNo > 1 {
		q.Set("page", strconv.Itoa(pageNo))
	}
	return "/review?" + q.Encode()
}

// reviewQueue renders GET /review: the submissions of one tab under the
// filters, with the count of every tab.
func (h *Handler) reviewQueue(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "submission.return") {
		return
	}
	ctx := r.Context()
	pg.Title = pg.L.T("review.queue.title")
	data := queueData{page: pg, Filter: readQueueFilter(r), Types: []string{"city", "district", "town"}}
	if err := h.queueTabs(ctx, &data); err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	if err := h.queueRows(ctx, &data); err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	cycles, _, err := h.svc.ListCycles(ctx, platform.CycleFilter{Limit: 200})
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	data.Cycles = cycles
	// Only callers not bound to a province choose one.
	if platform.IdentityFrom(ctx).Province == "" && h.regions != nil {
		data.Provinces = h.regions.Children("")
	}
	h.render(w, r, http.StatusOK, "review_queue", data)
}

// queueTabs counts every tab under the filters.
func (h *Handler) queueTabs(ctx context.Context, data *queueData) error {
	for _, tab := range queueTabs {
		sf := data.Filter.submissionFilter(tab)
		sf.Limit = 1
		_, n, err := h.svc.ListSubmissions(ctx, sf)
		if err != nil {
			return fmt.Errorf("count the %s tab: %w", tab, err)
		}
		data.Tabs = append(data.Tabs, queueTab{Key: tab, Label: data.L.T("review.tab." + tab), Count: n,
			URL: data.Filter.url(tab, 1), Current: tab == data.Filter.Tab})
	}
	return nil
}

// queueRows reads the current tab's page with each row's pilot and cycle.
func (h *Handler) queueRows(ctx context.Context, data *queueData) error {
	f := data.Filter
	sf := f.submissionFilter(f.Tab)
	sf.Limit, sf.Offset = queuePage, (f.Page-1)*queuePage
	subs, total, err := h.svc.ListSubmissions(ctx, sf)
	if err != nil {
		return err
	}
	pilots := map[int64]platform.Pilot{}
	cycles := cycleCache{h: h, byID: map[int64]platform.Cycle{}}
	for _, s := range subs {
		p, ok := pilots[s.PilotID]
		if !ok {
			if p, err = h.svc.GetPilot(ctx, s.PilotID); err != nil {
				return fmt.Errorf("pilot of submission %d: %w", s.ID, err)
			}
			pilots[s.PilotID] = p
		}
		c, err := cycles.get(ctx, s.CycleID)
		if err != nil {
			return err
		}
		row := queueRow{Submission: s, Pilot: p, Region: h.regionLabel(p.RegionCode), CycleName: c.Name}
		if f.Tab == "overdue" {
			d, err := h.svc.GetSubmissionDeadline(ctx, s.ID)
			if err != nil {
				return fmt.Errorf("deadline of submission %d: %w", s.ID, err)
			}
			row.Deadline = &d
		}
		data.Rows = append(data.Rows, row)
	}
	data.Total = total
	p := pager{Page: f.Page, Pages: max(1, (total+queuePage-1)/queuePage), Total: total}
	if total > 0 {
		p.First, p.Last = min(sf.Offset+1, total), min(sf.Offset+queuePage, total)
	}
	if f.Page > 1 {
		p.PrevURL = f.url(f.Tab, min(f.Page-1, p.Pages))
	}
	if f.Page < p.Pages {
		p.NextURL = f.url(f.Tab, f.Page+1)
	}
	data.Pager = p
	return nil
}
