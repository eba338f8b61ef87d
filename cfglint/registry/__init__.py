"""cfglint's model registry: context, input and output limits per provider and model.

Data (see ``data/README.md``): a slim snapshot generated from the models.dev catalogue, a
hand-written overlay (aliases, hosts, gateways, fixes, additions, retired ids) and the models.dev
MIT notice, all inside the package. On top of them, optionally, the user's cached snapshot
(``cfglint registry update``) and user overlays (``--registry FILE``).

Public API::

    registry = load_registry(["my-overlay.toml"])
    match = registry.lookup("glm-5.2", provider="zhipu", base_url="https://open.bigmodel.cn/api/paas/v4")
    match.kind, match.entry, match.context, match.output, match.authoritative

Loading reads one ~240 KB JSON file and one small TOML file; indexes are built on first use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Sequence

from cfglint.core.paths import cache_dir
from cfglint.registry.layers import (
    Catalog,
    RegistryError,
    merge_overlay,
    merge_snapshot,
    parse_overlay_toml,
    parse_snapshot,
    read_bytes,
)
from cfglint.registry.lookup import MATCH_KINDS, ModelLimits, Registry, RegistryMatch, RegistryMeta

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "MATCH_KINDS",
    "ModelLimits",
    "Registry",
    "RegistryError",
    "RegistryMatch",
    "RegistryMeta",
    "cache_dir",
    "cached_snapshot_path",
    "load_registry",
    "update_cache",
]

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
BUNDLED_SNAPSHOT = os.path.join(DATA_DIR, "models-dev.json")
BUNDLED_OVERLAY = os.path.join(DATA_DIR, "overlay.toml")
CACHED_SNAPSHOT = os.path.join("registry", "models-dev.json")


def cached_snapshot_path() -> str:
    """Where ``cfglint registry update`` writes the user's snapshot."""
    return os.path.join(cache_dir(), CACHED_SNAPSHOT)


def load_registry(overlays: Sequence[str | Path] = (), *, use_cache: bool = True) -> Registry:
    """Build the registry from its layers (module docstring). OVERLAYS are user files: TOML in
    the ``overlay.toml`` format, or JSON in the slim snapshot format (by extension ``.json``).

    Raises RegistryError, naming the file, when a user overlay or the user cache is unusable.
    """
    snapshot_path = BUNDLED_SNAPSHOT
    from_cache = False
    if use_cache and os.path.isfile(cached_snapshot_path()):
        snapshot_path, from_cache = cached_snapshot_path(), True
    data = read_bytes(snapshot_path, "the registry snapshot")
    snapshot = parse_snapshot(data, snapshot_path, trusted=not from_cache)
    catalog = Catalog(meta=snapshot.get("_meta", {}), providers=snapshot["providers"])

    bundled = parse_overlay_toml(read_bytes(BUNDLED_OVERLAY, "the bundled overlay"), BUNDLED_OVERLAY)
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

    meta = RegistryMeta.from_snapshot(catalog.meta, path=snapshot_path, from_cache=from_cache, overlays=applied)
    return Registry(catalog, meta)


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
