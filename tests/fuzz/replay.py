"""Replay the inputs a long campaign logged (`CFGLINT_FUZZ_FAILURES`) against the current code:

    python -m tests.fuzz.replay failures.jsonl [more.jsonl ...]

prints each input that still fails and a count by error, and exits 1 if any does.
"""

from __future__ import annotations

import ast
import base64
import collections
import json
import sys

from tests.fuzz.strategies import Case
from tests.fuzz.test_fuzz import Hang, _check_one_input


def _case(entry: dict) -> Case:
    if "content" in entry:
        return Case(entry["dialect"], base64.b64decode(entry["content"]), entry["env"], entry.get("secrets", []))
    # the first format logged the case's repr (content up to 2,000 bytes)
    text = entry["case"]
    dialect = ast.literal_eval(text[len("Case("):text.index(", content=")])
    content = ast.literal_eval(text[text.index("content=") + len("content="):text.index(", env=")])
    return Case(dialect, content, entry["env"], [])


def main(paths: list[str]) -> int:
    still = collections.Counter()
    total = 0
    for path in paths:
        with open(path, encoding="utf-8") as log:
            for line in log:
                entry = json.loads(line)
                total += 1
                try:
                    _check_one_input(_case(entry), entry["output_format"], entry["explain_format"])
                except (AssertionError, Hang) as failure:
                    first = str(failure).splitlines()[0] if str(failure) else type(failure).__name__
                    still[first] += 1
                    print(f"still fails: {entry.get('dialect') or entry['case'][:60]}: {first}")
    print(f"{total} logged inputs replayed, {sum(still.values())} still fail")
    for error, count in still.most_common():
        print(f"  {count:5}  {error}")
    return 1 if still else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
