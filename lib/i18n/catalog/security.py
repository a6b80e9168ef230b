"""Text of the role-limited and hardened parts of pages (issue #18)."""
MESSAGES = {
    "sec.eng.monthly_no_pay": ("按月：完成工单与评价", "By month: completed orders and ratings"),
}
