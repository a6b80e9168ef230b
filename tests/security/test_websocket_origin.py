"""A page on another site cannot open the console's WebSocket (cross-site WebSocket
hijacking would ride on the victim's login cookie); the console's own origin can."""
from __future__ import annotations

import base64
import os
import socket
from urllib.parse import urlparse

import pytest


def upgrade_status(base_url: str, origin: str | None) -> int:
    """Send a WebSocket upgrade for /_stcore/stream; the HTTP status that answers."""
    host, port = urlparse(base_url).hostname, urlparse(base_url).port
    lines = [
        "GET /_stcore/stream HTTP/1.1", f"Host: {host}:{port}", "Upgrade: websocket",
        "Connection: Upgrade", f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
        "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: streamlit",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection((host, port), timeout=10) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = connection.recv(4096).decode("latin-1")
    return int(answer.split(" ", 2)[1])


@pytest.mark.parametrize("origin", ["http://evil.example", "null",
                                    "http://127.0.0.1.evil.example", "http://localhost.evil.example"])
def test_foreign_origin_is_refused(console_url, origin):
    # Streamlit also admits any origin on the loopback host names (localhost,
    # 127.0.0.1, any port or scheme): only code already on the user's machine has one.
    status = upgrade_status(console_url, origin)
    assert status == 403, f"Origin {origin}: expected 403, got {status}"


def test_own_origin_is_accepted(console_url):
    assert upgrade_status(console_url, console_url) == 101
