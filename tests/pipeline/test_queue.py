"""The job queue with real worker processes, on both backends (database and Redis/RQ).

Each test builds a throwaway site (its own SQLite file in a temporary folder), starts
``manage.py worker`` as a real process, and drives it through ``manage.py shell`` like an
operator would. The Redis backend uses database 2 of the local Redis (this engineer's number).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.deploy import servers

# Database 2 is this suite's own (it is flushed); .ci/run shifts it for the PostgreSQL run,
# which runs beside the SQLite one, so the two never flush each other's queue.
REDIS_DB = 2 + int(os.environ.get("AKHBAR_TEST_REDIS_DB_OFFSET", "0"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"


def _redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


def _site(tmp_path: Path, backend: str) -> dict[str, str]:
    env = servers.server_env(
        tmp_path / "site",
        AKHBAR_TASKS_BACKEND=backend,
        AKHBAR_TASKS_REDIS_URL=REDIS_URL,
        AKHBAR_WORKER_HEARTBEAT_SECONDS="0.5",
        AKHBAR_WORKER_STALE_SECONDS="3",
        AKHBAR_MANIFEST_STATIC="0",
        AKHBAR_LOG_LEVEL="INFO",
    )
    (tmp_path / "site").mkdir(parents=True, exist_ok=True)
    if backend == "redis":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()  # this suite's own database
    servers.manage(env, "migrate", "--noinput", "-v", "0")
    # No recurring jobs in these tests: they would only add noise to the queue.
    servers.manage(
        env,
        "shell",
        "-c",
        "from akhbar.pipeline.models import ScheduledJob\n"
        "from akhbar.pipeline.schedule import SCHEDULE\n"
        "from datetime import datetime, UTC\n"
        "for e in SCHEDULE: ScheduledJob.objects.update_or_create(name=e.name, "
        "defaults={'next_run_at': datetime(2999, 1, 1, tzinfo=UTC)})",
    )
    return env


def _shell(env: dict[str, str], code: str) -> str:
    return servers.manage(env, "shell", "-c", code).strip().splitlines()[-1]


@contextmanager
def _worker(env: dict[str, str], name: str) -> Iterator[subprocess.Popen]:
    log = open(Path(env["AKHBAR_DATA_DIR"]) / f"worker-{name}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [str(servers.BIN / "python"), "manage.py", "worker", "--worker-id", name,
         "--interval", "0.2"],
        cwd=servers.REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: kill -9 takes RQ's work-horse too
    )  # fmt: skip
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def _wait(predicate, timeout: float = 40.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _enqueue(env: dict[str, str], call: str) -> str:
    return _shell(env, f"from tests.pipeline import jobs\nprint({call}.id)")


def _status(env: dict[str, str], result_id: str, task_path: str) -> str:
    return _shell(
        env,
        f"from tests.pipeline import jobs\nprint({task_path}.get_result('{result_id}').status)",
    )


BACKENDS = [
    "database",
    pytest.param(
        "redis",
        marks=pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379"),
    ),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_job_of_a_worker_killed_mid_run_runs_again_with_its_effect_once(tmp_path, backend):
    env = _site(tmp_path, backend)
    folder = tmp_path / "job"
    folder.mkdir()
    result_id = _enqueue(env, f"jobs.slow_effect.enqueue({str(folder)!r}, 120)")
    with _worker(env, "doomed") as doomed:
        _wait(lambda: (folder / "started").exists(), what="the job to start")
        os.killpg(doomed.pid, signal.SIGKILL)  # kill -9, the worker and its children
        doomed.wait()
    assert not (folder / "effect").exists()
    assert _status(env, result_id, "jobs.slow_effect") == "RUNNING"  # what it was left as
    with _worker(env, "rescuer"):
        _wait(
            lambda: _status(env, result_id, "jobs.slow_effect") == "SUCCESSFUL",
            timeout=60,
            what="the job to be run again by the second worker",
        )
    assert (folder / "effect").read_text() == "done\n"  # the effect, exactly once


@pytest.mark.parametrize("backend", BACKENDS)
def test_failing_job_is_retried_with_backoff_then_succeeds(tmp_path, backend):
    env = _site(tmp_path, backend)
    folder = tmp_path / "job"
    folder.mkdir()
    _enqueue(env, f"jobs.flaky.enqueue({str(folder)!r})")
    with _worker(env, "w1"):
        _wait(
            lambda: (
                (folder / "attempts").exists()
                and len((folder / "attempts").read_text().split()) >= 2
            ),
            what="the retry",
        )
    first, second = (float(t) for t in (folder / "attempts").read_text().split()[:2])
    assert second - first >= 0.9  # the backoff (1 s for this job) was respected


def test_final_failure_is_listed_and_health_says_so(tmp_path):
    env = _site(tmp_path, "database")
    folder = tmp_path / "job"
    folder.mkdir()
    _enqueue(env, f"jobs.always_fails.enqueue({str(folder)!r})")
    with _worker(env, "w1"):
        _wait(
            lambda: json.loads(servers_health(env))["failed"] == 1,
            what="the final failure",
        )
        report = json.loads(servers_health(env))
        assert report["workers_alive"] == 1
    # Worker stopped: the health command says so (exit status 1) and names the problem.
    result = subprocess.run(
        [str(servers.BIN / "python"), "manage.py", "pipeline_health"],
        cwd=servers.REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "no live worker" in result.stderr


def servers_health(env: dict[str, str]) -> str:
    result = subprocess.run(
        [str(servers.BIN / "python"), "manage.py", "pipeline_health", "--json"],
        cwd=servers.REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return result.stdout.strip().splitlines()[-1]
