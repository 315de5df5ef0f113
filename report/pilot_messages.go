package report

import "fmt"

// pilotMessages are the pilot report's strings: key → {Chinese, English}.
// The scorecard page (package web/ui) has its own catalogue; the chart
// legends, shared by page and report, come from here.
var pilotMessages = map[string][2]string{
	"pilot.title":            {"试点评分卡", "Pilot scorecard"},
	"pilot.demo":             {"演示数据：本报告中的申报数据、得分与评审意见均为虚构，仅用于演示，不代表该地区的真实情况。", "Demo data: the submissions, scores and review comments in this report are fictional, for demonstration only; they say nothing about the real region."},
	"pilot.region":           {"地区", "Region"},
	"pilot.type":             {"类型", "Type"},
	"pilot.batch":            {"批次", "Batch"},
	"pilot.cycle":            {"评价周期", "Cycle"},
	"pilot.framework":        {"指标体系", "Framework"},
	"pilot.total":            {"综合得分", "Total score"},
	"pilot.rank":             {"总排名", "Rank"},
	"pilot.type_rank":        {"同类排名", "Rank in type"},
	"pilot.stars":            {"星级", "Stars"},
	"pilot.coverage":         {"数据覆盖率", "Data coverage"},
	"pilot.of":               {"%d / %d", "%d of %d"},
	"pilot.flagged":          {"数据覆盖率低于本周期阈值：计分但不参加排名与评星。", "Coverage below the cycle's threshold: scored, but neither ranked nor rated."},
	"pilot.no_comparison":    {"本周期结果尚未发布：不与其他试点比较（无同类中位数、无同类排名）。", "The cycle's results are not published: no comparison with other pilots (no peer median, no rank in type)."},
	"pilot.stale":            {"结果计算之后，已受理的申报或本周期规则有变化：以下为上次计算的结果。", "Accepted submissions or the cycle's rules changed after the results were computed: these are the last computed results."},
	"pilot.radar":            {"一级、二级指标得分与同类中位数", "First- and second-level scores against the peer median"},
	"pilot.radar1":           {"一级指标", "First level"},
	"pilot.radar2":           {"二级指标", "Second level"},
	"pilot.levels":           {"一级、二级指标", "First- and second-level indicators"},
	"pilot.gaps":             {"优势与短板", "Strengths and weaknesses"},
	"pilot.weak":             {"短板（低于同类中位数最多，按权重折算为总分的分值）", "Weaknesses (furthest below the peer median, in points of the total)"},
	"pilot.weak_max":         {"短板（离满分最远，按权重折算为总分的分值）", "Weaknesses (furthest from the maximum, in points of the total)"},
	"pilot.strong":           {"优势（高于同类中位数最多）", "Strengths (furthest above the peer median)"},
	"pilot.none":             {"无", "None"},
	"pilot.trend":            {"历年趋势", "Trend across cycles"},
	"pilot.indicators":       {"全部指标", "All indicators"},
	"pilot.experts":          {"专家评审意见", "Expert review"},
	"pilot.experts_summary":  {"%d 位专家提交了评审（合成方法：%s）。", "%d experts submitted reviews (combined by %s)."},
	"pilot.experts_total":    {"专家总分（按本周期权重与合成方法）：%s", "Expert total (the cycle's weights and aggregation): %s"},
	"pilot.experts_masked":   {"本周期为盲评：专家以编号显示。", "Blind review: experts are shown by number."},
	"pilot.expert_n":         {"专家 %d", "Expert %d"},
	"pilot.method":           {"方法说明", "Method"},
	"pilot.col.code":         {"编码", "Code"},
	"pilot.col.name":         {"指标", "Indicator"},
	"pilot.col.value":        {"填报值", "Value"},
	"pilot.col.score":        {"得分", "Score"},
	"pilot.col.median":       {"同类中位数", "Peer median"},
	"pilot.col.weight":       {"有效权重", "Effective weight"},
	"pilot.col.contribution": {"对总分贡献", "Contribution"},
	"pilot.col.gap":          {"差距（分）", "Gap (points)"},
	"pilot.col.expert":       {"专家合成分", "Expert score"},
	"pilot.col.comments":     {"专家意见", "Expert comments"},
	"pilot.col.total":        {"综合得分", "Total"},
	"pilot.not_applicable":   {"不适用", "Not applicable"},
	"pilot.chart.pilot":      {"本试点", "This pilot"},
	"pilot.chart.median":     {"同类中位数", "Peer median"},
	"pilot.chart.total":      {"综合得分", "Total"},
	"pilot.type.city":        {"城市", "City"},
	"pilot.type.district":    {"区（县）", "District/county"},
	"pilot.type.town":        {"镇", "Town"},
	"pilot.method.scheme":    {"评分方案：标准化 %s；权重 %s；合成 %s；%s评分。", "Scheme: normalisation %s; weighting %s; aggregation %s; %s scoring."},
	"pilot.method.absolute":  {"绝对", "absolute"},
	"pilot.method.relative":  {"相对（依赖参评试点）", "relative (depends on the cohort)"},
	"pilot.method.stars":     {"星级阈值（按显示的两位小数得分判定）：%s。", "Star thresholds (decided on the score as displayed, two decimals): %s."},
	"pilot.method.contrib":   {"贡献 = 有效权重 × 得分（有效权重为自根到该指标各级同级权重之积，按本试点有得分的同级指标重新归一）；算术平均下各一级指标（及全部三级指标）的贡献之和等于综合得分。", "Contribution = effective weight × score (the product of the sibling weights from the root down, each renormalised over the siblings the pilot has a score for); under the arithmetic mean the contributions of the first-level indicators (and of all leaves) add up to the total."},
	"pilot.method.median":    {"同类中位数：本周期同类型（城市、区或镇）参加排名的试点在该指标上得分的中位数；差距 = 有效权重 × (中位数 − 得分)，即低于中位数而少得的总分。", "Peer median: the median score of the ranked pilots of the same type (city, district or town) in the cycle; gap = effective weight × (median − score), the points of the total lost against the median."},
	"pilot.method.weights":   {"权重为 sceval 默认值（同级等权），非官方。", "The weights are sceval's defaults (equal among siblings), not official."},
	"pilot.method.run":       {"计算时间 %s；输入哈希 %s。", "Computed %s; input hash %s."},
	"pilot.generated":        {"生成于 %s · sceval", "Generated %s · sceval"},
}

// pilotT returns the message key in lang ("en" or Chinese).
func pilotT(lang, key string) string {
	m, ok := pilotMessages[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return m[1]
	}
	return m[0]
}

// pilotF formats the message key in lang with args.
func pilotF(lang, key string, args ...any) string { return fmt.Sprintf(pilotT(lang, key), args...) }
