package platform_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// asPilot is the context of user, a pilot account bound to sub's pilot, as
// the API layer binds it (svc.Bind), so that scoped grants apply.
func asPilot(svc *platform.Service, user string, sub platform.Submission) context.Context {
	return svc.Bind(context.Background(), platform.Identity{User: user, Roles: []string{"pilot"}, PilotID: sub.PilotID})
}

// admin is the context of an administrator.
var admin = platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})

// draftSubmission creates an open cycle of the tiny framework, a pilot and
// its draft submission.
func draftSubmission(t *testing.T, svc *platform.Service) platform.Submission {
	t.Helper()
	c := openCycle(t, svc)
	p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "330106", Name: "西湖区", Batch: "2013", Type: platform.PilotDistrict})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubmission(admin, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// slowUpload is an upload whose first bytes arrive at once and whose end
// waits until release is closed; started is closed when the rest is asked
// for, that is once the service has checked the file and is storing it.
type slowUpload struct {
	head             []byte
	started, release chan struct{}
	sent             bool
}

func (u *slowUpload) Read(p []byte) (int, error) {
	if !u.sent {
		u.sent = true
		return copy(p, u.head), nil
	}
	close(u.started)
	<-u.release
	return 0, io.EOF
}

// A slow upload begun while the submission was a draft, which was submitted
// before the upload finished, is refused and recorded nowhere: the state
// check is part of the write that records the evidence.
func TestEvidenceRacingASubmit(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		sub := draftSubmission(t, svc)
		up := &slowUpload{head: []byte("%PDF-1.4\n" + strings.Repeat("x", 600)), started: make(chan struct{}), release: make(chan struct{})}
		done := make(chan error, 1)
		go func() {
			_, err := svc.AddEvidence(asPilot(svc, "pilot-a", sub), sub.ID, "A.1", "规划.pdf", up)
			done <- err
		}()
		select {
		case <-up.started:
		case err := <-done:
			t.Fatalf("the upload ended before it was stored: %v", err)
		}
		if _, err := svc.TransitionSubmission(admin, sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
			t.Fatal(err)
		}
		close(up.release)
		wantErr(t, <-done, platform.Conflict, platform.CodeNotEditable, "submitted")
		if list, err := svc.ListEvidence(admin, sub.ID, true); err != nil || len(list) != 0 {
			t.Fatalf("evidence after the refused upload: %+v, %v", list, err)
		}
	})
}

// The same file uploaded twice to an entry is recorded once; its uploader
// deletes it while the submission is a draft; the deleted record stays in
// the history without a blob reference, and cannot be downloaded.
func TestEvidenceDedupeAndDelete(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		sub := draftSubmission(t, svc)
		pdf := "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
		first, err := svc.AddEvidence(asPilot(svc, "pilot-a", sub), sub.ID, "A.1", "规划.pdf", strings.NewReader(pdf))
		if err != nil || first.Existing || first.UploadedBy != "pilot-a" {
			t.Fatalf("first upload: %+v, %v", first, err)
		}
		again, err := svc.AddEvidence(asPilot(svc, "pilot-a", sub), sub.ID, "A.1", "规划（副本）.pdf", strings.NewReader(pdf))
		if err != nil || !again.Existing || again.ID != first.ID {
			t.Fatalf("second upload of the same file: %+v, %v; want record %d again", again, err, first.ID)
		}
		other, err := svc.AddEvidence(asPilot(svc, "pilot-a", sub), sub.ID, "A.2", "规划.pdf", strings.NewReader(pdf))
		if err != nil || other.Existing || other.ID == first.ID {
			t.Fatalf("same file on another entry: %+v, %v", other, err)
		}
		_, err = svc.DeleteEvidence(asPilot(svc, "pilot-b", sub), first.ID)
		wantErr(t, err, platform.Forbidden, "", "only its uploader")
		del, err := svc.DeleteEvidence(asPilot(svc, "pilot-a", sub), first.ID)
		if err != nil || del.DeletedAt == nil || del.DeletedBy != "pilot-a" || del.SHA256 != "" || del.DeletedSHA256 != first.SHA256 {
			t.Fatalf("delete: %+v, %v", del, err)
		}
		_, err = svc.DeleteEvidence(asPilot(svc, "pilot-a", sub), first.ID)
		wantErr(t, err, platform.NotFound, "", "already deleted")
		_, _, err = svc.OpenEvidence(admin, first.ID)
		wantErr(t, err, platform.NotFound, "", "was deleted by pilot-a")
		live, _ := svc.ListEvidence(admin, sub.ID, false)
		all, _ := svc.ListEvidence(admin, sub.ID, true)
		if len(live) != 1 || live[0].ID != other.ID || len(all) != 2 {
			t.Fatalf("live %+v, all %+v", live, all)
		}
		// The blob is still referenced by the other entry's record; once
		// that is deleted too, by an admin, no live row references it.
		if ref, err := store.BlobReferenced(admin, first.SHA256); err != nil || !ref {
			t.Fatalf("referenced by the live record: %v, %v", ref, err)
		}
		if _, err := svc.DeleteEvidence(admin, other.ID); err != nil {
			t.Fatal(err)
		}
		if ref, err := store.BlobReferenced(admin, first.SHA256); err != nil || ref {
			t.Fatalf("referenced after both deletions: %v, %v", ref, err)
		}
		// A new upload after the deletion is a new record.
		fresh, err := svc.AddEvidence(asPilot(svc, "pilot-a", sub), sub.ID, "A.1", "规划.pdf", strings.NewReader(pdf))
		if err != nil || fresh.Existing || fresh.ID == first.ID {
			t.Fatalf("upload after delete: %+v, %v", fresh, err)
		}
		if _, err := svc.TransitionSubmission(admin, sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
			t.Fatal(err)
		}
		_, err = svc.DeleteEvidence(asPilot(svc, "pilot-a", sub), fresh.ID)
		wantErr(t, err, platform.Conflict, platform.CodeNotEditable, "submitted")
	})
}

// A submission's live evidence is bounded in count and bytes; deleting a
// file frees its room.
func TestEvidenceQuota(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{EvidenceQuota: platform.EvidenceQuota{Files: 2, Bytes: 100}}, nil)
		sub := draftSubmission(t, svc)
		ctx := asPilot(svc, "pilot-a", sub)
		a, err := svc.AddEvidence(ctx, sub.ID, "A.1", "a.pdf", strings.NewReader("%PDF-1.4\n"+strings.Repeat("a", 31))) // 40 bytes
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.AddEvidence(ctx, sub.ID, "A.1", "b.pdf", strings.NewReader("%PDF-1.4\n"+strings.Repeat("b", 61))) // 70 bytes: 110 > 100
		wantErr(t, err, platform.TooLarge, platform.CodeEvidenceQuota, "larger than the 60 bytes left in the submission's evidence quota of 100 bytes")
		if _, err = svc.AddEvidence(ctx, sub.ID, "A.1", "c.pdf", strings.NewReader("%PDF-1.4\n"+strings.Repeat("c", 11))); err != nil {
			t.Fatal(err)
		}
		_, err = svc.AddEvidence(ctx, sub.ID, "A.2", "d.pdf", strings.NewReader("%PDF-1.4\nd"))
		wantErr(t, err, platform.Conflict, platform.CodeEvidenceQuota, "already has 2 evidence files")
		if _, err := svc.DeleteEvidence(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err = svc.AddEvidence(ctx, sub.ID, "A.2", "d.pdf", strings.NewReader("%PDF-1.4\nd")); err != nil {
			t.Fatalf("after a deletion: %v", err)
		}
	})
}

// The stored and downloaded name's extension belongs to the sniffed type;
// the uploaded name is kept for display.
func TestEvidenceStoredNameFollowsContent(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	sub := draftSubmission(t, svc)
	zip := "PK\x03\x04\x14\x00\x06\x00"
	for _, tc := range []struct{ name, content, stored, ctype string }{
		{"evil.html", "GIF89a\x01\x00\x01\x00<html><script>alert(1)</script></html>", "evil.gif", platform.TypeGIF},
		{"x.hta", "%PDF-1.4\n<hta:application>", "x.pdf", platform.TypePDF},
		{"宏.docm", zip, "宏.zip", platform.TypeZip},
		{"run.bat", zip + "bat", "run.zip", platform.TypeZip},
		{"扫描件", "\xFF\xD8\xFF\xE0 jpeg", "扫描件.jpg", platform.TypeJPEG},
		{"photo.JPEG", "\xFF\xD8\xFF\xE0 jpeg2", "photo.JPEG", platform.TypeJPEG},
		{"旧版.doc", zip + "docx", "旧版.docx", platform.TypeDOCX},
	} {
		ev, err := svc.AddEvidence(asPilot(svc, "pilot-a", sub), sub.ID, "A.1", tc.name, strings.NewReader(tc.content))
		if err != nil || ev.Filename != tc.stored || ev.OriginalName != tc.name || ev.ContentType != tc.ctype {
			t.Errorf("%s: %+v, %v; want stored as %s (%s)", tc.name, ev, err, tc.stored, tc.ctype)
			continue
		}
		got, rc, err := svc.OpenEvidence(admin, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		if got.Filename != tc.stored || !bytes.Equal(body, []byte(tc.content)) {
			t.Errorf("%s: downloads as %s", tc.name, got.Filename)
		}
	}
	_, err := svc.AddEvidence(asPilot(svc, "pilot-a", sub), sub.ID, "A.1", "setup.msi", strings.NewReader("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1msi"))
	wantErr(t, err, platform.Unsupported, platform.CodeUnsupportedType, "name it .doc, .xls or .ppt")
}
