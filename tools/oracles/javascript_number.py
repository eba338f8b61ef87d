"""Record what JavaScript's `Number(text)` gives for a spread of strings, with Bun.

`cfglint.core.numbers.javascript_number` reimplements it (Kilo reads its numeric flags with
`Number(process.env[name])`); `tests/test_javascript_number.py` checks the reimplementation
against this recording. Regenerate with `python -m tools.oracles.javascript_number` (needs the
Bun binary in the artifact cache: `make extract` downloads it).
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path

from tools.extract.common import cache_dir

OUTPUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "javascript_number.json"
BUN = "bun-linux-x64@1.4.4"
PIECES = ["", "0", "1", "9", "00", "64000", "131072", ".", "e", "E", "+", "-", "x", "X", "0x", "0o", "0b", "f", "F",
          "_", " ", "\t", "\n", "\u00a0", "\ufeff", "\u2028", "Infinity", "inf", "NaN", "k", "1e400", "9" * 400]


def samples(count: int = 2_000, seed: int = 20261204) -> list[str]:
    """Hand-picked edge cases plus random concatenations of the pieces above."""
    rng = random.Random(seed)
    fixed = ["64000", "064000", " 64000", "6.4e4", "0x10000", "0b101", "0o17", "1_000", "+0x10", "-0x10", ".", "1.",
             ".5", "Infinity", "-Infinity", "+Infinity", "1e400", "9" * 400, "", " ", "0x", "00012", "1e-400", "-0"]
    randoms = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4))) for _ in range(count)]
    return list(dict.fromkeys(fixed + randoms))


def bun_binary() -> Path | None:
    found = sorted(cache_dir().glob(f"unpacked/{BUN}-*/**/bun"))
    return found[0] if found else None


def main() -> None:
    if bun_binary() is None:
        sys.exit(f"no {BUN} in {cache_dir()}: run `make extract` first")
    record(OUTPUT)
    print(f"wrote {OUTPUT}")


def record(output: Path) -> None:
    """Run Bun on `samples()` and write the recording to `output`."""
    texts = samples()
    script = ("const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(texts.map(t => { const n = Number(t);"
              " return Number.isNaN(n) ? null : (Number.isFinite(n) ? n : String(n)); })));")
    result = subprocess.run([str(bun_binary()), "-e", script], input=json.dumps(texts), capture_output=True,
                            text=True, check=True)
    values = json.loads(result.stdout)
    digest = hashlib.sha256(bun_binary().read_bytes()).hexdigest()
    cases = ",\n".join(json.dumps([text, value], ensure_ascii=False) for text, value in zip(texts, values))
    output.write_text(f'{{"oracle": "{BUN} Number()", "sha256": "{digest}", "cases": [\n{cases}\n]}}\n',
                      encoding="utf-8")


if __name__ == "__main__":
    main()
