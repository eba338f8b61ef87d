"""Schema model of the Kilo Code CLI config (`kilo.jsonc`, dialect `kilo`).

Target: Kilo CLI 7.7.9. The key sets come from Kilo's own binary
(`data/config_schema.json`, see `facts.py`): importing this module checks every
modelled object against them, so the types here can never add or miss a key.
The top level is strict: Kilo rejects and skips the whole file on an unknown
top-level key, so the root carries `x-cfglint-unknown-keys: "error"`. Nested
objects drop unknown keys silently (`Closed`, warning). Agents, provider options,
variants, MCP entries and the sections whose inner keys cfglint does not model
accept any key (`Open` / open maps).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, FiniteFloat, GetJsonSchemaHandler, NonNegativeInt, PositiveInt
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from cfglint.harnesses.kilo import facts
from cfglint.harnesses.modeling import STRICT_UNKNOWN_KEYS, Absent, Closed, Open


class NullInOwnType:
    """Render `X | None` as X whose own `type` also allows null, not as `anyOf`.

    An `anyOf` reports every error inside X at the anyOf itself: a missing
    `limit.output` would point at the whole provider, a threshold of 150 would
    read "not valid under any of the given schemas". With null folded into X's
    type, such errors keep their own path and keyword. When X is a model, its
    `$defs` entry accepts null wherever it is used: apply this only to models
    that appear solely in nullable positions.
    """

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value_schema, _null = handler(core_schema)["anyOf"]
        target = handler.resolve_ref_schema(value_schema)
        if isinstance(target["type"], str):  # not yet folded by another use
            target["type"] = [target["type"], "null"]
        return value_schema


JsonObject = dict[str, Any]
"""An object whose inner keys the fact sheet does not describe: any key passes."""

Percent = Annotated[float, Field(gt=0, le=100)]
"""Kilo's `Percent`: fractions allowed, 0 excluded, 100 included."""

NullablePercent = Annotated[Percent | None, NullInOwnType()]
NullableSteps = Annotated[PositiveInt | None, NullInOwnType()]

Modality = Literal["text", "audio", "image", "video", "pdf"]
Display = Literal["expanded", "collapsed"]
PermissionAction = Literal["ask", "allow", "deny"]

Permission = JsonObject | PermissionAction
"""Tool -> rule object; Kilo's schema also takes one action for every tool."""


class Compaction(Closed):
    """Auto-compaction and pruning (`harness-kilo.md` 3.3)."""

    auto: bool = True
    """Compact automatically when the context fills; only `false` turns it off."""
    threshold_percent: NullablePercent = None
    """Percent of `limit.context` at which the preflight estimate compacts (0 < x <= 100); null = unset."""
    prune: Absent[bool] = None
    """Tool-output pruning: every-turn pruning runs only when `true`; post-compaction and
    payload-limit pruning run unless `false` (the docs' "default: true" holds only for those)."""
    tail_turns: NonNegativeInt = 2
    """Most recent user turns kept verbatim after compaction; 0 keeps no tail."""
    preserve_recent_tokens: Absent[NonNegativeInt] = None
    """Token budget of the verbatim tail; default min(8000, max(2000, usable x 0.25))."""
    reserved: Absent[NonNegativeInt] = None
    """Buffer subtracted from `limit.input`, unused for models without one; default min(20000, max output)."""


class ModelLimit(Closed):
    """Token limits Kilo computes the overflow trigger from.

    Kilo checks only that each value is a finite number: 0, negative and
    fractional values load, so the schema adds no bounds (rules report them).
    """

    context: FiniteFloat
    """Context window in tokens; 0 disables proactive compaction."""
    input: Absent[FiniteFloat] = None
    """Input cap in tokens; when omitted Kilo keeps the catalog's input limit."""
    output: FiniteFloat
    """Output limit in tokens; max_tokens is min(output, 32000 or KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX)."""


class TokenPrices(Closed):
    """Prices in dollars per million tokens."""

    input: FiniteFloat
    """Price of input tokens."""
    output: FiniteFloat
    """Price of output tokens."""
    cache_read: Absent[FiniteFloat] = None
    """Price of cache-read tokens."""
    cache_write: Absent[FiniteFloat] = None
    """Price of cache-write tokens."""


class ModelCost(TokenPrices):
    """Model prices; cost defaults to 0 when unset."""

    context_over_200k: Absent[TokenPrices] = None
    """Prices that apply above 200k tokens of context."""


class ModelModalities(Closed):
    """Input and output modalities of a model."""

    input: Absent[list[Modality]] = None
    """Modalities the model accepts."""
    output: Absent[list[Modality]] = None
    """Modalities the model produces."""


class InterleavedField(Closed):
    """Where interleaved reasoning travels in the provider's messages."""

    field: str
    """Message field that carries the reasoning (e.g. `reasoning_content`; Kilo takes any string)."""


class ModelPackage(Closed):
    """Per-model override of the AI SDK package and base URL."""

    npm: Absent[str] = None
    """AI SDK package for this model."""
    api: Absent[str] = None
    """Base URL for this model."""


class ModelVariant(Open):
    """A named variant of a model; keys other than `disabled` are passed to the SDK."""

    disabled: Absent[bool] = None
    """Hide this variant."""


class ModelConfig(Closed):
    """`provider.<id>.models.<id>` (`harness-kilo.md` 3.5); null deletes an inherited model."""

    id: Absent[str] = None
    """API-facing model id; defaults to the map key."""
    name: Absent[str] = None
    """Display name."""
    family: Absent[str] = None
    """Model family."""
    prompt: Absent[str] = None
    """Kilo prompt family for the model (Kilo-only)."""
    isFree: Absent[bool] = None
    """Marks a free model (Kilo-only)."""
    ai_sdk_provider: Absent[str] = None
    """AI SDK provider the Kilo gateway routes the model through (Kilo-only)."""
    release_date: Absent[str] = None
    """Release date."""
    attachment: Absent[bool] = None
    """Accepts attachments."""
    reasoning: bool | None = None
    """Supports reasoning; null removes an inherited value."""
    temperature: Absent[bool] = None
    """Supports the temperature parameter."""
    tool_call: Absent[bool] = None
    """Supports tool calls (catalog default true)."""
    interleaved: Absent[bool | str | InterleavedField] = None
    """Interleaved reasoning: a switch, or the message field that carries it."""
    cost: Absent[ModelCost] = None
    """Prices per million tokens."""
    limit: Absent[ModelLimit] = None
    """Token limits; a custom model without them gets context 0 and is never compacted proactively."""
    modalities: Absent[ModelModalities] = None
    """Supported modalities."""
    experimental: Absent[bool] = None
    """Experimental model."""
    status: Absent[Literal["alpha", "beta", "deprecated", "active"]] = None
    """Lifecycle status: Kilo drops `deprecated` models, and `alpha` ones without KILO_ENABLE_EXPERIMENTAL_MODELS."""
    provider: Absent[ModelPackage] = None
    """Per-model SDK package and base URL."""
    options: Absent[JsonObject] = None
    """Options passed to the AI SDK for this model."""
    headers: Absent[dict[str, str]] = None
    """Extra HTTP headers for this model."""
    variants: Absent[dict[str, Annotated[ModelVariant | None, NullInOwnType()]]] = None
    """Named variants; null deletes an inherited variant."""


class ProviderOptions(Open):
    """Provider options; keys beyond these pass through to the AI SDK."""

    apiKey: Absent[str] = None
    """API key, usually `{env:VAR}`."""
    baseURL: Absent[str] = None
    """Base URL of the provider's API."""
    enterpriseUrl: Absent[str] = None
    """GitHub Enterprise URL for Copilot authentication."""
    setCacheKey: Absent[bool] = None
    """Send a prompt cache key."""
    timeout: PositiveInt | Literal[False] = 300_000
    """Timeout of a full request in milliseconds; `false` disables it."""
    headerTimeout: Absent[PositiveInt | Literal[False]] = None
    """Timeout for response headers in milliseconds; `false` disables it."""
    chunkTimeout: Absent[PositiveInt] = None
    """Longest wait between streamed chunks in milliseconds."""


class ProviderConfig(Closed):
    """`provider.<id>` (`harness-kilo.md` 3.4); null deletes an inherited provider."""

    npm: Absent[str] = None
    """AI SDK package; custom providers default to `@ai-sdk/openai-compatible`."""
    name: Absent[str] = None
    """Display name."""
    api: Absent[str] = None
    """Base URL used when `options.baseURL` is unset."""
    id: Absent[str] = None
    """Provider id."""
    env: Absent[list[str]] = None
    """Environment variables that hold the API key."""
    whitelist: Absent[list[str]] = None
    """Model ids to keep."""
    blacklist: Absent[list[str]] = None
    """Model ids to drop."""
    options: Absent[ProviderOptions] = None
    """Provider options passed to the AI SDK."""
    models: Absent[dict[str, Annotated[ModelConfig | None, NullInOwnType()]]] = None
    """Models by id; null deletes an inherited model."""


class AgentConfig(Open):
    """`agent.<name>`: Kilo moves unknown keys into `options`, so any key is accepted."""

    model: str | None = None
    """Model as `provider/model`; `agent.compaction.model` picks the summarisation model."""
    variant: str | None = None
    """Default model variant for this agent."""
    temperature: FiniteFloat | None = None
    """Sampling temperature."""
    top_p: FiniteFloat | None = None
    """Nucleus sampling cut-off."""
    prompt: str | None = None
    """System prompt."""
    description: str | None = None
    """When to use the agent."""
    mode: Absent[Literal["subagent", "primary", "all"]] = None
    """Where the agent can run."""
    displayName: Absent[str] = None
    """Name shown in the UI (organization or marketplace agents)."""
    source: Absent[str] = None
    """Origin marker of managed agents (organization, global, project)."""
    hidden: Absent[bool] = None
    """Hide a subagent from the @ menu."""
    disable: Absent[bool] = None
    """Disable the agent."""
    options: Absent[JsonObject] = None
    """Provider parameters for the agent's requests."""
    color: Absent[str] = None
    """Hex colour or theme colour name."""
    steps: NullableSteps = None
    """Maximum agentic iterations before a text-only reply."""
    maxSteps: Absent[PositiveInt] = Field(None, deprecated="use `steps`")
    """Deprecated spelling of `steps`."""
    permission: Absent[Permission] = None
    """Tool permissions for this agent."""
    tools: Absent[dict[str, bool]] = Field(None, deprecated="use `permission`")
    """Legacy tool switches, converted to `permission`."""


class McpServer(Open):
    """`mcp.<name>`: Kilo accepts a `local` entry (`command`), a `remote` one (`url`), or any
    object with a boolean `enabled`; anything else makes it reject the file. That rule is
    checked by the harness unit (`Kilo.value_checks`), so the schema keeps every key open."""

    type: Absent[str] = None
    """`local` (a command Kilo starts) or `remote` (a URL)."""
    command: Absent[list[str]] = None
    """Command and arguments of a local server."""
    environment: Absent[dict[str, str]] = None
    """Environment variables of a local server."""
    env: Absent[dict[str, str]] = None
    """Older spelling of `environment`."""
    url: Absent[str] = None
    """URL of a remote server."""
    headers: Absent[dict[str, str]] = None
    """Headers sent to a remote server; a project config may not use `{env:}` or `{file:}` here."""
    oauth: Absent[JsonObject | Literal[False]] = None
    """OAuth settings of a remote server; `false` disables OAuth detection."""
    enabled: Absent[bool] = None
    """Start the server with Kilo."""
    timeout: Absent[PositiveInt] = None
    """Timeout of MCP requests in milliseconds (default 5000)."""


class Watcher(Closed):
    """File watcher settings."""

    ignore: Absent[list[str]] = None
    """Glob patterns the watcher ignores."""


class Enterprise(Closed):
    """Kilo enterprise settings."""

    url: Absent[str] = None
    """Enterprise URL."""


class KiloConfig(Closed):
    """Kilo Code CLI 7.7.9 config: the top-level keys of Kilo's schema, plus the TUI keys it
    still accepts (and deletes) with a deprecation warning."""

    model_config = ConfigDict(json_schema_extra=STRICT_UNKNOWN_KEYS)

    schema_url: Absent[str] = Field(None, alias="$schema")
    """JSON Schema URL; Kilo writes it back into files that lack it."""
    shell: Absent[str] = None
    """Shell for the terminal and bash tool."""
    logLevel: Absent[Literal["DEBUG", "INFO", "WARN", "ERROR"]] = None
    """Log level."""
    server: Absent[JsonObject] = None
    """Settings of `kilo serve`."""
    command: Absent[dict[str, JsonObject]] = None
    """Custom commands by name."""
    skills: Absent[JsonObject] = None
    """Additional skill folders."""
    references: Absent[JsonObject] = None
    """Named git or local directory references."""
    reference: Absent[JsonObject] = Field(None, deprecated="use `references`")
    """Deprecated spelling of `references`."""
    watcher: Absent[Watcher] = None
    """Files the watcher skips."""
    snapshot: Absent[bool] = None
    """Record filesystem snapshots so undo and revert restore files."""
    retention: Absent[JsonObject] = None
    """Data retention settings."""
    plugin: Absent[list[Any]] = None
    """Plugins to load (merged and de-duplicated across files)."""
    share: Absent[Literal["manual", "auto", "disabled"]] = None
    """Session sharing."""
    autoshare: Absent[bool] = Field(None, deprecated="use `share`")
    """Deprecated: share new sessions automatically."""
    autoupdate: Absent[bool | Literal["notify"]] = None
    """Update automatically, never, or only notify."""
    disabled_providers: Absent[list[str]] = None
    """Providers not to load; applied after `enabled_providers`."""
    enabled_providers: Absent[list[str]] = None
    """When set, only these providers load."""
    remote_control: Absent[bool] = None
    """Allow remote control of sessions through Kilo Cloud."""
    auto_collapse_reasoning: Absent[bool] = Field(
        None, deprecated="use `reasoning_display`"
    )
    """Deprecated reasoning display switch."""
    reasoning_display: Absent[Literal["expanded", "preview", "headline"]] = None
    """How reasoning blocks are displayed."""
    shared_agent_board: Absent[bool] = None
    """Share discoveries between the main agent and its subagents."""
    indexing: Absent[JsonObject] = None
    """Codebase indexing."""
    console: Absent[JsonObject] = None
    """Kilo Console interface settings."""
    terminal_command_display: Absent[Display] = None
    """Terminal command blocks expanded or collapsed by default."""
    code_edit_display: Absent[Display] = None
    """Code edit blocks expanded or collapsed by default."""
    mcp_tool_display: Absent[Display] = None
    """MCP tool blocks expanded or collapsed by default."""
    hide_prompt_training_models: Absent[bool] = None
    """Hide gateway models that may train on prompts."""
    privacy_mode: Absent[bool] = None
    """Blur personal information in the interface."""
    sandbox: Absent[JsonObject] = None
    """Sandbox for agent tools."""
    model: str | None = None
    """Main model as `provider/model` (split on the first `/`)."""
    small_model: str | None = None
    """Model for small tasks such as titles, as `provider/model`."""
    subagent_model: str | None = None
    """Default model of task subagents, as `provider/model`."""
    subagent_variant: str | None = None
    """Default variant of task subagents."""
    subagent_variant_overrides: Annotated[dict[str, str | None] | None, NullInOwnType()] = None
    """Subagent variant per `provider/model`."""
    default_agent: str | None = "code"
    """Primary agent used when none is named."""
    subagent_depth: NonNegativeInt = 1
    """Maximum subagent nesting; 1 stops subagents from launching subagents."""
    username: Absent[str] = None
    """Name shown in conversations."""
    mode: Absent[dict[str, AgentConfig]] = Field(None, deprecated="use `agent`")
    """Deprecated: migrated to `agent.*` with `mode: "primary"`."""
    agent: Absent[dict[str, AgentConfig]] = None
    """Agents by name; built in: plan build debug orchestrator ask general explore scout title summary compaction."""
    provider: Absent[dict[str, Annotated[ProviderConfig | None, NullInOwnType()]]] = None
    """Providers by id; null deletes an inherited provider."""
    mcp: Absent[dict[str, McpServer]] = None
    """MCP servers by name."""
    formatter: Absent[bool | JsonObject] = None
    """Formatters: `false` off, `true` built-ins, or an object of overrides."""
    lsp: Absent[bool | JsonObject] = None
    """LSP servers: `false` off, `true` built-ins, or an object of overrides."""
    instructions: Absent[list[str]] = None
    """Extra instruction files or globs (concatenated across files)."""
    layout: Any = Field(None, deprecated="no replacement; Kilo ignores it")
    """Deprecated layout setting."""
    permission: Absent[Permission] = None
    """Tool permissions."""
    tools: Absent[dict[str, bool]] = Field(None, deprecated="use `permission`")
    """Legacy tool switches, converted to `permission`."""
    web_search: Absent[bool] = None
    """Offer web search to models of every provider."""
    attachment: Absent[JsonObject] = None
    """Attachment processing."""
    enterprise: Absent[Enterprise] = None
    """Enterprise settings."""
    commit_message: Absent[JsonObject] = None
    """AI commit message generation."""
    tool_output: Absent[JsonObject] = None
    """Tool output truncation thresholds."""
    compaction: Absent[Compaction] = None
    """Auto-compaction and pruning."""
    experimental: Absent[JsonObject] = None
    """Experimental features."""
    theme: Any = Field(None, deprecated="move it to tui.json")
    """Deprecated here: Kilo deletes it from the main config; it belongs in tui.json."""
    keybinds: Any = Field(None, deprecated="move it to tui.json")
    """Deprecated here: Kilo deletes it from the main config; it belongs in tui.json."""
    tui: Any = Field(None, deprecated="move it to tui.json")
    """Deprecated here: Kilo deletes it from the main config; it belongs in tui.json."""


def model_keys(model: type[Closed] | type[Open]) -> frozenset[str]:
    """The JSON keys a model declares (aliases such as `$schema` included), to check them against
    the harness's own extracted schema (upstream opencode's model too)."""
    return frozenset(field.alias or name for name, field in model.model_fields.items())


def required_keys(model: type[Closed] | type[Open]) -> frozenset[str]:
    return frozenset(field.alias or name for name, field in model.model_fields.items() if field.is_required())


# Each modelled object and its path in Kilo's schema (`data/config_schema.json`). `McpServer`
# is the union of Kilo's local and remote entries, so it is checked against both.
_FOLLOWS_KILO = {
    Compaction: ("compaction",),
    ModelLimit: ("provider.*.models.*.limit",),
    ModelCost: ("provider.*.models.*.cost",),
    TokenPrices: ("provider.*.models.*.cost.context_over_200k",),
    ModelModalities: ("provider.*.models.*.modalities",),
    InterleavedField: ("provider.*.models.*.interleaved|2",),
    ModelPackage: ("provider.*.models.*.provider",),
    ModelVariant: ("provider.*.models.*.variants.*",),
    ModelConfig: ("provider.*.models.*",),
    ProviderOptions: ("provider.*.options",),
    ProviderConfig: ("provider.*",),
    AgentConfig: ("mode.*",),
    Watcher: ("watcher",),
    Enterprise: ("enterprise",),
}


def _check_against_kilo() -> None:
    """Fail at import when a modelled key set drifts from Kilo's own schema."""
    problems = []
    top = facts.top_level_keys() | set(facts.tui_keys())
    if model_keys(KiloConfig) != top:
        problems.append(f"top level: model-only {sorted(model_keys(KiloConfig) - top)}, "
                        f"Kilo-only {sorted(top - model_keys(KiloConfig))}")
    for model, paths in _FOLLOWS_KILO.items():
        for path in paths:
            keys, required = facts.object_keys(path)
            if model_keys(model) != keys or required_keys(model) != required:
                problems.append(f"{model.__name__} vs {path}: model-only {sorted(model_keys(model) - keys)}, "
                                f"Kilo-only {sorted(keys - model_keys(model))}, required {sorted(required)}")
    local, remote = (facts.object_keys(path)[0] for path in ("mcp.*|0|0", "mcp.*|0|1"))
    if model_keys(McpServer) != local | remote:
        problems.append(f"McpServer vs Kilo's local/remote entries: {sorted(model_keys(McpServer) ^ (local | remote))}")
    if problems:
        raise RuntimeError(f"the Kilo model differs from Kilo {facts.kilo_version()}'s schema: " + "; ".join(problems))


_check_against_kilo()
