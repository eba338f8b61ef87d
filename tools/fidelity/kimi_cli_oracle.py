"""kimi-cli oracle: the numbers the installed `kimi-cli` package computes for one config.toml (issue 11).

Run with the Python of the virtualenv holding the wheel (tools/fidelity/kimi_cli.py makes it):
  VENV/bin/python -I kimi_cli_oracle.py < cases.jsonl > answers.jsonl   (-I: kimi_cli.py next to it is not the package)
Input line:  {"id": str, "toml": str, "env": {NAME: value}, "model": alias}
Output line: {"id", "window", "trigger", "normal", "atTrigger"} or {"id", "refused": str}

What runs is kimi-cli's own code, the way hermes_oracle.py (../shared/oracles) runs Hermes:
  * kimi_cli.config.load_config (pydantic validation of the file) and the alias's model and provider;
  * kimi_cli.llm.augment_provider_with_env_vars and create_llm with the case's environment (KIMI_MODEL_NAME,
    KIMI_MODEL_MAX_CONTEXT_SIZE via int(), the output-cap variables read into the Kimi provider's kwargs);
  * kimi_cli.soul.compaction.should_auto_compact: `trigger` is the smallest token count for which it is true;
  * KimiSoul._compute_completion_overrides (called on a stand-in holding only the runtime's LLM and the loop
    control it reads) with an empty request, input floor 0 (`normal`) and the trigger (`atTrigger`), then the
    generation kwargs as Kimi.generate merges them (kosong `_normalize_generation_kwargs`, None dropped); for the
    other providers the max-token field of their generation kwargs (Anthropic: default_max_tokens).
Not run: the compaction request (its input estimate is the conversation being summarised).
Patched: sockets refuse connections, HOME is a fresh directory, the environment holds only the case's variables.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace


def _offline() -> None:
    def refuse(*_args, **_kwargs):
        raise OSError("kimi_cli_oracle: network disabled")

    socket.getaddrinfo = refuse
    socket.create_connection = refuse
    socket.socket.connect = refuse


_offline()
os.environ["HOME"] = tempfile.mkdtemp(prefix="kimi-cli-oracle-home-")
BASE_ENV = {k: v for k, v in os.environ.items() if k in ("HOME", "PATH", "LANG", "TMPDIR")}

from kimi_cli.config import load_config  # noqa: E402
from kimi_cli.llm import augment_provider_with_env_vars, create_llm  # noqa: E402
from kimi_cli.soul.compaction import should_auto_compact  # noqa: E402
from kimi_cli.soul.kimisoul import KimiSoul  # noqa: E402
from kosong.chat_provider.kimi import Kimi, _normalize_generation_kwargs  # noqa: E402

WIRE_FIELDS = ("max_completion_tokens", "max_tokens", "max_output_tokens")


def first_true(predicate, high: int) -> int:
    """The smallest count in 0..high for which `predicate` holds (it holds at `high`: T + R >= M)."""
    low = 0
    while low < high:
        mid = (low + high) // 2
        if predicate(mid):
            high = mid
        else:
            low = mid + 1
    return low


def sent(chat_provider, soul, floor: int) -> int | None:
    """The max-token field of a step request with input floor `floor`."""
    if isinstance(chat_provider, Kimi):
        overrides = KimiSoul._compute_completion_overrides(soul, chat_provider, system_prompt="", tools=[], history=[],
                                                           input_tokens_floor=floor)
        kwargs = dict(chat_provider._generation_kwargs)
        if overrides:
            kwargs.update(_normalize_generation_kwargs(dict(overrides)))
    else:
        kwargs = dict(getattr(chat_provider, "_generation_kwargs", {}) or {})
    return next((kwargs[f] for f in WIRE_FIELDS if kwargs.get(f) is not None), None)


def answer(case: dict) -> dict:
    os.environ.clear()
    os.environ.update(BASE_ENV)
    os.environ.update(case["env"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_text(case["toml"], encoding="utf-8")
        try:
            config = load_config(path)
        except Exception as exc:  # noqa: BLE001 - the harness's own refusal, reported as such
            return {"id": case["id"], "refused": f"load_config: {str(exc)[:300]}"}
    model = config.models.get(case["model"])
    if model is None:
        return {"id": case["id"], "refused": f"no model {case['model']}"}
    provider = config.providers.get(model.provider)
    if provider is None:
        return {"id": case["id"], "refused": f"provider {model.provider} not configured"}
    try:
        augment_provider_with_env_vars(provider, model)
        llm = create_llm(provider, model)
    except Exception as exc:  # noqa: BLE001
        return {"id": case["id"], "refused": f"{type(exc).__name__}: {exc}"}
    if llm is None:
        return {"id": case["id"], "refused": "create_llm returned None"}
    loop = config.loop_control
    window = llm.max_context_size

    def compacts(tokens: int) -> bool:
        return should_auto_compact(tokens, window, trigger_ratio=loop.compaction_trigger_ratio,
                                   reserved_context_size=loop.reserved_context_size)

    trigger = first_true(compacts, max(window, 0))
    soul = SimpleNamespace(_runtime=SimpleNamespace(llm=llm), _loop_control=loop)
    return {"id": case["id"], "window": window, "trigger": trigger,
            "normal": sent(llm.chat_provider, soul, 0), "atTrigger": sent(llm.chat_provider, soul, trigger)}


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            case = json.loads(line)
            try:
                result = answer(case)
            except Exception as exc:  # noqa: BLE001 - one broken case must not stop the run
                result = {"id": case["id"], "oracleError": f"{type(exc).__name__}: {exc}"}
            sys.stdout.write(json.dumps(result) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
