"""Hermes Agent oracle: the numbers an unpacked `hermes-agent` wheel computes for a config.yaml.

Adapted from ../shared/oracles/hermes_oracle.py (the issue 11 reference oracle); added: the request at the trigger.
Run by tools/fidelity/hermes.py with the Python of a virtualenv holding the wheel's dependencies:
  VENV/bin/python hermes_oracle.py WHEEL_DIR MODELS_DEV_JSON < cases.jsonl > answers.jsonl
Input line:  {"id": str, "yaml": str, "env": {NAME: value}}
Output line: {"id", "refused"?: str, "window", "threshold_tokens" (the compressor's, before the auxiliary-model check),
              "threshold_after_aux_check", "aux_check", "threshold_percent", "tail_token_budget",
              "max_summary_tokens", "reservation", "agent_max_tokens", "compression_enabled", "normal_max_tokens",
              "normal_field", "at_trigger_max_tokens", "provider", "base_url", "api_mode", "runtime": "resolved"|"synthesized", "aux_context_config"}

What runs is the wheel's own code, in one process per wheel:
  * the CLI's reading of config.yaml for the model, the requested provider and max_tokens (cli.py HermesCLI.__init__:
    `model.default`/`model.model`, `model.provider or "auto"`, and from 0.16.0 `HERMES_MAX_TOKENS` /
    `model.max_tokens if isinstance(int)`), replicated here in ten lines because HermesCLI cannot be built headless;
  * hermes_cli.runtime_provider.resolve_runtime_provider(requested=...) for provider / base_url / api_mode, with a
    dummy API key in every provider's key variable (hermes_cli.auth.PROVIDER_REGISTRY, plus OPENROUTER_API_KEY and
    OPENAI_API_KEY), so `auto` resolves as for a user with an OpenRouter key;
  * run_agent.AIAgent(model, api_key, base_url, provider, api_mode, max_tokens, quiet_mode=True, platform="cli",
    skip_context_files=True, skip_memory=True): the real agent init (config.yaml via hermes_cli.config.load_config,
    compression.*, model.context_length, custom_providers, ContextCompressor, get_model_context_length, the 64K check);
  * AIAgent._check_compression_model_feasibility (0.13/0.14 run it in __init__, later releases before the first
    compression; here it is run right after init): threshold_tokens is recorded before it, threshold_after_aux_check
    after it (it lowers the threshold to the summary model's window);
  * AIAgent._build_api_kwargs([system, user]) for the max-token field of a normal request; when the agent's client
    is the native GeminiNativeClient, the wheel's build_gemini_request(max_tokens=kwargs["max_tokens"]) turns it into
    generationConfig.maxOutputTokens as that client does;
  * the same with a user message of about threshold_tokens tokens (4 characters each, Hermes's CHARS_PER_TOKEN): the
    max-token field of a request sent at the trigger.
Patched (all, and only, to keep it offline and deterministic):
  * socket.getaddrinfo / socket.create_connection / socket.socket.connect raise OSError: every live probe (endpoint
    /models, Ollama /api/show, local servers, Anthropic /v1/models, OpenRouter metadata, Codex/Nous/Copilot catalogs,
    models.dev fetch) fails immediately and Hermes takes its offline fallbacks;
  * $HERMES_HOME is a fresh directory per config, holding only config.yaml and models_dev_cache.json = MODELS_DEV_JSON
    (touched, so Hermes's models.dev disk cache is "fresh"): the models.dev data cfglint's registry is built from;
  * when resolve_runtime_provider raises (OAuth-only providers such as openai-codex, nous, copilot need a login), the
    runtime is synthesized from PROVIDER_REGISTRY (inference_base_url, api_mode chat_completions/codex_responses) with
    a dummy key, marked "runtime": "synthesized".
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path

REAL_STDOUT = sys.stdout
sys.stdout = sys.stderr  # the wheel prints warnings to stdout; only answers go to the real stdout
WHEEL = Path(sys.argv[1]).resolve()
MODELS_DEV = Path(sys.argv[2]).resolve()
ROOT = Path(tempfile.mkdtemp(prefix="oracle-hermes-run-"))
os.environ["HOME"] = str(ROOT / "home")
os.environ["HERMES_HOME"] = str(ROOT / "boot")
(ROOT / "boot").mkdir(parents=True)
(ROOT / "home").mkdir(parents=True)


def _blocked(*args, **kwargs):
    raise OSError("network disabled by the fidelity oracle")


socket.getaddrinfo = _blocked
socket.create_connection = _blocked
socket.socket.connect = _blocked
socket.socket.connect_ex = _blocked
sys.path.insert(0, str(WHEEL))
os.chdir(ROOT)

import logging  # noqa: E402

logging.disable(logging.CRITICAL)

import yaml  # noqa: E402
import hermes_cli.auth as _auth  # noqa: E402
from hermes_cli.runtime_provider import resolve_runtime_provider  # noqa: E402
from run_agent import AIAgent  # noqa: E402

# The auxiliary-model feasibility check lowers threshold_tokens to the summary model's window (and raises ValueError
# below 64,000). 0.13/0.14 run it inside AIAgent.__init__, 0.15.2+ lazily before the first compression. Record the
# compressor's own threshold before it runs; run it explicitly on the lazy releases for the value after it.
_FEASIBILITY = getattr(AIAgent, "_check_compression_model_feasibility", None)
_PRE: dict = {}
if _FEASIBILITY is not None:
    def _recording_feasibility(self):
        cc = getattr(self, "context_compressor", None)
        if cc is not None and "t" not in _PRE:
            _PRE["t"] = cc.threshold_tokens
        return _FEASIBILITY(self)
    AIAgent._check_compression_model_feasibility = _recording_feasibility

CLI_SOURCE = (WHEEL / "cli.py").read_text()
CLI_READS_ENV_MAX_TOKENS = 'os.environ.get("HERMES_MAX_TOKENS")' in CLI_SOURCE

KEY_VARS = sorted({v for p in _auth.PROVIDER_REGISTRY.values() for v in (getattr(p, "api_key_env_vars", ()) or ())}
                  | {"OPENROUTER_API_KEY", "OPENAI_API_KEY"})  # OpenRouter (provider auto's usual pick) is not in the registry
BASE_ENV = {k: v for k, v in os.environ.items()}


def _cli_model_config(file_cfg: dict) -> dict:
    """cli.py load_cli_config(): the `model` defaults updated with the file's `model` (string or mapping)."""
    mc = {"default": "", "base_url": "", "provider": "auto"}
    raw = file_cfg.get("model") if isinstance(file_cfg, dict) else None
    if isinstance(raw, str):
        mc["default"] = raw
    elif isinstance(raw, dict):
        mc.update(raw)
        if "model" in raw and "default" not in raw:
            mc["default"] = raw["model"]
    return mc


def _cli_max_tokens(mc: dict):
    """cli.py HermesCLI.__init__ (0.16.0+): HERMES_MAX_TOKENS as int() wins; else model.max_tokens if it is an int
    (a bool is one). Before 0.16.0 the CLI passes none and agent init reads model.max_tokens itself."""
    if not CLI_READS_ENV_MAX_TOKENS:
        return None
    env_mt = os.environ.get("HERMES_MAX_TOKENS")
    if env_mt:
        try:
            return int(env_mt)
        except (ValueError, TypeError):
            return None
    mt = mc.get("max_tokens")
    return mt if isinstance(mt, int) else None


def _synthesized_runtime(requested: str) -> dict:
    pc = _auth.PROVIDER_REGISTRY.get(requested)
    base = getattr(pc, "inference_base_url", "") if pc else ""
    mode = "codex_responses" if requested == "openai-codex" else "chat_completions"
    return {"provider": requested, "base_url": base, "api_mode": mode, "api_key": "sk-oracle-dummy"}


def _max_field(kwargs: dict):
    for key in ("max_tokens", "max_completion_tokens", "max_output_tokens"):
        if key in kwargs:
            return key, kwargs[key]
    for holder in ("generationConfig", "generation_config", "config"):
        inner = kwargs.get(holder)
        if isinstance(inner, dict):
            for key in ("maxOutputTokens", "max_output_tokens"):
                if key in inner:
                    return f"{holder}.{key}", inner[key]
    extra = kwargs.get("extra_body")
    if isinstance(extra, dict):
        for key in ("max_tokens", "max_completion_tokens"):
            if key in extra:
                return f"extra_body.{key}", extra[key]
    return None, None


def _normal_source(agent, out: dict) -> str:
    """Diagnostic only (used to name mismatch classes): where a normal request's max-token value comes from."""
    if agent.max_tokens is not None:
        return "agent.max_tokens (HERMES_MAX_TOKENS / model.max_tokens)"
    if out.get("api_mode") == "anthropic_messages":
        return "anthropic adapter _get_anthropic_max_output"
    if out.get("api_mode") == "codex_responses":
        return "codex responses"
    try:
        from providers import get_provider_profile
        prof = get_provider_profile(agent.provider)
        pm = prof.get_max_tokens(agent.model) if prof is not None else None
        if pm:
            return f"provider profile `{agent.provider}` default_max_tokens"
    except Exception:
        pass
    try:
        from agent.anthropic_adapter import _ANTHROPIC_OUTPUT_LIMITS
        norm = (agent.model or "").lower().replace(".", "-")
        if any(k in norm for k in _ANTHROPIC_OUTPUT_LIMITS):
            return "anthropic output table fallback on chat-completions"
    except Exception:
        pass
    if type(getattr(agent, "client", None)).__name__ == "GeminiNativeClient":
        return "gemini native default"
    return "none"


def _request_max_tokens(agent, messages: list) -> tuple:
    """(field, value) of the max-token field AIAgent._build_api_kwargs(messages) sends (None, None: not sent)."""
    kwargs = agent._build_api_kwargs(messages)
    field, value = _max_field(kwargs)
    if type(getattr(agent, "client", None)).__name__ == "GeminiNativeClient":
        # the native client turns the chat kwargs into generateContent: only `max_tokens` is read
        # (GeminiNativeClient._create_chat_completion), build_gemini_request supplies the default when it is None
        from agent.gemini_native_adapter import build_gemini_request
        req = build_gemini_request(messages=[{"role": "user", "content": "hi"}], max_tokens=kwargs.get("max_tokens"))
        field, value = "generationConfig.maxOutputTokens", (req.get("generationConfig") or {}).get("maxOutputTokens")
    return field, value if not isinstance(value, bool) else repr(value)


def answer(case: dict, models_dev_text: str) -> dict:
    home = ROOT / "h" / case["id"]
    home.mkdir(parents=True)
    (home / "config.yaml").write_text(case["yaml"])
    (home / "models_dev_cache.json").write_text(models_dev_text)
    os.environ.clear()
    os.environ.update(BASE_ENV)
    os.environ["HERMES_HOME"] = str(home)
    for var in KEY_VARS:
        os.environ[var] = "sk-oracle-dummy"
    os.environ.update(case.get("env", {}))
    out: dict = {"id": case["id"]}
    file_cfg = yaml.safe_load(case["yaml"]) or {}
    mc = _cli_model_config(file_cfg)
    model = mc.get("default") or mc.get("model") or ""
    max_tokens = _cli_max_tokens(mc)
    requested = mc.get("provider") or os.getenv("HERMES_INFERENCE_PROVIDER") or "auto"
    try:
        rt = resolve_runtime_provider(requested=requested)
        out["runtime"] = "resolved"
    except Exception as exc:  # OAuth-only providers without a login
        rt = _synthesized_runtime(str(requested).strip().lower())
        out["runtime"] = "synthesized"
        out["runtime_error"] = f"{type(exc).__name__}: {exc}"[:300]
    api_key, base_url = rt.get("api_key"), rt.get("base_url")
    # HermesCLI._ensure_runtime_credentials: a placeholder key for custom endpoints, else it stops.
    if not callable(api_key) and (not isinstance(api_key, str) or not api_key):
        if isinstance(base_url, str) and base_url and "openrouter.ai" not in base_url:
            api_key = "no-key-required"
        else:
            out["refused"] = "CLI: Provider resolver returned an empty API key"
            return out
    if not isinstance(base_url, str) or not base_url:
        out["refused"] = "CLI: Provider resolver returned an empty base URL"
        return out
    out.update(provider=rt.get("provider"), base_url=base_url, api_mode=rt.get("api_mode"), model=model,
               cli_max_tokens=max_tokens if not isinstance(max_tokens, bool) else repr(max_tokens))
    _PRE.clear()
    try:
        agent = AIAgent(model=model, api_key=api_key, base_url=base_url, provider=rt.get("provider"),
                        api_mode=rt.get("api_mode"), max_tokens=max_tokens, quiet_mode=True, platform="cli",
                        skip_context_files=True, skip_memory=True)
    except (ValueError, RuntimeError) as exc:  # the 64K minimum; "no API key" for an explicit provider
        out["refused"] = f"{type(exc).__name__}: {exc}"[:300]
        return out
    cc = agent.context_compressor
    res = getattr(cc, "max_tokens", None)
    eager = "t" in _PRE
    pre = _PRE["t"] if eager else cc.threshold_tokens
    after = cc.threshold_tokens
    if not eager and _FEASIBILITY is not None and getattr(agent, "compression_enabled", True):
        try:
            agent._check_compression_model_feasibility()
            after = cc.threshold_tokens
        except Exception as exc:
            out["aux_check_error"] = f"{type(exc).__name__}: {exc}"[:200]
    out.update(
        window=cc.context_length,
        threshold_tokens=pre,
        threshold_after_aux_check=after,
        aux_check="at init" if eager else "lazy (run here)",
        threshold_percent=cc.threshold_percent,
        tail_token_budget=getattr(cc, "tail_token_budget", None),
        max_summary_tokens=getattr(cc, "max_summary_tokens", None),
        reservation=res if not isinstance(res, bool) else repr(res),
        agent_max_tokens=agent.max_tokens if not isinstance(agent.max_tokens, bool) else repr(agent.max_tokens),
        compression_enabled=bool(getattr(agent, "compression_enabled", True)),
        engine=type(cc).__name__,
        aux_context_config=getattr(agent, "_aux_compression_context_length_config", None),
    )
    out["normal_source"] = _normal_source(agent, out)
    short = [{"role": "system", "content": "You are a test."}, {"role": "user", "content": "hi"}]
    try:
        out["normal_field"], out["normal_max_tokens"] = _request_max_tokens(agent, short)
    except Exception as exc:
        out["normal_error"] = f"{type(exc).__name__}: {exc}"[:300]
    if out["compression_enabled"] and pre and pre < out["window"]:
        at_trigger = [short[0], {"role": "user", "content": "x" * (4 * pre)}]
        try:
            out["at_trigger_max_tokens"] = _request_max_tokens(agent, at_trigger)[1]
        except Exception as exc:
            out["at_trigger_error"] = f"{type(exc).__name__}: {exc}"[:300]
    return out


def main() -> None:
    models_dev_text = MODELS_DEV.read_text()
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        try:
            a = answer(case, models_dev_text)
        except Exception as exc:
            a = {"id": case["id"], "oracle_error": f"{type(exc).__name__}: {exc}",
                 "trace": traceback.format_exc()[-1500:]}
        finally:
            shutil.rmtree(ROOT / "h" / case["id"], ignore_errors=True)
        REAL_STDOUT.write(json.dumps(a, default=str) + "\n")
        REAL_STDOUT.flush()


if __name__ == "__main__":
    main()
