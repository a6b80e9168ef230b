"""Texts of sessions, lock-outs and the password gate (auth helper's area)."""
MESSAGES = {
    "auth_s.logout_everywhere": ("在所有设备退出", "Sign out everywhere"),
    "auth_s.logout_everywhere_help": (
        "结束您在所有浏览器和设备上的会话。", "Ends your sessions in every browser and on every device."),
    "auth_s.must_change_password": (
        "请先修改密码，然后才能继续使用控制台。",
        "Please change your password before you go on using the console."),
    "auth_s.config_problem": (
        "控制台配置有误，无法登录：{reason}", "The console is misconfigured; nobody can sign in: {reason}"),
    "auth_s.back_to_page": ("返回", "Back"),
    "auth_s.display_name_control": (
        "显示名称不能包含控制字符或不可见字符。",
        "The display name may not contain control or invisible characters."),
    # Users page
    "auth_s.locked": ("已锁定", "Locked"),
    "auth_s.locked_until": ("锁定至", "Locked until"),
    "auth_s.failed_logins": ("失败次数", "Failed sign-ins"),
    "auth_s.last_login": ("上次登录", "Last sign-in"),
    "auth_s.never": ("从未", "never"),
    "auth_s.unlock": ("解除锁定", "Unlock"),
    "auth_s.unlocked": ("已解除 {username} 的锁定。", "{username} is unlocked."),
    "auth_s.not_locked": ("{username} 没有被锁定。", "{username} is not locked."),
    "auth_s.force_change": ("要求下次登录时修改密码", "Require a password change at next sign-in"),
    "auth_s.force_change_done": (
        "{username} 下次打开页面时必须先修改密码。",
        "{username} must change the password before opening the next page."),
    "auth_s.sessions": ("{username} 的会话", "Sessions of {username}"),
    "auth_s.sessions_empty": ("没有会话记录。", "No sessions."),
    "auth_s.session_started": ("登录时间", "Signed in"),
    "auth_s.session_seen": ("最近活动", "Last seen"),
    "auth_s.session_expires": ("过期时间", "Expires"),
    "auth_s.session_client": ("浏览器", "Browser"),
    "auth_s.session_state": ("状态", "State"),
    "auth_s.session_active": ("有效", "active"),
    "auth_s.session_ended": ("已结束", "ended"),
    "auth_s.session_pick": ("要结束的会话", "Session to end"),
    "auth_s.session_option": ("#{id} · {client} · 登录于 {started}", "#{id} · {client} · signed in {started}"),
    "auth_s.end_session": ("结束此会话", "End this session"),
    "auth_s.session_ended_done": ("会话 #{id} 已结束。", "Session #{id} has ended."),
    "auth_s.session_already_ended": ("会话 #{id} 已经结束。", "Session #{id} had already ended."),
}
