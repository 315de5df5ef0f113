package ui

import (
	"fmt"
	"sync"
)

// catalogue looks up the interface strings in one language.
type catalogue struct {
	lang string
}

// T returns the message key in the catalogue's language; an unknown key
// shows as ⟦key⟧ so that a missing message is visible (and tests catch it).
func (c catalogue) T(key string) string {
	m, ok := messages()[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if c.lang == "en" {
		return m[1]
	}
	return m[0]
}

// F formats the message key with args (fmt.Sprintf verbs).
func (c catalogue) F(key string, args ...any) string { return fmt.Sprintf(c.T(key), args...) }

// E names an enumerated value (a state, kind or type) of group: the message
// "group.value", or the value itself when the catalogue does not know it.
func (c catalogue) E(group string, value any) string {
	key := fmt.Sprint(group, ".", value)
	if _, ok := messages()[key]; !ok {
		return fmt.Sprint(value)
	}
	return c.T(key)
}

// messages are the interface strings: key → {Chinese, English}. They are
// the only user-facing words of the pages; data (names, definitions) comes
// from the database and the frameworks. Each area of the application keeps
// its strings in its own file (messages_<area>.go); a key defined twice is a
// programming error that mergeMessages reports when the catalogue is first
// used (New builds it, so a server does not start with one). Built on
// first use, not at start-up: every sceval command links this package
// (BENCHMARKS.md, "Start-up").
var messages = sync.OnceValue(func() map[string][2]string {
	return mergeMessages(coreMessages(), entryMessages(), reviewMessages(), resultMessages(),
		scorecardMessages(), adminMessages(), exchangeMessages())
})

// mergeMessages joins the areas' catalogues; it panics on a key defined in
// two of them, which every test run catches.
func mergeMessages(parts ...map[string][2]string) map[string][2]string {
	out := make(map[string][2]string)
	for _, part := range parts {
		for k, v := range part {
			if _, dup := out[k]; dup {
				panic("ui: message " + k + " is defined twice")
			}
			out[k] = v
		}
	}
	return out
}

// coreMessages are the strings of the layout, the errors and the shared
// enumerations.
func coreMessages() map[string][2]string {
	return map[string][2]string{
		"app.name":            {"智慧城市试点评价系统", "Smart-city pilot evaluation"},
		"nav.skip":            {"跳到正文", "Skip to content"},
		"nav.label":           {"主导航", "Main navigation"},
		"nav.overview":        {"概览", "Overview"},
		"nav.login":           {"登录", "Log in"},
		"nav.switch":          {"English", "中文"},
		"demo.title":          {"演示数据为虚构。", "Demo data is fictional."},
		"demo.text":           {"试点名单取自 2013 年第一批国家智慧城市试点（部分）；申报材料、数值、说明、附件和得分均为虚构，仅供演示。", "The pilots are a selection of the first batch of national smart-city pilots (2013); all submissions, values, narratives, files and scores are invented for demonstration."},
		"footer.defaults":     {"权重、评分细则、星级阈值和英文译名是 sceval 的默认值，非官方规定。", "Weights, rubrics, star thresholds and English names are sceval defaults, not official."},
		"footer.api":          {"程序和脚本可使用同样功能的 JSON API：", "Programs and scripts can do the same through the JSON API:"},
		"defaults.marker":     {"默认值，非官方", "sceval default, not official"},
		"defaults.title":      {"此项为 sceval 的假设，原文未规定，可以修改", "An assumption of sceval, not given by the source; editable"},
		"error.not_found":     {"未找到", "Not found"},
		"error.internal":      {"服务器错误", "Server error"},
		"error.internal_text": {"页面生成失败，详情已记入服务器日志。", "The page could not be built; the details are in the server log."},
		"error.no_cycle":      {"没有编号为 %d 的评价周期。", "There is no cycle %d."},
		"error.no_pilot":      {"没有编号为 %d 的试点。", "There is no pilot %d."},
		"error.no_framework":  {"没有标识为 %q 的指标体系。", "There is no framework %q."},
		"error.no_page":       {"没有这个页面。", "There is no such page."},
		"list.sep":            {"、", ", "},
		"error.back":          {"返回概览", "Back to the overview"},

		"overview.title":             {"概览", "Overview"},
		"overview.intro":             {"sceval 按住房城乡建设部 2012 年《国家智慧城市（区、镇）试点指标体系（试行）》等指标体系，收集试点城市、区、镇的逐项自评与佐证材料，计算可复现的得分、排名与星级。", "sceval collects the pilot cities', districts' and towns' self-assessments and evidence against an indicator framework such as MOHURD's 2012 smart-city pilot indicator system, and computes reproducible scores, ranks and star ratings."},
		"overview.frameworks":        {"指标体系", "Indicator frameworks"},
		"overview.cycles":            {"评价周期", "Assessment cycles"},
		"overview.pilots":            {"试点", "Pilots"},
		"overview.submissions_total": {"申报合计", "Submissions"},
		"overview.more_cycles":       {"仅列出最新的 %d 个周期，共 %d 个。", "Showing the newest %d of %d cycles."},
		"overview.no_cycles":         {"还没有评价周期。", "No assessment cycle yet."},
		"overview.no_cycles_public":  {"还没有已发布的评价周期。未发布的周期请登录后查看（演示账号见 serve --demo 的输出）。", "No published assessment cycle yet. Log in to see unpublished ones (serve --demo prints the demo accounts)."},
		"overview.no_pilots":         {"还没有试点。运行 sceval serve --demo 可载入演示数据。", "No pilot yet. Run sceval serve --demo to load the demo data."},
		"overview.count":             {"数量", "Count"},
		"overview.total":             {"合计", "Total"},

		"framework.heading":         {"指标体系", "Indicator framework"},
		"framework.name":            {"名称", "Name"},
		"framework.id":              {"标识", "ID"},
		"framework.version":         {"版本", "Version"},
		"framework.counts":          {"各级指标数", "Indicators per level"},
		"framework.source":          {"来源", "Source"},
		"framework.levels":          {"层级", "Levels"},
		"framework.notes":           {"说明（sceval 补充的内容）", "Notes (what sceval adds)"},
		"framework.translation":     {"英文名称和说明为 sceval 的翻译，非官方译文。", "English names and definitions are sceval's translation, not an official one."},
		"framework.defaults_legend": {"标出的字段是 sceval 的默认假设（原文未规定权重、类型、方向、单位和评分细则）。", "marks fields that are sceval's assumptions (the source gives no weights, kinds, directions, units or rubrics)."},

		"indicator.code":         {"编码", "Code"},
		"indicator.name":         {"指标", "Indicator"},
		"indicator.definition":   {"指标说明", "Definition"},
		"indicator.measure":      {"计量", "Measure"},
		"indicator.weight":       {"同级权重", "Weight among siblings"},
		"indicator.effective":    {"有效权重", "Effective weight"},
		"indicator.defaults":     {"默认值", "Defaults"},
		"indicator.lower_better": {"越低越好", "lower is better"},

		"cycle.heading":            {"评价周期", "Assessment cycle"},
		"cycle.name":               {"名称", "Name"},
		"cycle.kind":               {"类型", "Kind"},
		"cycle.year":               {"年度", "Year"},
		"cycle.state":              {"状态", "State"},
		"cycle.framework":          {"指标体系", "Framework"},
		"cycle.opens":              {"开始", "Opens"},
		"cycle.due":                {"截止", "Due"},
		"cycle.thresholds":         {"星级阈值（总分）", "Star thresholds (overall score)"},
		"cycle.thresholds_default": {"sceval 默认值，非官方（原文未公布阈值）", "sceval defaults, not official (the programme did not publish thresholds)"},
		"cycle.submissions":        {"申报情况", "Submissions"},
		"cycle.ranking":            {"排名", "Ranking"},
		"cycle.ranking_caption":    {"最新一次计算的排名：第 %d–%d 名，共 %d 个试点", "Ranking of the latest run: %d–%d of %d pilots"},
		"cycle.no_results":         {"本周期还没有计算结果（结果按已通过的申报计算：POST /api/v1/cycles/{id}/results）。", "No results computed for this cycle yet (results are computed from the accepted submissions: POST /api/v1/cycles/{id}/results)."},

		"cycle.scoring":            {"计分方式", "Scoring"},
		"cycle.scoring_absolute":   {"绝对计分：按目标值区间、评分量表和专家分计分，得分与其他试点无关", "Absolute: against goalposts, rubrics and expert scores; a pilot's score does not depend on the others"},
		"cycle.scoring_relative":   {"相对计分（得分取决于参评试点）：", "Relative (scores depend on the cohort): "},
		"cycle.min_completeness":   {"提交所需完整度", "Completeness to submit"},
		"cycle.coverage_threshold": {"参与排名所需覆盖率", "Coverage to be ranked"},
		"cycle.not_applicable":     {"可填“不适用”的指标", "Leaves that may be not applicable"},
		"cycle.none":               {"无", "none"},
		"cycle.overdue":            {"逾期未提交的试点", "Pilots overdue"},
		"cycle.extended":           {"已延期", "extended"},
		"cycle.overdue_more":       {"共 %d 个（完整名单：GET /api/v1/cycles/{id}/overdue）", "%d in all (full list: GET /api/v1/cycles/{id}/overdue)"},
		"run.stale":                {"结果已过期：计算后又有申报通过或规则变更，发布前须重新计算。", "These results are stale: a submission was accepted or the rules changed after they were computed; recompute before publishing."},
		"run.flagged":              {"%d 个试点覆盖率低于阈值：已标记，不参与排名和评星。", "%d pilots are below the coverage threshold: flagged, not ranked and not rated."},
		"ranking.coverage":         {"覆盖率", "Coverage"},
		"ranking.unranked":         {"未排名：覆盖率不足", "Not ranked: coverage below the threshold"},
		"run.computed":             {"计算时间", "Computed"},
		"run.pilots":               {"参评试点", "Pilots scored"},
		"run.hash":                 {"输入哈希", "Input hash"},
		"run.warnings":             {"计算提示 %d 条", "%d engine warnings"},

		"ranking.rank":        {"名次", "Rank"},
		"ranking.pilot":       {"试点", "Pilot"},
		"ranking.region":      {"行政区划", "Region"},
		"ranking.score":       {"总分", "Overall score"},
		"ranking.stars":       {"星级", "Stars"},
		"ranking.stars_label": {"%d 星", "%d stars"},
		"pager.label":         {"分页", "Pages"},
		"pager.prev":          {"上一页", "Previous"},
		"pager.next":          {"下一页", "Next"},
		"pager.page":          {"第 %d / %d 页", "Page %d of %d"},

		"pilot.heading":        {"试点", "Pilot"},
		"pilot.region":         {"行政区划", "Region"},
		"pilot.region_unknown": {"（不在行政区划库中）", "(not in the region registry)"},
		"pilot.batch":          {"批次", "Batch"},
		"pilot.type":           {"类型", "Type"},
		"pilot.status":         {"状态", "Status"},
		"pilot.cycle":          {"评价周期", "Cycle"},
		"pilot.submissions":    {"申报", "Submissions"},
		"pilot.no_submissions": {"还没有申报。", "No submission yet."},
		"pilot.results":        {"各周期结果", "Results across cycles"},
		"pilot.no_results":     {"还没有计算结果。", "No results yet."},
		"pilot.gaps":           {"分项得分与差距", "Scores and gaps by indicator"},
		"pilot.gaps_intro":     {"最新一次计算（%s）的一级、二级指标得分；“最高分”是同一周期所有参评试点在该指标上的最高分，“差距”为本试点得分减最高分。", "First- and second-level scores of the latest run (%s); \"best\" is the highest score of any pilot in that cycle at the indicator, the gap is this pilot's score minus the best."},
		"gap.score":            {"得分", "Score"},
		"gap.best":             {"最高分", "Best"},
		"gap.gap":              {"差距", "Gap"},
		"gap.is_best":          {"最高", "best"},

		"submission.state":        {"状态", "State"},
		"submission.completeness": {"完整度", "Completeness"},
		"submission.updated":      {"更新时间", "Updated"},

		"cycle_kind.application_review": {"申报评审", "Application review"},
		"cycle_kind.annual_monitoring":  {"年度监测", "Annual monitoring"},
		"cycle_kind.final_acceptance":   {"验收评定", "Final acceptance"},
		"cycle_state.draft":             {"草稿", "Draft"},
		"cycle_state.open":              {"开放填报", "Open"},
		"cycle_state.closed":            {"已截止", "Closed"},
		"cycle_state.published":         {"已发布", "Published"},
		"submission_state.draft":        {"草稿", "Draft"},
		"submission_state.submitted":    {"已提交", "Submitted"},
		"submission_state.returned":     {"已退回", "Returned"},
		"submission_state.forwarded":    {"已报部", "Forwarded"},
		"submission_state.accepted":     {"已通过", "Accepted"},
		"pilot_type.city":               {"城市", "City"},
		"pilot_type.district":           {"区（县）", "District/county"},
		"pilot_type.town":               {"镇", "Town"},
		"pilot_status.active":           {"创建中", "Active"},
		"pilot_status.completed":        {"已验收", "Completed"},
		"pilot_status.suspended":        {"暂停", "Suspended"},
		"pilot_status.withdrawn":        {"退出", "Withdrawn"},
		"kind.quantitative":             {"定量", "Quantitative"},
		"kind.rubric":                   {"评分细则", "Rubric"},
		"kind.expert":                   {"专家评分", "Expert score"},
		"field.weight":                  {"权重", "weight"},
		"field.kind":                    {"类型", "kind"},
		"field.direction":               {"方向", "direction"},
		"field.rubric":                  {"评分细则", "rubric"},
		"field.unit":                    {"单位", "unit"},
		"field.goalposts":               {"目标区间", "goalposts"},
		"field.target":                  {"目标值", "target"},
	}
}
