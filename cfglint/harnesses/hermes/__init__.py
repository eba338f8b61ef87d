"""Hermes Agent (`~/.hermes/config.yaml`, or `$HERMES_HOME/config.yaml`), default target 0.19.0.

Facts: `harness-hermes.md`. YAML read with a safe loader; `model` is a string
or a mapping; legacy `compression.summary_*` keys migrate to
`auxiliary.compression.*`.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from cfglint.document import ParseResult, Path
from cfglint.harnesses.base import Harness, Note
from cfglint.source import SourceText
from cfglint.versions import Version

MINIMUM_CONTEXT_LENGTH = 64_000
_MIGRATED = {
    "summary_model": "model",
    "summary_provider": "provider",
    "summary_base_url": "base_url",
}


def is_lm_studio(model: Mapping[str, Any]) -> bool:
    """LM Studio (provider `lmstudio`, or a base URL on its port 1234) is exempt from the 64K minimum."""
    if str(model.get("provider", "")).lower() == "lmstudio":
        return True
    base_url = model.get("base_url")
    if isinstance(base_url, str):
        try:
            return urlsplit(base_url).port == 1234
        except ValueError:
            return False
    return False


class Hermes(Harness):
    dialect = "hermes"
    title = "Hermes"
    resolver_module = "cfglint.harnesses.hermes.resolver"
    syntax = "yaml"
    default_version = "0.19.0"
    file_names = ("config.yaml",)
    config_dirs = (".hermes",)
    home_env = "HERMES_HOME"

    def parse(self, source: SourceText, env: Mapping[str, str]) -> ParseResult:
        from cfglint.parsing.yaml import parse_yaml

        return parse_yaml(source)

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        return "does not read it (its handling of unknown keys is undocumented)"

    def invalid_value_effect(self, path: Path, value: Any, version: Version) -> str | None:
        if path == ("model", "context_length") and not isinstance(value, int):
            return ("Hermes ignores it with a warning and auto-detects the window instead "
                    "(256,000 when detection fails)")
        fraction = path == ("compression", "threshold") or path[:2] == ("compression", "model_thresholds")
        if fraction and isinstance(value, (int, float)) and not isinstance(value, bool):
            if value > 1:
                return (f"Hermes multiplies the window by this fraction (write {value / 100:g} for {value:g}%); "
                        "on 0.13..0.17 the trigger lands above the window and compaction never fires, from "
                        "0.18 the 85% rule moves it to 85% of the window")
            return "Hermes multiplies the window by this fraction; a value <= 0 falls to its 0.75 or 64,000 floor"
        return None

    def value_checks(self, data: Any, version: Version) -> Iterable[Note]:
        model = data.get("model") if isinstance(data, dict) else None
        if not isinstance(model, dict):
            return
        window = model.get("context_length")
        if (isinstance(window, int) and not isinstance(window, bool) and 0 < window < MINIMUM_CONTEXT_LENGTH
                and not is_lm_studio(model)):
            yield Note(("model", "context_length"),
                       f"`model.context_length` {window:,} is below Hermes's minimum of 64,000: agent init "
                       f"rejects the model (Hermes {version}; only LM Studio is exempt)",
                       fix="use a model with a window of at least 64,000 tokens",
                       at="value", details={"value": window, "minimum": MINIMUM_CONTEXT_LENGTH})

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str]) -> Iterable[Note]:
        compression = data.get("compression") if isinstance(data, dict) else None
        if not isinstance(compression, dict):
            return
        for old, new in _MIGRATED.items():
            if old in compression:
                yield Note(("compression", old),
                           f"`compression.{old}` is legacy; Hermes {version} migrates it to "
                           f"`auxiliary.compression.{new}`",
                           fix=f"move it to `auxiliary.compression.{new}`",
                           details={"replacement": f"auxiliary.compression.{new}"})


HERMES = Hermes()
