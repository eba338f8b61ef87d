"""Pydantic mirror of Hermes Agent's `config.yaml` (`harness-hermes.md` section 3).

The keys of the objects cfglint checks completely (the top level, the `model`
mapping, `compression`, one `auxiliary.<task>`) come from the wheels: every key
some release 0.13..0.19 defines or reads (`data/known_keys.json`, written by
`tools/extract/hermes.py`) is a field; the keys whose values matter to cfglint
are typed here, the others accept any value. Which release knows which key is
checked per target in the harness unit (`keys.py`). Keys the fact sheet
describes for code after 0.19.0 (`compression.threshold_tokens`, ...) stay in
the schema for editors. Unknown keys are warnings: Hermes keeps them in the
loaded dict and no code reads them. Other sections accept any value.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model

from cfglint.harnesses.hermes import keys as release_keys
from cfglint.harnesses.modeling import Absent, Closed, Open


def _with_release_keys(model: type[BaseModel], section: str) -> type[BaseModel]:
    """`model` plus an untyped field for every key some release knows in `section`
    (`data/known_keys.json`) that `model` does not type itself."""
    typed = {f.alias or name for name, f in model.model_fields.items()}
    extra: dict[str, Any] = {}
    for key, ranges in release_keys.section_keys(section).items():
        if key not in typed:
            extra[_field_name(key)] = (Any, Field(None, alias=key, description=f"Read by hermes-agent {ranges}."))
    if not section:  # reported by the harness with the fix Hermes gives (`Hermes.unknown_keys_for_version`)
        for key in sorted(release_keys.misplaced_root_keys(None)):
            advice = "Hermes warns that it looks misplaced: it belongs under `model:` or in a `custom_providers` entry"
            extra[_field_name(key)] = (Any, Field(None, alias=key, description=advice, deprecated=advice))
    return create_model(model.__name__, __base__=model, __doc__=model.__doc__, **extra)


def _field_name(key: str) -> str:
    return re.sub(r"\W", "_", key).lstrip("_")


# Hermes multiplies the window by a threshold, so only (0, 1] can mean what was intended.
WindowFraction = Annotated[float, Field(gt=0, le=1)]
# Bounds live on the type: on an `Absent[X]` field pydantic would emit
# them as the non-JSON-Schema key `gt`, which validators ignore.
PositiveInt = Annotated[int, Field(gt=0)]


class HermesModelSettings(Closed):
    """Mapping form of `model`: the main model, its route and its limits."""

    default: Absent[str] = None
    """Model name (`model` is accepted as the same key). Overridden by `--model`."""
    model: Absent[str] = None
    """Same as `default`."""
    provider: Absent[str] = None
    """Inference provider: `auto` (detect from credentials), `openrouter`, `anthropic`,
    `lmstudio`, `custom`, ..."""
    base_url: Absent[str] = None
    """OpenAI-compatible endpoint of the provider."""
    api_key: Absent[str] = None
    """API key for the endpoint; usually kept in `~/.hermes/.env` instead."""
    context_length: Absent[PositiveInt | str] = None
    """Context window in tokens, a positive integer; it blocks auto-detection for the
    configured default model and route. Hermes reads it with `int()`: "128000" works, a
    string such as "256K" is ignored with a warning.
    Hermes refuses windows below 64,000 (every release 0.13-0.19, LM Studio included);
    cfglint checks that minimum in harness code."""
    max_tokens: Absent[PositiveInt | str] = None
    """Output cap of the main model, also reserved by the compressor: the trigger becomes
    (window - max_tokens) x threshold. Read with `int()` ("8192" works); a bool,
    non-integer or value <= 0 is ignored with a warning. `HERMES_MAX_TOKENS` wins over it."""
    ollama_num_ctx: Absent[int] = None
    """Ollama only: `num_ctx` sent with every request. Unset: the detected window, capped
    by `context_length`; set: sent as-is."""


HermesModelSettings = _with_release_keys(HermesModelSettings, "model")


class HermesCompression(Closed):
    """Automatic context compression (`compression.*`)."""

    enabled: bool | int | str | None = True
    """Automatic compression; when off only `/compress` compresses. Hermes reads
    `str(value).lower() in ("true", "1", "yes")`: anything else, null included, is off."""
    threshold: WindowFraction | Literal[True] = 0.50
    """Fraction of the window (0 < x <= 1) at which compression fires. Hermes raises it to
    0.75 for windows below 512K and never triggers below 64,000 tokens. A value above 1
    (75 meant as 75%) puts the trigger above the window."""
    threshold_tokens: int | None = None
    """Absolute trigger cap in tokens: the trigger is min(ratio trigger, this). Null = no
    cap. A cap >= the window has no effect."""
    model_thresholds: dict[str, WindowFraction] = {}
    """Per-model `threshold` (0 < x <= 1) keyed by a model-name substring; the longest
    matching key wins, `"<provider>:<substring>"` scopes a key to one provider."""
    target_ratio: float = 0.20
    """Kept-tail budget as a fraction of the trigger (legacy tail mode). Hermes clamps it
    to 0.10..0.80."""
    tail_mode: Literal["lean", "legacy"] = "lean"
    """Tail sizing: `lean` keeps 2.5% of the window (10K..25K tokens), `legacy` uses
    `target_ratio`."""
    protect_last_n: int = 20
    """Recent messages kept verbatim; only a soft floor above 8."""
    protect_first_n: int = Field(3, ge=0)
    """Head messages kept verbatim after the system prompt (>= 0)."""
    min_tail_user_messages: int = Field(1, ge=1)
    """User messages always kept in the tail (>= 1)."""
    max_attempts: int = Field(3, ge=1, le=10)
    """Attempts of one compression (1..10)."""
    abort_on_summary_failure: bool = False
    """When the summary fails, keep the messages unchanged instead of dropping the middle."""
    in_place: bool = True
    """Compact without rotating the session id."""
    codex_gpt55_autoraise: bool = True
    """Raise the threshold to 0.85 on Codex OAuth gpt-5.4/5.5/5.6/Astra (272K window)."""
    codex_gpt55_autoraise_notice: bool = True
    """Show the one-time notice when that raise applies."""
    codex_app_server_auto: str = "native"
    """Compaction of Codex app-server threads: `native`, `hermes` or `off`; other values
    act as `native`."""
    proactive_prune_tokens: int = 0
    """Token count at which old tool results are pruned without a model call (0 = off)."""
    proactive_prune_min_result_chars: int = 8000
    """The prune only summarises tool results longer than this; raised to at least 200."""
    proactive_prune_min_reclaim_tokens: int = 4096
    """The prune only commits when it reclaims at least this many tokens."""
    idle_compact_after_seconds: int = 0
    """Compact a session resumed after this many idle seconds (0 = off)."""
    hygiene_hard_message_limit: int = 5000
    """Gateway hygiene: message count that forces compression (400 in older configs)."""
    hygiene_timeout_seconds: int = 30
    """Gateway hygiene: seconds without progress before the summary call is cut off."""
    context_timeout_seconds: int = 120
    """Seconds without progress before an in-agent summary call is cut off."""
    summary_model: str | None = Field(
        None, deprecated="use `auxiliary.compression.model`"
    )
    """Moved to `auxiliary.compression.model` by Hermes's config migration."""
    summary_provider: str | None = Field(
        None, deprecated="use `auxiliary.compression.provider`"
    )
    """Moved to `auxiliary.compression.provider` by Hermes's config migration."""
    summary_base_url: str | None = Field(
        None, deprecated="use `auxiliary.compression.base_url`"
    )
    """Moved to `auxiliary.compression.base_url` by Hermes's config migration."""


HermesCompression = _with_release_keys(HermesCompression, "compression")


class HermesAuxiliaryTask(Closed):
    """Model that runs one side task (`compression`, `vision`, `web_extract`, ...)."""

    provider: str = "auto"
    """Provider of the task model; `auto` with an empty `model` auto-detects."""
    model: str = ""
    """Model slug; empty = the provider's default auxiliary model."""
    base_url: Absent[str] = None
    """Direct OpenAI-compatible endpoint; takes precedence over `provider`."""
    api_key: Absent[str] = None
    """API key for `base_url`."""
    timeout: Absent[float] = None
    """Request timeout in seconds."""
    context_length: Absent[int] = None
    """Window of the task model. For `compression` it should be at least the main
    trigger: Hermes lowers the session threshold to fit a smaller summary model."""
    extra_body: Absent[dict[str, Any]] = None
    """Fields merged verbatim into every request body of this task."""


HermesAuxiliaryTask = _with_release_keys(HermesAuxiliaryTask, "auxiliary.*")


class HermesContext(Open):
    """Context engine selection."""

    engine: str = "compressor"
    """Context engine; a plugin engine (e.g. `lcm`) ignores `compression.threshold`."""


class HermesCustomProviderModel(Open):
    """Per-model settings of a custom provider."""

    context_length: Absent[int] = None
    """Window of this model, used when it is not the configured default model."""


class HermesCustomProvider(Open):
    """A user-defined OpenAI-compatible endpoint."""

    models: Absent[dict[str, HermesCustomProviderModel] | list[Any]] = None
    """Per-model settings keyed by model id; a list of ids (or `{id: ...}` rows) is
    converted by Hermes (`_normalize_custom_provider_entry`)."""
    max_output_tokens: Absent[int] = None
    """Provider-wide output cap used when `model.max_tokens` is unset."""
    max_tokens: Absent[int] = None
    """Same as `max_output_tokens`."""


class HermesModelOverride(Open):
    """models.dev override consulted when Hermes resolves a model's window."""


class HermesConfig(Closed):
    """Hermes Agent `~/.hermes/config.yaml` (hermes-agent 0.13.0..0.19.0)."""

    model: str | HermesModelSettings = ""
    """Main model: a model name, or a mapping with provider, endpoint and limits."""
    providers: Any = None
    """Named provider entries (endpoint, credentials, timeouts)."""
    custom_providers: list[HermesCustomProvider] | None = None
    """User-defined endpoints (a YAML list; null is none); their per-model `context_length`
    and provider-wide output cap feed window and output resolution."""
    model_overrides: Absent[dict[str, HermesModelOverride]] = None
    """Per-model overrides consulted during window resolution, keyed by model id.
    `max_output_tokens` here is reported to have no effect."""
    fallback_providers: Any = None
    """Providers tried in order when the main one fails."""
    credential_pool_strategies: Any = None
    """How pooled credentials of a provider are rotated."""
    toolsets: Any = None
    """Toolsets enabled for the agent (default `hermes-cli`)."""
    max_concurrent_sessions: Any = None
    """Limit on sessions running at once."""
    max_live_sessions: Any = None
    """Limit on sessions kept live."""
    agent: Any = None
    """Agent loop settings (turn limit, API retries, prompt guidance)."""
    terminal: Any = None
    """Command execution backend (local, docker, ssh, ...) and its options."""
    web: Any = None
    """Web search and extract backends."""
    browser: Any = None
    """Browser tool settings."""
    checkpoints: Any = None
    """Filesystem snapshots taken before destructive file operations (`/rollback`)."""
    context_file_max_chars: Any = None
    """Character cap of one automatic context file (SOUL.md, AGENTS.md, ...)."""
    file_read_max_chars: Any = None
    """Character cap of one file read."""
    mcp_discovery_timeout: Any = None
    """Timeout of MCP tool discovery."""
    mcp: Any = None
    """MCP client settings."""
    tool_output: Any = None
    """Limits on tool output."""
    tool_loop_guardrails: Any = None
    """Guards against repeated tool-call loops."""
    compression: HermesCompression = Field(default_factory=HermesCompression)
    """Automatic context compression."""
    kanban: Any = None
    """Kanban feature settings."""
    prompt_caching: Any = None
    """Anthropic prompt caching (`cache_ttl`)."""
    openrouter: Any = None
    """OpenRouter request settings (response cache, router knobs)."""
    bedrock: Any = None
    """AWS Bedrock settings (region, model discovery, guardrails)."""
    auxiliary: Absent[dict[str, HermesAuxiliaryTask | int | float | bool | str | None]] = None
    """Side-task models keyed by task; `auxiliary.compression` writes the summaries. A few
    entries are plain settings (`transient_retries`). Hermes's default holds a block per task."""
    display: Any = None
    """CLI and gateway display settings."""
    dashboard: Any = None
    """Web dashboard settings."""
    privacy: Any = None
    """Privacy settings."""
    tts: Any = None
    """Text-to-speech settings."""
    stt: Any = None
    """Speech-to-text settings."""
    voice: Any = None
    """Voice mode settings."""
    human_delay: Any = None
    """Simulated typing delay on messaging platforms."""
    context: HermesContext = Field(default_factory=HermesContext)
    """Context engine selection."""
    memory: Any = None
    """Persistent memory settings."""
    delegation: Any = None
    """Subagent delegation settings."""
    prefill_messages_file: Any = None
    """File of messages prefilled into conversations."""
    goals: Any = None
    """Goal settings."""
    moa: Any = None
    """Mixture-of-agents settings."""
    skills: Any = None
    """Skills settings."""
    curator: Any = None
    """Curator settings."""
    honcho: Any = None
    """Honcho integration settings."""
    timezone: Any = None
    """Timezone used by the agent."""
    slack: Any = None
    """Slack gateway settings."""
    discord: Any = None
    """Discord gateway settings."""
    whatsapp: Any = None
    """WhatsApp gateway settings."""
    telegram: Any = None
    """Telegram gateway settings."""
    mattermost: Any = None
    """Mattermost gateway settings."""
    matrix: Any = None
    """Matrix gateway settings."""
    approvals: Any = None
    """Approval policy for risky commands."""
    command_allowlist: Any = None
    """Commands allowed without approval."""
    quick_commands: Any = None
    """User-defined quick commands."""
    platform_hints: Any = None
    """Per-platform hints for the system prompt."""
    hooks: Any = None
    """Lifecycle hooks."""
    hooks_auto_accept: Any = None
    """Run configured hooks without asking for consent."""
    personalities: Any = None
    """Named personalities."""
    security: Any = None
    """Security settings."""
    cron: Any = None
    """Scheduled job settings."""
    code_execution: Any = None
    """Code-execution tool settings."""
    tools: Any = None
    """Tool settings."""
    logging: Any = None
    """Logging settings."""
    model_catalog: Any = None
    """Model catalog settings."""
    network: Any = None
    """Network settings."""
    gateway: Any = None
    """Messaging gateway settings."""
    streaming: Any = None
    """Streaming settings."""
    sessions: Any = None
    """Session storage settings."""
    onboarding: Any = None
    """Onboarding state."""
    updates: Any = None
    """Update check settings."""
    lsp: Any = None
    """Language servers used for diagnostics after file writes."""
    x_search: Any = None
    """X search tool settings."""
    secrets: Any = None
    """Secret loading settings."""
    paste_collapse_threshold: Any = None
    """Size above which pasted text is collapsed in the input."""
    paste_collapse_threshold_fallback: Any = None
    """Fallback for `paste_collapse_threshold`."""
    paste_collapse_char_threshold: Any = None
    """Character count above which pasted text is collapsed."""
    computer_use: Any = None
    """Computer-use tool settings."""
    desktop: Any = None
    """Desktop app settings."""
    vertex: Any = None
    """Google Vertex AI settings."""
    config_version: Any = Field(None, alias="_config_version")
    """Config schema version Hermes uses for one-time migrations; managed by Hermes."""


HermesConfig = _with_release_keys(HermesConfig, "")
