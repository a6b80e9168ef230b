"""Messages of the KPI library (lib/kpi): filters and settings that do not fit."""
MESSAGES = {
    "kpi.range_reversed": (
        "开始日期 {start} 晚于结束日期 {end}。",
        "The start date {start} is after the end date {end}.",
    ),
    "kpi.unknown_value": (
        "筛选条件 {field} 中的值 {value} 无效。",
        "{value} is not a valid value for the {field} filter.",
    ),
    "kpi.bad_type": (
        "筛选条件 {field} 的类型不正确。",
        "The {field} filter has the wrong type.",
    ),
    "kpi.bad_setting": (
        "KPI 设置 {name} 的值 {value} 无效。",
        "The KPI setting {name} cannot be {value}.",
    ),
    "kpi.bad_grain": (
        "不支持的时间粒度：{grain}。",
        "Unsupported time grain: {grain}.",
    ),
    "kpi.bad_dimension": (
        "不支持的分组维度：{dimension}。",
        "Unsupported breakdown: {dimension}.",
    ),
    "kpi.bad_preset": (
        "未知的日期范围：{preset}。",
        "Unknown date range: {preset}.",
    ),
}
