"""Text of the role-limited and hardened parts of pages (issue #18)."""
MESSAGES = {
    "error.busy": (
        "系统正忙（您或其他同事的计算较多），未做任何更改。请稍后重试，或选择较短的时间范围。",
        "The console is busy (many figures are being computed, by you or colleagues); nothing was "
        "changed. Please try again in a moment, or choose a shorter range.",
    ),
    "error.too_slow": (
        "此查询超过 {seconds} 秒仍未完成，已停止，未做任何更改。请选择较短的时间范围或较少的城市后重试。",
        "This query ran longer than {seconds} s and was stopped; nothing was changed. Please choose "
        "a shorter range or fewer cities and try again.",
    ),
    "sec.eng.monthly_no_pay": ("按月：完成工单与评价", "By month: completed orders and ratings"),
}
