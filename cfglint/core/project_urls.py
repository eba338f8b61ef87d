"""The project's URLs, as `[project.urls]` in pyproject.toml declares them.

Reports link back to the project (SARIF `informationUri` and each rule's
`helpUri`). pyproject.toml is the one place those URLs are written; an
installed cfglint carries them in its distribution metadata as `Project-URL`
entries, so that is where they are read. The fallback is for a source tree
run without installing; a test keeps it equal to pyproject.toml.
"""

from __future__ import annotations

import string

# The distribution name on PyPI (`[project] name`); PyPI's `cfglint` is another project's.
DISTRIBUTION = "cfglint-agents"
FALLBACK_HOMEPAGE = "https://github.com/cfglint/cfglint"

_IGNORED_IN_LABELS = str.maketrans("", "", string.punctuation + string.whitespace)


def project_urls() -> dict[str, str]:
    """`Project-URL` entries of the installed distribution, by normalised label
    (`Homepage`, `home-page` and `Home Page` are one label, as in PEP 753)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata(DISTRIBUTION).get_all("Project-URL") or []
    except PackageNotFoundError:
        return {}
    urls: dict[str, str] = {}
    for entry in entries:
        label, comma, url = entry.partition(",")
        if comma and url.strip():
            urls[_normalise(label)] = url.strip()
    return urls


def homepage() -> str:
    """The project's home page, without a trailing slash."""
    return project_urls().get("homepage", FALLBACK_HOMEPAGE).rstrip("/")


def _normalise(label: str) -> str:
    return label.translate(_IGNORED_IN_LABELS).lower()
