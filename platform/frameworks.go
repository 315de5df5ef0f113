package platform

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/sceval/sceval/framework"
)

// maxFrameworkFile bounds a published framework file (the built-in one
// with 57 leaves and five-level rubrics is about 110 KB).
const maxFrameworkFile = 8 << 20

// FrameworkRecord is a published framework file as stored: immutable per
// ID and version.
type FrameworkRecord struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	// Body is the file as uploaded; Format is "yaml" or "json".
	Body        []byte    `json:"-"`
	Format      string    `json:"format"`
	SHA256      string    `json:"sha256"`
	PublishedBy string    `json:"published_by"`
	PublishedAt time.Time `json:"published_at"`
}

// PublishedFramework describes a published framework version.
type PublishedFramework struct {
	FrameworkRecord
	Name   framework.Text `json:"name"`
	Leaves int            `json:"leaves"`
	// Cycles is the number of cycles that use this version.
	Cycles int `json:"cycles"`
	// Warnings are the validator's warnings (what it fixed up or ignored).
	Warnings []string `json:"warnings,omitempty"`
}

// PublishFramework validates a framework file and stores it as a new
// version (action "framework.publish"). Every problem is reported at once,
// each with its line and column (kind Invalid, code "invalid_framework",
// Details). A version is immutable: publishing the same ID and version
// again with identical content returns the stored one, with other content
// is a conflict ("version_exists"); the built-in frameworks' versions are
// taken.
func (s *Service) PublishFramework(ctx context.Context, filename string, data []byte) (PublishedFramework, error) {
	if err := authorize(ctx, "framework.publish", "framework"); err != nil {
		return PublishedFramework{}, err
	}
	if len(data) > maxFrameworkFile {
		return PublishedFramework{}, Errorf(TooLarge, CodeTooLarge, "framework file %s has %d bytes, at most %d", filename, len(data), maxFrameworkFile)
	}
	fw, diags := framework.Parse(filename, data)
	if fw == nil || diags.HasErrors() {
		return PublishedFramework{}, invalidFramework(filename, diags)
	}
	if b, ok := framework.Builtin(fw.ID); ok && b.Version == fw.Version {
		return PublishedFramework{}, &Error{Kind: Conflict, Code: CodeVersionExists, Field: "version",
			Message: fmt.Sprintf("framework %s version %s is built into sceval: publish your file under another version", fw.ID, fw.Version)}
	}
	sum := sha256.Sum256(data)
	rec := FrameworkRecord{ID: fw.ID, Version: fw.Version, Body: data, Format: formatOf(filename, data),
		SHA256: hex.EncodeToString(sum[:]), PublishedBy: actor(ctx), PublishedAt: s.now()}
	if err := s.store.PublishFramework(ctx, rec); err != nil {
		if ErrorCodeOf(err) != CodeDuplicate {
			return PublishedFramework{}, fmt.Errorf("publish framework %s@%s: %w", fw.ID, fw.Version, err)
		}
		cur, gerr := s.store.GetFrameworkRecord(ctx, fw.ID, fw.Version)
		if gerr != nil {
			return PublishedFramework{}, gerr
		}
		if cur.SHA256 != rec.SHA256 {
			return PublishedFramework{}, &Error{Kind: Conflict, Code: CodeVersionExists, Field: "version",
				Message: fmt.Sprintf("framework %s version %s was published on %s with other content, and a version never changes: "+
					"publish your file as a new version", fw.ID, fw.Version, cur.PublishedAt.Format("2006-01-02"))}
		}
		rec = cur
	}
	return describeFramework(rec, fw, diags, 0), nil
}

// invalidFramework is the refusal of a framework file, with every error.
func invalidFramework(filename string, diags framework.Diagnostics) *Error {
	errs := diags.Errors()
	e := &Error{Kind: Invalid, Code: CodeInvalidFramework, Field: "file",
		Message: fmt.Sprintf("framework file %s has %d errors:\n%s", filename, len(errs), errs)}
	for _, d := range errs {
		e.Details = append(e.Details, ErrorDetail{Field: position(d), Message: d.String()})
	}
	return e
}

// position writes a diagnostic's place as file:line:column.
func position(d framework.Diagnostic) string {
	if d.Line == 0 {
		return d.File
	}
	return fmt.Sprintf("%s:%d:%d", d.File, d.Line, d.Column)
}

// formatOf names a file's format as framework.Parse decides it.
func formatOf(filename string, data []byte) string {
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".json":
		return "json"
	case ".yaml", ".yml":
		return "yaml"
	}
	if t := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf"); len(t) > 0 && t[0] == '{' {
		return "json"
	}
	return "yaml"
}

// describeFramework summarises a published framework.
func describeFramework(rec FrameworkRecord, fw *framework.Framework, diags framework.Diagnostics, cycles int) PublishedFramework {
	out := PublishedFramework{FrameworkRecord: rec, Name: fw.Name, Leaves: len(fw.Leaves()), Cycles: cycles}
	for _, w := range diags.Warnings() {
		out.Warnings = append(out.Warnings, w.String())
	}
	return out
}

// ListFrameworks returns the published framework versions, by ID and
// publication (the built-in ones are not listed: they are compiled in).
func (s *Service) ListFrameworks(ctx context.Context) ([]PublishedFramework, error) {
	if err := authorize(ctx, "framework.list", "framework"); err != nil {
		return nil, err
	}
	recs, err := s.store.ListFrameworkRecords(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]PublishedFramework, 0, len(recs))
	for _, r := range recs {
		fw, diags := framework.Parse(r.ID+"."+r.Format, r.Body)
		if fw == nil || diags.HasErrors() {
			return nil, fmt.Errorf("stored framework %s@%s no longer parses: %v", r.ID, r.Version, diags.Err())
		}
		out = append(out, describeFramework(r.FrameworkRecord, fw, diags, r.Cycles))
	}
	return out, nil
}

// GetFramework returns framework id at version ("" means the built-in
// one, else the latest published version): the very framework a cycle
// using it scores with.
func (s *Service) GetFramework(ctx context.Context, id, version string) (*framework.Framework, error) {
	if err := authorize(ctx, "framework.read", "framework/"+id); err != nil {
		return nil, err
	}
	return s.lookupFramework(ctx, id, version)
}

// CycleFramework returns the framework cycle id scores with.
func (s *Service) CycleFramework(ctx context.Context, id int64) (*framework.Framework, error) {
	c, err := s.GetCycle(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.plan(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return nil, err
	}
	return p.fw, nil
}

// lookupFramework resolves id at version: the built-in framework when its
// version matches (or version is ""), else a published version (the latest
// when version is ""). A published file parses to the same framework every
// time: it is immutable and was valid when stored.
func (s *Service) lookupFramework(ctx context.Context, id, version string) (*framework.Framework, error) {
	fw, err := s.frameworks.Framework(id)
	if err == nil && (version == "" || version == fw.Version) {
		return fw, nil
	}
	if err != nil && ErrorKindOf(err) != NotFound {
		return nil, err
	}
	rec, rerr := s.store.GetFrameworkRecord(ctx, id, version)
	if ErrorKindOf(rerr) == NotFound {
		published := "none published"
		if latest, lerr := s.store.GetFrameworkRecord(ctx, id, ""); lerr == nil {
			published = "latest published: " + latest.Version
		}
		if err == nil {
			return nil, NotFoundf("framework %s has no version %s (built in: %s; %s)", id, version, fw.Version, published)
		}
		if published != "none published" {
			return nil, NotFoundf("framework %s has no version %s (%s)", id, version, published)
		}
		return nil, &Error{Kind: NotFound, Code: "not_found", Field: "framework_id",
			Message: fmt.Sprintf("framework %q is neither built in (%v) nor published", id, framework.BuiltinIDs())}
	}
	if rerr != nil {
		return nil, rerr
	}
	pf, diags := framework.Parse(rec.ID+"."+rec.Format, rec.Body)
	if pf == nil || diags.HasErrors() {
		return nil, fmt.Errorf("stored framework %s@%s no longer parses: %v", rec.ID, rec.Version, diags.Err())
	}
	return pf, nil
}

// FrameworkListing is a stored framework with the number of cycles using it.
type FrameworkListing struct {
	FrameworkRecord
	Cycles int
}
