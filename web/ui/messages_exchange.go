package ui

// exchangeMessages are the strings of the data exchange pages (数据交换).
func exchangeMessages() map[string][2]string {
	return map[string][2]string{
		"exchange.nav":           {"数据交换", "Data exchange"},
		"exchange.title":         {"数据交换：Excel 模板与导入", "Data exchange: Excel templates and import"},
		"exchange.intro":         {"下载填报模板，在 Excel 或 WPS 中填写白色的输入列（数值、等级、填报说明、不适用），再上传。先“检查”列出每个错误及其单元格，无误后“导入”；未修改的行不会产生变更。", "Download the template, fill in the white input columns (value, level, narrative, not applicable) in Excel or WPS, and upload it. Check first: every error is listed with its cell; then import. Unchanged rows change nothing."},
		"exchange.templates":     {"模板下载", "Templates"},
		"exchange.no_cycles":     {"目前没有开放的周期。", "No cycle is open."},
		"exchange.bulk":          {"全部试点（批量）", "All pilots (bulk)"},
		"exchange.own":           {"本试点", "My pilot"},
		"exchange.upload":        {"上传已填写的模板或批量文件", "Upload a filled template or bulk file"},
		"exchange.cycle":         {"周期", "Cycle"},
		"exchange.file":          {"文件（XLSX 或 CSV）", "File (XLSX or CSV)"},
		"exchange.partial":       {"只导入有效的行（其余行列为错误）", "Import the valid rows only (report the others)"},
		"exchange.check":         {"检查（不写入）", "Check (write nothing)"},
		"exchange.apply":         {"导入", "Import"},
		"exchange.no_file":       {"请选择要上传的文件。", "Choose a file to upload."},
		"exchange.report":        {"结果", "Report"},
		"exchange.dry_run":       {"检查结果（未写入）", "Check (nothing written)"},
		"exchange.summary":       {"共 %d 行：%d 处变更，%d 行未变，%d 行有错误；已写入 %d 条。", "%d rows: %d changes, %d unchanged, %d invalid; %d entries written."},
		"exchange.not_applied":   {"有错误，未写入任何数据：请修改下列单元格，或勾选“只导入有效的行”。", "There are errors, nothing was written: fix the cells below, or choose to import the valid rows only."},
		"exchange.cell":          {"单元格", "Cell"},
		"exchange.message":       {"问题", "Problem"},
		"exchange.more":          {"共 %d 个错误，只列出了一部分。", "%d errors in all: only some are listed."},
		"exchange.changes":       {"变更（最多列出 1000 条）", "Changes (at most 1,000 listed)"},
		"exchange.row":           {"行", "Row"},
		"exchange.pilot":         {"试点", "Pilot"},
		"exchange.code":          {"指标", "Indicator"},
		"exchange.action":        {"操作", "Action"},
		"exchange.action.create": {"新建", "create"},
		"exchange.action.update": {"修改", "update"},
		"exchange.exports":       {"导出", "Exports"},
		"exchange.results":       {"评价结果", "Results"},
	}
}
