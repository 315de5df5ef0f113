package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

type publishFrameworkInput struct {
	ContentType string `header:"Content-Type" doc:"application/yaml, application/json or text/plain with the file as the body, or multipart/form-data with the file in the field \"file\" (curl -F file=@fw.yaml)"`
	Filename    string `query:"filename" maxLength:"255" doc:"Name of the file, for messages and to tell JSON from YAML by extension (default framework.yaml)"`
	RawBody     []byte `contentType:"application/yaml" doc:"The framework file (docs/framework-format.md)"`
}

type exportFrameworkInput struct {
	FrameworkParam
	Version string `query:"version" maxLength:"100" doc:"Version; default the built-in one, else the latest published"`
	Format  string `query:"format" enum:"yaml,json" default:"yaml"`
}

type exportCycleFrameworkInput struct {
	IDParam
	Format string `query:"format" enum:"yaml,json" default:"yaml"`
}

// registerPublishedFrameworks registers publishing and exporting frameworks.
func (s *Server) registerPublishedFrameworks() {
	tags := []string{"frameworks"}
	huma.Register(s.api, huma.Operation{
		OperationID: "publish-framework", Method: http.MethodPost, Path: apiPrefix + "/frameworks", DefaultStatus: http.StatusCreated,
		Summary: "Publish a framework file as a new version",
		Description: "Validated as `sceval framework validate` does: a 422 invalid_framework lists every error with its line in `details`. " +
			"A version never changes once published: the same file again returns it, other content under the same version is a 409 version_exists.",
		Tags: tags, Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge},
	}, s.publishFramework)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-published-frameworks", Method: http.MethodGet, Path: apiPrefix + "/frameworks/published",
		Summary: "Published framework versions, with the number of cycles using each", Tags: tags,
	}, s.listPublishedFrameworks)
	huma.Register(s.api, huma.Operation{
		OperationID: "export-framework", Method: http.MethodGet, Path: apiPrefix + "/frameworks/{id}/export",
		Summary: "Export a framework version in the file format", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.exportFramework)
	huma.Register(s.api, huma.Operation{
		OperationID: "export-cycle-framework", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/framework",
		Summary:     "Export the framework a cycle scores with",
		Description: "Exactly the framework version the cycle was created with, in the file format.",
		Tags:        []string{"cycles"}, Errors: []int{http.StatusNotFound},
	}, s.exportCycleFramework)
}

func (s *Server) publishFramework(ctx context.Context, in *publishFrameworkInput) (*bodyOutput[platform.PublishedFramework], error) {
	name, data, err := uploadedFramework(in)
	if err != nil {
		return nil, err
	}
	pub, err := s.svc.PublishFramework(ctx, name, data)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(pub), nil
}

// uploadedFramework returns the name and content of a published file: the
// body, or the field "file" of a multipart form.
func uploadedFramework(in *publishFrameworkInput) (string, []byte, error) {
	name := in.Filename
	if name == "" {
		name = "framework.yaml"
	}
	mt, params, err := mime.ParseMediaType(in.ContentType)
	if err != nil || mt != "multipart/form-data" {
		return platform.SanitizeFilename(name), in.RawBody, nil
	}
	part, err := filePart(multipart.NewReader(bytes.NewReader(in.RawBody), params["boundary"]))
	switch {
	case errors.Is(err, errNoFile):
		return "", nil, newError(http.StatusUnprocessableEntity, "required", uploadField, "the form has no file in the field \"file\"")
	case err != nil:
		return "", nil, newError(http.StatusBadRequest, "bad_request", uploadField, "the multipart body is malformed")
	}
	data, err := io.ReadAll(part)
	if err != nil {
		return "", nil, newError(http.StatusBadRequest, "bad_request", uploadField, "the multipart body is malformed")
	}
	if in.Filename == "" && part.FileName() != "" {
		name = part.FileName()
	}
	return platform.SanitizeFilename(name), data, nil
}

func (s *Server) listPublishedFrameworks(ctx context.Context, _ *struct{}) (*listOutput[platform.PublishedFramework], error) {
	items, err := s.svc.ListFrameworks(ctx)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, len(items)), nil
}

func (s *Server) exportFramework(ctx context.Context, in *exportFrameworkInput) (*huma.StreamResponse, error) {
	f, err := s.svc.GetFramework(ctx, in.ID, in.Version)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return s.frameworkFile(ctx, f, in.Format)
}

func (s *Server) exportCycleFramework(ctx context.Context, in *exportCycleFrameworkInput) (*huma.StreamResponse, error) {
	f, err := s.svc.CycleFramework(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return s.frameworkFile(ctx, f, in.Format)
}

// frameworkFile answers with f in the file format, named id@version.
func (s *Server) frameworkFile(ctx context.Context, f *framework.Framework, format string) (*huma.StreamResponse, error) {
	if format == "" {
		format = "yaml"
	}
	var buf bytes.Buffer
	if err := framework.Export(&buf, f, format); err != nil {
		return nil, s.fail(ctx, err)
	}
	ctype := "application/yaml; charset=utf-8"
	if format == "json" {
		ctype = "application/json"
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", ctype)
		hctx.SetHeader("Content-Disposition", ContentDisposition("attachment", f.ID+"@"+f.Version+"."+format))
		hctx.SetHeader("X-Content-Type-Options", "nosniff")
		hctx.SetStatus(http.StatusOK)
		if _, err := hctx.BodyWriter().Write(buf.Bytes()); err != nil {
			s.logger.WarnContext(ctx, "framework export interrupted", "framework", f.ID, "err", err)
		}
	}}, nil
}
