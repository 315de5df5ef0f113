package platform

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/sceval/sceval/dataset"
)

// ImportEntries reads a filled entries template or bulk file (XLSX or CSV,
// any encoding DecodeText knows, title rows above the header allowed) for
// a cycle and writes its entries through the rules of SaveEntry: each row
// names a pilot of the cycle (by ID) and a leaf indicator (by code) and
// gives the value, rubric level, narrative and not-applicable mark. The
// file is read twice, row by row, and never held in memory: the first pass
// checks every row and reports every problem with its cell; unless
// opt.DryRun, the second pass writes the changed entries in one
// transaction — nothing when any row is invalid, or with opt.Partial only
// the valid rows. Rows equal to the stored entry change nothing: an
// unchanged file writes no version and no audit row.
//
// Access (action submission.entry.import): a pilot its own submission, a
// province its pilots', the ministry every pilot's; rows of other pilots
// are reported as pilots not in the cycle, as if they did not exist.
func (s *Service) ImportEntries(ctx context.Context, cycleID int64, name string, src io.ReadSeeker, opt EntryImportOptions) (*EntryImportReport, error) {
	im, err := s.newEntryImport(ctx, cycleID, name, src, opt)
	if err != nil {
		return nil, err
	}
	if err := im.check(); err != nil {
		return nil, err
	}
	rep := im.report
	if opt.DryRun || rep.Changes == 0 || (!rep.OK() && !opt.Partial) {
		return rep, nil
	}
	n, err := im.store.ApplyEntryImport(ctx, EntryImportWrite{CycleID: cycleID, Submissions: im.touchedIDs(),
		Leaves: len(im.plan.leaves), At: im.now, Each: im.apply})
	if err != nil {
		return nil, fmt.Errorf("import entries of cycle %d: %w", cycleID, err)
	}
	rep.Applied = n
	return rep, nil
}

// entryImport is one run of ImportEntries.
type entryImport struct {
	ctx    context.Context
	store  EntryImportStore
	cycle  Cycle
	plan   *leafPlan
	name   string
	src    io.ReadSeeker
	opt    EntryImportOptions
	now    time.Time
	report *EntryImportReport

	subs    []CycleSubmission
	byPilot map[int64]int // pilot ID → index in subs, for pilots in scope
	// Per submission × leaf: the stored entry's digest and version (0:
	// none), the first row naming it (sheet index and line), and whether
	// it is named twice.
	cur     []entryState
	seen    []rowPos
	twice   map[int]bool
	touched map[int]bool
	sheets  []string
}

type entryState struct {
	digest  uint64
	version int32
}

type rowPos struct {
	sheet uint16
	line  int32
}

func (s *Service) newEntryImport(ctx context.Context, cycleID int64, name string, src io.ReadSeeker, opt EntryImportOptions) (*entryImport, error) {
	scope, id, err := ListScope(ctx, "submission.entry.import")
	if err != nil {
		return nil, err
	}
	st, ok := s.store.(EntryImportStore)
	if !ok {
		return nil, Errorf(Invalid, "unsupported", "this store cannot import entries")
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	if c.State != CycleOpen {
		return nil, &Error{Kind: Conflict, Code: CodeCycleNotOpen, Current: c,
			Message: fmt.Sprintf("周期 %d 的状态为 %s，只有开放（open）的周期可以导入填报数据", c.ID, c.State)}
	}
	p, err := s.cyclePlan(c)
	if err != nil {
		return nil, err
	}
	im := &entryImport{ctx: ctx, store: st, cycle: c, plan: p, name: name, src: src, opt: opt, now: s.now(),
		byPilot: map[int64]int{}, twice: map[int]bool{}, touched: map[int]bool{},
		report: &EntryImportReport{File: name, CycleID: cycleID, DryRun: opt.DryRun, Partial: opt.Partial,
			ChangeList: []EntryImportChange{}, Errors: []EntryImportProblem{}}}
	if err := im.load(scope, id); err != nil {
		return nil, err
	}
	return im, nil
}

// load reads the cycle's submissions in the caller's scope and the digests
// of their entries.
func (im *entryImport) load(scope Scope, id Identity) error {
	bySub := map[int64]int{}
	err := im.store.EachCycleSubmission(im.ctx, im.cycle.ID, func(c CycleSubmission) error {
		if scope == ScopeAll || (scope == ScopeProvince && id.Province != "" && c.Province == id.Province) ||
			(scope == ScopePilot && id.PilotID != 0 && c.PilotID == id.PilotID) {
			im.byPilot[c.PilotID], bySub[c.ID] = len(im.subs), len(im.subs)
			im.subs = append(im.subs, c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	n := len(im.plan.leaves)
	im.cur, im.seen = make([]entryState, len(im.subs)*n), make([]rowPos, len(im.subs)*n)
	// A leaf without an entry reads as an empty row: a blank row of the
	// template changes nothing.
	empty := entryDigest(Entry{})
	for i := range im.cur {
		im.cur[i].digest = empty
	}
	return im.store.EachCycleEntry(im.ctx, im.cycle.ID, func(subID int64, e Entry) error {
		si, ok := bySub[subID]
		li, known := im.plan.index[e.Code]
		if ok && known {
			im.cur[si*n+li] = entryState{digest: entryDigest(e), version: int32(e.Version)}
		}
		return nil
	})
}

// entryDigest summarises what an import compares: value, level, not
// applicable and narrative.
func entryDigest(e Entry) uint64 {
	h := fnv.New64a()
	var b [17]byte
	if e.Value != nil {
		b[0] = 1
		binary.LittleEndian.PutUint64(b[1:], math.Float64bits(*e.Value))
	}
	if e.Level != nil {
		b[9] = 1
		binary.LittleEndian.PutUint32(b[10:], uint32(*e.Level))
	}
	if e.NotApplicable {
		b[14] = 1
	}
	h.Write(b[:])
	h.Write([]byte(e.Narrative))
	return h.Sum64()
}

// check is the first pass: every row checked, the report filled.
func (im *entryImport) check() error {
	rep, n := im.report, len(im.plan.leaves)
	format, err := im.scan("check", func(r *importRow) error {
		rep.Rows++
		if len(r.problems) == 0 {
			k := r.sub*n + r.leaf
			if first := im.seen[k]; first.line != 0 {
				im.twice[k] = true
				r.problems = append(r.problems, EntryImportProblem{Cell: r.sheet + "!" + strconv.Itoa(r.line), Sheet: r.sheet, Row: r.line,
					PilotID: r.pilotID, Code: r.code, Message: fmt.Sprintf("试点 %d 的指标 %s 已在第 %d 行（%s）填写，同一指标只能有一行",
						r.pilotID, r.code, first.line, im.sheets[first.sheet])})
			} else {
				im.seen[k] = rowPos{sheet: uint16(len(im.sheets) - 1), line: int32(r.line)}
			}
		}
		if len(r.problems) > 0 {
			rep.Invalid++
			for _, p := range r.problems {
				rep.problem(p)
			}
			return nil
		}
		cur := im.cur[r.sub*n+r.leaf]
		if entryDigest(r.entry) == cur.digest {
			rep.Unchanged++
			return nil
		}
		rep.Changes++
		im.touched[r.sub] = true
		if len(rep.ChangeList) < MaxReportedChanges {
			action := "update"
			if cur.version == 0 {
				action = "create"
			}
			rep.ChangeList = append(rep.ChangeList, EntryImportChange{Row: r.sheet + "!" + strconv.Itoa(r.line), PilotID: r.pilotID,
				SubmissionID: im.subs[r.sub].ID, Code: r.code, Action: action})
		}
		return nil
	})
	if err != nil {
		return err
	}
	rep.Encoding = string(format.Encoding)
	if notice := dataset.EncodingNotice(im.name, format.Encoding); notice != "" {
		rep.Notices = append(rep.Notices, notice)
	}
	return nil
}

// apply is the second pass: it yields the valid changed rows (each
// (pilot, code) once), for the store's transaction.
func (im *entryImport) apply(yield func(EntryWrite) error) error {
	n := len(im.plan.leaves)
	im.sheets = im.sheets[:0]
	_, err := im.scan("apply", func(r *importRow) error {
		if len(r.problems) > 0 {
			return nil
		}
		k := r.sub*n + r.leaf
		if im.twice[k] {
			return nil
		}
		cur := im.cur[k]
		if entryDigest(r.entry) == cur.digest {
			return nil
		}
		e := r.entry
		e.UpdatedAt, e.UpdatedBy = im.now, actor(im.ctx)
		return yield(EntryWrite{SubmissionID: im.subs[r.sub].ID, Entry: e, Version: int(cur.version), Leaves: n})
	})
	return err
}

// touchedIDs are the submissions with changes, in the order of subs.
func (im *entryImport) touchedIDs() []int64 {
	var out []int64
	for i, c := range im.subs {
		if im.touched[i] {
			out = append(out, c.ID)
		}
	}
	return out
}
