package platform_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// An import reports every problem at once, each with its line, and stores
// nothing; the regions already pilots of their batch are among them.
func TestImportReportsEveryProblem(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{Regions: registry(t)}, nil)
		if _, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "320500", Name: "苏州市", Batch: "2013", Type: platform.PilotCity}); err != nil {
			t.Fatal(err)
		}
		csv := "region_code,name,batch,type\n" +
			"110105,朝阳区,2013,district\n" + // 2: fine
			"110105,朝阳区,2013,city\n" + // 3: wrong type
			"119999,无此区,2013,district\n" + // 4: unknown region
			"110106,丰台区,2013,county\n" + // 5: unknown type
			"110105,朝阳区,2013,district\n" + // 6: repeats line 2
			"3205,苏州,2013,city\n" // 7: already a pilot
		_, err := svc.ImportPilots(admin, "试点.csv", strings.NewReader(csv))
		var e *platform.Error
		if !errors.As(err, &e) || e.Kind != platform.Invalid {
			t.Fatalf("err = %v", err)
		}
		var got []string
		for _, d := range e.Details {
			got = append(got, fmt.Sprintf("%d %s", d.Line, d.Field))
		}
		if want := []string{"3 type", "4 region_code", "5 type", "6 region_code"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("problems %v, want %v\n%s", got, want, e.Message)
		}
		if !strings.HasPrefix(e.Message, "试点.csv: 4 problems, nothing imported\n试点.csv:3: region 110105 is a county-level division") {
			t.Fatalf("message: %s", e.Message)
		}
		// Once the file itself is right, the stored pilots are checked.
		_, err = svc.ImportPilots(admin, "试点.csv", strings.NewReader("region_code,name,batch,type\n110105,朝阳区,2013,district\n3205,苏州,2013,city\n"))
		wantErr(t, err, platform.Invalid, platform.CodeDuplicate, "试点.csv:3: region 320500 is already a pilot of batch 2013")
		if _, total, _ := svc.ListPilots(admin, platform.PilotFilter{}); total != 1 {
			t.Fatalf("%d pilots after failed imports, want 1", total)
		}
	})
}

// Chinese headers in any order, Chinese type and status names, GB18030 text,
// XLSX workbooks and dry runs.
func TestImportRealFiles(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{Regions: registry(t)}, nil)
		text := "名称,类型,行政区划代码,批次,状态\n朝阳区,区,110105,2013,正常\n中关村街道,镇,110108011000,2013,暂停\n石家庄市,城市,1301,2013,\n"
		gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.ImportPilotsWith(admin, "试点.csv", strings.NewReader(gb), platform.PilotImportOptions{DryRun: true})
		if err != nil || res.Created != 3 || !res.DryRun || res.Format != "csv GB18030" {
			t.Fatalf("dry run: %+v, %v", res, err)
		}
		if _, total, _ := svc.ListPilots(admin, platform.PilotFilter{}); total != 0 {
			t.Fatalf("a dry run stored %d pilots", total)
		}
		if res, err = svc.ImportPilotsWith(admin, "试点.csv", strings.NewReader(gb), platform.PilotImportOptions{}); err != nil || res.Created != 3 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		ps, _, _ := svc.ListPilots(admin, platform.PilotFilter{})
		var got []string
		for _, p := range ps {
			got = append(got, fmt.Sprintf("%s %s %s %s", p.RegionCode, p.Name, p.Type, p.Status))
		}
		want := []string{"110105 朝阳区 district active", "110108011 中关村街道 town suspended", "130100 石家庄市 city active"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("pilots %v, want %v", got, want)
		}

		book := excelize.NewFile()
		for i, row := range [][]any{{"batch", "region_code", "type", "name"}, {"2014", 320583, "city", "昆山市"}, {}, {"2014", "320200", "city", "无锡市"}} {
			if err := book.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := book.Write(&buf); err != nil {
			t.Fatal(err)
		}
		if res, err = svc.ImportPilotsWith(admin, "试点.xlsx", &buf, platform.PilotImportOptions{}); err != nil || res.Created != 2 || res.Format != "xlsx" {
			t.Fatalf("xlsx: %+v, %v", res, err)
		}
		book = excelize.NewFile()
		for i, row := range [][]any{{"行政区划代码", "名称", "批次", "类型"}, {"320583", "昆山市", "2015", "镇"}} {
			if err := book.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &row); err != nil {
				t.Fatal(err)
			}
		}
		buf.Reset()
		if err := book.Write(&buf); err != nil {
			t.Fatal(err)
		}
		_, err = svc.ImportPilotsWith(admin, "试点.xlsx", &buf, platform.PilotImportOptions{})
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, "试点.xlsx:2: region 320583 is a county-level division, so the pilot cannot be of type town")
	})
}

// A file with more pilots than one staging batch is imported whole, and an
// import that fails in its last step leaves no pilots (the staged rows are
// checked in sqlstore's TestImportPilotsCleansUp).
func TestImportInBatches(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		var csv strings.Builder
		csv.WriteString("region_code,name,batch,type\n")
		const n = 4500
		for i := range n {
			fmt.Fprintf(&csv, "%02d%07d,镇%d,2013,town\n", 11+i%31, i, i)
		}
		if got, err := svc.ImportPilots(admin, "towns.csv", strings.NewReader(csv.String())); err != nil || got != n {
			t.Fatalf("import: %d, %v", got, err)
		}
		if _, total, _ := svc.ListPilots(admin, platform.PilotFilter{}); total != n {
			t.Fatalf("%d pilots, want %d", total, n)
		}
		// The store's last step meets a region that became a pilot meanwhile.
		ps := make([]platform.Pilot, 2500)
		for i := range ps {
			ps[i] = platform.Pilot{RegionCode: fmt.Sprintf("%02d%07d", 11+i%31, 100000+i), Name: "新镇", ProvinceCode: fmt.Sprintf("%02d", 11+i%31),
				Batch: "2014", Type: platform.PilotTown, Status: platform.PilotActive, Version: 1, CreatedAt: now, UpdatedAt: now}
		}
		ps[2400].RegionCode, ps[2400].Batch = "110000000", "2013" // as the first town above
		err := store.ImportPilots(context.Background(), ps)
		wantErr(t, err, platform.Conflict, platform.CodeDuplicate, "became a pilot")
		if _, total, _ := svc.ListPilots(admin, platform.PilotFilter{}); total != n {
			t.Fatalf("%d pilots after the failed import, want %d", total, n)
		}
	})
}

// Malformed CSV is an error naming its line, never a panic: the data row
// of an unterminated quote made the old parser call FieldPos after a
// failed Read.
func TestImportMalformedCSV(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	for _, tc := range []struct{ csv, inMsg string }{
		{"region_code,name,batch,type\n\"0", `p.csv:2: column 3: extraneous or missing " in quoted-field`},
		{"region_code,name,batch,type\n110105,a\"b,2013,district\n", `p.csv:2: column`},
		{"", "empty file"},
		{"\xff\xfe\x00", "p.csv"},
		{"region_code;name;batch;type\n", "header"},
	} {
		_, err := svc.ImportPilots(admin, "p.csv", strings.NewReader(tc.csv))
		wantErr(t, err, platform.Invalid, "", tc.inMsg)
	}
}

// FuzzImportPilots: whatever the bytes, a dry-run import either succeeds
// with one pilot per data row or fails with a user error; it never panics.
func FuzzImportPilots(f *testing.F) {
	for _, seed := range []string{
		"region_code,name,batch,type\n110105,朝阳区,2013,district\n",
		"region_code,name,batch,type\n\"0",
		"行政区划代码,名称,批次,类型,状态\n110108011,中关村街道,2013,镇,正常\n",
		"type,batch,name,region_code\ncity,2013,\"石家庄, 市\",1301\n\n",
		"PK\x03\x04",
	} {
		f.Add([]byte(seed))
	}
	svc, _ := newService(f, platform.ServiceOptions{})
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := svc.ImportPilotsWith(admin, "fuzz.csv", bytes.NewReader(data), platform.PilotImportOptions{DryRun: true})
		if err != nil {
			if k := platform.ErrorKindOf(err); k != platform.Invalid && k != platform.TooLarge {
				t.Fatalf("error of kind %q: %v", k, err)
			}
			return
		}
		if res.Format == "" || res.Created < 0 {
			t.Fatalf("success without a format: %+v", res)
		}
	})
}
