package web

import (
	"bytes"
	"mime"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// pdf is the start of a PDF: enough for content sniffing.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestEvidenceUploadAndDownload(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	p, c := env.fixture()
	sub := env.submission(c, p)
	name := "石家庄市 智慧城市规划纲要 (2014).pdf"

	up := env.upload("/api/v1/submissions/"+itoa(sub.ID)+"/entries/1.1.1/evidence", "file", name, pdf).expect(201)
	var ev platform.Evidence
	up.decode(&ev)
	if ev.ID == 0 || ev.Filename != name || ev.ContentType != "application/pdf" || ev.Size != int64(len(pdf)) || len(ev.SHA256) != 64 {
		t.Fatalf("uploaded: %+v", ev)
	}
	if up.header.Get("Location") != "/api/v1/evidence/"+itoa(ev.ID) {
		t.Errorf("Location %q", up.header.Get("Location"))
	}

	l := list[platform.Evidence](env.do("GET", "/api/v1/submissions/"+itoa(sub.ID)+"/evidence", nil).expect(200))
	if l.Total != 1 || l.Items[0].ID != ev.ID {
		t.Fatalf("list: %+v", l)
	}

	dl := env.do("GET", "/api/v1/evidence/"+itoa(ev.ID), nil).expect(200)
	if !bytes.Equal(dl.body, pdf) {
		t.Fatalf("download differs: %q", dl.body)
	}
	if ct := dl.header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	// The standard library's parser decodes RFC 5987 filename*, as
	// browsers do: the CJK name must come back exactly.
	disp, params, err := mime.ParseMediaType(dl.header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != name {
		t.Errorf("Content-Disposition %q: %s %v %v", dl.header.Get("Content-Disposition"), disp, params, err)
	}
	if dl.header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(dl.header.Get("ETag"), ev.SHA256) {
		t.Errorf("headers: %v", dl.header)
	}
}

func TestEvidenceErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{maxUpload: 1 << 10})
	p, c := env.fixture()
	sub := env.submission(c, p)
	path := "/api/v1/submissions/" + itoa(sub.ID) + "/entries/1.1.1/evidence"

	big := append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 4<<10)...)
	env.upload(path, "file", "big.pdf", big).expectError(413, "too_large", "file")
	huge := append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 256<<10)...) // past the HTTP body limit too
	env.upload(path, "file", "huge.pdf", huge).expectError(413, "too_large", "file")
	env.upload(path, "file", "run.sh", []byte("#!/bin/sh\nrm -rf /\n")).expectError(415, "unsupported_type", "file")
	env.upload(path, "file", "规划.png", pdf).expectError(415, "unsupported_type", "file") // a PDF renamed .png
	env.upload(path, "attachment", "plan.pdf", pdf).expectError(422, "required", "file")
	env.do("POST", path, []byte(`{"file":"x"}`), "Content-Type", "application/json").expectError(415, "unsupported")
	env.do("POST", path, []byte("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 trunc"),
		"Content-Type", "multipart/form-data; boundary=xyz").expectError(400, "bad_request", "file")
	env.upload("/api/v1/submissions/999/entries/1.1.1/evidence", "file", "plan.pdf", pdf).expectError(404, "not_found")
	env.upload("/api/v1/submissions/"+itoa(sub.ID)+"/entries/9.9/evidence", "file", "plan.pdf", pdf).expectError(422, "unknown_indicator", "code")
	env.do("GET", "/api/v1/evidence/999", nil).expectError(404, "not_found")
	if l := list[platform.Evidence](env.do("GET", "/api/v1/submissions/"+itoa(sub.ID)+"/evidence", nil).expect(200)); l.Total != 0 {
		t.Errorf("failed uploads left %d evidence records", l.Total)
	}
}

func TestContentDisposition(t *testing.T) {
	cases := []struct{ name, want string }{
		{"plan.pdf", `attachment; filename="plan.pdf"`},
		{"规划.pdf", `attachment; filename="__.pdf"; filename*=UTF-8''%E8%A7%84%E5%88%92.pdf`},
		{`a"b\c%.pdf`, `attachment; filename="a_b_c_.pdf"; filename*=UTF-8''a%22b%5Cc%25.pdf`},
		{"a b.pdf", `attachment; filename="a b.pdf"`},
	}
	for _, c := range cases {
		if got := ContentDisposition("attachment", c.name); got != c.want {
			t.Errorf("%q: %s, want %s", c.name, got, c.want)
		}
	}
}
