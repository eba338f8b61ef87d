"""Hermes Agent (`~/.hermes/config.yaml`, a profile's `~/.hermes/profiles/<name>/config.yaml`,
or `$HERMES_HOME/config.yaml`), default target 0.19.0.

Facts: `harness-hermes.md`; its constants and version gates in `facts.py`, the keys
each release knows read from the wheels themselves (`keys.py`). YAML read with
a safe loader; `model` is a string or a mapping; legacy `compression.summary_*`
keys migrate to `auxiliary.compression.*`.
"""

from __future__ import annotations

import json

from cfglint.core import numbers
from cfglint.core.document import Document, ParseResult, Path, get_path
from cfglint.core.finding import Severity
from cfglint.core.text import SourceText
from cfglint.core.versions import Version
from cfglint.harnesses.base import Harness, Note
from cfglint.harnesses.endpoints import Endpoint
from cfglint.harnesses.hermes import keys as release_keys
from cfglint.harnesses.hermes.endpoints import endpoints as _endpoints, secret_fix as _secret_fix
from cfglint.harnesses.hermes.facts import (
    ENV_STYLE_KEY,
    LM_STUDIO_PORT,
    LM_STUDIO_PROVIDER,
    MIGRATED_SUMMARY_KEYS,
    MINIMUM_CONTEXT_LENGTH,
    MODEL_KEY_OF_ROOT,
    ON_WORDS_READ_AS_OFF,
    lm_studio_exempt,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping


# A config.yaml with this many top-level keys, none of them Hermes's, is another tool's file.
FOREIGN_MIN_KEYS = 4
# The sections whose keys the wheels tell completely (keys.py), and where they sit.
_SECTIONS = {"": (), "model": ("model",), "compression": ("compression",)}
_SCHEMA_DEFINITIONS = {"model": "HermesModelSettings", "compression": "HermesCompression",
                       "auxiliary.*": "HermesAuxiliaryTask"}


def is_lm_studio(model: Mapping[str, Any]) -> bool:
    """LM Studio (provider `lmstudio`, or a base URL on its port 1234), exempt from the 64K minimum
    on a release with `lm_studio_exempt`."""
    if str(model.get("provider", "")).lower() == LM_STUDIO_PROVIDER:
        return True
    base_url = model.get("base_url")
    if isinstance(base_url, str):
        from urllib.parse import urlsplit  # only for a base URL (~1.5 ms with `ipaddress`)

        try:
            return urlsplit(base_url).port == LM_STUDIO_PORT
        except ValueError:
            return False
    return False


class Hermes(Harness):
    dialect = "hermes"
    title = "Hermes"
    resolver_module = "cfglint.harnesses.hermes.resolver"
    schema_model = "cfglint.harnesses.hermes.model:HermesConfig"
    schema_title = "Hermes Agent"
    rule_codes = frozenset({
        "CMP001", "CMP002", "CMP004", "CMP005", "CMP006", "CMP007", "CMP008", "ENV001", "REG001",
        "REG002", "REG003", "REG005", "SCH001", "SCH002", "SCH003", "SEC001", "SEC004", "SUP001", "SYN001",
        "SYN003", "SYN004",
    })
    syntax = "yaml"
    def parse(self, source: SourceText, env: Mapping[str, str], path: str | None = None) -> ParseResult:
        """YAML; top-level scalars named like environment variables are left out of the schema
        check: the gateway copies them into its environment (`TELEGRAM_HOME_CHANNEL: ...`). So
        are the unknown keys of a file written by a Hermes newer than every release cfglint
        knows: `unknown_keys_for_version` names them in one note."""
        from cfglint.parsing.yaml import parse_yaml

        result = parse_yaml(source, self.title)
        if isinstance(result.data, dict):
            bridged = _gateway_env_keys(result.data)
            newer = set(_keys_unknown_to_schema(result.data)) if _newer_than_releases(result.data) else set()
            if bridged or newer:
                result.unresolved = result.unresolved | bridged | newer
        return result

    def foreign_content(self, data: Any) -> str | None:
        """A mapping with several top-level keys and not one that any Hermes release (or the later
        code the schema describes) reads is some other tool's `config.yaml` (a ContextMap project
        file: `project`, `workflows`, `shields`, `triggers`). A Hermes config with a typo or two
        still has a real key, or is too small to tell: it is linted."""
        if not isinstance(data, dict) or len(data) < FOREIGN_MIN_KEYS:
            return None
        keys = list(data)
        hermes = release_keys.root_keys_of_any_release()
        gateway = {path[0] for path in _gateway_env_keys(data)}
        if any(key in hermes or key in gateway or self._in_schema("", key) for key in keys):
            return None
        shown = ", ".join(f"`{key}`" for key in keys[:4]) + (", ..." if len(keys) > 4 else "")
        return f"none of its top-level keys ({shown}) is a Hermes setting"

    def unknown_key_effect(self, path: Path, strict: bool) -> str:
        releases = f"{release_keys.releases()[0]}..{release_keys.newest_release()}"
        return (f"keeps it in the loaded config, but no code of hermes-agent {releases} reads it "
                "(it is neither in DEFAULT_CONFIG nor among the keys Hermes reads)")

    def invalid_value_effect(self, path: Path, value: Any, version: Version,
                             doc: Document | None = None) -> str | None:
        if path == ("custom_providers",):
            text = " (a JSON string is not parsed)" if isinstance(value, str) else ""
            return (f"Hermes then returns no custom providers at all{text}: every custom provider, "
                    "also those under `providers`, is dropped without a warning")
        if path == ("model", "context_length") and isinstance(value, bool):
            return f"Hermes reads `{str(value).lower()}` as {int(value)} and refuses to start (minimum 64,000)"
        if path == ("model", "context_length") and not isinstance(value, int):
            return ("Hermes ignores it with a warning and auto-detects the window instead "
                    "(256,000 when detection fails)")
        fraction = path == ("compression", "threshold") or path[:2] == ("compression", "model_thresholds")
        if fraction and numbers.finite(value) is not None:
            if value > 1:
                return (f"Hermes multiplies the window by this fraction (write {value / 100:g} for {value:g}%); "
                        "on 0.13..0.17 the trigger lands above the window and compaction never fires, from "
                        "0.18 the 85% rule moves it to 85% of the window")
            return "Hermes multiplies the window by this fraction; a value <= 0 falls to its 0.75 or 64,000 floor"
        return None

    def value_checks(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        if not isinstance(data, dict):
            return
        compression = data.get("compression")
        enabled = compression.get("enabled") if isinstance(compression, dict) else None
        if isinstance(enabled, str) and enabled.strip().lower() in ON_WORDS_READ_AS_OFF:
            yield Note(("compression", "enabled"),
                       f"`compression.enabled: {enabled}` turns compression off: Hermes {version} reads only "
                       "true, 1 or yes as on", fix="write `true`", at="value")
        model = data.get("model")
        if not isinstance(model, dict):
            return
        for key in ("context_length", "max_tokens"):
            value = model.get(key)
            if isinstance(value, str) and token_count(value) is None:
                instead = " and auto-detects the window instead (256,000 when detection fails)"
                yield Note(("model", key),
                           f"`model.{key}` must be integer, got string {json.dumps(value)} (Hermes {version}): "
                           "Hermes ignores it with a warning" + (instead if key == "context_length" else ""),
                           fix="write a plain number of tokens, e.g. 128000", at="value",
                           details={"constraint": "type", "expected": "integer"})
        window = token_count(model.get("context_length"))
        exempt = lm_studio_exempt(version) and is_lm_studio(model)
        if window is not None and 0 < window < MINIMUM_CONTEXT_LENGTH and not exempt:
            yield Note(("model", "context_length"),
                       f"`model.context_length` {window:,} is below Hermes's minimum of 64,000: agent init "
                       f"rejects the model (Hermes {version})",
                       fix="use a model with a window of at least 64,000 tokens",
                       at="value", details={"value": window, "minimum": MINIMUM_CONTEXT_LENGTH})

    def unknown_keys_for_version(self, data: Any, version: Version, path: str | None = None) -> Iterable[Note]:
        """Keys some release (or the fact sheet's later code) knows but the targeted one does not
        read, and root keys it accepts without reading them. A file written by a newer Hermes
        gets one note naming its keys the target does not read, not one per key."""
        if not isinstance(data, dict):
            return
        newer = _written_by_newer(data, version)
        folded = _keys_unknown_to_schema(data) if _newer_than_releases(data) else []
        for section, at, key in _schema_keys_unread(data, version):
            if not at and key in release_keys.misplaced_root_keys(None):
                continue  # reported below, with Hermes's own advice
            reader = release_keys.newest_reader(section, key)
            unread_root = not at and key in release_keys.accepted_unread_root_keys(None)
            if newer and not unread_root and (reader is None or version < reader):
                folded.append(at + (key,))
                continue
            ranges = release_keys.ranges_of(section, key)
            if unread_root:
                read = "no release reads it"
            elif ranges:
                read = f"only hermes-agent {ranges} reads it"
            else:
                read = (f"no released hermes-agent up to {release_keys.newest_release()} reads it "
                        "(harness-hermes.md describes it for later code)")
            yield Note(at + (key,), f"unknown key `{key}` in {_where(at)}: Hermes {version} keeps it in the "
                                    f"loaded config but does not read it; {read}",
                       fix="remove it, or target the release that reads it")
        if folded:
            yield _newer_file_note(data, version, folded)
        for at, key, tasks in _keys_of_other_tasks(data, version):
            entries = ", ".join(f"`auxiliary.{task}`" for task in sorted(tasks))
            yield Note(at + (key,), f"unknown key `{key}` in {_where(at)}: Hermes {version} reads `{key}` only "
                                    f"in {entries}, so it has no effect here",
                       fix="remove it")
        for key in sorted(release_keys.misplaced_root_keys(version) & set(data)):
            yield Note((key,), f"top-level `{key}`: Hermes {version} warns at start-up that it looks misplaced "
                               "and no code reads it there",
                       fix="move it under `model:` or into a `custom_providers` entry")
        model = data.get("model")
        for key in sorted(release_keys.migrated_root_keys(version) & set(data)):
            target = MODEL_KEY_OF_ROOT.get(key, key)
            if isinstance(model, dict) and model.get(target) and data[key]:
                yield Note((key,), f"top-level `{key}` has no effect: Hermes {version} moves it into "
                                   f"`model.{target}` only when that is unset, and `model.{target}` is set",
                           fix=f"remove it, or set `model.{target}` to it")
        for key in sorted(release_keys.accepted_unread_root_keys(version) & set(data)):
            yield Note((key,), f"`{key}` has no effect: Hermes {version} accepts it at the top level "
                               "(`_KNOWN_ROOT_KEYS`) but no code of the release reads it",
                       fix="remove it")

    @staticmethod
    def _in_schema(section: str, key: Any) -> bool:
        """Keys the schema does not know are reported by the schema check already."""
        from cfglint.validation.validate import load_schema

        schema = load_schema("hermes")
        definition = schema if not section else schema["$defs"][_SCHEMA_DEFINITIONS[section]]
        return key in definition.get("properties", {})

    def deprecated_keys(self, data: Any, version: Version, env: Mapping[str, str],
                        path: str | None = None) -> Iterable[Note]:
        compression = data.get("compression") if isinstance(data, dict) else None
        if not isinstance(compression, dict):
            return
        for old, new in MIGRATED_SUMMARY_KEYS.items():
            if old in compression:
                yield Note(("compression", old),
                           f"`compression.{old}` is legacy; Hermes {version} migrates it to "
                           f"`auxiliary.compression.{new}`",
                           fix=f"move it to `auxiliary.compression.{new}`",
                           details={"replacement": f"auxiliary.compression.{new}"})

    def endpoints(self, data: Any) -> Iterable[Endpoint]:
        return _endpoints(data)

    def secret_fix(self, doc: Document, path: Path, value: str, secret: str) -> str:
        return _secret_fix(doc, path, value, secret)


def file_config_version(data: dict) -> int | None:
    """The file's `_config_version` as Hermes reads it (`_coerce_config_version`: `int()`, a bool
    or an unreadable value is legacy); None when absent or legacy."""
    value = data.get("_config_version")
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _schema_keys_unread(data: dict, version: Version) -> Iterable[tuple[str, Path, str]]:
    """(section, object path, key) of each key the schema knows but release `version` does not read."""
    objects = [(section, at, get_path(data, at)) for section, at in _SECTIONS.items()]
    auxiliary = data.get("auxiliary")
    if isinstance(auxiliary, dict):
        objects += [("auxiliary.*", ("auxiliary", task), entry) for task, entry in auxiliary.items()]
    for section, at, entry in objects:
        known = release_keys.known_in(section, version)
        if known is None or not isinstance(entry, dict):
            continue
        for key in entry:
            if key not in known and Hermes._in_schema(section, key):
                yield section, at, key


def _keys_of_other_tasks(data: dict, version: Version) -> Iterable[tuple[Path, str, frozenset[str]]]:
    """(task path, key, tasks) of each auxiliary key release `version` reads only in the entries
    of other tasks (`enabled` is `title_generation`'s switch, not `goal_judge`'s). A key an older
    release gave the task (`session_search.max_concurrency`, read by 0.13-0.14) is a leftover
    Hermes wrote itself and ignores: not reported."""
    auxiliary = data.get("auxiliary")
    known = release_keys.known_in("auxiliary.*", version)
    if not isinstance(auxiliary, dict) or known is None:
        return
    for task, entry in auxiliary.items():
        if not isinstance(entry, dict) or task in release_keys.auxiliary_open_tasks(version):
            continue
        for key in entry:
            tasks = release_keys.auxiliary_tasks_reading(key, version) if key in known else None
            if tasks is not None and task not in release_keys.auxiliary_tasks_of_any_release(key):
                yield ("auxiliary", task), key, tasks


def _gateway_env_keys(data: dict) -> set[Path]:
    """Top-level scalars named like environment variables: the gateway copies them into its
    environment (gateway/run.py), so they are read though no schema lists them."""
    return {(key,) for key, value in data.items() if isinstance(key, str) and ENV_STYLE_KEY.fullmatch(key)
            and isinstance(value, (str, int, float, bool))}


def _keys_unknown_to_schema(data: dict) -> list[Path]:
    """Keys no release knows, which the schema check reports one by one (SCH002)."""
    from cfglint.validation.validate import validate

    bridged = _gateway_env_keys(data)
    return [issue.path for issue in validate(data, "hermes")
            if issue.kind == "unknown-key" and issue.path not in bridged]


def _newer_than_releases(data: dict) -> bool:
    """Written by a Hermes newer than every release cfglint has read: a `_config_version` above the
    newest release's, or equal to it with keys only code after that release reads (git main
    kept writing 33 after 0.19.0)."""
    written = file_config_version(data)
    newest = release_keys.newest_config_version()
    if written is None or written < newest:
        return False
    newest_release = Version.parse(release_keys.newest_release())
    return written > newest or any(release_keys.ranges_of(section, key) is None
                                   for section, _, key in _schema_keys_unread(data, newest_release))


def _written_by_newer(data: dict, version: Version) -> bool:
    """The file comes from a Hermes newer than release `version`, whose keys that release may not know."""
    written, target = file_config_version(data), release_keys.written_config_version(version)
    return (written is not None and target is not None and written > target) or _newer_than_releases(data)


def _newer_file_note(data: dict, version: Version, keys: list[Path]) -> Note:
    """One note for a file a newer Hermes wrote, naming the keys release `version` does not read."""
    written = file_config_version(data)
    release = release_keys.written_config_version(version)
    if release is not None and written is not None and written > release:
        why = f"`_config_version` {written}; hermes-agent {version} writes {release}"
    elif written is not None and written > release_keys.newest_config_version():
        why = (f"`_config_version` {written}; hermes-agent {release_keys.newest_release()}, the newest "
               f"release cfglint knows, writes {release_keys.newest_config_version()}")
    else:
        why = (f"`_config_version` {written} with keys only code after hermes-agent "
               f"{release_keys.newest_release()} reads")
    names = ["`" + ".".join(map(str, path)) + "`" for path in sorted(keys, key=lambda p: tuple(map(str, p)))]
    return Note(("_config_version",),
                f"this file was written by a Hermes newer than {version} ({why}): Hermes {version} keeps "
                f"but does not read {len(names)} of its keys: {', '.join(names)}",
                fix="lint with `--target hermes@<the release you run>`, or upgrade Hermes to the one that "
                    "wrote this file",
                at="value", severity=Severity.INFO,
                details={"config_version": written, "target_config_version": release,
                         "keys": [".".join(map(str, path)) for path in keys]})


def token_count(value: Any) -> int | None:
    """Hermes's reading of a token count: an int (a bool or float is not one), or a string
    `int()` reads ("128000"); None otherwise."""
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _where(at: Path) -> str:
    return "the top level" if not at else "`" + ".".join(map(str, at)) + "`"


HERMES = Hermes()
