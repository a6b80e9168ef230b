"""Start a console server on a free 127.0.0.1 port and watch its CPU and memory."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
COOKIE_KEY = "loadtest-only-cookie-key-" + "k" * 40
COOKIE_SECRET = "loadtest-only-streamlit-cookie-secret"  # the same on every process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Console:
    """`streamlit run Home.py` against `db_url`, as production runs it (.streamlit/config.toml)."""

    def __init__(self, db_url: str, log_path: Path, extra_args: tuple[str, ...] = (),
                 app_root: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "SERVICE_DB_URL": db_url, "CONSOLE_COOKIE_KEY": COOKIE_KEY,
               "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET, "CONSOLE_LANGUAGE": "en"}
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "Home.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", *extra_args], cwd=app_root, env=env, stdout=self.log,
            stderr=subprocess.STDOUT)
        self.ps = psutil.Process(self.process.pid)

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the console exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("the console did not become healthy in time")

    def rss_mb(self) -> float:
        return self.ps.memory_info().rss / 2**20

    def cpu_seconds(self) -> float:
        times = self.ps.cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Fleet:
    """K console processes on one database (same cookie key and cookie secret), and
    optionally nginx in front of them; CPU and RSS are summed over the processes."""

    def __init__(self, db_url: str, workdir: Path, processes: int = 1,
                 extra_args: tuple[str, ...] = ()):
        self.consoles = [Console(db_url, workdir / f"console-{i}.log", extra_args)
                         for i in range(processes)]
        self.proxy = None
        self.workdir = workdir

    def start(self) -> None:
        for console in self.consoles:
            console.wait_healthy()
        if len(self.consoles) > 1:
            from loadtest.proxy import Nginx
            self.proxy = Nginx([c.port for c in self.consoles], free_port(), self.workdir / "nginx")
            self.proxy.wait_healthy()

    @property
    def url(self) -> str:
        return self.proxy.url if self.proxy else self.consoles[0].url

    def rss_mb(self) -> float:
        return sum(c.rss_mb() for c in self.consoles)

    def cpu_seconds(self) -> float:
        return sum(c.cpu_seconds() for c in self.consoles)

    def stop(self) -> None:
        if self.proxy:
            self.proxy.stop()
        for console in self.consoles:
            console.stop()


def cpu_pressure_total_us() -> int | None:
    """/proc/pressure/cpu "some" total: microseconds in which some task waited for a CPU."""
    try:
        for line in Path("/proc/pressure/cpu").read_text().splitlines():
            if line.startswith("some"):
                return int(line.rsplit("total=", 1)[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass
class Sampler:
    """Samples the servers' RSS (MB) and CPU share (% of one core) every `interval` s."""

    target: object  # a Console or a Fleet: rss_mb(), cpu_seconds()
    interval: float = 0.5
    samples: list[tuple[float, float, float]] = field(default_factory=list)  # (t, rss MB, cpu %)

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        started = last_t = time.monotonic()
        last_cpu = self.target.cpu_seconds()
        while not self._stop.wait(self.interval):
            try:
                now, cpu = time.monotonic(), self.target.cpu_seconds()
                self.samples.append((now - started, self.target.rss_mb(),
                                     100 * (cpu - last_cpu) / max(now - last_t, 1e-6)))
                last_t, last_cpu = now, cpu
            except psutil.Error:
                return

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_rss(self) -> float:
        return max((s[1] for s in self.samples), default=0.0)

    @property
    def peak_cpu(self) -> float:
        return max((s[2] for s in self.samples), default=0.0)
