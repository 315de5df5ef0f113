package report

// cycleMessages are the strings of the cycle summary report and its charts:
// key → {Chinese, English}.
var cycleMessages = map[string][2]string{
	"chart.score":             {"总分", "Overall score"},
	"chart.pilots":            {"试点数", "Pilots"},
	"chart.no_stars":          {"未达星级", "No stars"},
	"chart.mean_score":        {"平均总分", "Mean overall score"},
	"chart.high":              {"高", "High"},
	"chart.low":               {"低", "Low"},
	"chart.interval":          {"5%–95% 排名区间", "5–95 % rank interval"},
	"chart.median":            {"排名中位数", "Median rank"},
	"chart.nominal":           {"当前排名", "Current rank"},
	"chart.rank":              {"排名", "Rank"},
	"type.city":               {"城市", "City"},
	"type.district":           {"区（县）", "District/county"},
	"type.town":               {"镇", "Town"},
	"state.draft":             {"草稿", "Draft"},
	"state.submitted":         {"已提交", "Submitted"},
	"state.returned":          {"已退回", "Returned"},
	"state.forwarded":         {"已报部", "Forwarded"},
	"state.accepted":          {"已通过", "Accepted"},
	"report.title":            {"%s 评价结果汇总报告", "%s: summary report of the results"},
	"report.national":         {"全国", "National"},
	"report.scope":            {"范围", "Scope"},
	"report.generated":        {"生成时间", "Generated"},
	"report.computed":         {"结果计算时间", "Results computed"},
	"report.framework":        {"指标体系", "Framework"},
	"report.state":            {"周期状态", "Cycle state"},
	"report.demo":             {"演示数据（虚构），不代表任何真实评价。", "Demo data (fictional): not a real evaluation."},
	"report.stale":            {"提示：结果计算后已有提交或规则变更，结果可能已过时。", "Note: submissions or rules changed after the results were computed; they may be out of date."},
	"report.participation":    {"参与情况", "Participation"},
	"report.submissions":      {"提交总数", "Submissions"},
	"report.accepted":         {"已通过", "Accepted"},
	"report.scored":           {"已评分", "Scored"},
	"report.ranked":           {"参与排名", "Ranked"},
	"report.flagged":          {"覆盖率不足（不排名）", "Below coverage (not ranked)"},
	"report.distribution":     {"总分分布", "Distribution of overall scores"},
	"report.mean":             {"平均", "Mean"},
	"report.median":           {"中位数", "Median"},
	"report.min":              {"最低", "Lowest"},
	"report.max":              {"最高", "Highest"},
	"report.thresholds":       {"星级阈值（虚线）", "Star thresholds (dashed lines)"},
	"report.stars":            {"星级评定", "Star ratings"},
	"report.stars_n":          {"%d 星", "%d stars"},
	"report.no_stars":         {"未达星级", "No stars"},
	"report.map":              {"各省平均总分", "Mean overall score by province"},
	"report.provinces":        {"各省情况", "Provinces"},
	"report.province":         {"省份", "Province"},
	"report.pilots":           {"试点数", "Pilots"},
	"report.mean_score":       {"平均总分", "Mean score"},
	"report.top":              {"排名前列", "Top of the ranking"},
	"report.bottom":           {"排名末尾", "Bottom of the ranking"},
	"report.rank":             {"排名", "Rank"},
	"report.pilot":            {"试点", "Pilot"},
	"report.region":           {"地区", "Region"},
	"report.type":             {"类型", "Type"},
	"report.score":            {"总分", "Score"},
	"report.by_type":          {"各类型一级指标平均得分", "First-level averages by pilot type"},
	"report.agreement":        {"专家评审一致性", "Agreement of the expert review"},
	"report.panels":           {"评审组数", "Panels"},
	"report.kendall":          {"Kendall W 均值", "Mean Kendall's W"},
	"report.icc21":            {"ICC(2,1) 均值", "Mean ICC(2,1)"},
	"report.icc2k":            {"ICC(2,k) 均值", "Mean ICC(2,k)"},
	"report.outliers":         {"偏离专家数", "Outlier experts"},
	"report.no_agreement":     {"本周期无已提交的专家评审。", "No submitted expert reviews in this cycle."},
	"report.outlier_rule":     {"偏离专家：其评分与同组其他专家中位数的平均绝对偏差（留一法）超过本周期设定的 %g 分。", "Outlier experts: the mean absolute deviation of their scores from the median of the other experts of the panel (leave-one-out) exceeds the cycle's %g points."},
	"report.intervals_shown":  {"列出当前排名最前的 %d 个试点。", "The %d pilots with the best current ranks are shown."},
	"report.uncertainty":      {"不确定性分析（排名区间）", "Uncertainty (rank intervals)"},
	"report.uncertainty_note": {"蒙特卡洛 %d 次：权重扰动 ±%.0f%%，算术/几何平均；区间为 5%%–95%% 分位。", "Monte Carlo, %d runs: weights ±%.0f %%, arithmetic or geometric mean; intervals are the 5–95 %% quantiles."},
	"report.interval":         {"排名区间", "Rank interval"},
	"report.omitted":          {"（无权查看，已略去）", "(not available to this account: left out)"},
	"report.none":             {"无", "None"},
	"report.method":           {"方法说明", "Method"},
	"report.method_text":      {"得分 0–100，越高越好；排名并列取最小名次；星级按周期设定的阈值，按显示的两位小数判定。覆盖率低于周期阈值的试点不排名、不评星。", "Scores are on 0–100, higher is better; ties share the smallest rank; stars follow the cycle's thresholds, applied to the score as displayed (two decimals). Pilots below the cycle's coverage threshold are neither ranked nor rated."},
}

// cycleMsg returns the message key in lang ("en" or Chinese), or the key itself
// in brackets when missing (a test checks every key used exists).
func cycleMsg(lang, key string) string {
	m, ok := cycleMessages[key]
	if !ok {
		return "⟦" + key + "⟧"
	}
	if lang == "en" {
		return m[1]
	}
	return m[0]
}
