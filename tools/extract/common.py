"""Download, hash and record: what every extraction script shares."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """Where artifacts are kept between runs (`CFGLINT_ARTIFACT_CACHE`, else ~/.cache/cfglint-artifacts)."""
    path = Path(os.environ.get("CFGLINT_ARTIFACT_CACHE") or Path.home() / ".cache" / "cfglint-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Artifact:
    """One published package file: what it is, where it came from, its digest."""

    registry: str  # "npm" or "pypi"
    package: str
    version: str
    path: Path

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def provenance(self) -> dict[str, str]:
        return {
            "registry": self.registry,
            "package": self.package,
            "version": self.version,
            "artifact": self.path.name,
            "sha256": self.sha256,
        }


def npm_artifact(package: str, version: str, download: bool = True) -> Artifact | None:
    """The npm tarball of package@version from the cache, fetched with `npm pack` when allowed."""
    folder = cache_dir() / "npm" / f"{package.replace('/', '+')}@{version}"
    found = sorted(folder.glob("*.tgz")) if folder.is_dir() else []
    if not found and download:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "pack", f"{package}@{version}", "--silent"], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)
        found = sorted(folder.glob("*.tgz"))
    return Artifact("npm", package, version, found[0]) if found else None


def pypi_artifact(package: str, version: str, download: bool = True,
                  python_version: str | None = None) -> Artifact | None:
    """The PyPI wheel of package==version from the cache, fetched with `pip download` when allowed
    (for `python_version`, when the wheel needs a newer Python than the one running)."""
    folder = cache_dir() / "pypi" / f"{package}=={version}"
    found = sorted(folder.glob("*.whl")) if folder.is_dir() else []
    if not found and download:
        folder.mkdir(parents=True, exist_ok=True)
        target = ["--python-version", python_version] if python_version else []
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        *target, "-d", str(folder), f"{package}=={version}"], check=True)
        found = sorted(folder.glob("*.whl"))
    return Artifact("pypi", package, version, found[0]) if found else None


def read_from_tgz(artifact: Artifact, member: str) -> bytes:
    """One file of an npm tarball (`package/...`)."""
    with tarfile.open(artifact.path) as archive:
        handle = archive.extractfile(member)
        if handle is None:
            raise FileNotFoundError(member)
        return handle.read()


def bun_modules(binary: bytes) -> dict[str, bytes]:
    """Every module of a Bun single-file executable (the graph at the end of its ELF `.bun` section),
    by name (`/$bunfs/root/...`)."""
    shoff = struct.unpack_from("<Q", binary, 0x28)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", binary, 0x3A)

    def header(index: int) -> tuple[int, int]:
        base = shoff + index * shentsize
        return struct.unpack_from("<I", binary, base)[0], struct.unpack_from("<Q", binary, base + 24)[0]

    strtab = header(shstrndx)[1]
    section = next((offset for name, offset in map(header, range(shnum))
                    if binary[strtab + name:binary.index(b"\0", strtab + name)] == b".bun"), None)
    if section is None:
        raise ValueError("no .bun section: not a Bun single-file executable")
    length = struct.unpack_from("<Q", binary, section)[0]
    payload = memoryview(binary)[section + 8:section + 8 + length]
    trailer = bytes(payload).rindex(b"\n---- Bun! ----\n")
    modules_offset, modules_length = struct.unpack_from("<II", payload, trailer - 32 + 8)
    modules = {}
    entry_size = 52  # six StringPointers (name, contents, sourcemap, bytecode, ...) + 4 bytes
    for entry in range(modules_offset, modules_offset + modules_length, entry_size):
        name_offset, name_length, content_offset, content_length = struct.unpack_from("<IIII", payload, entry)
        modules[bytes(payload[name_offset:name_offset + name_length]).decode()] = \
            bytes(payload[content_offset:content_offset + content_length])
    return modules


def render(facts: dict[str, Any], artifacts: list[Artifact], generator: str) -> str:
    """The committed JSON: provenance first, then the facts; stable key order, one trailing newline."""
    document = {
        "generated_by": generator,
        "artifacts": [a.provenance() for a in artifacts],
        **facts,
    }
    return json.dumps(document, indent=1, sort_keys=False, ensure_ascii=False) + "\n"


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` to `path` when it differs; True when the file changed."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def write_outputs(outputs: dict[Path, str] | None, label: str = "") -> int:
    """Write what an extractor generated (when it changed) and say so, one line a file; the
    `main()` of every extractor and of `python -m tools.extract`."""
    if outputs is None:
        raise SystemExit(f"{label or 'extract'}: the artifact could not be downloaded")
    for path, text in outputs.items():
        state = "written" if write_if_changed(path, text) else "unchanged"
        print(f"{label + ': ' if label else ''}{path.relative_to(REPO)} {state}")
    return 0
