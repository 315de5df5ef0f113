package ui

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/sceval/sceval/platform"
)

// importData is the pilot import page: the upload form, the outcome of a
// dry run (every problem with its line, or what would be created) and,
// after a clean dry run, the staged file that "import" applies.
type importData struct {
	adminData
	Form   formState
	Result *platform.PilotImport
	// Staged is the key of the checked file; FileName its name.
	Staged   string
	FileName string
}

// pilotImportForm shows the upload form.
func (h *Handler) pilotImportForm(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "pilot.import", "admin.import.title")
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "admin_import", importData{adminData: d, Form: formState{Done: doneNotice(r, d.L)}})
}

// pilotImport runs a dry run of an uploaded file (the default), or imports
// the file a clean dry run staged. Both go through the platform's one
// import (all pilots or none, every problem reported with its line).
func (h *Handler) pilotImport(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "pilot.import", "admin.import.title")
	if !ok {
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		h.applyStaged(w, r, d, r.PostFormValue("staged"))
		return
	}
	name, data, err := uploadedFile(w, r, "file", platform.MaxPilotImport+1<<20, d.L)
	var res platform.PilotImport
	if err == nil {
		res, err = h.svc.ImportPilotsWith(r.Context(), name, bytes.NewReader(data), platform.PilotImportOptions{DryRun: true})
	}
	if err != nil {
		form, ok := h.refused(w, r, d.page, err, nil)
		if !ok {
			return
		}
		h.render(w, r, statusOf(err), "admin_import", importData{adminData: d, Form: form})
		return
	}
	key := h.staged.put(name, data)
	h.render(w, r, http.StatusOK, "admin_import", importData{adminData: d, Result: &res, Staged: key, FileName: name})
}

// applyStaged imports the staged file.
func (h *Handler) applyStaged(w http.ResponseWriter, r *http.Request, d adminData, key string) {
	name, data, ok := h.staged.take(key)
	if !ok {
		err := invalid("file", "%s", d.L.T("admin.import.expired"))
		form, _ := h.refused(w, r, d.page, err, nil)
		h.render(w, r, http.StatusConflict, "admin_import", importData{adminData: d, Form: form})
		return
	}
	res, err := h.svc.ImportPilotsWith(r.Context(), name, bytes.NewReader(data), platform.PilotImportOptions{})
	if err != nil {
		form, ok := h.refused(w, r, d.page, err, nil)
		if !ok {
			return
		}
		h.render(w, r, statusOf(err), "admin_import", importData{adminData: d, Form: form})
		return
	}
	h.render(w, r, http.StatusCreated, "admin_import", importData{adminData: d, Result: &res, FileName: name,
		Form: formState{Done: d.L.F("admin.import.created", res.Created, name)}})
}

// stagedFiles keeps files that passed a dry run until they are imported:
// a few, for a while, in memory (a restart only means uploading again).
type stagedFiles struct {
	mu    sync.Mutex
	files map[string]stagedFile
}

// stagedFile is one checked upload.
type stagedFile struct {
	name string
	data []byte
	at   time.Time
}

// Bounds of the staging: files older than stagedTTL are dropped, and at
// most stagedMax are kept (the oldest goes first).
const (
	stagedTTL = 30 * time.Minute
	stagedMax = 8
)

func newStagedFiles() *stagedFiles { return &stagedFiles{files: map[string]stagedFile{}} }

// put stages a file and returns its key.
func (s *stagedFiles) put(name string, data []byte) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	key := hex.EncodeToString(b[:])
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, f := range s.files {
		if now.Sub(f.at) > stagedTTL {
			delete(s.files, k)
		}
	}
	for len(s.files) >= stagedMax {
		oldest := ""
		for k, f := range s.files {
			if oldest == "" || f.at.Before(s.files[oldest].at) {
				oldest = k
			}
		}
		delete(s.files, oldest)
	}
	s.files[key] = stagedFile{name: name, data: data, at: now}
	return key
}

// take removes and returns a staged file.
func (s *stagedFiles) take(key string) (string, []byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[key]
	if !ok || time.Since(f.at) > stagedTTL {
		return "", nil, false
	}
	delete(s.files, key)
	return f.name, f.data, true
}
