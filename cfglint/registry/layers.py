"""Read the registry layers (slim snapshot, overlays) and merge them into one `Catalog`.

Layers, lowest first (registry.md 7.1): the bundled snapshot, or the user's cached snapshot
instead of it; the bundled ``overlay.toml``; user overlays (TOML in the overlay format, or JSON
in the slim snapshot format). Only what a layer names changes; everything else is inherited.
"""

from __future__ import annotations

import json
import re

from cfglint.core import safeio
from cfglint.core.record import named_tuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping


# One model entry as stored in the slim snapshot: [context, input, output] or
# [context, input, output, status]; None = unknown (for input: no separate input cap).
Entry = list

REGISTRY_FILE_LIMIT = safeio.DEFAULT_LIMIT
STATUSES = ("alpha", "beta", "deprecated")
_LIMIT_KEYS = ("context", "input", "output")
_MODEL_KEYS = frozenset(_LIMIT_KEYS) | {"status", "context_1m"}
_OVERLAY_KEYS = frozenset({"gateways", "aliases", "hosts", "vendors", "models"})


class RegistryError(Exception):
    """A registry file (user overlay, user cache) cannot be used; the message names the file."""


MODELS_DEV_DATE = re.compile(r"\d{4}-\d{2}(?:-\d{2})?\Z")  # YYYY-MM[-DD]: models.dev's dates, `data_date`


@named_tuple
class RegistryMeta:
    """Where the registry data came from, for `--version`, `registry info` and messages."""

    source: str
    upstream_repo: str | None
    upstream_commit: str | None
    upstream_commit_date: str | None
    source_sha256: str | None
    providers: int
    models: int
    path: str  # the snapshot file read (bundled, or the user cache)
    from_cache: bool
    overlays: tuple[str, ...] = ()  # user overlay files applied on top
    data_date: str | None = None  # the newest entry's date: how bundled and cached data compare

    @classmethod
    def from_snapshot(cls, meta: dict[str, Any], *, path: str, from_cache: bool,
                      overlays: Iterable[str] = ()) -> "RegistryMeta":
        """Read the `_meta` header; a field of the wrong type (a hand-edited cache) counts as absent."""

        def text(key: str) -> str | None:
            value = meta.get(key)
            return value if isinstance(value, str) and value else None

        def count(key: str) -> int:
            value = meta.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else 0

        return cls(
            source=text("source") or "",
            upstream_repo=text("upstream_repo"),
            upstream_commit=text("upstream_commit"),
            upstream_commit_date=text("upstream_commit_date"),
            source_sha256=text("source_sha256"),
            providers=count("providers"),
            models=count("models"),
            path=path,
            from_cache=from_cache,
            overlays=tuple(overlays),
            data_date=date if (date := text("data_date")) and MODELS_DEV_DATE.match(date) else None,
        )

    @property
    def short_commit(self) -> str | None:
        return self.upstream_commit[:7] if self.upstream_commit else None

    @property
    def date(self) -> str | None:
        """The upstream commit date as YYYY-MM-DD, else (a downloaded ``api.json`` names no
        commit) the newest entry's date, if known."""
        return self.upstream_commit_date[:10] if self.upstream_commit_date else self.data_date

    def describe_dates(self) -> str:
        """`describe()`, plus the newest entry's date when the label shows another (a commit's)."""
        if self.data_date and self.data_date != self.date:
            return f"{self.describe()}, newest entry {self.data_date}"
        return self.describe()

    def describe(self) -> str:
        """One line naming the data, e.g. "models.dev@f3fc692 (2026-07-02)" or, for a user cache
        updated from models.dev's URL, "models.dev (2026-08-14)": a label every message can carry,
        which changes only when the data does."""
        name = (self.upstream_repo or "models.dev").rpartition("/")[2]
        if self.short_commit:
            name += f"@{self.short_commit}"
        if self.date:
            return f"{name} ({self.date})"
        if self.source_sha256:
            return f"{name} (sha256 {self.source_sha256[:12]})"
        return name


class Catalog:
    """Everything the lookup needs, after merging the layers. Provider ids are as in models.dev;
    alias, vendor and host keys are lower-case."""

    def __init__(self, meta: dict[str, Any], providers: dict[str, dict[str, Any]]) -> None:
        self.meta = meta
        self.providers = providers  # id -> {"api"?: str, "models": {model id: Entry}}
        self.aliases: dict[str, str] = {}
        self.hosts: dict[str, str] = {}
        self.vendors: dict[str, str] = {}
        self.gateways: set[str] = set()
        self.context_1m: dict[tuple[str, str], int] = {}  # (provider, model) -> window with `[1m]`


def read_bytes(path: str, what: str) -> bytes:
    """A registry file's bytes, bounded and never blocking: `--registry` and the `registry` setting
    can name anything, a FIFO or `/dev/zero` included (the bundled snapshot is 0.25 MB)."""
    try:
        return safeio.read_bytes(path, REGISTRY_FILE_LIMIT, what="it")
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read {what}: {exc.strerror or exc}") from exc


def parse_snapshot(data: bytes, origin: str, *, trusted: bool = False) -> dict[str, Any]:
    """Parse a slim snapshot (``{"_meta"?, "providers"}``) and check its shape. The bundled
    snapshot is ``trusted`` (its tests check it), which saves a pass over 5,000 entries per run,
    and its providers' models are decoded on first use (`_lazy_snapshot`)."""
    if trusted and (snapshot := _lazy_snapshot(data.decode("utf-8"))) is not None:
        return snapshot
    try:
        snapshot = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise RegistryError(f"{origin}: not valid JSON: {exc}") from exc
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("providers"), dict):
        raise RegistryError(f'{origin}: not a cfglint registry snapshot (no "providers" object)')
    if trusted:
        return snapshot
    for provider_id, provider in snapshot["providers"].items():
        where = f"{origin}: providers.{provider_id}"
        if not isinstance(provider, dict) or not isinstance(provider.get("models"), dict):
            raise RegistryError(f'{where}: expected an object with a "models" object')
        if "api" in provider and not isinstance(provider["api"], str):
            raise RegistryError(f"{where}.api: expected a string")
        for model_id, entry in provider["models"].items():
            _check_entry(entry, f"{where}.models.{model_id}")
    meta = snapshot.get("_meta", {})
    if not isinstance(meta, dict):
        raise RegistryError(f"{origin}: _meta: expected an object")
    return snapshot


class _Provider(dict):
    """A provider of the bundled snapshot whose ``models`` object is decoded by the first
    ``provider["models"]``: a check looks models up under a few of ~150 providers, and decoding
    all ~5,000 entries took ~2 ms of every run."""

    __slots__ = ("_text", "_at")

    def __missing__(self, key: str) -> Any:
        if key != "models":
            raise KeyError(key)
        models = self["models"] = json.JSONDecoder().raw_decode(self._text, self._at)[0]
        return models


_MODELS = '"models":'


def may_hold(provider: Mapping[str, Any], needles: Iterable[str]) -> bool:
    """Whether PROVIDER's models may hold one of NEEDLES (lower-case substrings of the JSON text
    of a model id, such as ``"glm-5.2"``). False only for a `_Provider` not yet decoded whose
    text (ASCII, no escapes, so its lower-case is the ids' own) contains none of them: a search
    of every provider then decodes only those that may hold it."""
    if type(provider) is not _Provider or "models" in provider:
        return True
    text, at = provider._text, provider._at
    end = text.find(_MODELS + "{", at)
    region = text[at:end if end >= 0 else len(text)]
    if not region.isascii() or "\\" in region:
        return True
    region = region.lower()
    return any(needle in region for needle in needles)


def _lazy_snapshot(text: str) -> dict[str, Any] | None:
    """The snapshot with `_Provider`s, read from the generator's layout (sorted keys, no spaces:
    ``{"_meta":{...},"providers":{"id":{"api":"...","models":{...}},...}}``, in which
    ``"models":{`` opens each provider's models and nothing else); None for any other layout, or
    when the providers found are not as many as ``_meta`` counts (then the file is parsed whole)."""
    if not text.startswith('{"_meta":'):
        return None
    try:
        meta, pos = json.JSONDecoder().raw_decode(text, len('{"_meta":'))
    except ValueError:
        return None
    if not isinstance(meta, dict) or not text.startswith(',"providers":{', pos):
        return None
    providers: dict[str, Any] = {}
    while (at := text.find(_MODELS + "{", pos)) >= 0:
        provider = _Provider()
        head = at - 1 if text[at - 1] == "{" else text.rfind('{"api":', pos, at)  # the provider's `{`
        start = text.rfind('"', pos, head - 2)  # its id's opening quote
        if head < 0 or text[head - 2:head] != '":' or start < 0 or "\\" in text[start:at]:
            return None
        if head < at - 1:
            provider["api"] = text[head + len('{"api":') + 1:at - 2]
        provider._text, provider._at = text, at + len(_MODELS)
        providers[text[start + 1:head - 2]] = provider
        pos = at + len(_MODELS)
    return {"_meta": meta, "providers": providers} if len(providers) == meta.get("providers") else None


def _check_entry(entry: Any, where: str) -> None:
    if not isinstance(entry, list) or len(entry) not in (3, 4):
        raise RegistryError(f"{where}: expected [context, input, output] or [context, input, output, status]")
    for name, value in zip(_LIMIT_KEYS, entry):
        if value is not None and not _is_count(value):
            raise RegistryError(f"{where}: {name} must be a non-negative integer or null")
    if len(entry) == 4 and entry[3] is not None and entry[3] not in STATUSES:
        raise RegistryError(f"{where}: status must be one of {', '.join(STATUSES)} or null")


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def merge_snapshot(catalog: Catalog, snapshot: Mapping[str, Any]) -> None:
    """Lay a slim JSON overlay on the catalog: its entries and `api` fields replace existing ones."""
    for provider_id, provider in snapshot["providers"].items():
        target = catalog.providers.setdefault(provider_id, {"models": {}})
        if "api" in provider:
            target["api"] = provider["api"]
        for model_id, entry in provider["models"].items():
            existing = _find_model(target["models"], model_id)
            target["models"][existing or model_id] = [v or None for v in entry[:3]] + entry[3:]


def parse_overlay_toml(data: bytes, origin: str) -> dict[str, Any]:
    import tomli  # the TOML library cfglint.parsing already uses: one import serves both

    try:
        return tomli.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError) as exc:
        raise RegistryError(f"{origin}: not a valid TOML overlay: {exc}") from exc


def merge_overlay(catalog: Catalog, overlay: Mapping[str, Any], origin: str, *, strict: bool) -> None:
    """Lay an overlay (the ``overlay.toml`` format) on the catalog.

    With ``strict`` (user overlays) a name that points at no provider is an error, since it is
    almost certainly a typo. The bundled overlay is not strict: a user cache built from a newer
    models.dev may have dropped a provider it names, and that must not break the linter.
    """
    unknown = set(overlay) - _OVERLAY_KEYS
    if unknown:
        raise RegistryError(f"{origin}: unknown table(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(_OVERLAY_KEYS))}")

    models = overlay.get("models", {})
    if not isinstance(models, dict):
        raise RegistryError(f"{origin}: models: expected a table of provider tables")
    for provider_id, provider_models in models.items():
        if not isinstance(provider_models, dict):
            raise RegistryError(f"{origin}: models.{provider_id}: expected a table of model tables")
        target = catalog.providers.setdefault(provider_id, {"models": {}})["models"]
        for model_id, fields in provider_models.items():
            _merge_model(catalog, provider_id, target, model_id, fields, f"{origin}: models.{provider_id}.{model_id}")

    def known(provider_id: Any, where: str) -> bool:
        if not isinstance(provider_id, str):
            raise RegistryError(f"{where}: expected a provider id string")
        if provider_id in catalog.providers:
            return True
        if strict:
            raise RegistryError(f"{where}: {provider_id!r} is not a registry provider")
        return False

    gateways = overlay.get("gateways", [])
    if not isinstance(gateways, list):
        raise RegistryError(f"{origin}: gateways: expected an array of provider ids")
    catalog.gateways.update(g for g in gateways if known(g, f"{origin}: gateways"))

    for table in ("aliases", "hosts", "vendors"):
        entries = overlay.get(table, {})
        if not isinstance(entries, dict):
            raise RegistryError(f"{origin}: {table}: expected a table of name = provider id")
        merged: dict[str, str] = getattr(catalog, table)
        for name, provider_id in entries.items():
            if known(provider_id, f"{origin}: {table}.{name}"):
                merged[name.lower()] = provider_id


def _merge_model(catalog: Catalog, provider_id: str, models: dict[str, Entry], model_id: str, fields: Any, where: str) -> None:
    if not isinstance(fields, dict):
        raise RegistryError(f"{where}: expected a table of {', '.join(sorted(_MODEL_KEYS))}")
    unknown = set(fields) - _MODEL_KEYS
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; expected {', '.join(sorted(_MODEL_KEYS))}")
    for name in (*_LIMIT_KEYS, "context_1m"):
        if name in fields and not _is_count(fields[name]):
            raise RegistryError(f"{where}.{name}: expected a non-negative integer (0 = unknown)")
    status = fields.get("status")
    if status is not None and status not in (*STATUSES, ""):
        raise RegistryError(f'{where}.status: expected one of {", ".join(STATUSES)}, or "" to clear it')

    existing = _find_model(models, model_id)
    model_id = existing or model_id
    entry = models[model_id] if existing else [None, None, None]
    entry.extend([None] * (4 - len(entry)))
    for index, name in enumerate(_LIMIT_KEYS):
        if name in fields:
            entry[index] = fields[name] or None
    if status is not None:
        entry[3] = status or None
    models[model_id] = entry
    if "context_1m" in fields:
        if fields["context_1m"]:
            catalog.context_1m[(provider_id, model_id)] = fields["context_1m"]
        else:
            catalog.context_1m.pop((provider_id, model_id), None)


def _find_model(models: Mapping[str, Entry], model_id: str) -> str | None:
    """The stored spelling of MODEL_ID (ids compare case-insensitively), if present."""
    if model_id in models:
        return model_id
    lowered = model_id.lower()
    return next((m for m in models if m.lower() == lowered), None)
