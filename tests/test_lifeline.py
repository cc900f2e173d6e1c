"""Worker processes die with their parent, ``kill -9`` included; SIGTERM stops a batch like Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verifier.batch.pool import MIN_PER_WORKER

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def offline_corpus(folder: Path, n: int) -> Path:
    """``n`` copies of the fixture articles, each with a sentence of its own (the cache answers none)."""
    folder.mkdir(parents=True)
    sources = sorted(ARTICLES.glob("*.txt"))
    for i in range(n):
        text = sources[i % len(sources)].read_text("utf-8")
        (folder / f"a{i:03d}.txt").write_text(f"Le rapport numéro {i} a été publié mardi.\n\n{text}", "utf-8")
    return folder


def children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def spawned_workers(pid: int) -> set[int]:
    out = set()
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            out.add(child)
    return out


def start(folder: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from verifier.cli import main; main()", "batch", str(folder),
                             "--out", str(out), "--engine", "offline", "--workers", "2", "--no-progress"],
                            env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_workers(proc: subprocess.Popen, n: int, timeout: float = 60) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = spawned_workers(proc.pid)
        if len(workers) >= n:
            return workers
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    raise AssertionError("no worker process was started")


def test_kill_9_of_a_batch_leaves_no_worker(tmp_path):
    folder = offline_corpus(tmp_path / "in", 3 * MIN_PER_WORKER)
    proc = start(folder, tmp_path / "out.jsonl")
    try:
        workers = wait_for_workers(proc, 2)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(5)
        assert [pid for pid in workers if alive(pid)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sigterm_stops_a_batch_like_ctrl_c(tmp_path):
    folder = offline_corpus(tmp_path / "in", 3 * MIN_PER_WORKER)
    out = tmp_path / "out.jsonl"
    proc = start(folder, out)
    try:
        workers = wait_for_workers(proc, 2)
        deadline = time.monotonic() + 60
        while not (out.exists() and out.read_bytes().count(b"\n")) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        _stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = stderr.decode()
    assert proc.returncode == 143, text
    assert "Traceback" not in text and text.strip().splitlines()[-1].startswith("verifier: error: terminated;")
    kept = out.read_text("utf-8").splitlines()
    assert 1 <= len(kept) < 3 * MIN_PER_WORKER and all('"status":"done"' in line for line in kept)
    assert f"{len(kept)} article(s) finished and saved" in text
    time.sleep(1)
    assert [pid for pid in workers if alive(pid)] == []


@pytest.mark.parametrize("kind", ["pool", "watchdog"])
def test_workers_die_with_a_killed_parent(kind):
    """The pool the batch and the service share; and the portable watchdog alone (no prctl)."""
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "tests.helpers.lifeline_parent", kind], cwd=root,
                            env={**os.environ, "PYTHONPATH": str(root)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(alive(p) for p in pids), proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        time.sleep(5)
        assert [pid for pid in pids if alive(pid)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
