"""The briefing as a chat message: a markdown card with a link back into the console
for every item (and its rows), plus plain text and HTML for e-mail."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from lib.briefing.items import Briefing, say
from lib.i18n import formatting as fmt
from lib.i18n import translate

_MD = re.compile(r"([\\`*_\[\]()#>|~<])")
TONE = {"ok": "✅", "warn": "⚠️", "bad": "🔴"}
MAX_ROWS = 3


def md_escape(text: str) -> str:
    """Database text inside chat markdown: no markup, links or line breaks."""
    return _MD.sub(r"\\\1", " ".join(str(text).splitlines()))


@dataclass(frozen=True)
class Message:
    title: str
    markdown: str
    text: str
    html: str


def build(briefing: Briefing, *, language: str, console_url: str, role: str) -> Message:
    title = translate("digest.title", language, role=translate(f"role.{role}", language),
                      moment=fmt.moment(briefing.as_of, language))
    md, text, html = [], [title, ""], []
    for item in briefing.items:
        head = translate(f"brief.{item.key}.title", language)
        line = say(f"{item.key}.line", item.params, language, escape=md_escape)
        plain_line = say(f"{item.key}.line", item.params, language)
        url = item.link.url(console_url) if item.link else console_url
        md.append(f"**{TONE[item.tone]} {head}**  \n{line} [{translate('brief.open', language)}]({url})")
        text.append(f"{TONE[item.tone]} {head}\n{plain_line}\n{url}")
        rows_html = []
        for row in item.rows[:MAX_ROWS]:
            row_md = say(f"{item.key}.{item.row_key}", row.params, language, escape=md_escape)
            row_plain = say(f"{item.key}.{item.row_key}", row.params, language)
            row_url = row.link.url(console_url) if row.link else None
            md.append(f"> [{row_md}]({row_url})" if row_url else f"> {row_md}")
            text.append(f"  - {row_plain}" + (f" {row_url}" if row_url else ""))
            rows_html.append(f"<li><a href=\"{escape(row_url or url)}\">{escape(row_plain)}</a></li>")
        html.append(f"<h3>{TONE[item.tone]} {escape(head)}</h3><p>{escape(plain_line)} "
                    f"<a href=\"{escape(url)}\">{escape(translate('brief.open', language))}</a></p>"
                    + (f"<ul>{''.join(rows_html)}</ul>" if rows_html else ""))
        text.append("")
    return Message(title, "\n\n".join(md), "\n".join(text), "".join(html))
