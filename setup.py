"""Puts the run-time data into the wheel: `resources/`, the ONNX models and the README, as `raretrace/_data/`.

They live at the project root (STYLE.md's layout), outside the `raretrace` package, so package-data cannot name
them. An editable install (`pip install -e .`, the README's set-up) reads them from the source tree instead;
`raretrace.paths` looks for `_data/` first. The metadata is all in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the source tree's own resources/ and models/ are found through the project root
        target = Path(self.build_lib) / "raretrace" / "_data"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "resources", target / "resources")
        shutil.copy2(ROOT / "README.md", target / "README.md")  # Help → Data sources and licences shows its section
        (target / "models").mkdir(parents=True)
        for model in sorted((ROOT / "models").glob("*.onnx")):
            shutil.copy2(model, target / "models" / model.name)


setup(cmdclass={"build_py": BuildWithData})
