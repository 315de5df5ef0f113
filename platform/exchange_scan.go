package platform

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/framework"
)

// sheetState is where the scan of one sheet stands: its header's columns
// once found, or how many rows were searched for it.
type sheetState struct {
	cols     map[string]int
	searched int
}

// scan reads the file from its start and calls fn for each data row of
// every sheet with a header (the pilot ID and code columns and at least
// one input column, within the first headerSearchRows rows; sheets
// without one, such as the instructions, are skipped), the row's pilot,
// leaf and entry parsed and its problems recorded. A file without any
// such header is an error.
func (im *entryImport) scan(pass string, fn func(*importRow) error) (dataset.RecordFormat, error) {
	if _, err := im.src.Seek(0, io.SeekStart); err != nil {
		return dataset.RecordFormat{}, fmt.Errorf("%s: %w", im.name, err)
	}
	states := map[string]*sheetState{}
	rows, headers := 0, 0
	format, err := dataset.ScanRecords(im.name, im.src, func(sheet string, rec dataset.Record) error {
		st := states[sheet]
		if st == nil {
			st = &sheetState{}
			states[sheet] = st
		}
		if st.cols == nil {
			if st.searched >= headerSearchRows {
				return nil
			}
			st.searched++
			if cols, ok := entryHeader(rec.Fields); ok {
				st.cols, headers = cols, headers+1
				im.sheets = append(im.sheets, sheet)
			}
			return nil
		}
		rows++
		if im.opt.Progress != nil && rows%progressRows == 0 {
			im.opt.Progress(pass, rows)
		}
		if err := im.ctx.Err(); err != nil {
			return err
		}
		r := im.row(sheet, rec, st.cols)
		return fn(&r)
	})
	if err != nil {
		return format, Errorf(Invalid, CodeBadValue, "%v", err)
	}
	if im.opt.Progress != nil {
		im.opt.Progress(pass, rows)
	}
	if headers == 0 {
		return format, Errorf(Invalid, CodeRequired, "%s：没有找到表头行：表头须含“试点ID”“指标代码”“数值”“等级”“填报说明”五列（“不适用”列可选），"+
			"在前 %d 行之内（请使用从 sceval 下载的模板）", im.name, headerSearchRows)
	}
	return format, nil
}

// row parses one data row: its pilot (in the cycle, in the caller's scope,
// editable), its leaf and its input cells.
func (im *entryImport) row(sheet string, rec dataset.Record, cols map[string]int) importRow {
	r := importRow{sheet: sheet, line: rec.Line, sub: -1, leaf: -1}
	pilotText, _ := field(rec.Fields, cols, ColPilotID)
	r.code, _ = field(rec.Fields, cols, ColCode)
	if pilotText == "" {
		r.rowProblem(cols, ColPilotID, "缺少试点ID")
	} else if id, err := strconv.ParseInt(pilotText, 10, 64); err != nil || id <= 0 {
		r.rowProblem(cols, ColPilotID, "试点ID“%s”不是正整数", shorten(pilotText))
	} else if si, ok := im.byPilot[id]; !ok {
		r.pilotID = id
		r.rowProblem(cols, ColPilotID, "试点 %d 不在本周期中：周期 %d 没有它的申报（或您无权填报它）", id, im.cycle.ID)
	} else {
		r.pilotID, r.sub = id, si
	}
	switch li, ok := im.plan.index[r.code]; {
	case r.code == "":
		r.rowProblem(cols, ColCode, "缺少指标代码")
	case ok:
		r.leaf = li
	case im.plan.fw.Lookup(r.code) != nil:
		r.rowProblem(cols, ColCode, "指标 %s 有下级指标：请逐项填写它的末级指标", r.code)
	default:
		r.rowProblem(cols, ColCode, "未知的指标代码“%s”：指标体系 %s（%s）中没有这个末级指标%s", shorten(r.code), im.plan.fw.ID, im.plan.fw.Version,
			im.plan.codeHint(r.code))
	}
	if r.leaf >= 0 {
		im.parseRow(&r, rec.Fields, cols)
	}
	// A submission that cannot be edited refuses changes; a row repeating
	// its stored entry (a template of all pilots) is no change.
	if r.sub >= 0 && !im.subs[r.sub].State.Editable() && (r.leaf < 0 || len(r.problems) > 0 ||
		entryDigest(r.entry) != im.cur[r.sub*len(im.plan.leaves)+r.leaf].digest) {
		sub := im.subs[r.sub]
		r.problems = nil
		r.rowProblem(cols, ColPilotID, "试点 %d 的申报（编号 %d）状态为“%s”，不可修改：只有草稿和退回的申报可以修改", r.pilotID, sub.ID, stateName(sub.State))
	}
	return r
}

// stateName names a submission state in Chinese.
func stateName(s SubmissionState) string {
	names := map[SubmissionState]string{SubmissionDraft: "草稿", SubmissionSubmitted: "已提交", SubmissionReturned: "已退回",
		SubmissionAccepted: "已通过", SubmissionState("forwarded"): "已转报"}
	if n, ok := names[s]; ok {
		return n
	}
	return string(s)
}

// codeHint says what an unknown leaf code probably meant: the name of a
// leaf (users type 无线网络 for 1.2.1), or a code a typo away — as the
// data files' header messages do (dataset.unknownColumn). It runs only on
// the error path.
func (p *leafPlan) codeHint(code string) string {
	codes := make([]string, len(p.leaves))
	for i, l := range p.leaves {
		if code == strings.TrimSpace(l.Name.Zh) || strings.EqualFold(code, strings.TrimSpace(l.Name.En)) {
			return fmt.Sprintf("；“%s”是指标 %s 的名称，请填写代码 %s", shorten(code), l.Code, l.Code)
		}
		codes[i] = l.Code
	}
	if s := framework.Suggest(code, codes); s != "" {
		return fmt.Sprintf("；是否为“%s”？", s)
	}
	return ""
}
