"""Start the console, refusing before serving when the configuration is unusable.

    python -m lib.serve [streamlit options, e.g. --server.port 8502]

Streamlit runs no code of the app until the first browser session, so a
missing or weak cookie key would only show as broken pages behind a healthy
`/_stcore/health`. This checks first and exits with a one-line reason
(status 2); otherwise it becomes `streamlit run Home.py` with the options given.
"""
from __future__ import annotations

import os
import sys

from lib import config


def main(argv: list[str] | None = None) -> int:
    problem = config.startup_problem()
    if problem:
        print(f"service console: not starting: {problem}", file=sys.stderr)
        return 2
    args = [sys.executable, "-m", "streamlit", "run", str(config.PROJECT_ROOT / "Home.py"),
            *(sys.argv[1:] if argv is None else argv)]
    os.execv(sys.executable, args)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
