"""The README's first Python example runs as written, from the project root, and prints who said what."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.helpers.paths import ROOT


def test_the_first_python_example_runs_as_written():
    readme = (ROOT / "README.md").read_text("utf-8")
    code = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    assert "import typer" not in code and "verifier.cli" not in code
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.startswith("Dmitri Peskov") for line in lines)
    assert any("(denial)" in line for line in lines)
    assert all(re.search(r"\[\d+-\d+\]$", line) for line in lines)
