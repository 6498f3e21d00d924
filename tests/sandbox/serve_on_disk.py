"""A sandbox process on a SQLite file, for crash tests: prints its port, serves until killed.

python -m tests.sandbox.serve_on_disk DB_PATH
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import uvicorn

from thg_sandbox.server import HOST, build, uvicorn_config

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    _, app = build(ROOT / "specs", None, Path(sys.argv[1]))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((HOST, 0))
    print(sock.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn_config(app, sock.getsockname()[1])).run(sockets=[sock])


if __name__ == "__main__":
    main()
