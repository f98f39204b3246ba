"""Team mode: two stacks share a PostgreSQL state backend (a real server this test starts), with promotion."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.pulumi_project import PulumiProject
from tests.e2e.stack_models import product_shots, promotion

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the `postgres` user when we are root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server on a free loopback port; yields its connection URL."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries not found (Debian package postgresql); `make setup` installs them")
    root = Path(tempfile.mkdtemp(prefix="modelstudio-pg-"))  # the server's user must be able to reach it
    root.chmod(0o755)
    data, sockets = root / "pgdata", root / "pgsock"
    data.mkdir()
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-U", "postgres", "--auth=trust"]), check=True, capture_output=True
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1"
    subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c", "CREATE DATABASE pulumi"],
            check=True,
            capture_output=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/pulumi?sslmode=disable"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), check=False, capture_output=True
        )


@pytest.mark.one_reading(
    "it checks the PostgreSQL state backend; the same training and promotion run under both readings in "
    "test_promotion.py"
)
def test_two_stacks_share_a_postgres_backend_and_promote(project: PulumiProject, postgres_url: str) -> None:
    project.env["PULUMI_BACKEND_URL"] = postgres_url
    project.init_stack("staging", {"models": [product_shots()]})
    project.up("staging")
    trained = project.outputs("staging")["deployable_models"]["product-shots"]

    project.init_stack("prod", promotion(capacity=2, suffix="prod"))
    project.up("prod")
    assert project.outputs("prod")["promoted"]["product-shots"] == f"{trained}-prod"
    assert len(project.live()["jobs"]) == 1  # prod trained nothing

    stacks = project.run("stack", "ls", "--json").stdout
    assert '"name": "organization/modelstudio-lora/staging"' in stacks or '"name": "staging"' in stacks
    assert "prod" in stacks
    rows = subprocess.run(
        [
            "psql",
            postgres_url.split("?", maxsplit=1)[0],
            "-At",
            "-c",
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert int(rows.stdout.strip()) >= 1  # the state lives in PostgreSQL, not on disk

    project.run("destroy", "--yes", "--skip-preview", "--stack", "prod")
    project.run("destroy", "--yes", "--skip-preview", "--stack", "staging")
    assert project.live()["deployments"] == []
