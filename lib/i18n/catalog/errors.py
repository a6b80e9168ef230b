MESSAGES = {
    "error.permission_denied": ("您的角色无权执行此操作。", "Your role may not do this."),
    "error.database_unavailable": (
        "数据库暂时无法访问，未做任何更改。请稍后重试。",
        "The database cannot be reached right now; nothing was changed. Please try again shortly.",
    ),
    "error.not_found": ("找不到该记录，可能已被删除。", "That record was not found; it may have been removed."),
}
