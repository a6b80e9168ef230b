"""Texts of the language and chart work (issue 12) and the period comparisons (issue 16):
placeholders, partial periods, targets, "other", comparison periods and presets."""
MESSAGES = {
    # Streamlit's own placeholders, set where Streamlit lets us
    "i18n.choose": ("请选择", "Choose"),
    "i18n.star_one": ("1 星", "1 star"),
    "i18n.other": ("其他", "Other"),
    "i18n.welcome": ("{name}，您好", "Hello, {name}"),
    # a missing value in a table (lib.ui.draw.dataframe)
    "i18n.dash_note": ("“–”表示此处没有数值（例如统计窗口内没有评价，或这一步尚未发生）。",
                       "“–” means there is no value (for example no ratings in the window, or a step "
                       "that has not happened yet)."),
    # partial periods
    "i18n.partial": ("未完整", "partial"),
    "i18n.partial_note_short": (
        "{period} 这一{grain}只部分在所选范围内或尚未结束，图中以虚线、空心点或浅色标出；可在左侧选择不显示。",
        "The {grain} of {period} is only partly in the view or not over yet: drawn dashed, hollow or "
        "lighter; you can leave it out in the sidebar."),
    "i18n.exclude_partial": ("不显示未完整的最后一期", "Leave out the unfinished last period"),
    "i18n.grain.day": ("天", "day"),
    "i18n.grain.week": ("周", "week"),
    "i18n.grain.month": ("月", "month"),
    "i18n.grain.quarter": ("季度", "quarter"),
    "i18n.complete": ("完整", "complete"),
    "i18n.period_state": ("周期", "Period"),
    # targets
    "i18n.target": ("目标 {target}", "Target {target}"),
    "i18n.under_target": ("低于目标", "Under target"),
    "i18n.on_target": ("达到目标", "On target"),
    "i18n.target_state": ("与目标相比", "Against the target"),
    # comparisons (issue 16)
    "i18n.compare": ("对比", "Compare with"),
    "i18n.compare.previous": ("上一周期", "Previous period"),
    "i18n.compare.last_year": ("去年同期", "Same period last year"),
    "i18n.compare.help": ("{start} 至 {end}，筛选条件相同；当前周期未结束时只比较相同的已过时长。",
                          "{start} to {end}, same filters; while the current period runs, only "
                          "the same elapsed part is compared."),
    "i18n.points": ("{points} 个百分点", "{points} pts"),
    "i18n.compare.value": ("{label}为 {value}", "{label}: {value}"),
    "kp.preset.today": ("今天", "Today"),
    "kp.preset.yesterday": ("昨天", "Yesterday"),
    "kp.preset.last_week": ("上周（周一至周日）", "Last week (Mon–Sun)"),
    "kp.preset.last_month": ("上个月", "Last month"),
    "kp.preset.last_quarter": ("上季度", "Last quarter"),
    "kp.preset.year_to_date": ("今年至今", "Year to date"),
}
