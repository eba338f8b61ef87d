"""Pydantic mirrors of the two Kimi config schemas (`harness-kimi.md` section 3).

- `KimiCodeConfig` (dialect `kimi-code`): Kimi Code CLI, newest behaviour = npm
  release 2.1.0 running the v2 engine (sections 3.3, 3.4, 6.1).
- `KimiCliConfig` (dialect `kimi-cli`): the legacy Python kimi-cli 1.49.0
  (section 3.2).

Both harnesses drop unknown keys, so every object is `Closed` (unknown key =
SCH002 warning) except the maps keyed by user-chosen names (`models`,
`providers`, `env`, `custom_headers`, ...). Kimi Code `hooks[]` entries are
strict: an unknown key there is an error. Keys that exist in only one dialect
(`max_output_size`, `overrides`, `max_attempts_per_step`, ...) are deliberately
absent from the other: SCH005 reports those mix-ups.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from cfglint.harnesses.modeling import STRICT_UNKNOWN_KEYS, Closed

# Bounds live on the type: on an `X | SkipJsonSchema[None]` field pydantic would emit
# them as the non-JSON-Schema keys `ge`/`le`, which validators ignore.
NonEmptyStr = Annotated[str, Field(min_length=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]
PositiveInt = Annotated[int, Field(ge=1)]
RalphIterations = Annotated[int, Field(ge=-1)]
HookTimeoutSeconds = Annotated[int, Field(ge=1, le=600)]
McpTimeoutMs = Annotated[int, Field(ge=1, le=2_147_483_647)]
CompactionTriggerRatio = Annotated[float, Field(ge=0.5, le=0.99)]

# --------------------------------------------------------------------------
# kimi-code: Kimi Code CLI 2.1.0, v2 engine
# --------------------------------------------------------------------------


class KimiCodeOAuthRef(Closed):
    """Where `/login` stored the OAuth credentials; never the tokens themselves."""

    storage: Literal["file", "keyring"]
    """Credential store that holds the tokens: `file` or `keyring`."""
    key: NonEmptyStr
    """Key of the credentials inside that store (non-empty)."""
    oauth_host: NonEmptyStr | SkipJsonSchema[None] = None
    """OAuth host the credentials were issued by (non-empty when set)."""


class KimiCodeProvider(Closed):
    """An API endpoint that models point at by name."""

    type: str | SkipJsonSchema[None] = None
    """Wire protocol: `kimi`, `openai`, `anthropic`, `google-genai`, `openai_responses` or
    `vertexai`. The v2 engine loads any string, but a provider of another type cannot
    send requests (the legacy engine rejects the file)."""
    api_key: str | SkipJsonSchema[None] = None
    """API key, sent as written (no `${VAR}` substitution). Wins over the `env` table."""
    base_url: str | SkipJsonSchema[None] = None
    """API base URL; falls back to the `env` table (`KIMI_BASE_URL`, `OPENAI_BASE_URL`, ...)."""
    default_model: str | SkipJsonSchema[None] = None
    """Model the provider selects when none is named."""
    oauth: KimiCodeOAuthRef | SkipJsonSchema[None] = None
    """OAuth credential reference written by `/login`."""
    custom_headers: dict[str, str] | SkipJsonSchema[None] = None
    """Extra HTTP headers sent with every request."""
    source: dict[str, Any] | SkipJsonSchema[None] = None
    """Provenance record written by model-catalog imports."""
    env: dict[str, str] | SkipJsonSchema[None] = None
    """Credential and base-URL fallbacks (`KIMI_API_KEY`, `OPENAI_BASE_URL`, ...) read from
    this file, never from the shell; used only when `api_key` / `base_url` are unset.
    Budget variables placed here have no effect."""


class KimiCodeModelOverrides(Closed):
    """Pinned values that win over the model's own fields and survive catalog refreshes."""

    max_context_size: PositiveInt | SkipJsonSchema[None] = None
    """Context window in tokens (>= 1) that replaces the model's `max_context_size`."""
    max_input_size: PositiveInt | SkipJsonSchema[None] = None
    """Prompt cap in tokens (>= 1) that replaces the model's `max_input_size`."""
    max_output_size: PositiveInt | SkipJsonSchema[None] = None
    """Per-request output cap in tokens (>= 1) that replaces the model's `max_output_size`."""
    capabilities: list[str] | SkipJsonSchema[None] = None
    """Capability tags that replace the model's `capabilities`."""
    display_name: str | SkipJsonSchema[None] = None
    """Name shown in the UI."""
    reasoning_key: str | SkipJsonSchema[None] = None
    """Response field that carries reasoning content (`openai` providers)."""
    adaptive_thinking: bool | SkipJsonSchema[None] = None
    """Force adaptive thinking on or off (`anthropic` providers)."""
    support_efforts: list[str] | SkipJsonSchema[None] = None
    """Thinking efforts the model accepts."""
    default_effort: str | SkipJsonSchema[None] = None
    """Thinking effort used when none is chosen."""
    off_effort: str | SkipJsonSchema[None] = None
    """Effort value sent to switch thinking off on models that reason by default."""


class KimiCodeModel(Closed):
    """A model alias: which provider serves it and the limits Kimi Code budgets with."""

    provider: str
    """Name of the `[providers]` entry that serves this model."""
    model: str
    """Model id sent to the provider."""
    max_context_size: PositiveInt
    """Context window in tokens (>= 1). Required: Kimi Code refuses to resolve a model
    without a positive window. Compaction and the output budget are computed from it."""
    max_input_size: PositiveInt | SkipJsonSchema[None] = None
    """Prompt cap below the window (>= 1). Compaction triggers against it instead of
    `max_context_size`; Kimi clamps it to `max_context_size`."""
    max_output_size: PositiveInt | SkipJsonSchema[None] = None
    """Per-request output cap in tokens (>= 1) on normal and compaction requests. Unset:
    the cap is the whole window before provider ceilings (compaction: at most 131,072)."""
    capabilities: list[str] | SkipJsonSchema[None] = None
    """Capability tags added to the detected ones (never removed). Recognised: `thinking`,
    `always_thinking`, `image_in`, `video_in`, `audio_in`, `tool_use`,
    `dynamically_loaded_tools`; other strings are ignored."""
    display_name: str | SkipJsonSchema[None] = None
    """Name shown in the UI; defaults to `model`."""
    reasoning_key: str | SkipJsonSchema[None] = None
    """Response field that carries reasoning content (`openai` providers)."""
    default_effort: str | SkipJsonSchema[None] = None
    """Thinking effort used when none is chosen."""
    off_effort: str | SkipJsonSchema[None] = None
    """Effort value sent to switch thinking off on models that reason by default."""
    base_url: str | SkipJsonSchema[None] = None
    """Per-model endpoint that overrides the provider's; effective only with `protocol`."""
    protocol: (
        Literal["anthropic", "openai", "openai_responses", "google-genai"] | SkipJsonSchema[None]
    ) = None
    """Wire protocol for this model when it differs from its provider's type."""
    adaptive_thinking: bool | SkipJsonSchema[None] = None
    """Force adaptive thinking on or off (`anthropic` providers); unset: inferred from the id."""
    beta_api: bool | SkipJsonSchema[None] = None
    """Route Anthropic requests through the beta Messages API."""
    support_efforts: list[str] | SkipJsonSchema[None] = None
    """Thinking efforts the model accepts, e.g. `["low", "high", "max"]`."""
    provider_id: str | SkipJsonSchema[None] = None
    """Provider id recorded by catalog imports."""
    api_key: str | SkipJsonSchema[None] = None
    """Per-model API key that overrides the provider's."""
    oauth: KimiCodeOAuthRef | SkipJsonSchema[None] = None
    """Per-model OAuth credential reference."""
    name: str | SkipJsonSchema[None] = None
    """Catalog name of the model."""
    aliases: list[str] | SkipJsonSchema[None] = None
    """Other names this model answers to."""
    overrides: KimiCodeModelOverrides | SkipJsonSchema[None] = None
    """User-pinned values that win over the fields above at run time."""


class KimiCodeThinking(Closed):
    """Global Thinking-mode defaults."""

    enabled: bool = True
    """Whether new sessions start with Thinking on."""
    effort: str | SkipJsonSchema[None] = None
    """Thinking effort (`low`, `medium`, `high`, ...); falls back to the model default when
    the model does not support it."""
    keep: str = "all"
    """Preserved-thinking passthrough sent to the provider; an off-value (`"off"`, `"none"`,
    ...) disables it."""


class KimiCodePermissionRule(Closed):
    """One initial permission rule."""

    decision: Literal["allow", "deny", "ask"]
    """What happens when `pattern` matches."""
    scope: Literal["turn-override", "session-runtime", "project", "user"] = "user"
    """Where the rule applies."""
    pattern: NonEmptyStr
    """Tool pattern, e.g. `Read` or `Bash(rm -rf*)` (non-empty, must parse)."""
    reason: str | SkipJsonSchema[None] = None
    """Explanation shown with the decision."""


class KimiCodePermission(Closed):
    """Initial permission rules."""

    rules: list[KimiCodePermissionRule] | SkipJsonSchema[None] = None
    """Rules evaluated before asking the user."""


class KimiCodeHook(Closed):
    """A lifecycle hook. Kimi Code validates these entries strictly, so an unknown key is
    an error here, not a dropped key."""

    model_config = ConfigDict(json_schema_extra=STRICT_UNKNOWN_KEYS)

    event: str
    """Lifecycle event that runs the hook, e.g. `PreToolUse`."""
    matcher: str | SkipJsonSchema[None] = None
    """Regex that narrows the event (e.g. a tool name); unset matches everything."""
    command: NonEmptyStr
    """Shell command to run (non-empty); receives the event as JSON on stdin."""
    timeout: HookTimeoutSeconds | SkipJsonSchema[None] = None
    """Timeout in seconds, 1..600."""


class KimiCodeService(Closed):
    """Endpoint of a built-in Moonshot service."""

    base_url: str | SkipJsonSchema[None] = None
    """Service endpoint."""
    api_key: str | SkipJsonSchema[None] = None
    """Service API key, sent as written."""
    oauth: KimiCodeOAuthRef | SkipJsonSchema[None] = None
    """OAuth credential reference written by `/login`."""
    custom_headers: dict[str, str] | SkipJsonSchema[None] = None
    """Extra HTTP headers sent with every request."""


class KimiCodeServices(Closed):
    """Built-in external services."""

    moonshot_search: KimiCodeService | SkipJsonSchema[None] = None
    """Endpoint of the web search tool."""
    moonshot_fetch: KimiCodeService | SkipJsonSchema[None] = None
    """Endpoint of the web fetch tool."""


class KimiCodeLoopControl(Closed):
    """Agent loop limits and the compaction trigger (2.1.0 schema)."""

    max_steps_per_turn: NonNegativeInt | SkipJsonSchema[None] = None
    """Steps allowed in one turn (>= 0); unset or 0 = unlimited.
    `KIMI_LOOP_MAX_STEPS_PER_TURN` overrides it."""
    max_attempts_per_step: NonNegativeInt = 10
    """Total attempts for a failing step, first try included (>= 0; 0 acts as 1).
    `KIMI_LOOP_MAX_ATTEMPTS_PER_STEP` overrides it."""
    max_ralph_iterations: RalphIterations | SkipJsonSchema[None] = None
    """Extra iterations in Ralph mode (>= -1; -1 = unlimited)."""
    reserved_context_size: NonNegativeInt = 50_000
    """Tokens kept free for the reply (>= 0): compaction fires when context + this reaches
    the window (`max_input_size`, else `max_context_size`). Ignored when >= the window."""
    compaction_trigger_ratio: CompactionTriggerRatio = 0.85
    """Window fraction (0.5..0.99) at which compaction fires, whichever of this and the
    reserve comes first. Below 0.85 compaction starts in the background and blocks at 0.85."""
    compaction_max_attempts: PositiveInt = 5
    """Total attempts for a failing compaction request, first try included (>= 1)."""
    max_retries_per_step: NonNegativeInt | SkipJsonSchema[None] = Field(
        None, deprecated="use `max_attempts_per_step`"
    )
    """Deprecated since 0.32.0: the v2 engine ignores it with a startup warning.
    Rename to `max_attempts_per_step`."""
    max_steps_per_run: NonNegativeInt | SkipJsonSchema[None] = Field(
        None, deprecated="use `max_steps_per_turn`"
    )
    """Deprecated since 0.32.0: the v2 engine ignores it with a startup warning.
    Rename to `max_steps_per_turn`."""


class KimiCodeBackground(Closed):
    """Background task runtime (Bash and Agent tasks)."""

    max_running_tasks: PositiveInt | SkipJsonSchema[None] = None
    """Background tasks allowed to run at once (>= 1)."""
    keep_alive_on_exit: bool = False
    """Keep running tasks alive when the session closes."""
    bash_auto_background_on_timeout: bool = True
    """Move a timed-out foreground Bash command to the background instead of killing it."""
    bash_task_timeout_s: NonNegativeInt = 600
    """Default timeout in seconds for background Bash tasks (>= 0; 0 = none)."""
    kill_grace_period_ms: NonNegativeInt = 5000
    """Grace period in milliseconds before a terminated task is force-stopped (>= 0)."""
    print_wait_ceiling_s: PositiveInt = 2_147_483
    """Print mode: wall-clock ceiling in seconds for waiting on background tasks (>= 1)."""
    print_background_mode: Literal["exit", "drain", "steer"] = "steer"
    """Print mode: what happens to pending tasks when the main turn ends."""
    print_max_turns: PositiveInt = 100_000
    """Print mode: turns that background completions may start in `steer` mode (>= 1)."""


class KimiCodeSubagent(Closed):
    """How `Agent` subagents run."""

    timeout_ms: NonNegativeInt = 7_200_000
    """Wall-clock limit in milliseconds for one subagent (>= 0; 0 = none).
    `KIMI_SUBAGENT_TIMEOUT_MS` overrides it."""


class KimiCodeSecondaryModel(Closed):
    """Models offered to subagents, plus per-subagent model patches."""

    default_model: NonEmptyStr | SkipJsonSchema[None] = None
    """Alias subagents bind by default; must be a key of `models` when that is set."""
    models: dict[str, str] | SkipJsonSchema[None] = None
    """Subagent model pool: `[models]` alias -> selection hint shown to the main agent."""
    force: bool | SkipJsonSchema[None] = None
    """Pin every subagent to `default_model`; cannot be combined with `models`."""
    model: NonEmptyStr | SkipJsonSchema[None] = None
    """Older single-model form of `default_model`."""
    max_context_size: PositiveInt | SkipJsonSchema[None] = None
    """Context window (>= 1) for the subagent copy of the model."""
    max_input_size: PositiveInt | SkipJsonSchema[None] = None
    """Prompt cap (>= 1) for the subagent copy of the model."""
    max_output_size: PositiveInt | SkipJsonSchema[None] = None
    """Per-request output cap (>= 1) for the subagent copy of the model."""
    capabilities: list[str] | SkipJsonSchema[None] = None
    """Capability tags for the subagent copy of the model."""
    display_name: str | SkipJsonSchema[None] = None
    """Name shown in the UI for the subagent model."""
    reasoning_key: str | SkipJsonSchema[None] = None
    """Response field that carries reasoning content (`openai` providers)."""
    adaptive_thinking: bool | SkipJsonSchema[None] = None
    """Force adaptive thinking on or off (`anthropic` providers)."""
    support_efforts: list[str] | SkipJsonSchema[None] = None
    """Thinking efforts the subagent model accepts."""
    default_effort: str | SkipJsonSchema[None] = None
    """Thinking effort every spawned subagent binds with."""
    off_effort: str | SkipJsonSchema[None] = None
    """Effort value sent to switch thinking off."""


class KimiCodeMcp(Closed):
    """Global MCP defaults; per-server values in `mcp.json` win."""

    startup_timeout_ms: McpTimeoutMs = 30_000
    """Server connect and tool-discovery timeout in milliseconds (1..2147483647)."""
    tool_timeout_ms: McpTimeoutMs = 60_000
    """Single tool-call timeout in milliseconds (1..2147483647)."""


class KimiCodeImage(Closed):
    """Image compression for the model."""

    max_edge_px: PositiveInt | SkipJsonSchema[None] = None
    """Longest-edge ceiling in pixels (>= 1); `KIMI_IMAGE_MAX_EDGE_PX` wins over it."""
    read_byte_budget: PositiveInt | SkipJsonSchema[None] = None
    """Byte budget for images the model reads itself (>= 1)."""


class KimiCodeModelCatalog(Closed):
    """Automatic provider-model refreshes."""

    refresh_interval_ms: NonNegativeInt | SkipJsonSchema[None] = None
    """Interval in milliseconds between refreshes (>= 0; 0 disables)."""
    refresh_on_start: bool | SkipJsonSchema[None] = None
    """Refresh once shortly after start."""


class KimiCodeTokenCounting(Closed):
    """Which context token count is reported (display only; compaction uses both)."""

    strategy: str = "measured+estimated"
    """Documented values: `measured+estimated`, `measured`, `estimated`.
    `KIMI_TOKEN_COUNTING_STRATEGY` overrides it."""


class KimiCodeTools(Closed):
    """Global tool switch, intersected with each agent's own tool policy."""

    enabled: list[str] | SkipJsonSchema[None] = None
    """Allowlist: when non-empty only these tools exist (built-ins by name, MCP by glob)."""
    disabled: list[str] | SkipJsonSchema[None] = None
    """Denylist applied after `enabled`; `KIMI_CODE_TOOLS_DISABLED` replaces it."""


class KimiCodeIdentity(Closed):
    """How the agent names itself."""

    name: str | SkipJsonSchema[None] = None
    """Display name used in the system prompt."""
    slug: str | SkipJsonSchema[None] = None
    """Machine id for User-Agent and MCP client name; derived from `name` when unset."""


class KimiCodeConfig(Closed):
    """Kimi Code CLI `~/.kimi-code/config.toml` (release 2.1.0, v2 engine). Unknown keys
    are dropped by Kimi Code."""

    providers: dict[str, KimiCodeProvider] = {}
    """API providers keyed by name."""
    default_provider: str | SkipJsonSchema[None] = None
    """Provider used when a model does not name one."""
    default_model: str | SkipJsonSchema[None] = None
    """Alias from `[models]` used when `-m` and `KIMI_MODEL_NAME` are absent."""
    models: dict[str, KimiCodeModel] = {}
    """Model aliases keyed by alias (quote aliases that contain dots)."""
    thinking: KimiCodeThinking | SkipJsonSchema[None] = None
    """Global Thinking-mode defaults."""
    plan_mode: bool | SkipJsonSchema[None] = None
    """Legacy form of `default_plan_mode`."""
    yolo: bool | SkipJsonSchema[None] = None
    """Legacy form of `default_permission_mode = "yolo"`."""
    default_permission_mode: Literal["yolo", "manual", "auto"] = "manual"
    """Permission mode of new sessions."""
    default_plan_mode: bool = False
    """Whether new sessions start in Plan mode."""
    permission: KimiCodePermission | SkipJsonSchema[None] = None
    """Initial permission rules."""
    hooks: list[KimiCodeHook] | SkipJsonSchema[None] = None
    """Lifecycle hooks; unknown keys in an entry are errors."""
    services: KimiCodeServices | SkipJsonSchema[None] = None
    """Built-in external services."""
    merge_all_available_skills: bool = True
    """Merge Agent Skills from every available directory."""
    extra_skill_dirs: list[str] | SkipJsonSchema[None] = None
    """Extra skill search directories."""
    extra_agent_dirs: list[str] | SkipJsonSchema[None] = None
    """Extra custom-agent search directories."""
    loop_control: KimiCodeLoopControl | SkipJsonSchema[None] = None
    """Step and attempt limits and the compaction trigger."""
    background: KimiCodeBackground | SkipJsonSchema[None] = None
    """Background task runtime."""
    subagent: KimiCodeSubagent | SkipJsonSchema[None] = None
    """How `Agent` subagents run."""
    secondary_model: KimiCodeSecondaryModel | SkipJsonSchema[None] = None
    """Models offered to subagents."""
    mcp: KimiCodeMcp | SkipJsonSchema[None] = None
    """Global MCP timeouts."""
    image: KimiCodeImage | SkipJsonSchema[None] = None
    """Image compression."""
    model_catalog: KimiCodeModelCatalog | SkipJsonSchema[None] = None
    """Automatic provider-model refreshes."""
    experimental: dict[str, bool] | SkipJsonSchema[None] = None
    """Experimental feature flags, each a boolean."""
    telemetry: bool = True
    """Anonymous telemetry; off only when explicitly false."""
    token_counting: KimiCodeTokenCounting | SkipJsonSchema[None] = None
    """Which context token count is reported (v2 engine)."""
    tools: KimiCodeTools | SkipJsonSchema[None] = None
    """Global tool allowlist and denylist (v2 engine)."""
    identity: KimiCodeIdentity | SkipJsonSchema[None] = None
    """How the agent names itself (v2 engine)."""
    builtin_product_skills: bool = True
    """Offer the built-in skills that document Kimi Code itself (v2 engine)."""


# --------------------------------------------------------------------------
# kimi-cli: legacy Python kimi-cli 1.49.0
# --------------------------------------------------------------------------

KimiCliProviderType = Literal[
    "kimi",
    "openai_legacy",
    "openai_responses",
    "anthropic",
    "gemini",
    "google_genai",
    "vertexai",
    "_echo",
    "_scripted_echo",
    "_chaos",
]

KimiCliCapability = Literal["image_in", "video_in", "thinking", "always_thinking"]


class KimiCliOAuthRef(Closed):
    """Where OAuth credentials are stored; never the tokens themselves."""

    storage: Literal["keyring", "file"] = "file"
    """Credential store that holds the tokens."""
    key: str
    """Key of the credentials inside that store."""


class KimiCliProvider(Closed):
    """An API endpoint that models point at by name."""

    type: KimiCliProviderType
    """Wire protocol. `google_genai` is a backward-compatible alias of `gemini`; names
    starting with `_` are internal test providers. Any other value fails validation."""
    base_url: str
    """API base URL (required; `KIMI_BASE_URL` / `OPENAI_BASE_URL` can replace it)."""
    api_key: str
    """API key (required, secret; `KIMI_API_KEY` / `OPENAI_API_KEY` can replace it)."""
    env: dict[str, str] | None = None
    """Variables copied into the process environment, only for `vertexai` and
    `_scripted_echo` providers."""
    custom_headers: dict[str, str] | None = None
    """Extra HTTP headers sent with every request."""
    reasoning_key: str | None = None
    """`openai_legacy` only: message field carrying reasoning content; unset means
    `reasoning_content`, `""` disables reasoning round-tripping."""
    oauth: KimiCliOAuthRef | None = None
    """OAuth credential reference."""


class KimiCliModel(Closed):
    """A model alias: which provider serves it and its context window."""

    provider: str
    """Name of the `[providers]` entry that serves this model (must exist)."""
    model: str
    """Model id sent to the provider."""
    max_context_size: int
    """Context window in tokens. kimi-cli does not bound it: 0 or a negative value loads,
    and then compaction fires on every step."""
    capabilities: list[KimiCliCapability] | None = None
    """Capabilities of the model; any value outside the four listed fails validation."""
    display_name: str | None = None
    """Human-readable model name."""


class KimiCliLoopControl(Closed):
    """Agent loop limits and the compaction trigger."""

    max_steps_per_turn: PositiveInt = 1000
    """Steps allowed in one turn (>= 1)."""
    max_steps_per_run: PositiveInt | SkipJsonSchema[None] = Field(
        None, deprecated="use `max_steps_per_turn`"
    )
    """Old name of `max_steps_per_turn` (>= 1), still accepted as an alias."""
    max_retries_per_step: PositiveInt = 3
    """Retries of a failing step (>= 1)."""
    max_ralph_iterations: RalphIterations = 0
    """Extra iterations after the first turn in Ralph mode (>= -1; -1 = unlimited)."""
    reserved_context_size: int = Field(50_000, ge=1000)
    """Tokens kept free for the reply (>= 1000): compaction fires when context + this
    reaches `max_context_size`. No guard: a reserve >= the window compacts every step."""
    compaction_trigger_ratio: CompactionTriggerRatio = 0.85
    """Window fraction (0.5..0.99) at which compaction fires, whichever of this and the
    reserve comes first."""


class KimiCliBackground(Closed):
    """Background task runtime."""

    max_running_tasks: PositiveInt = 4
    """Background tasks allowed to run at once (>= 1)."""
    read_max_bytes: int = Field(30_000, ge=1024)
    """Bytes of task output returned per read (>= 1024)."""
    notification_tail_lines: PositiveInt = 20
    """Output lines included in a completion notification (>= 1)."""
    notification_tail_chars: int = Field(3000, ge=256)
    """Output characters included in a completion notification (>= 256)."""
    wait_poll_interval_ms: int = Field(500, ge=50)
    """Poll interval in milliseconds while waiting on a task (>= 50)."""
    worker_heartbeat_interval_ms: int = Field(5000, ge=100)
    """Worker heartbeat interval in milliseconds (>= 100)."""
    worker_stale_after_ms: int = Field(15_000, ge=1000)
    """Milliseconds without a heartbeat after which a worker is stale (>= 1000)."""
    kill_grace_period_ms: int = Field(2000, ge=100)
    """Grace period in milliseconds before a terminated task is killed (>= 100)."""
    agent_task_timeout_s: int = Field(900, ge=60)
    """Maximum runtime in seconds of a background agent task (>= 60)."""
    print_wait_ceiling_s: PositiveInt = 3600
    """`--print` mode: ceiling in seconds for waiting on background tasks (>= 1)."""
    keep_alive_on_exit: bool = False
    """Keep background tasks alive when the CLI exits."""


class KimiCliNotifications(Closed):
    """Notification runtime."""

    claim_stale_after_ms: int = Field(15_000, ge=1000)
    """Milliseconds after which an unacknowledged notification claim is stale (>= 1000)."""


class KimiCliService(Closed):
    """Endpoint of a built-in Moonshot service."""

    base_url: str
    """Service endpoint (required)."""
    api_key: str
    """Service API key (required, secret)."""
    custom_headers: dict[str, str] | None = None
    """Extra HTTP headers sent with every request."""
    oauth: KimiCliOAuthRef | None = None
    """OAuth credential reference."""


class KimiCliServices(Closed):
    """Built-in external services."""

    moonshot_search: KimiCliService | None = None
    """Endpoint of the web search tool."""
    moonshot_fetch: KimiCliService | None = None
    """Endpoint of the web fetch tool."""


class KimiCliMcpClient(Closed):
    """MCP client tuning."""

    tool_call_timeout_ms: int = 60_000
    """Timeout of one MCP tool call in milliseconds."""


class KimiCliMcp(Closed):
    """MCP settings."""

    client: KimiCliMcpClient = Field(default_factory=KimiCliMcpClient)
    """MCP client tuning."""


class KimiCliHook(Closed):
    """A lifecycle hook."""

    event: str
    """Lifecycle event that runs the hook, e.g. `PreToolUse`."""
    command: str
    """Shell command to run; receives the event as JSON on stdin."""
    matcher: str = ""
    """Regex that narrows the event; empty matches everything."""
    timeout: HookTimeoutSeconds = 30
    """Timeout in seconds (1..600); the hook fails open on timeout."""


class KimiCliConfig(Closed):
    """kimi-cli `~/.kimi/config.toml` (release 1.49.0). Unknown keys are dropped."""

    default_model: str = ""
    """Alias from `[models]` used by default; when non-empty it must exist."""
    default_thinking: bool = False
    """Start sessions with thinking on."""
    default_yolo: bool = False
    """Start sessions in yolo (auto-approve) mode."""
    skip_afk_prompt_injection: bool = False
    """Suppress the afk-mode system reminder."""
    default_plan_mode: bool = False
    """Start sessions in Plan mode."""
    default_editor: str = ""
    """External editor command, e.g. `code --wait`."""
    theme: Literal["dark", "light"] = "dark"
    """Terminal colour theme."""
    show_thinking_stream: bool = True
    """Stream raw reasoning text live instead of a compact indicator."""
    models: dict[str, KimiCliModel] = {}
    """Model aliases keyed by alias; each `provider` must be a key of `providers`."""
    providers: dict[str, KimiCliProvider] = {}
    """API providers keyed by name."""
    loop_control: KimiCliLoopControl = Field(default_factory=KimiCliLoopControl)
    """Step and retry limits and the compaction trigger."""
    background: KimiCliBackground = Field(default_factory=KimiCliBackground)
    """Background task runtime."""
    notifications: KimiCliNotifications = Field(default_factory=KimiCliNotifications)
    """Notification runtime."""
    services: KimiCliServices = Field(default_factory=KimiCliServices)
    """Built-in external services."""
    mcp: KimiCliMcp = Field(default_factory=KimiCliMcp)
    """MCP settings."""
    hooks: list[KimiCliHook] = []
    """Lifecycle hooks."""
    merge_all_available_skills: bool = True
    """Merge skills from every brand directory (kimi/claude/codex) instead of the first found."""
    extra_skill_dirs: list[str] = []
    """Extra skill directories; missing paths are skipped."""
    telemetry: bool = True
    """Anonymous telemetry."""
