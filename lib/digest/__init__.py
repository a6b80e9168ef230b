"""Digests (issue 16): the briefing of a role pushed to WeCom, DingTalk, Feishu and
e-mail (lib.digest.run, wire formats in lib.digest.channels), logged in
console_digest_log.

    python -m lib.digest --db URL --role manager [--language en] [--send]
"""
