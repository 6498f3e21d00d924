"""The sandbox as a subprocess of the release check: ``thg-sandbox serve --memory`` on a free
127.0.0.1 port, ready when it answers HTTP, ended (only this process, by its pid) on exit."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from .commands import ReleaseCheckError, clean_env

READY_TIMEOUT = 60.0  # the sandbox loads every spec before it binds; slow on a loaded machine
STOP_TIMEOUT = 10.0
START_ATTEMPTS = 3  # a free port can be taken between choosing it and binding it
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        connection.request("GET", "/oauth/token")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """End a server this check started (by its own handle): politely, then for certain."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(STOP_TIMEOUT)


class SandboxProcess:
    """``with SandboxProcess(root) as sandbox: sandbox.base_url``; the log stays in ``log``."""

    def __init__(
        self,
        root: Path,
        log: Path,
        *,
        executable: Path | None = None,
        specs: Path | None = None,
        default_specs: bool = False,
    ) -> None:
        """``executable``: the ``thg-sandbox`` to run (default: this interpreter's); ``specs``:
        what it serves (default: ``root/specs``), or with ``default_specs`` no ``--specs`` at all
        (the installed client's specs); ``root`` is the working directory."""
        self.root = root
        self.log = log
        self.executable = executable or Path(sys.executable).parent / "thg-sandbox"
        self.specs = None if default_specs else (specs or root / "specs")
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        """Launch the sandbox without waiting for it (it loads the specs meanwhile)."""
        self.port = free_port()
        command = [str(self.executable), "serve", "--memory", "--port", str(self.port)]
        if self.specs is not None:
            command += ["--specs", str(self.specs)]
        with self.log.open("ab") as log:
            self._process = subprocess.Popen(
                command,
                cwd=self.root,
                env=clean_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self) -> None:
        """Block until the sandbox answers; restart it on another port if it died early."""
        for _attempt in range(START_ATTEMPTS):
            if self._process is None:
                self.start()
            assert self._process is not None
            deadline = time.monotonic() + READY_TIMEOUT
            while time.monotonic() < deadline and self._process.poll() is None:
                if _answers(self.port):
                    return
                time.sleep(0.2)
            self.stop()
        raise ReleaseCheckError(
            f"sandbox: not answering after {START_ATTEMPTS} starts; see {self.log}"
        )

    def stop(self) -> None:
        process, self._process = self._process, None
        stop_process(process)

    def __enter__(self) -> SandboxProcess:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
