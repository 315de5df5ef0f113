package platform

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sceval/sceval/dataset"
)

// MaxPilotImport is the largest pilot file ImportPilots reads (64 MiB: every
// town of the registry takes about 3 MiB).
const MaxPilotImport = 64 << 20

// maxImportProblems bounds the problems one import reports.
const maxImportProblems = 200

// PilotImportOptions configures ImportPilotsWith.
type PilotImportOptions struct {
	// DryRun checks the file, including against the pilots already
	// stored, and reports what it would create without storing anything.
	DryRun bool
}

// PilotImport is what an import created or, in a dry run, would create.
type PilotImport struct {
	Created int  `json:"created" doc:"Pilots created (in a dry run: that would be created)"`
	DryRun  bool `json:"dry_run"`
	// Format is how the file was read: "xlsx", or "csv" with its text
	// encoding ("csv UTF-8", "csv GB18030", …).
	Format string `json:"format"`
}

// ImportPilots is ImportPilotsWith without options; it returns the number
// of pilots created.
func (s *Service) ImportPilots(ctx context.Context, name string, r io.Reader) (int, error) {
	res, err := s.ImportPilotsWith(ctx, name, r, PilotImportOptions{})
	return res.Created, err
}

// ImportPilotsWith reads pilots from a table file and stores them all, or
// none. The file is an XLSX workbook (first sheet) or CSV in UTF-8, UTF-16
// or GB18030; its header names the columns in any order, in English or
// Chinese (pilotHeaders); types and statuses may be written in Chinese
// (城市, 区, 镇 …). Every problem is reported at once, each with its line
// (Error.Details), including regions that already are pilots of their
// batch. Large files are written in bounded batches (Store.ImportPilots).
func (s *Service) ImportPilotsWith(ctx context.Context, name string, r io.Reader, opt PilotImportOptions) (PilotImport, error) {
	res := PilotImport{DryRun: opt.DryRun}
	if err := authorize(ctx, "pilot.import", "pilot"); err != nil {
		return res, err
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxPilotImport+1))
	if err != nil {
		return res, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > MaxPilotImport {
		return res, &Error{Kind: TooLarge, Code: CodeTooLarge, Field: "file",
			Message: fmt.Sprintf("%s is larger than %d MiB: split it", name, MaxPilotImport>>20)}
	}
	recs, format, err := dataset.ReadRecords(name, b)
	if err != nil {
		return res, invalidField("file", CodeBadValue, "%v", err)
	}
	res.Format = "csv " + string(format.Encoding)
	if format.XLSX {
		res.Format = "xlsx"
	}
	pilots, lines, probs := s.parsePilotRecords(name, recs)
	if len(probs.items) == 0 {
		if err := s.existingPilots(ctx, name, pilots, lines, probs); err != nil {
			return res, err
		}
	}
	if err := probs.err(); err != nil {
		return res, err
	}
	res.Created = len(pilots)
	if opt.DryRun {
		return res, nil
	}
	now := s.now()
	for i := range pilots {
		pilots[i].Version, pilots[i].CreatedAt, pilots[i].UpdatedAt = 1, now, now
	}
	if err := s.store.ImportPilots(ctx, pilots); err != nil {
		return PilotImport{}, fmt.Errorf("import pilots from %s: %w", name, err)
	}
	return res, nil
}

// existingPilots adds a problem for every pilot whose region already is a
// pilot of its batch in the store.
func (s *Service) existingPilots(ctx context.Context, name string, pilots []Pilot, lines []int, probs *importProblems) error {
	batches := map[string]map[string]bool{}
	for _, p := range pilots {
		batches[p.Batch] = nil
	}
	for batch := range batches {
		have := map[string]bool{}
		for offset := 0; ; offset += 1000 {
			page, total, err := s.store.ListPilots(ctx, PilotFilter{Batch: batch, Sort: "id", Limit: 1000, Offset: offset})
			if err != nil {
				return fmt.Errorf("check %s against batch %s: %w", name, batch, err)
			}
			for _, p := range page {
				have[p.RegionCode] = true
			}
			if offset+len(page) >= total || len(page) == 0 {
				break
			}
		}
		batches[batch] = have
	}
	for i, p := range pilots {
		if batches[p.Batch][p.RegionCode] {
			probs.add(lines[i], "region_code", CodeDuplicate, "region %s is already a pilot of batch %s", p.RegionCode, p.Batch)
		}
	}
	return nil
}

// parsePilotRecords maps the header, then validates every data row,
// collecting the problems; it returns the valid pilots and their lines.
func (s *Service) parsePilotRecords(name string, recs []record) ([]Pilot, []int, *importProblems) {
	probs := &importProblems{file: name}
	if len(recs) == 0 {
		probs.add(0, "file", CodeRequired, "empty file: expected a header with %s", strings.Join(requiredPilotColumns, ", "))
		return nil, nil, probs
	}
	cols, err := pilotHeader(recs[0])
	if err != nil {
		probs.add(recs[0].Line, "file", CodeBadValue, "%v", err)
		return nil, nil, probs
	}
	var out []Pilot
	var lines []int
	seen := map[string]int{}
	for _, rec := range recs[1:] {
		p, err := s.pilotRow(cols, rec)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				probs.add(rec.Line, e.Field, e.Code, "%s", e.Message)
			} else {
				probs.add(rec.Line, "", CodeBadValue, "%v", err)
			}
			continue
		}
		key := p.RegionCode + "\x00" + p.Batch
		if first, dup := seen[key]; dup {
			probs.add(rec.Line, "region_code", CodeDuplicate, "region %s in batch %s already on line %d", p.RegionCode, p.Batch, first)
			continue
		}
		seen[key] = rec.Line
		out = append(out, p)
		lines = append(lines, rec.Line)
	}
	return out, lines, probs
}

// record is a row of an imported table.
type record = dataset.Record

// pilotRow builds and checks the pilot of one data row.
func (s *Service) pilotRow(cols map[string]int, rec record) (Pilot, error) {
	cell := func(col string) string {
		i, ok := cols[col]
		if !ok || i >= len(rec.Fields) {
			return ""
		}
		return strings.TrimSpace(rec.Fields[i])
	}
	if n := len(rec.Fields); n > cols[lastColumn] {
		for i := cols[lastColumn] + 1; i < n; i++ {
			if strings.TrimSpace(rec.Fields[i]) != "" {
				return Pilot{}, invalidField("file", CodeBadValue, "%d cells, but the header has %d columns", n, cols[lastColumn]+1)
			}
		}
	}
	p := Pilot{RegionCode: cell("region_code"), Name: cell("name"), Batch: cell("batch"),
		Type: PilotType(pilotTypeName(cell("type"))), Status: PilotStatus(pilotStatusName(cell("status")))}
	if err := s.checkPilot(&p); err != nil {
		return Pilot{}, err
	}
	return p, nil
}
