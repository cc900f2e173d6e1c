"""The real ``verifier`` command line, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys


def run_cli(*args: str, env: dict | None = None, stdin: bytes | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real ``verifier`` entry point in a subprocess."""
    full_env = {k: v for k, v in os.environ.items()}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-c", "from verifier.cli import main; main()", *args],
                          capture_output=True, env=full_env, input=stdin, timeout=timeout)


def without_configuration(err: str) -> str:
    """stderr less its first line when that line says what the command runs on (``verifier: engine ...``,
    printed by every command that analyses): what is left is the command's errors and warnings."""
    first, newline, rest = err.partition("\n")
    return rest if first.startswith("verifier: engine ") and newline else err


def in_process(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``verifier ARGS`` in this process: (exit code, stdout, stderr after the configuration line)."""
    from verifier.cli import main

    monkeypatch.setattr(sys, "argv", ["verifier", *args])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, without_configuration(err)


def claims_in_process(monkeypatch, capsys, *extra: str) -> tuple[int, str, str]:
    """``verifier claims SEED_000 --engine llm --json --no-cache [extra]`` in this process."""
    from tests.helpers.paths import SEED_000

    return in_process(monkeypatch, capsys, "claims", str(SEED_000), "--engine", "llm", "--json", "--no-cache",
                      *extra)
