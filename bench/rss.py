"""Run one command; print its wall time and peak RSS as JSON on standard error's last line.

    python -m bench.rss -- python -m lib.report --db URL ...

Its own process so that RUSAGE_CHILDREN holds only that one child. The
child's standard output is passed through to ours.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    started = time.perf_counter()
    done = subprocess.run(command, stdout=sys.stdout, stderr=subprocess.PIPE)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss  # KiB on Linux
    sys.stderr.write(done.stderr.decode(errors="replace"))
    sys.stderr.write(json.dumps({"wall_s": wall, "peak_rss_mb": peak_kb / 1024,
                                 "cpu_s": usage.ru_utime + usage.ru_stime,
                                 "returncode": done.returncode}) + "\n")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
