"""The wheel as users get it: built from this checkout, offline, and read back.

The build runs in a copy of the sources under tmp_path (setuptools writes `build/` and
`*.egg-info` beside its input), with this environment's setuptools and no package index
(`--no-build-isolation --no-index`); it is skipped when that setuptools is too old to build
SPDX licence metadata (`make test` installs one with the `test` extra).
"""

from __future__ import annotations

import email.parser
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

from cfglint import __version__
from cfglint.core.project_urls import DISTRIBUTION


def test_the_code_reads_its_own_distributions_metadata():
    """Project URLs are read from the installed metadata by this name: with the wrong one, cfglint
    would read nothing, or the metadata of PyPI's unrelated `cfglint` when that is installed too."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    assert tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"] == DISTRIBUTION


def _setuptools_builds_spdx_metadata() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 77


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    if not _setuptools_builds_spdx_metadata():
        pytest.skip("needs setuptools >= 77 in this environment (the `test` extra installs it)")
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "cfglint", source / "cfglint", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--quiet", "--disable-pip-version-check", "-w", str(dist), str(source)],
                   check=True, capture_output=True, timeout=300)
    (built,) = dist.glob("*.whl")
    with zipfile.ZipFile(built) as archive:
        yield archive


def _dist_info(wheel: zipfile.ZipFile, name: str) -> str:
    return wheel.read(f"cfglint_agents-{__version__}.dist-info/{name}").decode("utf-8")


def test_metadata_names_the_distribution_and_its_licence(wheel):
    metadata = email.parser.Parser().parsestr(_dist_info(wheel, "METADATA"))
    assert metadata["Name"] == DISTRIBUTION
    assert metadata["Version"] == __version__
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["Requires-Python"] == ">=3.10"


def test_pydantic_is_only_an_extra(wheel):
    """No command imports pydantic (only `make schemas` does): installing cfglint must not pull it in."""
    metadata = email.parser.Parser().parsestr(_dist_info(wheel, "METADATA"))
    requirements = metadata.get_all("Requires-Dist")
    assert not [r for r in requirements if r.startswith("pydantic") and "extra ==" not in r]
    assert any(r.startswith("pydantic") and 'extra == "schemas"' in r for r in requirements)


def test_licence_files_are_inside(wheel):
    names = wheel.namelist()
    licence = f"cfglint_agents-{__version__}.dist-info/licenses/LICENSE"
    assert licence in names
    assert wheel.read(licence) == (REPO / "LICENSE").read_bytes()
    # The models.dev notice stays beside the data derived from it.
    assert "cfglint/registry/data/LICENSE.models-dev" in names


def test_entry_point_is_the_cfglint_command(wheel):
    assert _dist_info(wheel, "entry_points.txt").split() == ["[console_scripts]", "cfglint", "=", "cfglint.cli:main"]


def test_only_the_cfglint_package_and_its_data_are_packaged(wheel):
    top_level = {Path(name).parts[0] for name in wheel.namelist()}
    assert top_level == {"cfglint", f"cfglint_agents-{__version__}.dist-info"}
    names = set(wheel.namelist())
    assert {"cfglint/schemas/kilo.schema.json", "cfglint/registry/data/models-dev.json"} <= names
    assert not [name for name in names if "/tests/" in name or "/tools/" in name or name.endswith(".pyc")]
