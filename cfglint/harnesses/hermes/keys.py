"""The config keys each `hermes-agent` release knows, as extracted from its wheel.

`data/known_keys.json` is written by `tools/extract/hermes.py` (DEFAULT_CONFIG,
`_KNOWN_ROOT_KEYS` and the keys the wheel's code reads); this module only reads
it. Sections are dotted paths of the objects whose keys cfglint checks (`""` is
the top level, `auxiliary.*` any auxiliary task).
"""

from __future__ import annotations

import functools
import json

from cfglint.core.paths import data_file, read_data
from cfglint.core.versions import Version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable


DATA = data_file(__file__, "known_keys.json")


@functools.lru_cache(maxsize=None)
def _document() -> dict:
    return json.loads(read_data(DATA))


@functools.lru_cache(maxsize=None)
def _versions(ranges: str) -> frozenset[str]:
    """The releases of a `0.13.0..0.15.2, 0.18.0` range list."""
    releases = _document()["versions"]
    found: set[str] = set()
    for part in ranges.split(", "):
        first, _, last = part.partition("..")
        start, end = releases.index(first), releases.index(last or first)
        found.update(releases[start:end + 1])
    return frozenset(found)


def releases() -> list[str]:
    return list(_document()["versions"])


def section_keys(section: str) -> dict[str, str]:
    """Every key any release knows in `section`, with the releases (ranges) that know it."""
    return dict(_document()["sections"][section])


def known_in(section: str, version: Version) -> frozenset[str] | None:
    """The keys release `version` knows in `section`; None for a release the data does not
    cover (then only the schema applies)."""
    release = _release(version)
    if release is None:
        return None
    return frozenset(k for k, ranges in section_keys(section).items() if release in _versions(ranges))


def ranges_of(section: str, key: str) -> str | None:
    return section_keys(section).get(key)


def auxiliary_tasks_reading(key: str, version: Version) -> frozenset[str] | None:
    """The auxiliary tasks whose entry release `version` reads `key` in, when only named tasks
    have it (`enabled`: `title_generation`); None when any task's entry may hold it."""
    release = _release(version)
    tasks = _document()["auxiliary_task_keys"].get(key)
    if release is None or tasks is None:
        return None
    named = frozenset(task for task, ranges in tasks.items() if release in _versions(ranges))
    return named or None


def auxiliary_tasks_of_any_release(key: str) -> frozenset[str]:
    """The tasks some release gives `key` (a Hermes-written leftover there is harmless)."""
    return frozenset(_document()["auxiliary_task_keys"].get(key, ()))


def auxiliary_open_tasks(version: Version) -> frozenset[str]:
    """Auxiliary tasks whose entry release `version` reads with keys the extraction cannot tell
    (`curator`): any key may be read there."""
    return auxiliary_tasks_reading("*", version) or frozenset()


def root_keys_of_any_release() -> frozenset[str]:
    """Every top-level key some release reads, accepts, warns about or moves into `model`."""
    document = _document()
    return frozenset(document["sections"][""]).union(
        document["accepted_unread_root_keys"], document["misplaced_root_keys"], document["migrated_root_keys"])


def newest_reader(section: str, key: str) -> str | None:
    """The newest release that knows `key` in `section` (None: no release does)."""
    ranges = ranges_of(section, key)
    return None if ranges is None else ranges.split(", ")[-1].split("..")[-1]


def accepted_unread_root_keys(version: Version | None) -> frozenset[str]:
    """Root keys Hermes's own check accepts but that no code of the release (None: of any
    release) reads."""
    items = _document()["accepted_unread_root_keys"].items()
    return frozenset(k for k, _ in items) if version is None else _keys_for(items, version)


def misplaced_root_keys(version: Version | None) -> frozenset[str]:
    """Root keys Hermes's own check warns about as misplaced (`_CUSTOM_PROVIDER_LIKE_FIELDS`), in
    the release (None: in any release)."""
    items = _document()["misplaced_root_keys"].items()
    return frozenset(k for k, _ in items) if version is None else _keys_for(items, version)


def migrated_root_keys(version: Version) -> frozenset[str]:
    """Root keys the release takes out of the config at load (`_normalize_root_model_keys` moves
    `provider`, `base_url`, `context_length`, `api_base` into `model`)."""
    return _keys_for(_document()["migrated_root_keys"].items(), version)


def written_config_version(version: Version) -> int | None:
    """`_config_version` the release writes to config.yaml (DEFAULT_CONFIG); None for a release
    the data does not cover."""
    release = _release(version)
    return None if release is None else _document()["config_versions"][release]


def newest_config_version() -> int:
    return _document()["config_versions"][newest_release()]


def newest_release() -> str:
    return _document()["versions"][-1]


def _keys_for(items: Iterable[tuple[str, str]], version: Version) -> frozenset[str]:
    release = _release(version) or newest_release()
    return frozenset(k for k, ranges in items if release in _versions(ranges))


def _release(version: Version) -> str | None:
    """The extracted release that behaves as `version`: the newest one not after it."""
    covered = [r for r in _document()["versions"] if version >= r]
    return covered[-1] if covered and version <= newest_release() else None
