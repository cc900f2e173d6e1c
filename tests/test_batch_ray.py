"""``verifier batch --backend ray``: on a local Ray (loopback), the same records as the local
backend, the same resume, failures as records; the options' errors are one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import SEED_000
from tests.helpers.records import by_id
from verifier.batch import BatchOptions, run_batch
from verifier.engines import make_engine
from verifier.errors import ConfigError


@pytest.fixture
def no_ray_telemetry(monkeypatch):
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")


def corpus(folder: Path, names: range) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    texts = [SEED_000.read_text("utf-8"), (SEED_000.parent / "001_0ae1607b2b57d138.txt").read_text("utf-8")]
    for i in names:
        (folder / f"a{i:02d}.txt").write_text(f"{texts[i % 2]}\n\nUne phrase de plus, la numéro {i}.\n", "utf-8")


def test_ray_backend_matches_local_records_and_resumes(tmp_path, no_ray_telemetry, monkeypatch):
    folder = tmp_path / "in"
    corpus(folder, range(6))
    (folder / "empty.txt").write_text("", "utf-8")
    listed = tmp_path / "list.jsonl"
    listed.write_text(json.dumps({"id": "t1", "text": "Le ministre a déclaré lundi que la réforme serait "
                                  "adoptée, selon un communiqué."}, ensure_ascii=False) + "\n", "utf-8")
    inputs = [str(folder), str(listed)]
    ray_out, local_out = tmp_path / "ray.jsonl", tmp_path / "local.jsonl"

    on_ray = run_batch(inputs, ray_out, make_engine("offline"),
                       BatchOptions(backend="ray", workers=2, use_cache=False, progress=False))
    assert (on_ray.done, len(on_ray.failed), on_ray.not_started) == (7, 1, 0)
    local = run_batch(inputs, local_out, make_engine("offline"),
                      BatchOptions(workers=1, use_cache=False, progress=False))
    assert local.done == 7
    ray_records, local_records = by_id(ray_out), by_id(local_out)
    assert len(ray_records) == 8 and ray_records == local_records
    empty = ray_records[str(folder / "empty.txt")]
    assert empty["status"] == "failed" and empty["error_type"] == "input" and "empty" in empty["error"]
    assert ray_records["t1"]["status"] == "done" and ray_records["t1"]["analysis"]["claims"]

    # resume: what is done is not redone, only the new articles are analysed (on a new local Ray,
    # whatever RAY_ADDRESS says: only --ray-address joins a cluster)
    corpus(folder, range(6, 8))
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:9")
    again = run_batch(inputs, ray_out, make_engine("offline"),
                      BatchOptions(backend="ray", workers=2, use_cache=False, progress=False))
    assert (again.already_done, again.failed_before, again.done, again.failed) == (7, 1, 2, [])
    lines = ray_out.read_text("utf-8").splitlines()
    assert len(lines) == 10 and {json.loads(x)["id"] for x in lines[8:]} == {str(folder / "a06.txt"),
                                                                           str(folder / "a07.txt")}
    nothing = run_batch(inputs, ray_out, make_engine("offline"), BatchOptions(backend="ray", progress=False))
    assert (nothing.already_done, nothing.done) == (9, 0) and len(ray_out.read_text("utf-8").splitlines()) == 10


def test_ray_backend_refuses_an_engine_that_waits_on_requests(tmp_path):
    options = BatchOptions(backend="ray", progress=False)
    with pytest.raises(ConfigError, match="--backend ray runs an engine that computes locally"):
        run_batch([str(SEED_000)], tmp_path / "o.jsonl", make_engine("replay"), options)
    with pytest.raises(ConfigError, match="--ray-address needs --backend ray"):
        run_batch([str(SEED_000)], tmp_path / "o.jsonl", make_engine("offline"),
                  BatchOptions(ray_address="auto", progress=False))
    with pytest.raises(ConfigError, match="--backend must be one of local, ray"):
        run_batch([str(SEED_000)], tmp_path / "o.jsonl", make_engine("offline"),
                  BatchOptions(backend="dask", progress=False))
    assert not (tmp_path / "o.jsonl").exists()


def test_cli_backend_errors_are_one_line(tmp_path):
    from tests.helpers.cli import run_cli, without_configuration

    replay = run_cli("batch", str(SEED_000), "--out", str(tmp_path / "o.jsonl"), "--engine", "replay",
                     "--backend", "ray")
    assert replay.returncode == 4 and without_configuration(replay.stderr.decode()).count("\n") == 1
    assert b"--backend ray runs an engine that computes locally" in replay.stderr


def test_ctrl_c_keeps_finished_records_and_the_rerun_does_the_rest(tmp_path, no_ray_telemetry):
    """SIGINT to the whole process group, as a terminal's Ctrl-C sends it (Ray's processes too)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder, out = tmp_path / "in", tmp_path / "out.jsonl"
    corpus(folder, range(24))
    command = [sys.executable, "-c", "from verifier.cli import main; main()", "batch", str(folder), "--out",
               str(out), "--engine", "offline", "--backend", "ray", "--workers", "2", "--no-cache", "--json"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and (
            not out.exists() or len(out.read_text("utf-8").splitlines()) < 3):
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr.decode()[-2000:]
    summary = json.loads(stdout)
    kept = by_id(out)
    assert summary["interrupted"] and 3 <= summary["done"] == len(kept) < 24
    assert summary["not_started"] == 24 - len(kept) and all(r["status"] == "done" for r in kept.values())

    again = subprocess.run([*command[:command.index("--backend")], "--workers", "1", "--no-cache", "--json"],
                           capture_output=True, timeout=300)  # the local backend resumes a Ray run too
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    rest = json.loads(again.stdout)
    assert (rest["already_done"], rest["done"]) == (len(kept), 24 - len(kept))
    assert len(by_id(out)) == len(out.read_text("utf-8").splitlines()) == 24


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the reaper reads /proc")
def test_kill_9_of_the_driver_leaves_no_ray_process_behind(tmp_path, no_ray_telemetry):
    """Ray's agents (DashboardAgent, RuntimeEnvAgent) do not die with the driver; the reaper kills them."""
    import os
    import signal
    import subprocess
    import time

    from verifier.batch.reaper import _stat, descendants

    folder, out = tmp_path / "in", tmp_path / "out.jsonl"
    corpus(folder, range(60))
    proc = subprocess.Popen([sys.executable, "-c", "from verifier.cli import main; main()", "batch", str(folder),
                             "--out", str(out), "--backend", "ray", "--workers", "2", "--no-cache", "--json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and (
            not out.exists() or len(out.read_text("utf-8").splitlines()) < 2):
        time.sleep(0.1)
    tree = descendants(proc.pid)
    names = {open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0].decode(errors="replace") for pid in tree
             if os.path.exists(f"/proc/{pid}/cmdline")}
    assert any("Agent" in n for n in names), names  # the processes that used to stay behind
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    time.sleep(5)
    left = [pid for pid, start in tree.items() if (_stat(pid) or (0, None))[1] == start]
    assert left == [], [open(f"/proc/{pid}/cmdline", "rb").read() for pid in left]
