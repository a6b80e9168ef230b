MESSAGES = {
    "auth.login_title": ("登录服务控制台", "Sign in to the Service Console"),
    "auth.username": ("用户名", "Username"),
    "auth.password": ("密码", "Password"),
    "auth.login_button": ("登录", "Sign in"),
    "auth.login_failed": (
        "登录失败：用户名或密码不正确。连续失败 {attempts} 次后账户将锁定 {minutes} 分钟。",
        "Sign-in failed: the user name or password is not right. After {attempts} failures in a row "
        "the account is locked for {minutes} minutes.",
    ),
    "auth.logout": ("退出登录", "Sign out"),
    "auth.session_ended": ("您的会话已结束，请重新登录。", "Your session has ended; please sign in again."),
    "auth.signed_in_as": ("已登录：{name}（{roles}）", "Signed in as {name} ({roles})"),
    "auth.change_password": ("修改密码", "Change password"),
    "auth.must_change_password": (
        "管理员为您设置了临时密码，请先修改密码。",
        "An administrator set a temporary password for you; please change it first.",
    ),
    "auth.current_password": ("当前密码", "Current password"),
    "auth.new_password": ("新密码", "New password"),
    "auth.repeat_password": ("再次输入新密码", "Repeat new password"),
    "auth.passwords_differ": ("两次输入的新密码不一致。", "The two new passwords differ."),
    "auth.password_changed": (
        "密码已修改，所有会话已结束。请用新密码重新登录。",
        "Password changed and every session ended. Please sign in with the new password.",
    ),
    "auth.password_too_short": ("密码至少需要 {minimum} 个字符。", "The password needs at least {minimum} characters."),
    "auth.password_too_long": ("密码不能超过 {maximum} 字节。", "The password may not be longer than {maximum} bytes."),
    "auth.password_spaces": ("密码首尾不能有空格。", "The password may not start or end with a space."),
    "auth.password_too_simple": (
        "密码不能只含数字或只含字母。",
        "The password may not be only digits or only letters.",
    ),
    "auth.password_unchanged": ("新密码不能与当前密码相同。", "The new password must differ from the current one."),
    "auth.current_password_wrong": ("当前密码不正确。", "The current password is not right."),
    "auth.roles_required": ("请至少选择一个角色。", "Choose at least one role."),
    "auth.roles_unknown": ("未知角色：{roles}。", "Unknown roles: {roles}."),
    "auth.username_invalid": (
        "用户名需为 3 到 32 位小写字母、数字、点、下划线或连字符，并以字母或数字开头。",
        "A user name is 3 to 32 lower-case letters, digits, dots, underscores or hyphens, "
        "starting with a letter or digit.",
    ),
    "auth.display_name_invalid": ("请填写 1 到 64 个字符的显示名称。", "Enter a display name of 1 to 64 characters."),
    "auth.username_taken": ("用户名 {username} 已存在。", "The user name {username} is already taken."),
    "auth.cannot_drop_own_admin": (
        "不能移除自己的管理员角色，请让另一位管理员操作。",
        "You cannot remove your own admin role; ask another admin.",
    ),
    "auth.cannot_disable_self": ("不能停用自己的账户。", "You cannot disable your own account."),
}
