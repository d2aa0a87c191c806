"""DAG tests. Run by `npm test` (test/integration/airflow-dags.test.ts) with the test stack's Airflow environment.

`dag.test()` runs in a metadata database of its own (SQLite in a temporary home), so the stack's scheduler
never sees those runs; the backfill test drives the stack's running Airflow through its CLI instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DAGS))

# The stack's Airflow environment, kept for the `airflow` CLI against the running Airflow.
STACK_ENV = dict(os.environ)

_home = tempfile.mkdtemp(prefix="aqi-dag-tests-")
os.environ.update(
    {
        "AIRFLOW_HOME": _home,
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_home}/airflow.db",
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
)


@pytest.fixture(scope="session")
def airflow_db() -> None:
    """A migrated metadata database for dag.test()."""
    subprocess.run(
        [sys.executable, "-m", "airflow", "db", "migrate"],
        check=True,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
    )


def stack_setting(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the DAG tests through `npm test` (test/integration/airflow-dags.test.ts)")
    return value
