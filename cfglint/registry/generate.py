"""Build cfglint's slim registry snapshot from a full models.dev ``api.json``.

Usage: ``python -m cfglint.registry.generate SOURCE [-o OUT] [--commit SHA] [--commit-date ISO]``;
``python -m cfglint.registry.generate --overlay`` rewrites ``data/overlay.json`` from ``data/overlay.toml``.

SOURCE is a file path or an ``http(s)://`` URL (the URL form exists for
``cfglint registry update --from URL``; nothing else in cfglint touches the network).

The slim format keeps only what the linter reads, for every provider and model::

    {"_meta": {...},
     "providers": {"zhipuai": {"api": "https://open.bigmodel.cn/api/paas/v4",
                               "models": {"glm-5.2": [1000000, null, 131072]}}}}

Each model is ``[context, input, output]`` plus ``status`` when models.dev sets one (``alpha``,
``beta``, ``deprecated``); ``null`` means unknown (models.dev writes 0 for image, embedding and TTS
models) or, for ``input``, that the model has no separate input cap.
The output is byte-for-byte reproducible: sorted keys, compact separators, and no wall-clock
timestamp (``generated_at`` is the upstream commit date when one is given, else absent).

``_meta.data_date`` is the newest ``last_updated`` (or ``release_date``) of any model: the date of
the data itself, known for a downloaded ``api.json`` too (which names no commit). cfglint compares
the bundled snapshot and the user cache by it, so the newer data wins wherever it lies.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence

from cfglint.registry.layers import MODELS_DEV_DATE

SCHEMA_VERSION = 1
UPSTREAM_REPO = "anomalyco/models.dev"
FETCH_TIMEOUT_SECONDS = 30


class SourceError(Exception):
    """The source could not be read or is not a models.dev ``api.json``."""


def read_source(source: str) -> bytes:
    """Return the raw bytes of SOURCE, a file path or an http(s) URL."""
    if source.startswith(("http://", "https://")):
        import urllib.request

        try:
            with urllib.request.urlopen(source, timeout=FETCH_TIMEOUT_SECONDS) as response:
                return response.read()
        except (OSError, ValueError) as exc:  # URLError, HTTPError and timeouts are OSErrors
            raise SourceError(f"cannot download {source}: {exc}") from exc
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read {source}: {exc.strerror or exc}") from exc


def _known(value: Any) -> int | None:
    """models.dev writes 0 for 'not applicable/unknown'; the slim format says null."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def slim_providers(api: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Reduce a parsed ``api.json`` to ``{provider: {"api"?, "models": {id: [c, i, o, s?]}}}``."""
    if not isinstance(api, Mapping) or not all(isinstance(p, Mapping) for p in api.values()):
        raise SourceError("not a models.dev api.json: expected an object of provider objects")
    providers: dict[str, dict[str, Any]] = {}
    for provider_id, provider in api.items():
        models = provider.get("models")
        if not isinstance(models, Mapping):
            raise SourceError(f"not a models.dev api.json: provider {provider_id!r} has no models object")
        slim: dict[str, Any] = {"models": {}}
        if isinstance(provider.get("api"), str):
            slim["api"] = provider["api"]
        for model_id, model in models.items():
            limit = model.get("limit") if isinstance(model, Mapping) else None
            if not isinstance(limit, Mapping):
                raise SourceError(f"not a models.dev api.json: {provider_id}/{model_id} has no limit object")
            limits = [_known(limit.get("context")), _known(limit.get("input")), _known(limit.get("output"))]
            status = model.get("status")
            if isinstance(status, str):
                limits.append(status)
            slim["models"][model_id] = limits
        providers[provider_id] = slim
    return providers


def newest_date(api: Mapping[str, Any]) -> str | None:
    """The newest ``last_updated`` or ``release_date`` of any model in a parsed ``api.json``.
    Month-only dates (``2026-06``) sort before the days of that month."""
    dates = (
        model.get(key)
        for provider in api.values()
        for model in provider["models"].values()
        if isinstance(model, Mapping)
        for key in ("last_updated", "release_date")
    )
    return max((d for d in dates if isinstance(d, str) and MODELS_DEV_DATE.match(d)), default=None)


def build_snapshot(
    raw: bytes,
    *,
    source: str,
    commit: str | None = None,
    commit_date: str | None = None,
) -> bytes:
    """Turn the bytes of a full ``api.json`` into the bytes of a slim snapshot."""
    try:
        api = json.loads(raw)
    except ValueError as exc:
        raise SourceError(f"not JSON: {exc}") from exc
    providers = slim_providers(api)
    meta: dict[str, Any] = {
        "schema": SCHEMA_VERSION,
        "source": source,
        "upstream_repo": UPSTREAM_REPO,
        "source_sha256": hashlib.sha256(raw).hexdigest(),
        "providers": len(providers),
        "models": sum(len(p["models"]) for p in providers.values()),
    }
    data_date = newest_date(api)
    if data_date:
        meta["data_date"] = data_date
    if commit:
        meta["upstream_commit"] = commit
    if commit_date:
        meta["upstream_commit_date"] = commit_date
        meta["generated_at"] = commit_date
    snapshot = {"_meta": meta, "providers": providers}
    text = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def build_overlay_json(toml: bytes, origin: str) -> bytes:
    """The bytes of ``data/overlay.json``: the tables of ``overlay.toml`` in their order, which
    runs read instead of the TOML (`cfglint.registry.BUNDLED_OVERLAY_JSON`)."""
    from cfglint.registry.layers import parse_overlay_toml

    text = json.dumps(parse_overlay_toml(toml, origin), separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def source_label(source: str) -> str:
    """What ``_meta.source`` records: the URL, or only the file name (never a local path,
    so regenerating on another machine gives the same bytes)."""
    if source.startswith(("http://", "https://")):
        return source
    return Path(source).name


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cfglint.registry.generate",
        description="Write cfglint's slim registry snapshot from a full models.dev api.json.",
    )
    parser.add_argument("source", metavar="SOURCE", nargs="?", help="api.json file or http(s) URL")
    parser.add_argument("--overlay", action="store_true",
                        help="instead, write data/overlay.json from the bundled data/overlay.toml")
    parser.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    parser.add_argument("--commit", help="models.dev commit the api.json was built from")
    parser.add_argument("--commit-date", help="ISO 8601 date of that commit (also used as generated_at)")
    args = parser.parse_args(argv)
    if args.overlay:
        from cfglint.registry import BUNDLED_OVERLAY, BUNDLED_OVERLAY_JSON

        Path(BUNDLED_OVERLAY_JSON).write_bytes(build_overlay_json(Path(BUNDLED_OVERLAY).read_bytes(), BUNDLED_OVERLAY))
        return 0
    if args.source is None:
        parser.error("SOURCE is required (or --overlay)")
    try:
        data = build_snapshot(
            read_source(args.source),
            source=source_label(args.source),
            commit=args.commit,
            commit_date=args.commit_date,
        )
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
