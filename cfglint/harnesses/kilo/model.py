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
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema

from cfglint.harnesses.kilo import facts
from cfglint.harnesses.modeling import STRICT_UNKNOWN_KEYS, Closed, Open


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
    prune: bool | SkipJsonSchema[None] = None
    """Tool-output pruning: every-turn pruning runs only when `true`; post-compaction and
    payload-limit pruning run unless `false` (the docs' "default: true" holds only for those)."""
    tail_turns: NonNegativeInt = 2
    """Most recent user turns kept verbatim after compaction; 0 keeps no tail."""
    preserve_recent_tokens: NonNegativeInt | SkipJsonSchema[None] = None
    """Token budget of the verbatim tail; default min(8000, max(2000, usable x 0.25))."""
    reserved: NonNegativeInt | SkipJsonSchema[None] = None
    """Buffer subtracted from `limit.input`, unused for models without one; default min(20000, max output)."""


class ModelLimit(Closed):
    """Token limits Kilo computes the overflow trigger from.

    Kilo checks only that each value is a finite number: 0, negative and
    fractional values load, so the schema adds no bounds (rules report them).
    """

    context: FiniteFloat
    """Context window in tokens; 0 disables proactive compaction."""
    input: FiniteFloat | SkipJsonSchema[None] = None
    """Input cap in tokens; when omitted Kilo keeps the catalog's input limit."""
    output: FiniteFloat
    """Output limit in tokens; max_tokens is min(output, 32000 or KILO_EXPERIMENTAL_OUTPUT_TOKEN_MAX)."""


class TokenPrices(Closed):
    """Prices in dollars per million tokens."""

    input: FiniteFloat
    """Price of input tokens."""
    output: FiniteFloat
    """Price of output tokens."""
    cache_read: FiniteFloat | SkipJsonSchema[None] = None
    """Price of cache-read tokens."""
    cache_write: FiniteFloat | SkipJsonSchema[None] = None
    """Price of cache-write tokens."""


class ModelCost(TokenPrices):
    """Model prices; cost defaults to 0 when unset."""

    context_over_200k: TokenPrices | SkipJsonSchema[None] = None
    """Prices that apply above 200k tokens of context."""


class ModelModalities(Closed):
    """Input and output modalities of a model."""

    input: list[Modality] | SkipJsonSchema[None] = None
    """Modalities the model accepts."""
    output: list[Modality] | SkipJsonSchema[None] = None
    """Modalities the model produces."""


class InterleavedField(Closed):
    """Where interleaved reasoning travels in the provider's messages."""

    field: str
    """Message field that carries the reasoning (e.g. `reasoning_content`; Kilo takes any string)."""


class ModelPackage(Closed):
    """Per-model override of the AI SDK package and base URL."""

    npm: str | SkipJsonSchema[None] = None
    """AI SDK package for this model."""
    api: str | SkipJsonSchema[None] = None
    """Base URL for this model."""


class ModelVariant(Open):
    """A named variant of a model; keys other than `disabled` are passed to the SDK."""

    disabled: bool | SkipJsonSchema[None] = None
    """Hide this variant."""


class ModelConfig(Closed):
    """`provider.<id>.models.<id>` (`harness-kilo.md` 3.5); null deletes an inherited model."""

    id: str | SkipJsonSchema[None] = None
    """API-facing model id; defaults to the map key."""
    name: str | SkipJsonSchema[None] = None
    """Display name."""
    family: str | SkipJsonSchema[None] = None
    """Model family."""
    prompt: str | SkipJsonSchema[None] = None
    """Kilo prompt family for the model (Kilo-only)."""
    isFree: bool | SkipJsonSchema[None] = None
    """Marks a free model (Kilo-only)."""
    ai_sdk_provider: str | SkipJsonSchema[None] = None
    """AI SDK provider the Kilo gateway routes the model through (Kilo-only)."""
    release_date: str | SkipJsonSchema[None] = None
    """Release date."""
    attachment: bool | SkipJsonSchema[None] = None
    """Accepts attachments."""
    reasoning: bool | None = None
    """Supports reasoning; null removes an inherited value."""
    temperature: bool | SkipJsonSchema[None] = None
    """Supports the temperature parameter."""
    tool_call: bool | SkipJsonSchema[None] = None
    """Supports tool calls (catalog default true)."""
    interleaved: bool | str | InterleavedField | SkipJsonSchema[None] = None
    """Interleaved reasoning: a switch, or the message field that carries it."""
    cost: ModelCost | SkipJsonSchema[None] = None
    """Prices per million tokens."""
    limit: ModelLimit | SkipJsonSchema[None] = None
    """Token limits; a custom model without them gets context 0 and is never compacted proactively."""
    modalities: ModelModalities | SkipJsonSchema[None] = None
    """Supported modalities."""
    experimental: bool | SkipJsonSchema[None] = None
    """Experimental model."""
    status: Literal["alpha", "beta", "deprecated", "active"] | SkipJsonSchema[None] = None
    """Lifecycle status: Kilo drops `deprecated` models, and `alpha` ones without KILO_ENABLE_EXPERIMENTAL_MODELS."""
    provider: ModelPackage | SkipJsonSchema[None] = None
    """Per-model SDK package and base URL."""
    options: JsonObject | SkipJsonSchema[None] = None
    """Options passed to the AI SDK for this model."""
    headers: dict[str, str] | SkipJsonSchema[None] = None
    """Extra HTTP headers for this model."""
    variants: dict[str, Annotated[ModelVariant | None, NullInOwnType()]] | SkipJsonSchema[None] = None
    """Named variants; null deletes an inherited variant."""


class ProviderOptions(Open):
    """Provider options; keys beyond these pass through to the AI SDK."""

    apiKey: str | SkipJsonSchema[None] = None
    """API key, usually `{env:VAR}`."""
    baseURL: str | SkipJsonSchema[None] = None
    """Base URL of the provider's API."""
    enterpriseUrl: str | SkipJsonSchema[None] = None
    """GitHub Enterprise URL for Copilot authentication."""
    setCacheKey: bool | SkipJsonSchema[None] = None
    """Send a prompt cache key."""
    timeout: PositiveInt | Literal[False] = 300_000
    """Timeout of a full request in milliseconds; `false` disables it."""
    headerTimeout: PositiveInt | Literal[False] | SkipJsonSchema[None] = None
    """Timeout for response headers in milliseconds; `false` disables it."""
    chunkTimeout: PositiveInt | SkipJsonSchema[None] = None
    """Longest wait between streamed chunks in milliseconds."""


class ProviderConfig(Closed):
    """`provider.<id>` (`harness-kilo.md` 3.4); null deletes an inherited provider."""

    npm: str | SkipJsonSchema[None] = None
    """AI SDK package; custom providers default to `@ai-sdk/openai-compatible`."""
    name: str | SkipJsonSchema[None] = None
    """Display name."""
    api: str | SkipJsonSchema[None] = None
    """Base URL used when `options.baseURL` is unset."""
    id: str | SkipJsonSchema[None] = None
    """Provider id."""
    env: list[str] | SkipJsonSchema[None] = None
    """Environment variables that hold the API key."""
    whitelist: list[str] | SkipJsonSchema[None] = None
    """Model ids to keep."""
    blacklist: list[str] | SkipJsonSchema[None] = None
    """Model ids to drop."""
    options: ProviderOptions | SkipJsonSchema[None] = None
    """Provider options passed to the AI SDK."""
    models: dict[str, Annotated[ModelConfig | None, NullInOwnType()]] | SkipJsonSchema[None] = None
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
    mode: Literal["subagent", "primary", "all"] | SkipJsonSchema[None] = None
    """Where the agent can run."""
    displayName: str | SkipJsonSchema[None] = None
    """Name shown in the UI (organization or marketplace agents)."""
    source: str | SkipJsonSchema[None] = None
    """Origin marker of managed agents (organization, global, project)."""
    hidden: bool | SkipJsonSchema[None] = None
    """Hide a subagent from the @ menu."""
    disable: bool | SkipJsonSchema[None] = None
    """Disable the agent."""
    options: JsonObject | SkipJsonSchema[None] = None
    """Provider parameters for the agent's requests."""
    color: str | SkipJsonSchema[None] = None
    """Hex colour or theme colour name."""
    steps: NullableSteps = None
    """Maximum agentic iterations before a text-only reply."""
    maxSteps: PositiveInt | SkipJsonSchema[None] = Field(None, deprecated="use `steps`")
    """Deprecated spelling of `steps`."""
    permission: Permission | SkipJsonSchema[None] = None
    """Tool permissions for this agent."""
    tools: dict[str, bool] | SkipJsonSchema[None] = Field(None, deprecated="use `permission`")
    """Legacy tool switches, converted to `permission`."""


class McpServer(Open):
    """`mcp.<name>`: Kilo accepts a `local` entry (`command`), a `remote` one (`url`), or any
    object with a boolean `enabled`; anything else makes it reject the file. That rule is
    checked by the harness unit (`Kilo.value_checks`), so the schema keeps every key open."""

    type: str | SkipJsonSchema[None] = None
    """`local` (a command Kilo starts) or `remote` (a URL)."""
    command: list[str] | SkipJsonSchema[None] = None
    """Command and arguments of a local server."""
    environment: dict[str, str] | SkipJsonSchema[None] = None
    """Environment variables of a local server."""
    env: dict[str, str] | SkipJsonSchema[None] = None
    """Older spelling of `environment`."""
    url: str | SkipJsonSchema[None] = None
    """URL of a remote server."""
    headers: dict[str, str] | SkipJsonSchema[None] = None
    """Headers sent to a remote server; a project config may not use `{env:}` or `{file:}` here."""
    oauth: JsonObject | Literal[False] | SkipJsonSchema[None] = None
    """OAuth settings of a remote server; `false` disables OAuth detection."""
    enabled: bool | SkipJsonSchema[None] = None
    """Start the server with Kilo."""
    timeout: PositiveInt | SkipJsonSchema[None] = None
    """Timeout of MCP requests in milliseconds (default 5000)."""


class Watcher(Closed):
    """File watcher settings."""

    ignore: list[str] | SkipJsonSchema[None] = None
    """Glob patterns the watcher ignores."""


class Enterprise(Closed):
    """Kilo enterprise settings."""

    url: str | SkipJsonSchema[None] = None
    """Enterprise URL."""


class KiloConfig(Closed):
    """Kilo Code CLI 7.7.9 config: the top-level keys of Kilo's schema, plus the TUI keys it
    still accepts (and deletes) with a deprecation warning."""

    model_config = ConfigDict(json_schema_extra=STRICT_UNKNOWN_KEYS)

    schema_url: str | SkipJsonSchema[None] = Field(None, alias="$schema")
    """JSON Schema URL; Kilo writes it back into files that lack it."""
    shell: str | SkipJsonSchema[None] = None
    """Shell for the terminal and bash tool."""
    logLevel: Literal["DEBUG", "INFO", "WARN", "ERROR"] | SkipJsonSchema[None] = None
    """Log level."""
    server: JsonObject | SkipJsonSchema[None] = None
    """Settings of `kilo serve`."""
    command: dict[str, JsonObject] | SkipJsonSchema[None] = None
    """Custom commands by name."""
    skills: JsonObject | SkipJsonSchema[None] = None
    """Additional skill folders."""
    references: JsonObject | SkipJsonSchema[None] = None
    """Named git or local directory references."""
    reference: JsonObject | SkipJsonSchema[None] = Field(None, deprecated="use `references`")
    """Deprecated spelling of `references`."""
    watcher: Watcher | SkipJsonSchema[None] = None
    """Files the watcher skips."""
    snapshot: bool | SkipJsonSchema[None] = None
    """Record filesystem snapshots so undo and revert restore files."""
    retention: JsonObject | SkipJsonSchema[None] = None
    """Data retention settings."""
    plugin: list[Any] | SkipJsonSchema[None] = None
    """Plugins to load (merged and de-duplicated across files)."""
    share: Literal["manual", "auto", "disabled"] | SkipJsonSchema[None] = None
    """Session sharing."""
    autoshare: bool | SkipJsonSchema[None] = Field(None, deprecated="use `share`")
    """Deprecated: share new sessions automatically."""
    autoupdate: bool | Literal["notify"] | SkipJsonSchema[None] = None
    """Update automatically, never, or only notify."""
    disabled_providers: list[str] | SkipJsonSchema[None] = None
    """Providers not to load; applied after `enabled_providers`."""
    enabled_providers: list[str] | SkipJsonSchema[None] = None
    """When set, only these providers load."""
    remote_control: bool | SkipJsonSchema[None] = None
    """Allow remote control of sessions through Kilo Cloud."""
    auto_collapse_reasoning: bool | SkipJsonSchema[None] = Field(
        None, deprecated="use `reasoning_display`"
    )
    """Deprecated reasoning display switch."""
    reasoning_display: Literal["expanded", "preview", "headline"] | SkipJsonSchema[None] = None
    """How reasoning blocks are displayed."""
    shared_agent_board: bool | SkipJsonSchema[None] = None
    """Share discoveries between the main agent and its subagents."""
    indexing: JsonObject | SkipJsonSchema[None] = None
    """Codebase indexing."""
    console: JsonObject | SkipJsonSchema[None] = None
    """Kilo Console interface settings."""
    terminal_command_display: Display | SkipJsonSchema[None] = None
    """Terminal command blocks expanded or collapsed by default."""
    code_edit_display: Display | SkipJsonSchema[None] = None
    """Code edit blocks expanded or collapsed by default."""
    mcp_tool_display: Display | SkipJsonSchema[None] = None
    """MCP tool blocks expanded or collapsed by default."""
    hide_prompt_training_models: bool | SkipJsonSchema[None] = None
    """Hide gateway models that may train on prompts."""
    privacy_mode: bool | SkipJsonSchema[None] = None
    """Blur personal information in the interface."""
    sandbox: JsonObject | SkipJsonSchema[None] = None
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
    username: str | SkipJsonSchema[None] = None
    """Name shown in conversations."""
    mode: dict[str, AgentConfig] | SkipJsonSchema[None] = Field(None, deprecated="use `agent`")
    """Deprecated: migrated to `agent.*` with `mode: "primary"`."""
    agent: dict[str, AgentConfig] | SkipJsonSchema[None] = None
    """Agents by name; built in: plan build debug orchestrator ask general explore scout title summary compaction."""
    provider: dict[str, Annotated[ProviderConfig | None, NullInOwnType()]] | SkipJsonSchema[None] = None
    """Providers by id; null deletes an inherited provider."""
    mcp: dict[str, McpServer] | SkipJsonSchema[None] = None
    """MCP servers by name."""
    formatter: bool | JsonObject | SkipJsonSchema[None] = None
    """Formatters: `false` off, `true` built-ins, or an object of overrides."""
    lsp: bool | JsonObject | SkipJsonSchema[None] = None
    """LSP servers: `false` off, `true` built-ins, or an object of overrides."""
    instructions: list[str] | SkipJsonSchema[None] = None
    """Extra instruction files or globs (concatenated across files)."""
    layout: Any = Field(None, deprecated="no replacement; Kilo ignores it")
    """Deprecated layout setting."""
    permission: Permission | SkipJsonSchema[None] = None
    """Tool permissions."""
    tools: dict[str, bool] | SkipJsonSchema[None] = Field(None, deprecated="use `permission`")
    """Legacy tool switches, converted to `permission`."""
    web_search: bool | SkipJsonSchema[None] = None
    """Offer web search to models of every provider."""
    attachment: JsonObject | SkipJsonSchema[None] = None
    """Attachment processing."""
    enterprise: Enterprise | SkipJsonSchema[None] = None
    """Enterprise settings."""
    commit_message: JsonObject | SkipJsonSchema[None] = None
    """AI commit message generation."""
    tool_output: JsonObject | SkipJsonSchema[None] = None
    """Tool output truncation thresholds."""
    compaction: Compaction | SkipJsonSchema[None] = None
    """Auto-compaction and pruning."""
    experimental: JsonObject | SkipJsonSchema[None] = None
    """Experimental features."""
    theme: Any = Field(None, deprecated="move it to tui.json")
    """Deprecated here: Kilo deletes it from the main config; it belongs in tui.json."""
    keybinds: Any = Field(None, deprecated="move it to tui.json")
    """Deprecated here: Kilo deletes it from the main config; it belongs in tui.json."""
    tui: Any = Field(None, deprecated="move it to tui.json")
    """Deprecated here: Kilo deletes it from the main config; it belongs in tui.json."""


def _keys(model: type[Closed] | type[Open]) -> frozenset[str]:
    return frozenset(field.alias or name for name, field in model.model_fields.items())


def _required(model: type[Closed] | type[Open]) -> frozenset[str]:
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
    if _keys(KiloConfig) != top:
        problems.append(f"top level: model-only {sorted(_keys(KiloConfig) - top)}, "
                        f"Kilo-only {sorted(top - _keys(KiloConfig))}")
    for model, paths in _FOLLOWS_KILO.items():
        for path in paths:
            keys, required = facts.object_keys(path)
            if _keys(model) != keys or _required(model) != required:
                problems.append(f"{model.__name__} vs {path}: model-only {sorted(_keys(model) - keys)}, "
                                f"Kilo-only {sorted(keys - _keys(model))}, required {sorted(required)}")
    local, remote = (facts.object_keys(path)[0] for path in ("mcp.*|0|0", "mcp.*|0|1"))
    if _keys(McpServer) != local | remote:
        problems.append(f"McpServer vs Kilo's local/remote entries: {sorted(_keys(McpServer) ^ (local | remote))}")
    if problems:
        raise RuntimeError(f"the Kilo model differs from Kilo {facts.kilo_version()}'s schema: " + "; ".join(problems))


_check_against_kilo()
