"""Schema model of the upstream opencode config (`opencode.json[c]`, dialect `opencode`).

Target: opencode 1.18.33. The key sets come from opencode's own binary
(`data/config_schema.json`, see `facts.py`): importing this module checks the top level,
`compaction`, provider, provider options, model and `limit` against them, so the types here can
never add or miss a key. Beside the Config struct's 36 keys the root accepts what opencode reads
before validating: `theme`, `keybinds`, `tui` (stripped, they belong to tui.json) and the
V2-native keys `ConfigV2Compat.lower` turns into V1 ones (`snapshots`, `media`, `agents`,
`commands`, and `permissions`, which stops opencode: the harness unit reports it); per-version
differences are the unit's (`OpenCode.unknown_keys_for_version`).

Unknown keys are dropped by opencode 1.18.16 and later at every level (warning, `Closed`);
opencode 1.18.15 and older refuse an unknown top-level key, which the unit reports for those
versions. Unlike Kilo, `null` is never a value: a null provider or model entry, `model: null`
or `small_model: null` stop opencode (SCH001).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, FiniteFloat, NonNegativeInt, PositiveInt

# Objects whose key sets and descriptions are the same in Kilo, the fork (checked below against
# opencode's own extraction where the extraction reaches them).
from cfglint.harnesses.kilo.model import (
    Enterprise,
    JsonObject,
    ModelCost,
    ModelModalities,
    ModelPackage,
    ModelVariant,
    Permission,
    Watcher,
    model_keys,
    required_keys,
)
from cfglint.harnesses.modeling import Absent, Closed, Open
from cfglint.harnesses.opencode import facts

Timeout = PositiveInt | Literal[False]


class Compaction(Closed):
    """Auto-compaction and pruning (`harness-opencode.md` 3.3); no `threshold_percent`."""

    auto: Absent[bool] = None
    """Compact automatically when the context fills; only `false` turns it off."""
    prune: Absent[bool] = None
    """Prune old tool outputs at the end of a turn; only when `true`."""
    tail_turns: Absent[NonNegativeInt] = None
    """Recent user turns kept verbatim after compaction; unset: as many as the token budget holds."""
    preserve_recent_tokens: Absent[NonNegativeInt] = None
    """Token budget of the verbatim tail; default min(15000, max(2000, usable x 0.25))."""
    reserved: Absent[NonNegativeInt] = None
    """Buffer subtracted from `limit.input`, unused for models without one; default min(20000, max output)."""
    keep: Absent[JsonObject] = None
    """V2 spelling: `keep.tokens` becomes `preserve_recent_tokens` (opencode 1.18.33)."""
    buffer: Absent[NonNegativeInt] = None
    """V2 spelling of `reserved` (opencode 1.18.33)."""


class ModelLimit(Closed):
    """Token limits opencode computes the overflow trigger from.

    `context` and `output` are required whenever `limit` is written; opencode checks only that
    each value is a finite number (0, negative and fractional values load).
    """

    context: FiniteFloat
    """Context window in tokens; 0 disables proactive compaction."""
    input: Absent[FiniteFloat] = None
    """Input cap in tokens; when omitted opencode keeps the catalog's input limit."""
    output: FiniteFloat
    """Output limit; max_tokens is min(output, 32000 or OPENCODE_EXPERIMENTAL_OUTPUT_TOKEN_MAX)."""


class InterleavedField(Closed):
    """Where interleaved reasoning travels in the provider's messages."""

    field: str
    """Message field that carries the reasoning (e.g. `reasoning_content`)."""


class ModelConfig(Closed):
    """`provider.<id>.models.<id>` (`harness-opencode.md` 3.4); never null."""

    id: Absent[str] = None
    """API-facing model id; defaults to the map key."""
    name: Absent[str] = None
    """Display name."""
    family: Absent[str] = None
    """Model family."""
    release_date: Absent[str] = None
    """Release date."""
    attachment: Absent[bool] = None
    """Accepts attachments."""
    reasoning: Absent[bool] = None
    """Supports reasoning."""
    temperature: Absent[bool] = None
    """Supports the temperature parameter."""
    tool_call: Absent[bool] = None
    """Supports tool calls."""
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
    """Lifecycle status: opencode drops `deprecated` models, and `alpha` ones without OPENCODE_ENABLE_EXPERIMENTAL_MODELS."""
    provider: Absent[ModelPackage] = None
    """Per-model SDK package and base URL."""
    options: Absent[JsonObject] = None
    """Options passed to the AI SDK for this model."""
    headers: Absent[dict[str, str]] = None
    """Extra HTTP headers for this model."""
    variants: Absent[dict[str, ModelVariant]] = None
    """Named variants."""


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
    timeout: Absent[Timeout] = None
    """Timeout of a full request in milliseconds (default 300000); `false` disables it."""
    headerTimeout: Absent[Timeout] = None
    """Timeout for response headers in milliseconds (default 300000); `false` disables it."""
    chunkTimeout: Absent[Timeout] = None
    """Longest wait between streamed chunks in milliseconds (default 300000); `false` disables it."""


class ProviderConfig(Closed):
    """`provider.<id>` (`harness-opencode.md` 3.4); never null."""

    api: Absent[str] = None
    """Base URL used when `options.baseURL` is unset."""
    name: Absent[str] = None
    """Display name."""
    env: Absent[list[str]] = None
    """Environment variables that hold the API key."""
    id: Absent[str] = None
    """Provider id."""
    npm: Absent[str] = None
    """AI SDK package; custom providers default to `@ai-sdk/openai-compatible`."""
    whitelist: Absent[list[str]] = None
    """Model ids to keep."""
    blacklist: Absent[list[str]] = None
    """Model ids to drop."""
    options: Absent[ProviderOptions] = None
    """Provider options passed to the AI SDK."""
    models: Absent[dict[str, ModelConfig]] = None
    """Models by id."""


class AgentConfig(Open):
    """`agent.<name>`: opencode moves unknown keys into `options`, so any key is accepted."""

    model: Absent[str] = None
    """Model as `provider/model`; `agent.compaction.model` picks the summary model."""
    variant: Absent[str] = None
    """Default model variant for this agent."""
    temperature: Absent[FiniteFloat] = None
    """Sampling temperature."""
    top_p: Absent[FiniteFloat] = None
    """Nucleus sampling cut-off."""
    prompt: Absent[str] = None
    """System prompt."""
    tools: Absent[dict[str, bool]] = Field(None, deprecated="use `permission`")
    """Legacy tool switches, converted to `permission`."""
    disable: Absent[bool] = None
    """Disable the agent."""
    description: Absent[str] = None
    """When to use the agent."""
    mode: Absent[Literal["subagent", "primary", "all"]] = None
    """Where the agent can run."""
    hidden: Absent[bool] = None
    """Hide a subagent from the @ menu."""
    options: Absent[JsonObject] = None
    """Provider parameters for the agent's requests."""
    color: Absent[str] = None
    """Hex colour or theme colour name."""
    steps: Absent[PositiveInt] = None
    """Maximum agentic iterations before a text-only reply."""
    maxSteps: Absent[PositiveInt] = Field(None, deprecated="use `steps`")
    """Deprecated spelling of `steps`."""
    permission: Absent[Permission] = None
    """Tool permissions for this agent."""


class V2ModelRef(Closed):
    """opencode V2's model object, lowered to `providerID/model` by opencode 1.18.33."""

    providerID: str
    """Provider id."""
    model: str
    """Model id."""
    variant: Absent[str] = None
    """Model variant."""


class OpenCodeConfig(Closed):
    """opencode 1.18.33 config: the keys of its Config struct, the TUI keys it strips before
    validating, and the V2-native keys it lowers."""

    schema_url: Absent[str] = Field(None, alias="$schema")
    """JSON Schema URL; opencode writes it back into files that lack it."""
    shell: Absent[str] = None
    """Shell for the terminal and bash tool; "" counts as unset."""
    logLevel: Absent[Literal["DEBUG", "INFO", "WARN", "ERROR"]] = None
    """Log level."""
    server: Absent[JsonObject] = None
    """Settings of `opencode serve` and `opencode web`."""
    command: Absent[dict[str, JsonObject]] = None
    """Custom commands by name."""
    skills: Absent[JsonObject | list[str]] = None
    """Additional skill folders and URLs (`{paths, urls}`; a V2 list is lowered by 1.18.33)."""
    references: Absent[JsonObject] = None
    """Named git or local directory references."""
    reference: Absent[JsonObject] = Field(None, deprecated="use `references`")
    """Deprecated spelling of `references`."""
    watcher: Absent[Watcher] = None
    """Files the watcher skips."""
    snapshot: Absent[bool] = None
    """Record filesystem snapshots so undo and revert restore files."""
    plugin: Absent[list[Any]] = None
    """Plugins to load (merged and de-duplicated across files)."""
    share: Absent[Literal["manual", "auto", "disabled"]] = None
    """Session sharing."""
    autoshare: Absent[bool] = Field(None, deprecated="use `share`")
    """Deprecated: share new sessions automatically."""
    autoupdate: Absent[bool | Literal["notify"]] = None
    """Update automatically, never, or only notify."""
    disabled_providers: Absent[list[str]] = None
    """Providers not to load."""
    enabled_providers: Absent[list[str]] = None
    """When set, only these providers load."""
    model: Absent[str | V2ModelRef] = None
    """Main model as `provider/model` (split on the first `/`); never null."""
    small_model: Absent[str] = None
    """Model for small tasks such as titles, as `provider/model`; never null."""
    default_agent: Absent[str] = None
    """Primary agent used when none is named (falls back to `build`)."""
    subagent_depth: Absent[NonNegativeInt] = None
    """Maximum subagent nesting (default 1)."""
    username: Absent[str] = None
    """Name shown in conversations (default: the OS user)."""
    mode: Absent[dict[str, AgentConfig]] = Field(None, deprecated="use `agent`")
    """Deprecated: migrated to `agent.*` with `mode: "primary"`."""
    agent: Absent[dict[str, AgentConfig]] = None
    """Agents by name; built in: plan build general explore title summary compaction."""
    provider: Absent[dict[str, ProviderConfig]] = None
    """Providers by id (custom ones and overrides of catalog providers)."""
    mcp: Absent[dict[str, JsonObject]] = None
    """MCP servers by name."""
    formatter: Absent[bool | JsonObject] = None
    """Formatters: `false` off, `true` built-ins, or an object of overrides."""
    lsp: Absent[bool | JsonObject] = None
    """LSP servers: `false` off, `true` built-ins, or an object of overrides."""
    instructions: Absent[list[str]] = None
    """Extra instruction files or globs (concatenated across files)."""
    layout: Any = Field(None, deprecated="no replacement; opencode always uses the stretch layout")
    """Deprecated layout setting."""
    permission: Absent[Permission] = None
    """Tool permissions."""
    tools: Absent[dict[str, bool]] = Field(None, deprecated="use `permission`")
    """Legacy tool switches, converted to `permission`."""
    attachment: Absent[JsonObject] = None
    """Attachment processing (image size limits, resizing)."""
    enterprise: Absent[Enterprise] = None
    """Enterprise settings."""
    tool_output: Absent[JsonObject] = None
    """Tool output truncation thresholds (`max_lines`, `max_bytes`)."""
    compaction: Absent[Compaction] = None
    """Auto-compaction and pruning."""
    experimental: Absent[JsonObject] = None
    """Experimental features."""
    theme: Any = Field(None, deprecated="move it to tui.json")
    """TUI setting: opencode strips it from the main config; it belongs in tui.json."""
    keybinds: Any = Field(None, deprecated="move it to tui.json")
    """TUI setting: opencode strips it from the main config; it belongs in tui.json."""
    tui: Any = Field(None, deprecated="move it to tui.json")
    """TUI setting: opencode strips it from the main config; it belongs in tui.json."""
    snapshots: Absent[bool] = None
    """V2 spelling of `snapshot` (lowered by opencode 1.18.33)."""
    media: Absent[JsonObject] = None
    """V2 spelling of `attachment` (lowered by opencode 1.18.33)."""
    agents: Absent[dict[str, JsonObject]] = None
    """V2 spelling of `agent` (lowered by opencode 1.18.33)."""
    commands: Absent[dict[str, JsonObject]] = None
    """V2 spelling of `command` (lowered by opencode 1.18.33)."""
    permissions: Any = None
    """V2 permissions: opencode 1.18.33 refuses to start ("run opencode2"); use `permission`."""


def _check_against_opencode() -> None:
    """Fail at import when a modelled key set drifts from opencode's own schema."""
    problems = []
    top = facts.top_level_keys() | set(facts.stripped_keys()) | facts.v2_top_level_keys()
    if model_keys(OpenCodeConfig) != top:
        problems.append(f"top level: model-only {sorted(model_keys(OpenCodeConfig) - top)}, "
                        f"opencode-only {sorted(top - model_keys(OpenCodeConfig))}")
    compaction = facts.compaction_keys(facts.V2_COMPAT_FROM) | set(facts.v2()["compaction_lowered"])
    if model_keys(Compaction) != compaction:
        problems.append(f"compaction: {sorted(model_keys(Compaction) ^ compaction)}")
    for model, name in ((ProviderConfig, "provider"), (ProviderOptions, "provider_options"),
                        (ModelConfig, "model"), (ModelLimit, "limit")):
        keys, required = facts.object_keys(name)
        if model_keys(model) != keys or (name == "limit" and required_keys(model) != required):
            problems.append(f"{model.__name__} vs {name}: model-only {sorted(model_keys(model) - keys)}, "
                            f"opencode-only {sorted(keys - model_keys(model))}")
    if problems:
        raise RuntimeError(f"the opencode model differs from opencode {facts.opencode_version()}'s schema: "
                           + "; ".join(problems))


_check_against_opencode()
