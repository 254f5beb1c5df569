"""What `pip install` delivers: a wheel carries the bundled data and models the code opens, and every
third-party module the code imports is a declared dependency (of the install, or of the extra it belongs to)."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "app" / "raretrace"


def _requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel (from a copy, so the checkout gets no build/ folder) and installed into a
    folder of its own, as `pip install .` would install it."""
    if importlib.util.find_spec("setuptools") is None or int(importlib.metadata.version("setuptools").split(".")[0]) < 77:
        pytest.skip("building the wheel offline needs setuptools>=77 here (the test extra installs it)")
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "resources", source / "resources")
    shutil.copytree(PACKAGE, source / "app" / "raretrace", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    (source / "models").mkdir()
    for model in ROOT.joinpath("models").glob("*.onnx"):
        shutil.copy2(model, source / "models" / model.name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"), str(source)],
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = (tmp / "dist").glob("raretrace-*.whl")
    site = tmp / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    return site


def test_an_installed_wheel_finds_its_bundled_data_and_models(installed_wheel: Path, tmp_path: Path) -> None:
    probe = (
        "import json, raretrace.paths as p;"
        "print(json.dumps([p.__file__, str(p.resources_dir()), str(p.models_dir()), str(p.readme_path())]))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("RARETRACE_")}
    env["PYTHONPATH"] = str(installed_wheel)
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, check=True, capture_output=True,
                         text=True).stdout  # fmt: skip
    module, resources, models, readme = (Path(p) for p in json.loads(out))
    assert module.is_relative_to(installed_wheel)  # the installed copy, not this checkout
    expected = sorted(p.relative_to(ROOT / "resources") for p in (ROOT / "resources").rglob("*") if p.is_file())
    assert sorted(p.relative_to(resources) for p in resources.rglob("*") if p.is_file()) == expected
    assert sorted(p.name for p in models.glob("*.onnx")) == sorted(p.name for p in (ROOT / "models").glob("*.onnx"))
    assert (models / "disease_ranker.onnx").read_bytes() == (ROOT / "models" / "disease_ranker.onnx").read_bytes()
    # the Help menu's pages: the user guide, and the README whose data sources and licences section it shows
    assert (resources / "help" / "user_guide.md").is_file()
    assert readme.is_relative_to(installed_wheel) and readme.read_bytes() == (ROOT / "README.md").read_bytes()


def _third_party_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("__future__", "raretrace")}


# Modules that come with a declared distribution under another name.
PROVIDED_BY = {"shiboken6": "pyside6-essentials"}


def test_every_imported_third_party_module_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = _requirement_names(project["dependencies"])
    extras = {name: _requirement_names(reqs) for name, reqs in project["optional-dependencies"].items()}
    distributions = importlib.metadata.packages_distributions()
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "hpo3_worker.py":  # runs in the separate hpo3 environment (see packaging/README.md)
            continue
        declared = base | (extras["bench"] if path.parent.name == "bench" else set())
        for module in sorted(_third_party_imports(path)):
            dists = {d.lower().replace("_", "-") for d in distributions.get(module, [])}
            dists.add(PROVIDED_BY.get(module, module.lower()))
            if not dists & declared:
                missing.append(f"{path.relative_to(ROOT)}: {module} ({', '.join(sorted(dists))})")
    assert not missing, missing


def _spec_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """The arguments packaging/raretrace.spec hands PyInstaller's Analysis (datas, excludes, hiddenimports ...): the
    spec run as PyInstaller runs it, with stand-ins only for PyInstaller's own build steps (PyInstaller is not a
    dependency of the test environment)."""
    import types

    captured: dict[str, list] = {}

    def analysis(*_args: object, **kw: list) -> types.SimpleNamespace:
        captured.update({name: list(value) for name, value in kw.items() if isinstance(value, list)})
        return types.SimpleNamespace(binaries=[], datas=[], scripts=[], pure=[])

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda _package: []  # type: ignore[attr-defined]
    kb = tmp_path / "knowledge.sqlite"
    kb.write_bytes(b"")
    spec = ROOT / "packaging" / "raretrace.spec"
    scope = {"__file__": str(spec), "SPECPATH": str(spec.parent), "workpath": str(tmp_path / "work"),
             "Analysis": analysis, "PYZ": lambda *a, **k: None, "EXE": lambda *a, **k: None,
             "COLLECT": lambda *a, **k: None, "BUNDLE": lambda *a, **k: None}  # fmt: skip
    monkeypatch.setenv("RARETRACE_BUNDLE_KB", str(kb))
    monkeypatch.setitem(sys.modules, "PyInstaller", types.ModuleType("PyInstaller"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils", types.ModuleType("PyInstaller.utils"))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), scope)
    return captured


def _spec_datas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    return _spec_analysis(tmp_path, monkeypatch)["datas"]


def _bundled_files(datas: list[tuple[str, str]]) -> dict[str, Path]:
    """Where each file lands inside the bundle (relative to _internal/) -> the file it is copied from."""
    files = {}
    for source, dest in datas:
        path = Path(source)
        if path.is_dir():
            files.update({f"{dest}/{p.relative_to(path).as_posix()}": p for p in path.rglob("*") if p.is_file()})
        else:
            files[f"{dest}/{path.name}"] = path
    return files


def test_the_desktop_bundle_ships_every_resource_file_the_code_reads(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A resource the code reads is named in it by its file name (a constant, a list of names, a path literal).
    literals = set()
    for path in PACKAGE.rglob("*.py"):
        literals |= {node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                     if isinstance(node, ast.Constant) and isinstance(node.value, str)}  # fmt: skip
    resources = ROOT / "resources"
    read = sorted(p.relative_to(resources).as_posix() for p in resources.rglob("*")
                  if p.is_file() and p.name in literals)  # fmt: skip
    assert {"text/analyte_abbreviations.tsv", "demo/demo_case.json", "fonts/NanumSquareR.ttf"} <= set(read)
    bundled = _bundled_files(_spec_datas(tmp_path, monkeypatch))
    missing = [name for name in read if f"resources/{name}" not in bundled]
    assert not missing, f"packaging/raretrace.spec does not ship {missing}"
    assert all(bundled[f"resources/{name}"].read_bytes() == (resources / name).read_bytes() for name in read)
    assert "kb/knowledge.sqlite" in bundled and "models/disease_ranker.onnx" in bundled


def _imported_modules(path: Path) -> set[str]:
    """Every module path names in an import, in full (`import scipy.sparse as sp` -> scipy.sparse; `from a.b import
    c` -> a.b and a.b.c, c being perhaps a sub-module), imports inside functions included."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def test_the_desktop_bundle_excludes_no_module_the_app_imports(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # An excluded module is missing from the bundle with all its sub-modules: the app then fails only where it
    # imports one, perhaps in a menu nobody opened during the packaging check.
    excludes = _spec_analysis(tmp_path, monkeypatch)["excludes"]
    assert "scipy.linalg" in excludes  # (the spec's trimming of scipy is what this test guards)

    def excluded_by(module: str) -> str | None:
        return next((e for e in excludes if module == e or module.startswith(f"{e}.")), None)

    imported = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name != "hpo3_worker.py":  # runs in the separate hpo3 environment, not in the bundle
            imported |= {m for m in _imported_modules(path) if m.split(".")[0] != "raretrace"}
    assert "scipy.sparse" in imported and "PySide6.QtWidgets" in imported
    named = sorted(f"{m} (excluded as {excluded_by(m)})" for m in imported if excluded_by(m))
    assert not named, f"packaging/raretrace.spec excludes modules the app imports: {named}"

    # What importing them loads too (scipy.sparse needs scipy._lib, ...): imported here in a fresh interpreter.
    probe = (
        "import importlib, json, sys\n"
        f"for name in {sorted(imported)!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception:\n"
        "        pass  # a name imported from a module, not a module; or an extra that is not installed here\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], env=env, check=True, capture_output=True,
                                       text=True).stdout)  # fmt: skip
    assert "scipy.sparse._sparsetools" in loaded
    named = sorted(f"{m} (excluded as {excluded_by(m)})" for m in loaded if excluded_by(m))
    assert not named, f"packaging/raretrace.spec excludes modules that the app's imports load: {named}"
