package demo

import (
	"context"
	"fmt"
	"sync"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// evidenceFile is one generated evidence file and the indicator it
// supports.
type evidenceFile struct {
	code, name string
	body       []byte
}

// officeEvery: the main province's pilots and every officeEvery-th other
// pilot also get a spreadsheet and a Word document.
const officeEvery = 4

// addEvidence attaches files to the open cycle's submissions while they
// are still drafts: to every pilot a plan (PDF, to 1.1.1) and a monitoring
// chart (PNG, to 1.2.1); to some also a statistics table (XLSX, to 2.2.5)
// and a description (DOCX, to 3.1.3). The file names carry the pilot's
// name, as real uploads do (a blind review masks them); the contents do
// not. It returns the number of files. The files are generated in order
// (deterministic) and stored a few pilots at a time, so their ids may
// interleave between pilots from one run to the next.
func addEvidence(ctx context.Context, svc *platform.Service, fw *framework.Framework, cycleID int64, pilots []seededPilot) (int, error) {
	subs, err := submissionsByPilot(ctx, svc, cycleID)
	if err != nil {
		return 0, err
	}
	main := MainProvince()
	var uploads []func() error
	n := 0
	for i, p := range pilots {
		sub := subs[p.ID]
		files := []evidenceFile{
			{"1.1.1", p.Name + "智慧城市发展规划纲要（演示）.pdf",
				minimalPDF(fmt.Sprintf("sceval demo - fictional smart city plan no. %d (2017)", i+1))},
			{"1.2.1", p.Name + "-wlan-coverage-demo.png", minimalPNG(chartValues(sub, fw))},
		}
		if p.RegionCode[:2] == main || i%officeEvery == 0 {
			table, err := statisticsXLSX(sub, fw)
			if err != nil {
				return 0, err
			}
			files = append(files,
				evidenceFile{"2.2.5", p.Name + "统计数据表（演示）.xlsx", table},
				evidenceFile{"3.1.3", p.Name + "网上办事情况说明（演示）.docx",
					minimalDOCX("【演示数据，虚构】网上办事情况说明（2017 年度监测）。本文件由 sceval 演示程序生成，内容均为虚构。")})
		}
		n += len(files)
		uploads = append(uploads, func() error {
			for _, f := range files {
				if _, err := svc.AddEvidence(ctx, sub.ID, f.code, f.name, bytesReader(f.body)); err != nil {
					return fmt.Errorf("add demo evidence %s: %w", f.name, err)
				}
			}
			return nil
		})
	}
	return n, parallel(uploadWorkers, uploads)
}

// uploadWorkers is how many pilots' files are stored at once: each file is
// synced to disk before it is recorded, and the waits overlap.
const uploadWorkers = 4

// parallel runs jobs on n goroutines and returns the first error.
func parallel(n int, jobs []func() error) error {
	next := make(chan func() error)
	errs := make(chan error, len(jobs))
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for job := range next {
				errs <- job()
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
