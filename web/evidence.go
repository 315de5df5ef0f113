package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/sceval/sceval/platform"
)

// uploadOverhead is what a multipart envelope may add around the file
// itself (boundaries, part headers) before the body counts as too large.
const uploadOverhead = 64 << 10

// uploadField is the multipart form field that carries the file.
const uploadField = "file"

// uploadInput keeps the raw request: the file is streamed from the
// multipart body into the blob store, never buffered whole in memory or in
// a temporary file (huma's multipart support would do both).
type uploadInput struct {
	EntryParam
	req *http.Request
	w   http.ResponseWriter
}

// Resolve implements huma.Resolver to reach the underlying request.
func (in *uploadInput) Resolve(ctx huma.Context) []error {
	in.req, in.w = humago.Unwrap(ctx)
	return nil
}

type createdEvidence struct {
	Status   int
	Location string `header:"Location"`
	Body     platform.Evidence
}

type listEvidenceInput struct {
	IDParam
	Deleted bool `query:"deleted" doc:"Include deleted evidence (the history), with deleted_at and deleted_by"`
}

func (s *Server) registerEvidence() {
	tags := []string{"evidence"}
	huma.Register(s.api, huma.Operation{
		OperationID: "upload-evidence", Method: http.MethodPost,
		Path:          apiPrefix + "/submissions/{id}/entries/{code}/evidence",
		DefaultStatus: http.StatusCreated, Summary: "Upload an evidence file for an entry",
		Description: fmt.Sprintf("multipart/form-data with the file in the field %q. PDF, PNG, JPEG, GIF, WebP, Office documents "+
			"and zip archives are accepted (415 otherwise) up to the server's upload limit (413 beyond) and the submission's "+
			"evidence quota (409 evidence_quota). The file is stored under a name whose extension belongs to its content "+
			"(filename; the uploaded name is original_name). Uploading content the entry already has answers 200 with the "+
			"existing record (existing: true) instead of 201.", uploadField),
		Tags:   tags,
		Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType},
	}, s.uploadEvidence)
	// Documented only after registration: a request body schema given to
	// huma.Register would make huma read and parse the body itself.
	s.api.OpenAPI().Paths[apiPrefix+"/submissions/{id}/entries/{code}/evidence"].Post.RequestBody = uploadRequestBody()
	huma.Register(s.api, huma.Operation{
		OperationID: "list-evidence", Method: http.MethodGet, Path: apiPrefix + "/submissions/{id}/evidence",
		Summary: "List a submission's evidence files", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.listEvidence)
	huma.Register(s.api, huma.Operation{
		OperationID: "delete-evidence", Method: http.MethodDelete, Path: apiPrefix + "/evidence/{id}",
		Summary: "Delete an evidence file (its uploader, while the submission is editable)",
		Description: "The record stays in the submission's history (`GET /submissions/{id}/evidence?deleted=true`) " +
			"without its content, which the blob collector removes once no evidence references it.",
		Tags: tags, Errors: []int{http.StatusForbidden, http.StatusNotFound, http.StatusConflict},
	}, s.deleteEvidence)
	huma.Register(s.api, huma.Operation{
		OperationID: "download-evidence", Method: http.MethodGet, Path: apiPrefix + "/evidence/{id}",
		Summary: "Download an evidence file",
		Description: "The stored file name (its extension that of the sniffed content type) is in Content-Disposition " +
			"(RFC 6266, with filename* per RFC 5987 for non-ASCII names). Deleted evidence is 404.",
		Tags: tags, Errors: []int{http.StatusNotFound},
		Responses: map[string]*huma.Response{"200": {
			Description: "The file",
			Headers: map[string]*huma.Param{
				"Content-Disposition": {Schema: &huma.Schema{Type: "string"}},
				"ETag":                {Schema: &huma.Schema{Type: "string"}, Description: "SHA-256 of the content"},
			},
			Content: map[string]*huma.MediaType{"application/octet-stream": {
				Schema: &huma.Schema{Type: "string", Format: "binary"},
			}},
		}},
	}, s.downloadEvidence)
}

func uploadRequestBody() *huma.RequestBody {
	return &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{
			Type:     "object",
			Required: []string{uploadField},
			Properties: map[string]*huma.Schema{
				uploadField: {Type: "string", Format: "binary", Description: "The evidence file"},
			},
		}},
	}}
}

func (s *Server) uploadEvidence(ctx context.Context, in *uploadInput) (*createdEvidence, error) {
	in.req.Body = http.MaxBytesReader(in.w, in.req.Body, s.opts.MaxUpload+uploadOverhead)
	mr, err := in.req.MultipartReader()
	if err != nil {
		return nil, newError(http.StatusUnsupportedMediaType, "unsupported", "",
			"send the file as multipart/form-data in the field \"file\"")
	}
	part, err := filePart(mr)
	if err != nil {
		return nil, s.uploadFailure(ctx, err)
	}
	defer part.Close()
	ev, err := s.svc.AddEvidence(ctx, in.ID, in.Code, part.FileName(), part)
	if err != nil {
		return nil, s.uploadFailure(ctx, err)
	}
	status := http.StatusCreated
	if ev.Existing {
		status = http.StatusOK
	}
	return &createdEvidence{Status: status, Location: apiPrefix + "/evidence/" + itoa(ev.ID), Body: ev}, nil
}

func (s *Server) deleteEvidence(ctx context.Context, in *IDParam) (*bodyOutput[platform.Evidence], error) {
	ev, err := s.svc.DeleteEvidence(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(ev), nil
}

// errNoFile means the form had no file part.
var errNoFile = errors.New("no file part")

// filePart returns the first part of the form that carries the file.
func filePart(mr *multipart.Reader) (*multipart.Part, error) {
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errNoFile
		}
		if err != nil {
			return nil, fmt.Errorf("read multipart body: %w", err)
		}
		if part.FormName() == uploadField && part.FileName() != "" {
			return part, nil
		}
		_ = part.Close()
	}
}

// uploadFailure maps upload errors: a body past the limit is 413 whether
// the blob store or the HTTP reader noticed first, and a broken multipart
// body is the client's 400.
func (s *Server) uploadFailure(ctx context.Context, err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return newError(http.StatusRequestEntityTooLarge, "too_large", uploadField,
			fmt.Sprintf("the upload is larger than the limit of %d MiB", s.opts.MaxUpload>>20))
	case errors.Is(err, errNoFile):
		return newError(http.StatusUnprocessableEntity, "required", uploadField,
			"the form has no file in the field \"file\"")
	case platform.ErrorKindOf(err) == "" && isMultipartError(err):
		return newError(http.StatusBadRequest, "bad_request", uploadField, "the multipart body is malformed")
	}
	return s.fail(ctx, err)
}

func isMultipartError(err error) bool {
	return strings.Contains(err.Error(), "multipart") || errors.Is(err, io.ErrUnexpectedEOF)
}

func (s *Server) listEvidence(ctx context.Context, in *listEvidenceInput) (*listOutput[platform.Evidence], error) {
	items, err := s.svc.ListEvidence(ctx, in.ID, in.Deleted)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, len(items)), nil
}

func (s *Server) downloadEvidence(ctx context.Context, in *IDParam) (*huma.StreamResponse, error) {
	ev, rc, err := s.svc.OpenEvidence(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		defer rc.Close()
		hctx.SetHeader("Content-Type", ev.ContentType)
		hctx.SetHeader("Content-Length", strconv.FormatInt(ev.Size, 10))
		hctx.SetHeader("Content-Disposition", ContentDisposition("attachment", ev.Filename))
		hctx.SetHeader("ETag", `"`+ev.SHA256+`"`)
		hctx.SetHeader("X-Content-Type-Options", "nosniff")
		hctx.SetHeader("Cache-Control", "private, max-age=0")
		hctx.SetStatus(http.StatusOK)
		if _, err := io.Copy(hctx.BodyWriter(), rc); err != nil {
			s.logger.WarnContext(ctx, "evidence download interrupted", "evidence", ev.ID, "err", err)
		}
	}}, nil
}

// ContentDisposition renders a Content-Disposition header for a file name:
// an ASCII fallback in filename (non-ASCII runes, quotes and backslashes
// replaced by '_') and, when the name is not plain ASCII, the exact name in
// filename* as UTF-8 percent-encoded (RFC 6266 §4.3, RFC 5987 §3.2), which
// every current browser prefers.
func ContentDisposition(disposition, name string) string {
	fallback := make([]rune, 0, len(name))
	ascii := true
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f:
			fallback = append(fallback, '_')
			ascii = false
		case r > 0x7e || r == '"' || r == '\\' || r == '%':
			fallback = append(fallback, '_')
			ascii = false
		default:
			fallback = append(fallback, r)
		}
	}
	h := disposition + `; filename="` + string(fallback) + `"`
	if !ascii {
		h += "; filename*=UTF-8''" + rfc5987Escape(name)
	}
	return h
}

// rfc5987Escape percent-encodes every byte outside RFC 5987's attr-char.
func rfc5987Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// isAttrChar reports RFC 5987 attr-char: ALPHA / DIGIT /
// "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~".
func isAttrChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}
