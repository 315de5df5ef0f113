package platform_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sceval/sceval/platform"
)

// FuzzImportPilotsXLSX: whatever the bytes of a file named .xlsx (seeded
// with a genuine workbook, which the fuzzer damages), a dry-run import
// succeeds or fails with a user error; it never panics, hangs or inflates
// without bound (dataset.OpenXLSX).
func FuzzImportPilotsXLSX(f *testing.F) {
	wb := excelize.NewFile()
	for i, row := range [][]any{{"region_code", "name", "batch", "type"}, {"320583", "昆山市", "2014", "city"}, {"110108011", "中关村街道", "2013", "town"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow("Sheet1", cell, &row); err != nil {
			f.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"))
	svc, _ := newService(f, platform.ServiceOptions{})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := svc.ImportPilotsWith(admin, "fuzz.xlsx", bytes.NewReader(data), platform.PilotImportOptions{DryRun: true})
		if k := platform.ErrorKindOf(err); err != nil && k != platform.Invalid && k != platform.TooLarge {
			t.Fatalf("error of kind %q: %v", k, err)
		}
	})
}

// FuzzImportPilotsCommit imports for real: an import adds exactly the
// pilots it reports, or none (all or nothing), whatever the file.
func FuzzImportPilotsCommit(f *testing.F) {
	for _, seed := range []string{
		"region_code,name,batch,type\n110105,朝阳区,2013,district\n130100,石家庄市,2013,city\n",
		"region_code,name,batch,type\n110105,朝阳区,2014,district\n110105,朝阳区,2014,district\n",
		"region_code,name,batch,type,status\n110108011,中关村街道,2013,town,suspended\n",
		"region_code,name,batch,type\n9999,nowhere,2013,city\n",
	} {
		f.Add([]byte(seed))
	}
	svc, _ := newService(f, platform.ServiceOptions{})
	f.Fuzz(func(t *testing.T, data []byte) {
		_, before, err := svc.ListPilots(admin, platform.PilotFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		n, err := svc.ImportPilots(admin, "fuzz.csv", bytes.NewReader(data))
		if k := platform.ErrorKindOf(err); err != nil && k != platform.Invalid && k != platform.TooLarge {
			t.Fatalf("error of kind %q: %v", k, err)
		}
		_, after, _ := svc.ListPilots(admin, platform.PilotFilter{Limit: 1})
		if err != nil {
			n = 0
		}
		if after-before != n {
			t.Fatalf("import reported %d pilots (err %v), the store gained %d", n, err, after-before)
		}
	})
}
