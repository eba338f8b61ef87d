"""Schema models of Codex CLI's two kinds of file: `config.toml` (dialect `codex`, also the profile
files `<name>.config.toml`) and the JSON model catalog a config names (`model_catalog_json`, schema
`codex-catalog`).

Key sets come from the binaries (`data/keys.json`, `tools/extract/codex.py`: serde field lists of
`ConfigToml`, `ConfigProfile`, `ModelProviderInfo`, `ModelInfo`, the known-feature list), types and
descriptions from `harness-codex.md` §3 (run 0.171.0). Each closed object offers the keys of EVERY
extracted release, so that a key an older release reads is no unknown key here: the unit reports
keys outside the targeted release (`Codex.unknown_keys_for_version`). Types and enums speak for the
default target 0.171.0 (a wrong type or enum value stops Codex at start-up: SCH001); a key 0.171.0
does not have is typed `any` (0.171.0 ignores its value), marked `deprecated` and says which
releases read it. What depends on the release or on other keys stays with the unit:
`model_reasoning_effort` (a closed enum up to 0.135.x), a missing or empty provider `name` (the
`amazon-bedrock` override must not have one), reserved provider ids, the required fields of a
catalog entry in other releases and the `base_instructions` / `model_messages.instructions_template`
alternative (missing both stops Codex; base_instructions = null counts as missing).

Closed objects (unknown key = SCH002 warning: Codex ignores it, with a start-up warning from
0.156.0): the top level, `model_providers.<id>`, `profiles.<name>`, `[features]` and catalog entries
(Codex drops unknown entry fields silently). Every other table stays open: the sheet does not list
its keys. No `default`s: an editor would insert them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import ConfigDict, Field, create_model

from cfglint.core.versions import Version
from cfglint.harnesses.codex import Codex, facts
from cfglint.harnesses.modeling import STRICT_UNKNOWN_KEYS, Absent, Closed, Open

TARGET = Version.parse(Codex.default_version)

# serde's integer types as JSON Schema bounds (a value outside them stops Codex: "invalid value").
I32 = Annotated[int, Field(ge=-(2 ** 31), le=2 ** 31 - 1)]
U8_PERCENT = Annotated[int, Field(ge=0, le=100)]   # and Codex's own check "must be between 0 and 100"
U16 = Annotated[int, Field(ge=0, le=65_535)]
UNSIGNED = Annotated[int, Field(ge=0)]             # u64 / usize (TOML integers end at i64::MAX)
Table = dict[str, Any]                             # a table whose keys the sheet does not list
StringMap = dict[str, str]


def _optional(**kwargs: Any) -> Any:
    """An optional key (the schema generator drops the `default: null` pydantic writes for it)."""
    return Field(None, **kwargs)


# --- open tables with a few verified keys ----------------------------------------------------------

class CodexApprovalGranular(Closed):
    """`approval_policy = { granular = { ... } }`: per-category approval prompts."""

    # another variant name stops Codex (an unknown key is an error); an empty table too (the unit says so)
    model_config = ConfigDict(json_schema_extra=STRICT_UNKNOWN_KEYS)
    granular: Absent[Table] = _optional()
    """Approval categories (`sandbox_approval`, `rules`, `mcp_elicitations`, ...) switched on or off."""


class CodexMcpEnvVar(Open):
    """A variable forwarded to a stdio MCP server, with where it is read."""

    name: str
    """Name of the environment variable."""
    source: Absent[Literal["local", "remote"]] = _optional()
    """Where the variable is read: `local` (Codex's environment) or `remote`; anything else stops Codex."""


class CodexMcpServer(Open):
    """An MCP server: stdio (`command`) or HTTP (`url`); keys of the other transport or a `bearer_token` stop Codex."""

    command: Absent[str] = _optional()
    """Program Codex starts for a stdio server."""
    args: Absent[list[str]] = _optional()
    """Arguments of `command`."""
    env: Absent[StringMap] = _optional()
    """Variables set for a stdio server, written as values: keep secrets out (use `env_vars`)."""
    env_vars: Absent[list[Union[str, CodexMcpEnvVar]]] = _optional()
    """Names of variables forwarded from Codex's environment to a stdio server (where a secret belongs)."""
    url: Absent[str] = _optional()
    """Endpoint of a streamable HTTP server."""
    bearer_token_env_var: Absent[str] = _optional()
    """Name of the environment variable whose value Codex sends as `Authorization: Bearer` (HTTP servers)."""
    http_headers: Absent[StringMap] = _optional()
    """Headers sent as written (HTTP servers)."""
    env_http_headers: Absent[StringMap] = _optional()
    """Header name -> name of the environment variable holding its value (HTTP servers)."""


class CodexProject(Open):
    """Settings Codex keeps per project directory."""

    trust_level: Absent[Literal["trusted", "untrusted"]] = _optional()
    """`trusted`: Codex reads the project's `.codex/config.toml` (an untrusted project's is skipped)."""


# --- config.toml: types and descriptions of the keys Codex CLI 0.171.0 reads (§3.2-§3.4) ------------

APPROVAL_POLICY = Union[Literal["untrusted", "on-failure", "on-request", "never"], CodexApprovalGranular]
REASONING_SUMMARY = Literal["auto", "concise", "detailed", "none"]
VERBOSITY = Literal["low", "medium", "high"]
PERSONALITY = Literal["none", "friendly", "pragmatic"]
WEB_SEARCH = Literal["disabled", "cached", "indexed", "live"]
APPROVALS_REVIEWER = Literal["user", "auto_review", "guardian_subagent"]
SANDBOX_MODE = Literal["read-only", "workspace-write", "danger-full-access"]
FEATURE_VALUE = Union[bool, Table]
BUILTINS = ", ".join(facts.BUILTIN_PROVIDERS)

_WINDOW_DOC = (
    "Context window in tokens (i64) that replaces the catalog entry's `context_window`. Since 0.122.0 it "
    "is narrowed to the entry's `max_context_window` when there is one (272,000 for a model the catalog "
    "does not know), so it can raise the window up to that maximum, never above it. Codex uses "
    "`effective_context_window_percent` of it (95 %) as the usable window. 0 and negative values load, "
    "and Codex then compacts before every request.")
_LIMIT_DOC = (
    "Token count (i64) at which Codex compacts the conversation. In scope `total` (the default) it is "
    "clamped to 90 % of the window since 0.100.0, so a larger value has no effect; unset = 90 % of the "
    "window (or the catalog entry's `auto_compact_token_limit`). 0 or a negative value does NOT disable "
    "auto-compaction: Codex compacts before every request. No setting turns auto-compaction off.")

# key -> (type for 0.171.0, description). Tables are open objects; `str` keys accept any string.
CONFIG_KEYS: dict[str, tuple[Any, str]] = {
    "model": (str, "Model slug. Its metadata (window, reasoning levels) comes from the catalog entry whose slug "
                   "is the longest prefix of it (one `namespace/` segment may be stripped); an unknown slug gets "
                   "fallback metadata (272,000-token window) and a start-up warning."),
    "review_model": (str, "Model used by `/review`."),
    "model_provider": (str, f"Provider id: a built-in ({BUILTINS}) or a `[model_providers]` key; anything else "
                            "stops Codex (\"Model provider `x` not found\")."),
    "model_providers": (dict[str, "CodexModelProvider"],
                        "Custom providers by id (select one with `model_provider`). The ids openai, ollama and "
                        "lmstudio are reserved (Codex refuses to start); `amazon-bedrock` accepts a partial "
                        "override of `base_url`, `auth`, `http_headers` and `aws` only."),
    "model_context_window": (int, _WINDOW_DOC),
    "model_auto_compact_token_limit": (int, _LIMIT_DOC),
    "model_auto_compact_token_limit_scope": (
        Literal[tuple(facts.release_keys(TARGET)["scopes"])],
        "What `model_auto_compact_token_limit` counts: `total` (default) the whole active "
        "context; `body_after_prefix` only the growth since the first request of the current compaction "
        "window, with the limit not clamped to 90 %. In both scopes Codex also compacts at the full usable "
        "window."),
    "model_post_turn_compact_threshold_percent": (
        U8_PERCENT,
        "After a finished turn, compact when the context has reached this percentage of the usable window "
        "(0 or unset = off). An integer 0..100, else Codex refuses to start."),
    "model_catalog_json": (
        str,
        "Path of a JSON model catalog (`{\"models\": [...]}`, as `codex debug models` prints) that REPLACES the "
        "bundled catalog entirely (since 0.105.0): a model it does not list gets fallback metadata "
        "(272,000-token window). A relative path is read from this file's folder; the file must exist, "
        "parse, and hold at least one model, else Codex refuses to start."),
    "model_reasoning_effort": (
        str,
        "Reasoning effort, sent as `reasoning.effort`. Up to 0.135.x one of none, minimal, low, medium, high, "
        "xhigh (anything else stops Codex); since 0.140.0 any string is sent as written: use a level the "
        "model's catalog entry lists (`supported_reasoning_levels`)."),
    "plan_mode_reasoning_effort": (str, "Reasoning effort in plan mode (like `model_reasoning_effort`)."),
    "model_reasoning_summary": (REASONING_SUMMARY, "Reasoning summaries requested from the model."),
    "model_verbosity": (VERBOSITY, "Output verbosity requested from the model."),
    "tool_output_token_limit": (
        UNSIGNED,
        "Budget for one tool output kept in the history, in tokens or bytes as the model's "
        "`truncation_policy` says (catalog entries: 10,000 tokens; fallback metadata: 10,000 bytes)."),
    "model_instructions_file": (str, "File whose text replaces the model's base instructions; it must exist "
                                     "(Codex refuses to start otherwise)."),
    "experimental_compact_prompt_file": (str, "File holding the compaction prompt; it must exist."),
    "compact_prompt": (str, "Prompt used for compaction instead of the built-in one."),
    "instructions": (str, "Extra instructions added to the system prompt."),
    "developer_instructions": (str, "Developer-role instructions sent with every request."),
    "approval_policy": (APPROVAL_POLICY, "When Codex asks before running a command: untrusted, on-failure, "
                                         "on-request, never, or `{ granular = { ... } }`."),
    "approvals_reviewer": (APPROVALS_REVIEWER, "Who answers approval requests."),
    "sandbox_mode": (SANDBOX_MODE, "Sandbox of the commands Codex runs."),
    "sandbox_workspace_write": (Table, "Options of the `workspace-write` sandbox (writable roots, network)."),
    "shell_environment_policy": (Table, "Which environment variables commands see."),
    "allow_login_shell": (bool, "Run commands in a login shell (default true)."),
    "allow_symlinked_codex_home": (bool, "Accept a `CODEX_HOME` that is a symbolic link."),
    "default_permissions": (str, "Name of the `[permissions.<name>]` profile to apply; needs a `[permissions]` "
                                 "table (Codex refuses to start without one)."),
    "permissions": (Table, "Named permission profiles (file system and network capabilities)."),
    "auto_review": (Table, "Automatic review of approval requests."),
    "browser_use": (Table, "Browser tool settings."),
    "computer_use": (Table, "Computer-use tool settings."),
    "notify": (list[str], "Program (and arguments) Codex runs on notifications."),
    "include_permissions_instructions": (bool, "Send the permissions instructions to the model."),
    "include_apps_instructions": (bool, "Send the apps instructions to the model."),
    "include_collaboration_mode_instructions": (bool, "Send the collaboration-mode instructions to the model."),
    "include_environment_context": (bool, "Send the environment context (cwd, shell, ...) to the model."),
    "include_environment_context_time": (bool, "Include the current time in the environment context."),
    "forced_chatgpt_workspace_id": (Union[str, list[str]], "ChatGPT workspace id(s) a login must belong to."),
    "forced_login_method": (Literal["chatgpt", "api"], "Login method Codex allows."),
    "cli_auth_credentials_store": (Literal["file", "keyring", "auto", "ephemeral"],
                                   "Where Codex keeps its login credentials."),
    "mcp_servers": (dict[str, CodexMcpServer], "MCP servers by name."),
    "mcp_enterprise_managed_auth": (Table, "Enterprise-managed MCP authentication."),
    "mcp_oauth_credentials_store": (Literal["auto", "file", "keyring"], "Where MCP OAuth tokens are kept."),
    "mcp_oauth_callback_port": (U16, "Local port of the MCP OAuth callback (0..65535)."),
    "mcp_oauth_callback_url": (str, "Callback URL of MCP OAuth logins."),
    "mcp_optional_startup_grace_ms": (UNSIGNED, "Milliseconds Codex waits for optional MCP servers at start-up."),
    "project_doc_max_bytes": (UNSIGNED, "Bytes of AGENTS.md read into the prompt (default 32768)."),
    "project_doc_fallback_filenames": (list[str], "File names read when a folder has no AGENTS.md."),
    "project_root_markers": (list[str], "Files or folders that mark a project root (default [\".git\"])."),
    "background_terminal_max_timeout": (UNSIGNED, "Longest wait on a background terminal, in ms (default 300000)."),
    "thread_unload_delay_secs": (UNSIGNED, "Seconds before an idle thread is unloaded."),
    "js_repl_node_path": (str, "Deprecated and ignored."),
    "js_repl_node_module_dirs": (list[str], "Deprecated and ignored."),
    "profile": (str, "Legacy profile selector. Since 0.134.0 any value stops Codex (\"legacy `profile = \\\"x\\\"` "
                     "config is no longer supported\"): use `codex -p x` with `$CODEX_HOME/x.config.toml`."),
    "profiles": (dict[str, "CodexProfile"],
                 "Legacy profiles, applied with `profile = \"x\"` or `-p x` up to 0.133.x. Since 0.134.0 they are "
                 "never applied and `-p x` refuses to start while `[profiles.x]` exists. A profile cannot set "
                 "`model_context_window` or `model_auto_compact_token_limit`."),
    "history": (Table, "Session history persistence."),
    "rollout_trace": (Table, "Rollout trace recording."),
    "sqlite_home": (str, "Folder of the state database (default `CODEX_HOME`)."),
    "log_dir": (str, "Folder of Codex's logs."),
    "file_opener": (Literal["vscode", "vscode-insiders", "windsurf", "cursor", "none"],
                    "Editor that file links open in."),
    "tui": (Table, "Terminal UI settings."),
    "hide_agent_reasoning": (bool, "Hide the model's reasoning in the UI."),
    "show_raw_agent_reasoning": (bool, "Show raw reasoning content when the model sends it."),
    "personality": (PERSONALITY, "Personality of the assistant's messages."),
    "service_tier": (str, "Service tier requested (e.g. default, priority, flex)."),
    "chatgpt_base_url": (str, "Base URL of the ChatGPT backend (ChatGPT sign-in, cloud tasks)."),
    "openai_base_url": (str, "Base URL of the built-in `openai` provider (`OPENAI_BASE_URL` is ignored)."),
    "apps_mcp_product_sku": (str, "Product SKU sent to the apps MCP server."),
    "responses": (Table, "Responses API request options."),
    "orchestrator": (Table, "Orchestrator settings."),
    "cloud": (Table, "Cloud task settings."),
    "responses_api_metadata": (Table, "Metadata sent with Responses API requests."),
    "audio": (Table, "Audio settings."),
    "realtime": (Table, "Realtime (voice) settings."),
    "experimental_realtime_ws_base_url": (str, "Experimental: realtime WebSocket base URL."),
    "experimental_realtime_webrtc_call_base_url": (str, "Experimental: realtime WebRTC call base URL."),
    "experimental_realtime_ws_model": (str, "Experimental: realtime model."),
    "experimental_realtime_ws_backend_prompt": (str, "Experimental: realtime backend prompt."),
    "experimental_realtime_ws_startup_context": (str, "Experimental: realtime start-up context."),
    "experimental_realtime_start_instructions": (str, "Experimental: realtime start instructions."),
    "experimental_thread_store_endpoint": (Any, "No longer supported: any value stops Codex 0.171.0 at start-up "
                                                "(\"remove it from config.toml\")."),
    "experimental_thread_store": (Table, "Experimental thread store (a tagged table)."),
    "projects": (dict[str, CodexProject], "Per-project settings keyed by absolute path, e.g. "
                                          "`[projects.\"/work/app\"] trust_level = \"trusted\"`."),
    "web_search": (WEB_SEARCH, "Web search tool mode."),
    "tools": (Table, "Tool settings."),
    "tool_suggest": (Table, "Tool suggestion settings."),
    "code_mode": (Table, "Code mode settings."),
    "agents": (Table, "Sub-agent settings."),
    "goals": (Table, "Goal settings."),
    "memories": (Table, "Memory settings."),
    "skills": (Table, "Skill settings."),
    "hooks": (Table, "Lifecycle hooks."),
    "plugins": (Table, "Plugin settings."),
    "marketplaces": (Table, "Plugin marketplaces."),
    "features": ("CodexFeatures", "Feature flags (`--enable X` / `--disable X` set them); unknown names are ignored "
                                  "with a start-up warning."),
    "suppress_unstable_features_warning": (bool, "Do not warn about enabled unstable features."),
    "check_for_update_on_startup": (bool, "Check for a newer Codex at start-up."),
    "disable_paste_burst": (bool, "Turn off paste-burst detection in the TUI."),
    "experimental_use_unified_exec_tool": (bool, "Experimental: use the unified exec tool."),
    "ghost_snapshot": (Table, "Ghost snapshot (undo) settings."),
    "analytics": (Table, "Analytics settings."),
    "feedback": (Table, "Feedback settings."),
    "apps": (Table, "Apps (connectors) settings."),
    "otel": (Table, "OpenTelemetry export."),
    "windows": (Table, "Windows-specific settings."),
    "notice": (Table, "Dismissed notices (Codex writes these)."),
    "desktop": (Table, "Desktop app settings."),
    "oss_provider": (str, "Local provider used with `--oss`: lmstudio or ollama (`ollama-chat` stops Codex)."),
    "daybreak": (bool, "Undocumented switch."),
}

PROVIDER_KEYS: dict[str, tuple[Any, str]] = {
    "name": (str, "Display name; required and non-empty for a custom provider (not allowed in an `amazon-bedrock` "
                  "override). Exactly `OpenAI` makes Codex compact remotely, as for the built-in provider."),
    "base_url": (str, "API base URL (default https://api.openai.com/v1); requests go to `{base_url}/responses`."),
    "model_catalog_url": (str, "URL the provider's model catalog is fetched from."),
    "env_key": (str, "NAME of the environment variable holding the API key, sent as `Authorization: Bearer`; "
                     "unset or blank at request time = error naming it. Put the key in that variable, not here."),
    "env_key_instructions": (str, "Help text shown when the `env_key` variable is missing."),
    "experimental_bearer_token": (str, "Bearer token written in the file (a plaintext secret): prefer `env_key`."),
    "auth": (Table, "Command that prints the token (`command`, `args`, `timeout_ms`, ...); not with `env_key`, "
                    "`experimental_bearer_token` or `requires_openai_auth`."),
    "aws": (Table, "AWS SigV4 signing (`profile`, `region`, `credential_export`, `auth_refresh`)."),
    "gateway_oauth": (Table, "Gateway credentials: `credential_export`, or OAuth `authorization_url` + `token_url` + "
                             "`client_id`."),
    "project_id": (str, "Cloud project id (Vertex-style providers)."),
    "location": (str, "Cloud location (Vertex-style providers)."),
    "credential_file": (str, "Service-account credential file (Vertex-style providers)."),
    "wire_api": (Literal["responses"], "Wire protocol: only `responses` (the default). `chat` stops Codex "
                                       "(\"`wire_api = \\\"chat\\\"` is no longer supported\")."),
    "capabilities": (Table, "What the provider supports."),
    "query_params": (StringMap, "Query parameters added to every request (e.g. Azure `api-version`)."),
    "http_headers": (StringMap, "Headers sent as written with every request."),
    "env_http_headers": (StringMap, "Header name -> NAME of the environment variable holding its value; an unset or "
                                    "blank variable leaves the header out."),
    "request_max_retries": (UNSIGNED, "Retries of a failed request (default 4; silently capped at 100)."),
    "stream_max_retries": (UNSIGNED, "Reconnects of a dropped stream (default 5; capped at 100); also the retries "
                                     "of a compaction request."),
    "stream_idle_timeout_ms": (UNSIGNED, "Milliseconds without stream data before the stream is dropped "
                                         "(default 300000)."),
    "websocket_connect_timeout_ms": (UNSIGNED, "WebSocket connect timeout in ms (default 15000)."),
    "requires_openai_auth": (bool, "Send the user's OpenAI login (ChatGPT or API key) to this provider."),
    "supports_websockets": (bool, "Use WebSocket transport (default false)."),
    "supports_standalone_web_search": (bool, "The provider serves the standalone web search tool."),
}

# --- model catalog (model_catalog_json, §3.6; types checked by run 0.171.0) ---------------------------

class CodexTruncationPolicy(Open):
    """How tool outputs kept in the history are cut."""

    mode: Literal["bytes", "tokens"]
    """Unit of `limit`."""
    limit: int
    """Size a tool output is cut to (`tool_output_token_limit` in the config overrides it)."""


class CodexReasoningLevel(Open):
    """A reasoning effort the model accepts."""

    effort: str
    """Effort value (low, medium, high, xhigh, max, ...)."""
    description: str
    """Text shown in the effort picker (required)."""


class CodexModelMessages(Open):
    """Instruction templates of the model."""

    instructions_template: Absent[str | None] = _optional()
    """Base instructions; stands in for `base_instructions` (since 0.147.0)."""


MODEL_INFO_KEYS: dict[str, tuple[Any, str]] = {
    "slug": (str, "Model id. A configured model uses the entry whose slug is the longest prefix of it "
                  "(case-sensitive; one `namespace/` segment may be stripped first)."),
    "display_name": (str, "Name shown in the model picker."),
    "description": (str | None, "Description shown in the model picker."),
    "context_window": (int | None, "Context window in tokens (null or absent: `max_context_window`). A config "
                                   "`model_context_window` overrides it; Codex uses "
                                   "`effective_context_window_percent` of it as the usable window."),
    "max_context_window": (int | None, "Largest window `model_context_window` may set (a larger value is narrowed "
                                       "to it, since 0.122.0); the window when `context_window` is absent."),
    "auto_compact_token_limit": (int | None, "Compaction threshold for this model; a config "
                                             "`model_auto_compact_token_limit` wins. Clamped to 90 % of the window "
                                             "like the config key, so a larger value has no effect."),
    "effective_context_window_percent": (int, "Percentage of the window usable for input (default 95; null stops "
                                              "Codex). Not bounded: above 100 gives a usable window larger than the "
                                              "context, 0 or less compacts before every request."),
    "supported_reasoning_levels": (list[CodexReasoningLevel], "Reasoning efforts the model accepts."),
    "default_reasoning_level": (str, "Effort used when the config sets none."),
    "shell_type": (Literal["default", "local", "unified_exec", "disabled", "shell_command"],
                   "Shell tool the model gets."),
    "visibility": (Literal["list", "hide", "none"], "Whether the model picker lists it (`public` stops Codex)."),
    "supported_in_api": (bool, "Usable with an API key (not only with ChatGPT sign-in)."),
    "priority": (I32, "Sort order in the model picker."),
    "base_instructions": (str | None, "Base instructions; required unless `model_messages.instructions_template` "
                                      "is given (null counts as missing)."),
    "model_messages": (CodexModelMessages | None, "Instruction templates (`instructions_template` stands in for "
                                                  "`base_instructions`)."),
    "support_verbosity": (bool, "The model accepts a verbosity setting."),
    "default_verbosity": (VERBOSITY | None, "Verbosity used when the config sets none."),
    "truncation_policy": (CodexTruncationPolicy, "How tool outputs are cut: `{\"mode\": \"tokens\"|\"bytes\", "
                                                 "\"limit\": N}`."),
    "experimental_supported_tools": (list[str], "Experimental tools enabled for the model."),
    "input_modalities": (list[Literal["text", "image", "audio"]], "Input kinds the model accepts."),
}


# --- building the closed objects from the extracted key sets -----------------------------------------

def _retired(section: str, key: str) -> str:
    """What an editor shows for a key Codex CLI 0.171.0 does not have."""
    first, last = facts.first_release_with(section, key), facts.last_release_with(section, key)
    span = first if first == last else f"{first} to {last}"
    return f"Codex CLI {TARGET} does not read it (ignored there); releases checked that read it: {span}."


def _field(section: str, key: str, table: dict[str, tuple[Any, str]], required: bool = False) -> tuple[Any, Any]:
    """A key of a closed object: typed and described for 0.171.0 when that release has it, else any
    value, `deprecated`, with the releases that read it."""
    if key in facts.section_keys(TARGET, section):
        annotation, description = table.get(key, (Any, f"Read by Codex CLI {TARGET} (the sheet does not "
                                                       "describe it)."))
        if required:
            return annotation, Field(description=description)
        return Absent[annotation], _optional(description=description)
    description = _retired(section, key) + (f" {table[key][1]}" if key in table else "")
    return Absent[Any], _optional(description=description, deprecated=True)


def _closed(name: str, doc: str, section: str, table: dict[str, tuple[Any, str]],
            required: frozenset[str] = frozenset()) -> type[Closed]:
    """A closed object with every key some extracted release knows in `section` (the tables
    describe keys of the binaries: tests/harnesses/test_codex_model.py keeps them in step)."""
    fields = {key: _field(section, key, table, key in required) for key in sorted(facts.all_keys(section))}
    return create_model(name, __base__=Closed, __module__=__name__, __doc__=doc, **fields)


def _profile_keys() -> dict[str, tuple[Any, str]]:
    """A legacy profile's keys mean what they mean at the top level."""
    return {key: CONFIG_KEYS[key] for key in facts.all_keys("profile") if key in CONFIG_KEYS}


CodexModelProvider = _closed(
    "CodexModelProvider", "A custom model provider (`ModelProviderInfo`). Unknown keys are ignored (with a start-up "
    "warning from 0.156.0): no window, output or compaction key exists here.", "provider", PROVIDER_KEYS)
CodexFeatures = _closed(
    "CodexFeatures", "Feature flags Codex knows (`is_known_feature_key`); a value is true/false or a table.",
    "features", {key: (FEATURE_VALUE, f"Feature flag `{key}`: true/false, or a table of its options.")
                 for key in facts.section_keys(TARGET, "features")})
CodexProfile = _closed(
    "CodexProfile", "A legacy `[profiles.<name>]` table (`ConfigProfile`): never applied since 0.134.0.",
    "profile", _profile_keys())
CodexConfig = _closed(
    "CodexConfig", f"Codex CLI `config.toml` (`$CODEX_HOME/config.toml`, a project's `.codex/config.toml`, profile "
    f"files `<name>.config.toml`); types for release {TARGET}, keys of every release checked. Unknown keys are "
    "ignored (with a start-up warning from 0.156.0, an error with `--strict-config`); a wrong type or value stops "
    "Codex at start-up.", "config", CONFIG_KEYS)

# slug is required in every release (run 0.171.0: "missing field `slug`"); the others as the release says.
_CATALOG_REQUIRED = frozenset(facts.release_keys(TARGET).get("catalog_required") or ()) | {"slug"}
CodexModelInfo = _closed(
    "CodexModelInfo", f"One model (`ModelInfo`). A missing required field (those of release {TARGET} here) stops "
    "Codex (\"failed to parse model_catalog_json\"); unknown fields are dropped silently.",
    "model_info", MODEL_INFO_KEYS, _CATALOG_REQUIRED)


class CodexCatalog(Closed):
    """Codex model catalog (`model_catalog_json`, the shape `codex debug models` prints): replaces the bundled one."""

    schema_: Absent[str] = Field(None, alias="$schema")
    """JSON Schema reference for editors (Codex ignores the key)."""
    models: Annotated[list[CodexModelInfo], Field(min_length=1)]  # type: ignore[valid-type]
    """The models: must contain at least one model (Codex refuses to start on an empty list)."""
