"""cfglint's model registry: context, input and output limits per provider and model.

Data (see ``data/README.md``): a slim snapshot generated from the models.dev catalogue, a
hand-written overlay (aliases, hosts, gateways, fixes, additions, retired ids) and the models.dev
MIT notice, all inside the package. On top of them, optionally, the user's cached snapshot
(``cfglint registry update``) and user overlays (``--registry FILE``).

The bundled snapshot and the user cache are compared by their data's own date (``_meta.data_date``,
the newest entry's), and the newer one is used: a cache written before an upgrade of cfglint never
hides the newer snapshot the upgrade brought (`choose_snapshot`).

Public API::

    registry = load_registry(["my-overlay.toml"])
    match = registry.lookup("glm-5.2", provider="zhipu", base_url="https://open.bigmodel.cn/api/paas/v4")
    match.kind, match.entry, match.context, match.output, match.authoritative

Loading reads one ~240 KB JSON file (the bundled one's providers' models decoded on first use) and
the bundled overlay (as JSON); indexes are built on first use.
"""

from __future__ import annotations

import json
import os

from cfglint.core.paths import cache_dir
from cfglint.core.record import named_tuple
from cfglint.registry.layers import (
    Catalog,
    RegistryError,
    RegistryMeta,
    merge_overlay,
    merge_snapshot,
    parse_overlay_toml,
    parse_snapshot,
    read_bytes,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence
    from pathlib import Path

    from cfglint.registry.lookup import MATCH_KINDS, ModelLimits, Registry, RegistryMatch


# Every run reads the snapshots' headers (the cache key, the version line); only a run that looks
# a model up imports the lookup (`__getattr__`).
_LOOKUP_NAMES = frozenset({"MATCH_KINDS", "ModelLimits", "Registry", "RegistryMatch"})


def __getattr__(name: str) -> object:
    if name in _LOOKUP_NAMES:
        from cfglint.registry import lookup

        return getattr(lookup, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "MATCH_KINDS",
    "ModelLimits",
    "Registry",
    "RegistryError",
    "RegistryMatch",
    "RegistryMeta",
    "SnapshotChoice",
    "cache_dir",
    "cached_snapshot_path",
    "choose_snapshot",
    "load_registry",
    "reset_cache",
    "update_cache",
]

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
BUNDLED_SNAPSHOT = os.path.join(DATA_DIR, "models-dev.json")
BUNDLED_OVERLAY = os.path.join(DATA_DIR, "overlay.toml")
# What a run reads of it: the same tables as JSON, generated (`python -m cfglint.registry.generate
# --overlay`), so that a check of a JSON or YAML file never imports the TOML library (~2 ms).
BUNDLED_OVERLAY_JSON = os.path.join(DATA_DIR, "overlay.json")
CACHED_SNAPSHOT = os.path.join("registry", "models-dev.json")
RESET_HINT = "`cfglint registry reset` removes a broken user cache"


def cached_snapshot_path() -> str:
    """Where ``cfglint registry update`` writes the user's snapshot."""
    return os.path.join(cache_dir(), CACHED_SNAPSHOT)


@named_tuple
class _Snapshot:
    """A snapshot file's header and bytes."""

    meta: RegistryMeta
    data: bytes  # kept, so the snapshot parsed is the one whose header was compared


@named_tuple
class SnapshotChoice:
    """The bundled snapshot, the user cache and which of them a run uses."""

    bundled: RegistryMeta
    cache: RegistryMeta | None  # None: no user cache, or not looked at (`--no-cache`)
    cache_in_use: bool
    note: str | None  # why an existing user cache is not used

    @property
    def in_use(self) -> RegistryMeta:
        return self.cache if self.cache is not None and self.cache_in_use else self.bundled


def choose_snapshot(*, use_cache: bool = True) -> SnapshotChoice:
    """Which snapshot a run reads; only the snapshots' headers are parsed.

    Raises RegistryError, naming the file, when the user cache is not a snapshot at all.
    """
    return _choose(use_cache)[0]


def _choose(use_cache: bool) -> tuple[SnapshotChoice, _Snapshot]:
    """The choice, and the chosen snapshot's bytes (read once, so a concurrent `registry update`
    cannot swap the file between the comparison and the parse)."""
    bundled = _read_snapshot(BUNDLED_SNAPSHOT, from_cache=False)
    cache_path = cached_snapshot_path()
    if not use_cache or not os.path.isfile(cache_path):
        return SnapshotChoice(bundled.meta, None, False, None), bundled
    cache = _read_snapshot(cache_path, from_cache=True)
    note = _why_not_used(cache.meta, bundled.meta)
    choice = SnapshotChoice(bundled.meta, cache.meta, note is None, note)
    return choice, bundled if note else cache


def _why_not_used(cache: RegistryMeta, bundled: RegistryMeta) -> str | None:
    """None when the user cache's data is at least as new as the bundled snapshot's (on a tie the
    cache wins: the user asked for it), else the note saying why it is ignored and what to do."""
    remedy = "`cfglint registry update` refreshes it, `cfglint registry reset` removes it"
    if cache.data_date is None:
        return (f"the registry user cache {cache.path} has no data date (written by hand or by an older cfglint): "
                f"using the bundled snapshot {bundled.describe()} ({remedy})")
    if bundled.data_date is not None and cache.data_date < bundled.data_date:
        return (f"the registry user cache {cache.path} ({cache.describe_dates()}) is older than the bundled "
                f"snapshot ({bundled.describe_dates()}): using the bundled one ({remedy})")
    return None


def _read_snapshot(path: str, *, from_cache: bool) -> _Snapshot:
    what = "the registry user cache" if from_cache else "the registry snapshot"
    data = read_bytes(path, what)
    return _Snapshot(RegistryMeta.from_snapshot(_header(data, path), path=path, from_cache=from_cache), data)


def _header(data: bytes, origin: str) -> dict:
    """The `_meta` object of a snapshot. The generator writes sorted keys, so `_meta` comes first
    and is decoded alone; any other layout (a hand-made file) is parsed whole."""
    prefix = b'{"_meta":'
    try:
        if data.startswith(prefix):
            text = data.decode("utf-8")
            meta = json.JSONDecoder().raw_decode(text, json.decoder.WHITESPACE.match(text, len(prefix)).end())[0]
        else:
            meta = json.loads(data).get("_meta", {})
    except (ValueError, AttributeError, RecursionError) as exc:
        raise RegistryError(f"{origin}: not a cfglint registry snapshot ({exc}); {RESET_HINT}") from exc
    return meta if isinstance(meta, dict) else {}


def load_registry(overlays: Sequence[str | Path] = (), *, use_cache: bool = True) -> Registry:
    """Build the registry from its layers (module docstring). OVERLAYS are user files: TOML in
    the ``overlay.toml`` format, or JSON in the slim snapshot format (by extension ``.json``).
    Without ``use_cache`` the user cache is not looked at (`--no-cache`).

    Raises RegistryError, naming the file, when a user overlay or the user cache is unusable.
    """
    from cfglint.registry.lookup import Registry

    chosen = _choose(use_cache)[1]
    try:
        snapshot = parse_snapshot(chosen.data, chosen.meta.path, trusted=not chosen.meta.from_cache)
    except RegistryError as exc:
        raise RegistryError(f"{exc}; {RESET_HINT}") from exc
    catalog = Catalog(meta=snapshot.get("_meta", {}), providers=snapshot["providers"])

    bundled = json.loads(read_bytes(BUNDLED_OVERLAY_JSON, "the bundled overlay"))
    merge_overlay(catalog, bundled, BUNDLED_OVERLAY, strict=False)

    applied = []
    for overlay in overlays:
        path = os.fspath(overlay)
        data = read_bytes(path, "the registry overlay")
        if path.lower().endswith(".json"):
            merge_snapshot(catalog, parse_snapshot(data, path))
        else:
            merge_overlay(catalog, parse_overlay_toml(data, path), path, strict=True)
        applied.append(path)

    return Registry(catalog, chosen.meta._replace(overlays=tuple(applied)))


def reset_cache() -> str | None:
    """Remove the user cache written by ``cfglint registry update``; return its path, or None
    when there was none. Raises RegistryError when it exists but cannot be removed."""
    target = cached_snapshot_path()
    try:
        os.unlink(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise RegistryError(f"{target}: cannot remove the registry cache: {exc.strerror or exc}") from exc
    return target


def update_cache(source: str) -> Path:
    """Read a full models.dev ``api.json`` (file path or http(s) URL), write it in the slim format
    to the user cache and return the path written. The file is replaced atomically, so a
    concurrent cfglint run reads either the old snapshot or the new one.

    Raises RegistryError when the source cannot be read or is not a models.dev catalogue.
    """
    import tempfile
    from pathlib import Path

    from cfglint.registry.generate import SourceError, build_snapshot, read_source, source_label

    try:
        data = build_snapshot(read_source(source), source=source_label(source))
    except SourceError as exc:
        raise RegistryError(str(exc)) from exc
    target = cached_snapshot_path()
    directory = os.path.dirname(target)
    try:
        os.makedirs(directory, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".models-dev.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise RegistryError(f"{target}: cannot write the registry cache: {exc.strerror or exc}") from exc
    return Path(target)
