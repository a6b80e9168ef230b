"""Debian's nginx in front of K console processes, with the config the project ships.

`deploy/nginx/service-console.conf` is used as it is, except the lines marked
"# site:" (ports of these processes, a plain-HTTP listen on 127.0.0.1, no
certificate). nginx runs in the foreground with its own prefix, pid file, logs
and temporary directories in `workdir`, so no root-owned state is touched.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "deploy" / "nginx" / "service-console.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site_config(upstream_ports: list[int], listen_port: int, text: str | None = None) -> str:
    """The shipped config with its "# site:" lines set for 127.0.0.1."""
    lines, upstream_done = [], False
    for line in (text if text is not None else SHIPPED.read_text()).splitlines():
        if "# site: console processes" in line:
            if not upstream_done:
                lines += [f"    server 127.0.0.1:{port} max_fails=2 fail_timeout=10s;"
                          for port in upstream_ports]
                upstream_done = True
        elif "# site: listen" in line:
            lines.append(f"    listen 127.0.0.1:{listen_port};")
        elif "# site: server name" in line:
            lines.append("    server_name 127.0.0.1;")
        elif "# site: certificate" in line:
            continue
        else:
            lines.append(line)
    if not upstream_done:
        raise ValueError("the shipped nginx config has no '# site: console processes' line")
    return "\n".join(lines) + "\n"


def main_config(workdir: Path, site: Path) -> str:
    temp = workdir / "temp"
    return f"""worker_processes 1;
pid {workdir / 'nginx.pid'};
error_log {workdir / 'error.log'} warn;
events {{ worker_connections 4096; }}
http {{
    access_log {workdir / 'access.log'};
    client_body_temp_path {temp / 'body'};
    proxy_temp_path {temp / 'proxy'};
    fastcgi_temp_path {temp / 'fastcgi'};
    uwsgi_temp_path {temp / 'uwsgi'};
    scgi_temp_path {temp / 'scgi'};
    include {site};
}}
"""


class Nginx:
    """`nginx -g 'daemon off;'` on 127.0.0.1:`port` in front of `upstream_ports`."""

    def __init__(self, upstream_ports: list[int], port: int, workdir: Path):
        if not Path(NGINX).exists():
            raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "temp").mkdir(exist_ok=True)
        os.chmod(workdir, 0o755)
        os.chmod(workdir / "temp", 0o777)  # nginx's workers drop root for nobody
        site = workdir / "service-console.conf"
        site.write_text(site_config(upstream_ports, port))
        conf = workdir / "nginx.conf"
        conf.write_text(main_config(workdir, site))
        check = subprocess.run([NGINX, "-t", "-q", "-e", str(workdir / "error.log"), "-p", str(workdir), "-c", str(conf)],
                               capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx refused the config: {check.stderr.strip()}")
        self.process = subprocess.Popen([NGINX, "-e", str(workdir / "error.log"), "-p", str(workdir), "-c", str(conf),
                                         "-g", "daemon off;"], stderr=subprocess.DEVNULL)

    def wait_healthy(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: "
                                   f"{(self.workdir / 'error.log').read_text()[-500:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("nginx did not answer in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
