"""Build hook: ship the top-level rules/ and templates/ inside the wheel.

The layout keeps rule packs and templates at the top of the repository, where
compliance officers find them; the wheel carries copies under
governance/_bundled/ so a plain `pip install .` finds them too
(see governance/resources.py).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("rules", "templates")


class BuildWithBundledData(build_py):
    def run(self):
        super().run()
        here = Path(__file__).parent
        for name in BUNDLED:
            target = Path(self.build_lib) / "governance" / "_bundled" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(here / name, target, ignore=shutil.ignore_patterns("__pycache__"))


setup(cmdclass={"build_py": BuildWithBundledData})
