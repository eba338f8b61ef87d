"""Codex CLI's config key sets and bundled model catalogs, read from its released binaries.

npm `@openai/codex@<version>-linux-x64` ships the native musl binary (`vendor/x86_64-unknown-linux-musl/bin/codex`,
`.../codex/codex` in older releases). For each release of `RELEASES` this script reads:

- the serde field lists of `ConfigToml`, `ConfigProfile`, `ModelProviderInfo` and `ModelInfo`. A derived
  `Deserialize` keeps `const FIELDS: &[&str]`, which in a static-pie binary is a run of (pointer, length) pairs in
  a writable segment (`.data.rel.ro`); the pointers are either in place (RELR, implicit addends) or zero and given
  by `R_X86_64_RELATIVE` entries of `.rela.dyn`. Neighbouring arrays are split where code (`lea reg, [rip+x]`) or
  data points at a pair. Each struct's array is the one holding its characteristic members, checked against the
  "struct X with N elements" string serde's `visit_seq` keeps. Where the compiler dropped the array (ConfigToml
  in 0.99.0 and 0.105.0) the binary itself is asked: a key set to a value no field type accepts (`[[[1]]]`) is
  a startup type error at the key's line when the field exists and is ignored when it does not. ModelInfo is
  always asked that way through a `model_catalog_json` entry (>= 0.105.0; its array is dropped up to 0.122.0
  and glued to a neighbouring array later); before, its fields are the keys of the bundled catalog entries;
- the `[features]` names (`codex features list`) and the legacy names still accepted (`--enable <name>`
  fails for an unknown one), the keys a project `.codex/config.toml` may not set (the array
  next to "Ignored unsupported project-local config keys"), the fields a `model_catalog_json` entry must have
  (one bundled entry minus one field at a time: "missing field `x`"; a semantic "is missing both `a` and `b`"
  check becomes `catalog_required_any`), and the closed enums `model_auto_compact_token_limit_scope` and
  `model_reasoning_effort` ("unknown variant `x`, expected one of ...");
- the bundled catalog: `codex debug models --bundled`, or before that command existed the `{"models": [...]}`
  JSON embedded in the binary (what those releases parse at start).

The binary only runs offline subcommands (`features list`, `debug models --bundled`) with `CODEX_HOME` and `HOME`
in a fresh temporary directory. Unpacked binaries are kept next to the artifact cache (`codex-bin/`).

Written: `cfglint/harnesses/codex/data/keys.json` (`releases` -> version -> the lists above, `counts` with each
struct's found/declared count and method, `feature_aliases`, `scopes`, `reasoning_efforts` = null for a free
string) and `catalog-<version>.json` (the budget fields of each bundled entry, in the binary's order).
`python -m tools.extract.codex` downloads what is missing and writes the files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable

from tools.extract.common import REPO, Artifact, cache_dir, npm_artifact, render, write_outputs

PACKAGE = "@openai/codex"
PLATFORM = "linux-x64"
RELEASES = ("0.99.0", "0.100.0", "0.105.0", "0.121.0", "0.122.0", "0.130.0", "0.134.0", "0.135.0", "0.140.0",
            "0.145.0", "0.147.0", "0.148.0", "0.150.0", "0.156.0", "0.157.0", "0.165.0", "0.169.1", "0.171.0")
BINARY_MEMBERS = ("package/vendor/x86_64-unknown-linux-musl/bin/codex",
                  "package/vendor/x86_64-unknown-linux-musl/codex/codex")
DATA = REPO / "cfglint" / "harnesses" / "codex" / "data"
KEYS_OUTPUT = DATA / "keys.json"
OUTPUTS = (KEYS_OUTPUT, *(DATA / f"catalog-{version}.json" for version in RELEASES))
GENERATOR = "tools/extract/codex.py"

# key in keys.json -> (serde struct name, members that identify its FIELDS array)
STRUCTS = {
    "config": ("ConfigToml", {"model", "model_provider", "model_context_window", "model_auto_compact_token_limit"}),
    "profile": ("ConfigProfile", {"model", "model_provider", "oss_provider"}),
    "provider": ("ModelProviderInfo", {"name", "base_url", "env_key", "wire_api"}),
    "model_info": ("ModelInfo", {"slug", "display_name", "context_window", "supported_reasoning_levels"}),
}
PROJECT_FILTER_MESSAGE = b"Ignored unsupported project-local config keys"
PROJECT_FILTER_MEMBERS = {"model_providers", "openai_base_url"}
CATALOG_FIELDS = ("slug", "display_name", "context_window", "max_context_window", "auto_compact_token_limit",
                  "effective_context_window_percent", "supported_reasoning_levels", "default_reasoning_level",
                  "visibility", "truncation_policy")
NO_TYPE_ACCEPTS = "[[[1]]]"  # a nested array: no string, number, bool, enum, map or struct field takes it
FIELD_NAME = re.compile(rb"[a-z_][a-z0-9_]*\Z")
TOML_LINE_ERROR = re.compile(r"config\.toml:(\d+):\d+: ")
MISSING_FIELD = re.compile(r"missing field `([^`]+)`")
MISSING_BOTH = re.compile(r"is missing both `([^`]+)` and `([^`]+)`")
UNKNOWN_VARIANT = re.compile(r"unknown variant `zzz`, expected (?:one of )?(.*)")


def generate(download: bool) -> dict[Path, str] | None:
    artifacts = [npm_artifact(PACKAGE, f"{version}-{PLATFORM}", download=download) for version in RELEASES]
    if any(artifact is None for artifact in artifacts):
        return None
    binaries = [CodexBinary(version, artifact) for version, artifact in zip(RELEASES, artifacts)]
    known_names = _names_seen_anywhere(binaries)
    releases = {binary.version: binary.key_facts(known_names) for binary in binaries}
    outputs = {KEYS_OUTPUT: render({"releases": releases}, artifacts, GENERATOR)}
    for binary in binaries:
        outputs[DATA / f"catalog-{binary.version}.json"] = render(
            {"source": binary.catalog_source, "models": binary.catalog_summary()}, [binary.artifact], GENERATOR)
    return outputs


def _names_seen_anywhere(binaries: list[CodexBinary]) -> dict[str, list[str]]:
    """Candidate names per struct: every name any release's FIELDS array (or bundled catalog) shows, in
    first-seen order; the runtime probe of a release without a usable array tests these. Also every feature
    name any release lists (candidates for legacy aliases)."""
    names: dict[str, list[str]] = {kind: [] for kind in STRUCTS}
    for binary in binaries:
        for kind in STRUCTS:
            for candidate in binary.static_candidates(kind):
                names[kind].extend(name for name in candidate if name not in names[kind])
        names["model_info"].extend(name for entry in binary.bundled_catalog for name in entry
                                   if name not in names["model_info"])
    names["features"] = sorted({name for binary in binaries for name in binary.feature_names})
    return names


class ElfImage:
    """The parts of a static-pie x86-64 ELF needed to read `&[&str]` constants: segments, relative relocations
    and the addresses code or data refer to."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        phoff = struct.unpack_from("<Q", data, 0x20)[0]
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        self.loads: list[tuple[int, int, int, int]] = []  # vaddr, offset, filesz, flags
        self.dynamic = (0, 0)
        for index in range(phnum):
            header = struct.unpack_from("<IIQQQQQQ", data, phoff + index * phentsize)
            kind, flags, offset, vaddr, _, filesz, _, _ = header
            if kind == 1:  # PT_LOAD
                self.loads.append((vaddr, offset, filesz, flags))
            elif kind == 2:  # PT_DYNAMIC
                self.dynamic = (offset, filesz)

    def offset(self, vaddr: int) -> int | None:
        for start, offset, size, _ in self.loads:
            if start <= vaddr < start + size:
                return offset + vaddr - start
        return None

    @cached_property
    def relocated(self) -> dict[int, int]:
        """vaddr -> value for `R_X86_64_RELATIVE` entries of DT_RELA (the file holds zero there); RELR
        binaries keep the value in place and need nothing here."""
        tags: dict[int, int] = {}
        start, size = self.dynamic
        for at in range(start, start + size, 16):
            tag, value = struct.unpack_from("<qQ", self.data, at)
            tags.setdefault(tag, value)
        if 7 not in tags:  # DT_RELA
            return {}
        table = self.offset(tags[7])
        entries = self.data[table:table + tags[8]]  # DT_RELASZ
        return {where: addend for where, info, addend in struct.iter_unpack("<QQq", entries) if info & 0xFFFFFFFF == 8}

    def writable_words(self) -> Iterable[tuple[int, list[int]]]:
        """(vaddr, relocated 8-byte words) of each writable segment."""
        for vaddr, offset, size, flags in self.loads:
            if flags & 2:
                raw = self.data[offset:offset + size - size % 8]
                yield vaddr, [self.relocated.get(vaddr + 8 * index, word)
                              for index, (word,) in enumerate(struct.iter_unpack("<Q", raw))]

    @cached_property
    def referenced(self) -> set[int]:
        """Addresses that code loads with `lea reg, [rip+disp32]` or that data words hold: where arrays start."""
        found: set[int] = set()
        for vaddr, offset, size, flags in self.loads:
            if flags & 1:  # executable
                code = self.data[offset:offset + size]
                for match in re.finditer(rb"[\x48\x4c]\x8d[\x05\x0d\x15\x1d\x25\x2d\x35\x3d]", code):
                    found.add(vaddr + match.start() + 7 + struct.unpack_from("<i", code, match.start() + 3)[0])
        for _, words in self.writable_words():
            found.update(words)
        return found

    def field_name(self, pointer: int, length: int) -> str | None:
        """The identifier at pointer[:length] in a read-only segment, else None."""
        if not 0 < length < 80:
            return None
        for vaddr, offset, size, flags in self.loads:
            if not flags & 2 and vaddr <= pointer and pointer + length <= vaddr + size:
                text = self.data[offset + pointer - vaddr:offset + pointer - vaddr + length]
                return text.decode() if FIELD_NAME.match(text) else None
        return None

    @cached_property
    def name_arrays(self) -> list[list[str]]:
        """Every run of consecutive (pointer, length) pairs naming identifiers, split where something refers to a
        pair (the start of the next array)."""
        arrays: list[list[str]] = []
        for vaddr, words in self.writable_words():
            for parity in (0, 1):
                current: list[str] = []
                for index in range(parity, len(words) - 1, 2):
                    name = self.field_name(words[index], words[index + 1])
                    if name is None or vaddr + 8 * index in self.referenced:
                        if current:
                            arrays.append(current)
                        current = []
                    if name is not None:
                        current.append(name)
                if current:
                    arrays.append(current)
        return arrays


class CodexBinary:
    """One release's binary: what it holds and what it says when run offline."""

    def __init__(self, version: str, artifact: Artifact) -> None:
        self.version = version
        self.artifact = artifact

    @cached_property
    def path(self) -> Path:
        """The executable, unpacked once from the tarball into the cache (keyed by the tarball's digest)."""
        target = cache_dir() / "codex-bin" / f"{self.version}-{self.artifact.sha256[:16]}" / "codex"
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            with tarfile.open(self.artifact.path) as archive:
                member = next(m for m in archive.getmembers() if m.name in BINARY_MEMBERS)
                with archive.extractfile(member) as source, open(f"{target}.part", "wb") as sink:
                    shutil.copyfileobj(source, sink)
            os.chmod(f"{target}.part", 0o755)
            os.replace(f"{target}.part", target)
        return target

    @cached_property
    def _static(self) -> dict[str, Any]:
        """What is read from the file itself, computed in one pass so that the 85–315 MB image is not kept."""
        elf = ElfImage(self.path.read_bytes())
        return {
            "name_arrays": elf.name_arrays,
            # a lookahead: the linker lets "... with 1 element" and the next "struct ..." share the `s`
            "declared_counts": {match[1].decode(): int(match[2]) for match in
                                re.finditer(rb"(?=struct (\w+) with (\d+) elements)", elf.data)},
            "filters_project_keys": PROJECT_FILTER_MESSAGE in elf.data,
            "embedded_catalog": _embedded_catalog(elf.data) if self._printed_catalog is None else None,
        }

    def run(self, config: str, *args: str, files: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Exit code, stdout and stderr of `codex <args>` with `config` as the user config.toml."""
        with tempfile.TemporaryDirectory(prefix="codex-home-") as home:
            Path(home, "config.toml").write_text(config, encoding="utf-8")
            for name, text in (files or {}).items():
                Path(home, name).write_text(text, encoding="utf-8")
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "CODEX_HOME": home,
                   "RUST_BACKTRACE": "0", "NO_COLOR": "1"}
            done = subprocess.run([str(self.path), *args], env=env, cwd=home, capture_output=True, text=True,
                                  timeout=60, stdin=subprocess.DEVNULL)
        return done.returncode, done.stdout, done.stderr

    def config_error(self, config: str, files: dict[str, str] | None = None) -> str:
        """The startup error a config causes ('' when it loads): `features list` loads the whole config."""
        code, stdout, stderr = self.run(config, "features", "list", files=files)
        return stdout + stderr if code else ""

    # -- key sets --------------------------------------------------------------------------------------------

    @property
    def declared_counts(self) -> dict[str, int]:
        """struct name -> N of serde's "struct X with N elements"."""
        return self._static["declared_counts"]

    def static_candidates(self, kind: str) -> list[list[str]]:
        """The distinct name arrays holding the struct's characteristic members."""
        members = STRUCTS[kind][1]
        found: list[list[str]] = []
        for names in self._static["name_arrays"]:
            if members <= set(names) and names not in found:
                found.append(names)
        return found

    def fields(self, kind: str, known_names: dict[str, list[str]]) -> tuple[list[str], str]:
        """The field names of ConfigToml, ConfigProfile or ModelProviderInfo and how they were found: the one
        FIELDS array of the declared length, else (ConfigToml) the probe."""
        expected = self.declared_counts.get(STRUCTS[kind][0])
        candidates = self.static_candidates(kind)
        exact = [names for names in candidates if len(names) == expected]
        if len(exact) == 1:
            return exact[0], "FIELDS array"
        if kind == "config":
            def named_by_error(remaining: list[str]) -> str | None:
                # one candidate a line; the error starts with "<path>/config.toml:<line>:<column>:"
                config = "".join(f"{name} = {NO_TYPE_ACCEPTS}\n" for name in remaining)
                match = TOML_LINE_ERROR.search(self.config_error(config))
                return remaining[int(match[1]) - 1] if match else None
            return _probe(known_names[kind], named_by_error), "probe"
        raise ValueError(f"{self.version}: no unique FIELDS array for {STRUCTS[kind][0]} "
                         f"(expected {expected}, found {[len(c) for c in candidates]})")

    def model_info_fields(self, config: list[str], known_names: dict[str, list[str]]) -> tuple[list[str], str]:
        """ModelInfo's fields. With `model_catalog_json` (>= 0.105.0) the probe decides: its FIELDS array is
        dropped by the compiler up to 0.122.0 and glued to a neighbouring array later. Before, the keys of the
        bundled catalog (whose entries spell out every field), checked against the declared count."""
        if "model_catalog_json" not in config:
            keys = dict.fromkeys(name for entry in self.bundled_catalog for name in entry)
            return list(keys), "bundled catalog keys"
        slug = self.bundled_catalog[0]["slug"]
        candidates = [name for names in self.static_candidates("model_info") for name in names]
        candidates = [name for name in dict.fromkeys(candidates + known_names["model_info"]) if name != "slug"]

        def is_field(name: str) -> bool:
            # One candidate a run (serde_json reports the error at the end of the entry). An unknown field is
            # skipped, leaving only "missing field" errors; a known one fails on its value first.
            entry = {"slug": slug, name: json.loads(NO_TYPE_ACCEPTS)}
            error = self.catalog_error(json.dumps({"models": [entry]}))
            return bool(error) and not MISSING_FIELD.search(error)
        return ["slug", *filter(is_field, candidates)], "probe"

    def catalog_error(self, catalog: str) -> str:
        return self.config_error('model_catalog_json = "catalog.json"\n', files={"catalog.json": catalog})

    def key_facts(self, known_names: dict[str, list[str]]) -> dict[str, Any]:
        """This release's entry of keys.json."""
        facts: dict[str, Any] = {}
        methods: dict[str, str] = {}
        for kind in ("config", "profile", "provider"):
            facts[kind], methods[kind] = self.fields(kind, known_names)
        config = facts["config"]
        facts["model_info"], methods["model_info"] = self.model_info_fields(config, known_names)
        facts["counts"] = {STRUCTS[kind][0]: {"fields": len(facts[kind]),
                                              "declared": self.declared_counts.get(STRUCTS[kind][0]),
                                              "method": methods[kind]} for kind in STRUCTS}
        facts["features"] = self.feature_names
        facts["feature_aliases"] = self.feature_aliases(facts["features"], known_names["features"])
        facts["project_forbidden"] = self.project_forbidden(config)
        facts["catalog_required"], facts["catalog_required_any"] = self.catalog_required(config)
        facts["scopes"] = self.enum_values("model_auto_compact_token_limit_scope", config)
        facts["reasoning_efforts"] = self.enum_values("model_reasoning_effort", config)
        return facts

    # -- other facts -----------------------------------------------------------------------------------------

    @cached_property
    def feature_names(self) -> list[str]:
        """Feature flag names, as `codex features list` prints them (first column, every stage)."""
        code, stdout, stderr = self.run("", "features", "list")
        if code:
            raise RuntimeError(f"{self.version}: features list failed: {stderr[:300]}")
        return sorted({line.split()[0] for line in stdout.splitlines() if line.strip()})

    def feature_aliases(self, features: list[str], candidates: list[str]) -> list[str]:
        """Names of other releases' features that this release still accepts as `[features]` keys without
        listing them (legacy aliases such as `collab` -> `multi_agent`): `--enable <name>` (= `-c
        features.<name>=true`) fails with "Unknown feature flag" for any other name. Halving keeps the runs few."""
        def accepted(names: list[str]) -> list[str]:
            if not names:
                return []
            enable = [arg for name in names for arg in ("--enable", name)]
            if self.run("", *enable, "features", "list")[0] == 0:
                return names
            if len(names) == 1:
                return []
            half = len(names) // 2
            return accepted(names[:half]) + accepted(names[half:])
        return sorted(accepted(sorted(set(candidates) - set(features))))

    def project_forbidden(self, config_fields: list[str]) -> list[str]:
        """The keys a project config.toml may not set: the array of top-level keys holding the provider and base
        URL settings, in releases that print the "Ignored unsupported project-local config keys" warning."""
        if not self._static["filters_project_keys"]:
            return []
        fields = set(config_fields)
        found = [names for names in self._static["name_arrays"]
                 if PROJECT_FILTER_MEMBERS <= set(names) and set(names) < fields and len(names) < len(fields) // 4]
        distinct = {tuple(names) for names in found}
        if len(distinct) != 1:
            raise ValueError(f"{self.version}: project key filter ambiguous: {distinct}")
        return sorted(distinct.pop())

    def catalog_required(self, config: list[str]) -> tuple[list[str], list[list[str]]]:
        """Fields a `model_catalog_json` entry must have: one full bundled entry minus one field at a time; then
        the entry cut down to those fields shows any either-or check."""
        if "model_catalog_json" not in config:
            return [], []
        entry = self.bundled_catalog[0]
        required = []
        for name in entry:
            reduced = {key: value for key, value in entry.items() if key != name}
            error = self.catalog_error(json.dumps({"models": [reduced]}))
            if MISSING_FIELD.search(error) and MISSING_FIELD.search(error)[1] == name:
                required.append(name)
        minimal = {key: entry[key] for key in ["slug", *required]}
        either = MISSING_BOTH.search(self.catalog_error(json.dumps({"models": [minimal]})))
        return sorted(required), ([[either[1], either[2]]] if either else [])

    def enum_values(self, key: str, config: list[str]) -> list[str] | None:
        """The closed set of values serde accepts for a top-level key (None: the key takes any string or does
        not exist)."""
        if key not in config:
            return None
        match = UNKNOWN_VARIANT.search(self.config_error(f'{key} = "zzz"\n'))
        return re.findall(r"`([^`]+)`", match[1]) if match else None

    # -- catalog ---------------------------------------------------------------------------------------------

    @cached_property
    def catalog_source(self) -> str:
        if self._printed_catalog is not None:
            return "codex debug models --bundled"
        return "models.json embedded in the binary"

    @cached_property
    def _printed_catalog(self) -> list[dict[str, Any]] | None:
        code, stdout, _ = self.run("", "debug", "models", "--bundled")
        return json.loads(stdout)["models"] if code == 0 else None

    @cached_property
    def bundled_catalog(self) -> list[dict[str, Any]]:
        """The bundled catalog's entries, as the release prints them, else as embedded (the `models.json` the
        binary parses at start)."""
        if self._printed_catalog is not None:
            return self._printed_catalog
        return self._static["embedded_catalog"]

    def catalog_summary(self) -> list[dict[str, Any]]:
        """The budget-relevant fields of each bundled entry, in the binary's order (reasoning levels as efforts)."""
        summary = []
        for entry in self.bundled_catalog:
            row = {field: entry.get(field) for field in CATALOG_FIELDS}
            levels = entry.get("supported_reasoning_levels") or []
            row["supported_reasoning_levels"] = [level["effort"] for level in levels]
            summary.append(row)
        return summary


def _embedded_catalog(data: bytes) -> list[dict[str, Any]]:
    """The entries of the first `{"models": [...]}` JSON document in the binary whose entries all have a slug."""
    decoder = json.JSONDecoder()
    for match in re.finditer(rb'\{\s*"models"\s*:\s*\[', data):
        text = data[match.start():match.start() + (1 << 24)].decode("utf-8", "replace")
        try:
            models = decoder.raw_decode(text)[0]["models"]
        except ValueError:
            continue
        if models and all("slug" in entry for entry in models):
            return models
    raise ValueError("no bundled catalog found")


def _probe(candidates: list[str], error_names: Callable[[list[str]], str | None]) -> list[str]:
    """Run `error_names` on the remaining candidates until it names none; the names it gave, in candidate order."""
    remaining = list(candidates)
    found: set[str] = set()
    while remaining:
        name = error_names(remaining)
        if name is None or name not in remaining:
            break
        found.add(name)
        remaining.remove(name)
    return [name for name in candidates if name in found]


def main() -> int:
    return write_outputs(generate(download=True), "codex")


if __name__ == "__main__":
    sys.exit(main())
