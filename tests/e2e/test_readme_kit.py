"""The README's "Install and use" test file runs as a user's would: plain `pytest` in a folder
with no specs and no configuration (the plugin serves the installed client's specs), twice in a
row, every test on its own fresh platform."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_test_file() -> str:
    blocks: list[str] = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    (found,) = [b for b in blocks if b.startswith("# test_inventory.py")]
    return found


def test_the_readme_test_file_passes(tmp_path: Path) -> None:
    (tmp_path / "test_inventory.py").write_text(readme_test_file())
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_inventory.py"]
    for _ in range(2):
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "2 passed" in done.stdout
