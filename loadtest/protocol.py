"""A protocol-level Streamlit client: what a browser says to the server, without the browser.

A page view is what a browser does on a full page load, less the drawing:
GET the page's HTML, `/_stcore/health` and `/_stcore/host-config`, then open
the WebSocket `/_stcore/stream` (subprotocol `streamlit`, the browser's
`Origin`, the login cookie in the `Cookie` header of the handshake, which is
what `st.context.cookies` reads) and send one `BackMsg.rerun_script` with the
page name and query string. The server runs the page script and streams
`ForwardMsg`s back (the protobuf classes inside the streamlit package); the
view ends at `script_finished` of a run that was not cut short for a rerun.
The static front-end bundles are not fetched: a returning browser has them
cached. Messages are decoded only as far as counting elements and spotting
exceptions and error alerts, so a page view costs the client about 0.01 s of
CPU.
"""
from __future__ import annotations

import asyncio
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = ForwardMsg.ScriptFinishedStatus
DONE = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR}
ERROR_FORMAT = 1  # Alert.Format.ERROR
_HTTP = ThreadPoolExecutor(max_workers=128, thread_name_prefix="http")  # a browser's parallel GETs


@dataclass
class View:
    """One page view as the protocol client saw it."""

    page: str
    seconds: float = 0.0          # from the first request until the final script_finished
    ok: bool = False
    error: str = ""
    runs: int = 0                 # script runs the server started for this view
    elements: dict[str, int] = field(default_factory=dict)  # element type -> count
    bytes_in: int = 0

    @property
    def element_count(self) -> int:
        return sum(self.elements.values())


def _http_get(base_url: str, path: str, cookie: str, jar: dict[str, str]) -> int:
    """GET with the login cookie and the jar's cookies; cookies set by the answer go in the jar
    (behind the proxy: the sticky route cookie, which the WebSocket must carry too)."""
    import urllib.request
    header = "; ".join([cookie, *(f"{k}={v}" for k, v in jar.items())] if cookie else
                       [f"{k}={v}" for k, v in jar.items()])
    request = urllib.request.Request(base_url + path, headers={"Cookie": header} if header else {})
    with urllib.request.urlopen(request, timeout=60) as answer:
        for value in answer.headers.get_all("Set-Cookie") or ():
            name, _, rest = value.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
        return len(answer.read())


def _rerun(page: str, query: str, url: str) -> bytes:
    message = BackMsg()
    state = message.rerun_script
    state.query_string = query
    state.page_name = page
    state.page_script_hash = ""
    info = state.context_info
    info.timezone = "Asia/Shanghai"
    info.timezone_offset = -480
    info.locale = "en-US"
    info.url = url
    info.color_scheme = "light"
    return message.SerializeToString()


async def view(base_url: str, page: str, cookie: str, *, query: str = "lang=en",
               timeout: float = 60.0, fetch_html: bool = True,
               jar: dict[str, str] | None = None) -> View:
    """Open `page` as a browser's full page load would; the view's timings and elements.

    `jar` holds the cookies the server set (keep one per simulated user)."""
    result = View(page)
    jar = {} if jar is None else jar
    started = time.perf_counter()
    parts = urllib.parse.urlsplit(base_url)
    ws_url = f"ws://{parts.netloc}/_stcore/stream"
    page_url = f"{base_url}/{page}?{query}"
    try:
        if fetch_html:
            loop = asyncio.get_running_loop()
            for path in (f"/{page}?{query}", "/_stcore/health", "/_stcore/host-config"):
                result.bytes_in += await loop.run_in_executor(_HTTP, _http_get, base_url, path,
                                                              cookie, jar)
        header = "; ".join([c for c in [cookie] if c] + [f"{k}={v}" for k, v in jar.items()])
        headers = {"Cookie": header} if header else {}
        async with asyncio.timeout(timeout):
            async with websockets.connect(ws_url, subprotocols=["streamlit"], origin=base_url,
                                          additional_headers=headers, max_size=None,
                                          open_timeout=timeout) as socket:
                await socket.send(_rerun(page, query, page_url))
                async for frame in socket:
                    result.bytes_in += len(frame)
                    msg = ForwardMsg()
                    msg.ParseFromString(frame)
                    kind = msg.WhichOneof("type")
                    if kind == "new_session":
                        result.runs += 1
                    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                        element = msg.delta.new_element.WhichOneof("type")
                        result.elements[element] = result.elements.get(element, 0) + 1
                        if element == "exception":
                            result.error = "exception shown"
                        elif element == "alert" and msg.delta.new_element.alert.format == ERROR_FORMAT:
                            result.error = result.error or "error alert shown"
                    elif kind == "page_not_found":
                        result.error = "page not found"
                    elif kind == "script_finished" and msg.script_finished in DONE:
                        break
        result.seconds = time.perf_counter() - started
        result.ok = not result.error and result.runs > 0
    except Exception as error:  # a timeout or a refused connection is a failed view, counted
        result.seconds = time.perf_counter() - started
        result.error = result.error or type(error).__name__
    return result


async def prime(base_url: str, timeout: float = 300.0) -> None:
    """One anonymous view (the login form): the console runs its migrations on its first
    script run, which a minted cookie's session needs (console_users, console sessions)."""
    await view(base_url, "", "", timeout=timeout)


def mint_cookie(key: str, username: str, db_url: str) -> str:
    """A login cookie of a new console session of `username` (as the form would
    make one), signed with `key` (test key only)."""
    from lib.auth.sessions import issue_cookie_token
    from lib.db import make_engine
    engine = make_engine(db_url)
    try:
        token = issue_cookie_token(engine, username=username, key=key)
    finally:
        engine.dispose()
    return f"service_console_auth={token}"
