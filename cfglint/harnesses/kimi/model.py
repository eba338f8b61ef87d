"""Pydantic models of the two Kimi config schemas, built from the harnesses' own code.

- `KimiCodeConfig` (dialect `kimi-code`): Kimi Code CLI 2.1.0, v2 engine; the schema is
  read from its npm bundle's zod sections (`data/kimi_code_config.json`,
  `tools/extract/kimi_code.py`).
- `KimiCliConfig` (dialect `kimi-cli`): the legacy Python kimi-cli 1.49.0; the schema is
  read from its wheel's pydantic `Config` (`data/kimi_cli_config.json`,
  `tools/extract/kimi_cli.py`).

The extracted data decides every key, type, bound, enum, required key and default; this
module only adds what editors show (class names, descriptions) and maps the data onto
cfglint's conventions (`cfglint.harnesses.modeling`): objects are `Closed` (the harnesses
drop unknown keys, or keep them unread: an unknown key is an SCH002 warning), except those
the harness validates strictly (Kimi Code `hooks[]` entries: an error); maps keyed by
user-chosen names (`models`, `providers`, `env`, ...) are open. Keys that exist in only one
dialect (`max_output_size`, `overrides`, ...) are absent from the other: SCH005 reports
those mix-ups.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Callable, Literal, Union

from pydantic import ConfigDict, Field, create_model

from cfglint.harnesses.kimi.facts import kimi_cli_facts, kimi_code_facts
from cfglint.harnesses.modeling import STRICT_UNKNOWN_KEYS, Absent, Closed


class _SchemaModels:
    """Pydantic models for the nodes of one extracted schema. `class_names` names the object
    a key holds (else owner + key); objects of one name and shape share one class."""

    def __init__(self, prefix: str, class_names: dict[str, str], class_docs: dict[str, str],
                 docs: dict[str, str], shared_doc_path: Callable[[str], str], lax: bool = False) -> None:
        self.prefix, self.class_names, self.class_docs, self.docs = prefix, class_names, class_docs, docs
        self.shared_doc_path = shared_doc_path
        # pydantic's lax mode reads numbers and booleans written as strings (and 0/1 as booleans):
        # the schema lets those through and `KimiCli.value_checks` judges them as pydantic would
        self.lax = lax
        self.classes: dict[str, type[Closed]] = {}
        self.used_docs: set[str] = set()

    def build(self, root: dict[str, Any]) -> type[Closed]:
        model = self.object_class(root, "", "", "")
        stale = set(self.docs) - self.used_docs
        if stale:
            raise KeyError(f"{self.prefix}: docs for keys the harness does not have: {sorted(stale)}")
        return model

    def annotation(self, node: dict[str, Any], path: str, key: str, owner: str) -> Any:
        if "any_of" in node:
            return Union[tuple(self.annotation(branch, path, key, owner) for branch in node["any_of"])]
        if "enum" in node:
            return Literal[tuple(node["enum"])]
        kind = node["type"]
        if kind == "object":
            return self.object_class(node, path, key, owner)
        if kind == "record":
            return dict[str, self.annotation(node["values"], f"{path}.*", key, owner)]
        if kind == "array":
            return list[self.annotation(node["items"], path, key, owner)]
        bounds = {name: node[source] for source, name in (("minimum", "ge"), ("maximum", "le"),
                                                          ("min_length", "min_length"), ("min_items", "min_length"))
                  if source in node}
        python = {"string": str, "integer": int, "number": float, "boolean": bool, "any": Any}[kind]
        annotation = Annotated[python, Field(**bounds)] if bounds else python
        if self.lax and kind in ("integer", "number"):
            return Union[annotation, str]
        if self.lax and kind == "boolean":
            return Union[bool, str, Literal[0, 1]]
        return annotation

    def object_class(self, node: dict[str, Any], path: str, key: str, owner: str) -> type[Closed]:
        suffix = self.class_names.get(key, "".join(part.capitalize() for part in key.split("_")))
        name = self.prefix + (suffix if key in self.class_names else owner + suffix)
        shape = name + json.dumps({k: v for k, v in node.items() if k not in ("optional", "default")}, sort_keys=True)
        if shape in self.classes:
            return self.classes[shape]
        fields = {}
        for child, spec in node["properties"].items():
            child_path = f"{path}.{child}" if path else child
            annotation = self.annotation(spec, child_path, child, name.removeprefix(self.prefix) if path else "")
            fields[child] = self.field(spec, annotation, child_path)
        config = ConfigDict(**{**Closed.model_config, "use_attribute_docstrings": False},  # docs come from tables
                            **({"json_schema_extra": STRICT_UNKNOWN_KEYS} if node["unknown_keys"] == "reject" else {}))
        base = type(f"{name}Base", (Closed,), {"model_config": config, "__module__": __name__})
        model = create_model(name, __base__=base, __module__=__name__, __doc__=self.class_docs.get(name), **fields)
        self.classes[shape] = model
        return model

    def field(self, spec: dict[str, Any], annotation: Any, path: str) -> tuple[Any, Any]:
        doc_path = next((p for p in (path, self.shared_doc_path(path)) if p in self.docs), None)
        if doc_path:
            self.used_docs.add(doc_path)
        extra: dict[str, Any] = {"description": self.docs[doc_path]} if doc_path else {}
        replacement = spec.get("deprecated") or spec.get("alias_of")
        if replacement:
            extra["deprecated"] = f"use `{replacement}`"
        if "alias_of" in spec:  # read only without the key itself: `KimiCli.value_checks` judges it
            annotation = Any
        if spec.get("nullable"):
            annotation = annotation | None
        if not spec.get("optional"):
            return annotation, Field(**extra)
        if "default" in spec or spec.get("nullable"):
            return annotation, Field(spec.get("default"), **extra)
        return Absent[annotation], Field(None, **extra)


# --------------------------------------------------------------------------
# kimi-code: Kimi Code CLI 2.1.0, v2 engine
# --------------------------------------------------------------------------

# Class names of the objects the schema describes, by the key that holds them (editors show them).
_CODE_CLASS_NAMES = {
    "": "Config", "models": "Model", "providers": "Provider", "hooks": "Hook", "oauth": "OAuthRef",
    "overrides": "ModelOverrides", "moonshot_search": "Service", "moonshot_fetch": "Service",
    "rules": "PermissionRule", "deny": "PermissionShorthand", "allow": "PermissionShorthand",
    "ask": "PermissionShorthand", "task": "Task", "background": "Task",
}

_CODE_CLASS_DOCS = {
    "KimiCodeConfig": "Kimi Code CLI `~/.kimi-code/config.toml` (release 2.1.0, v2 engine). Unknown top-level "
                      "keys are dropped with a warning (`kimi doctor config`).",
    "KimiCodeModel": "A model alias: which provider serves it and the limits Kimi Code budgets with. Kimi Code "
                     "keeps unknown keys here but reads none of them.",
    "KimiCodeProvider": "An API endpoint that models point at by name.",
    "KimiCodeHook": "A lifecycle hook. Kimi Code validates these entries strictly, so an unknown key is an "
                    "error here, not a dropped key.",
    "KimiCodeOAuthRef": "Where `/login` stored the OAuth credentials; never the tokens themselves.",
    "KimiCodeModelOverrides": "Pinned values that win over the model's own fields and survive catalog refreshes.",
    "KimiCodeService": "Endpoint of a built-in Moonshot service.",
    "KimiCodePermissionRule": "One initial permission rule: `pattern`, or `tool` with an optional argument `match`.",
    "KimiCodePermissionShorthand": "A rule of the `deny` / `allow` / `ask` lists, which set its decision.",
    "KimiCodeLoopControl": "Agent loop limits and the compaction trigger.",
    "KimiCodeTask": "Background task runtime (Bash and Agent tasks); `[background]` is its older name, "
                    "`[task]` wins key by key.",
}

# Field descriptions by path ("*" = any entry of a map); what the harness does with the value.
_CODE_DOCS = {
    "providers": "API providers keyed by name.",
    "providers.*.type": "Wire protocol: `kimi`, `openai`, `anthropic`, `google-genai`, `openai_responses` or "
                        "`vertexai`. Any string loads, but a provider of another type cannot send requests.",
    "providers.*.api_key": "API key, sent as written (no `${VAR}` substitution). Wins over the `env` table.",
    "providers.*.api_key_env": "Name of an environment variable that holds the API key.",
    "providers.*.base_url": "API base URL; falls back to the `env` table (`KIMI_BASE_URL`, `OPENAI_BASE_URL`, ...).",
    "providers.*.default_model": "Model the provider selects when none is named.",
    "providers.*.oauth": "OAuth credential reference written by `/login`.",
    "providers.*.custom_headers": "Extra HTTP headers sent with every request.",
    "providers.*.source": "Provenance record written by model-catalog imports.",
    "providers.*.model_source": "Where the provider's models come from: `static`, `discover` or `oauth-catalog`.",
    "providers.*.env": "Credential and base-URL fallbacks (`KIMI_API_KEY`, `OPENAI_BASE_URL`, ...) read from this "
                       "file, never from the shell; used only when `api_key` / `base_url` are unset. Budget "
                       "variables placed here have no effect.",
    "providers.*.oauth.storage": "Credential store that holds the tokens: `file` or `keyring`.",
    "providers.*.oauth.key": "Key of the credentials inside that store (non-empty).",
    "providers.*.oauth.oauth_host": "OAuth host the credentials were issued by (non-empty when set).",
    "default_provider": "Provider used when a model does not name one.",
    "default_model": "Alias from `[models]` used when `-m` and `KIMI_MODEL_NAME` are absent. Not validated: a "
                     "value that is not an alias names no model.",
    "models": "Model aliases keyed by alias (quote aliases that contain dots).",
    "models.*.provider": "Name of the `[providers]` entry that serves this model (else `default_provider`).",
    "models.*.model": "Model id sent to the provider (the wire name is `name`, else `model`).",
    "models.*.name": "Catalog name of the model; sent as the wire name when set.",
    "models.*.max_context_size": "Context window in tokens (>= 1). Without it (here or in `overrides`) Kimi Code "
                                 "cannot use the model. Compaction and the output budget are computed from it.",
    "models.*.max_input_size": "Prompt cap below the window (>= 1). Compaction triggers against it instead of "
                               "`max_context_size`.",
    "models.*.max_output_size": "Per-request output cap in tokens (>= 1) on normal and compaction requests. "
                                "Unset: the whole window, clamped to the room left (compaction: at most 131,072).",
    "models.*.capabilities": "Capability tags added to the detected ones (never removed), e.g. `thinking`, "
                             "`always_thinking`, `image_in`, `video_in`, `tool_use`.",
    "models.*.display_name": "Name shown in the UI; defaults to `model`.",
    "models.*.reasoning_key": "Response field that carries reasoning content (`openai` providers).",
    "models.*.default_effort": "Thinking effort used when none is chosen.",
    "models.*.off_effort": "Effort value sent to switch thinking off on models that reason by default.",
    "models.*.base_url": "Per-model endpoint that overrides the provider's; effective only with `protocol`.",
    "models.*.protocol": "Wire protocol for this model when it differs from its provider's type.",
    "models.*.adaptive_thinking": "Force adaptive thinking on or off (`anthropic` providers).",
    "models.*.beta_api": "Route Anthropic requests through the beta Messages API.",
    "models.*.support_efforts": "Thinking efforts the model accepts, e.g. `[\"low\", \"high\", \"max\"]`.",
    "models.*.provider_id": "Provider id recorded by catalog imports.",
    "models.*.api_key": "Per-model API key that overrides the provider's.",
    "models.*.oauth": "Per-model OAuth credential reference.",
    "models.*.aliases": "Other names this model answers to.",
    "models.*.overrides": "User-pinned values that win over the fields above at run time.",
    "thinking": "Global Thinking-mode defaults.",
    "thinking.enabled": "Whether new sessions start with Thinking on.",
    "thinking.effort": "Thinking effort (`low`, `medium`, `high`, ...).",
    "thinking.forced_effort": "Effort every request uses; `KIMI_MODEL_THINKING_EFFORT` sets it.",
    "thinking.keep": "Preserved-thinking passthrough sent to the provider; an off-value disables it.",
    "default_permission_mode": "Permission mode of new sessions.",
    "default_plan_mode": "Whether new sessions start in Plan mode.",
    "permission": "Initial permission rules.",
    "permission.rules": "Rules evaluated before asking the user (one table or an array of tables).",
    "permission.rules.decision": "What happens when the rule matches.",
    "permission.rules.scope": "Where the rule applies.",
    "permission.rules.pattern": "Tool pattern, e.g. `Read` or `Bash(rm -rf*)` (non-empty, must parse).",
    "permission.rules.tool": "Tool name; with `match` (or `pattern`) it becomes `tool(match)`.",
    "permission.rules.match": "Argument pattern for `tool`.",
    "permission.rules.reason": "Explanation shown with the decision.",
    "permission.deny": "Rules whose decision is `deny` (one table or an array of tables).",
    "permission.allow": "Rules whose decision is `allow` (one table or an array of tables).",
    "permission.ask": "Rules whose decision is `ask` (one table or an array of tables).",
    "permission.dangerous_command_guard": "Ask before dangerous shell commands (default on); "
                                          "`KIMI_CODE_DANGEROUS_COMMAND_GUARD` overrides it.",
    "hooks": "Lifecycle hooks; unknown keys in an entry are errors.",
    "hooks.event": "Lifecycle event that runs the hook, e.g. `PreToolUse`.",
    "hooks.matcher": "Regex that narrows the event (e.g. a tool name); unset matches everything.",
    "hooks.command": "Shell command to run (non-empty); receives the event as JSON on stdin.",
    "hooks.timeout": "Timeout in seconds, 1..600.",
    "services": "Built-in external services.",
    "services.moonshot_search": "Endpoint of the web search tool.",
    "services.moonshot_fetch": "Endpoint of the web fetch tool.",
    "services.moonshot_search.base_url": "Service endpoint.",
    "services.moonshot_search.api_key": "Service API key, sent as written.",
    "services.moonshot_search.oauth": "OAuth credential reference written by `/login`.",
    "services.moonshot_search.custom_headers": "Extra HTTP headers sent with every request.",
    "merge_all_available_skills": "Merge Agent Skills from every available directory.",
    "extra_skill_dirs": "Extra skill search directories.",
    "extra_agent_dirs": "Extra custom-agent search directories.",
    "builtin_product_skills": "Offer the built-in skills that document Kimi Code itself.",
    "loop_control": "Step and attempt limits and the compaction trigger.",
    "loop_control.max_steps_per_turn": "Steps allowed in one turn (>= 0); unset or 0 = unlimited. "
                                       "`KIMI_LOOP_MAX_STEPS_PER_TURN` overrides it.",
    "loop_control.max_attempts_per_step": "Total attempts for a failing step, first try included (>= 0; 0 acts "
                                          "as 1). `KIMI_LOOP_MAX_ATTEMPTS_PER_STEP` overrides it.",
    "loop_control.max_ralph_iterations": "Extra iterations in Ralph mode (>= -1; -1 = unlimited).",
    "loop_control.reserved_context_size": "Tokens kept free for the reply (>= 0): compaction fires when context + "
                                          "this reaches the window (`max_input_size`, else `max_context_size`). "
                                          "Ignored when >= the window.",
    "loop_control.compaction_trigger_ratio": "Window fraction (0.5..0.99) at which compaction fires, whichever of "
                                             "this and the reserve comes first.",
    "loop_control.compaction_max_attempts": "Total attempts for a failing compaction request (>= 1).",
    "loop_control.max_retries_per_step": "No longer used (a start-up warning): rename to `max_attempts_per_step`.",
    "loop_control.max_steps_per_run": "No longer used (a start-up warning): rename to `max_steps_per_turn`.",
    "task": "Background task runtime (Bash and Agent tasks).",
    "task.max_running_tasks": "Background tasks allowed to run at once (>= 1).",
    "task.keep_alive_on_exit": "Keep running tasks alive when the session closes.",
    "task.bash_auto_background_on_timeout": "Move a timed-out foreground Bash command to the background.",
    "task.bash_task_timeout_s": "Timeout in seconds for background Bash tasks (>= 0; 0 = none).",
    "task.kill_grace_period_ms": "Grace period in milliseconds before a terminated task is force-stopped (>= 0).",
    "task.print_wait_ceiling_s": "Print mode: ceiling in seconds for waiting on background tasks (>= 1).",
    "task.print_background_mode": "Print mode: what happens to pending tasks when the main turn ends.",
    "task.print_max_turns": "Print mode: turns that background completions may start in `steer` mode (>= 1).",
    "background": "Older name of `[task]`; `[task]` wins key by key.",
    "cron": "Scheduled-task runtime switches; Kimi Code takes this section as written, without checks.",
    "subagent": "How `Agent` subagents run.",
    "subagent.timeout_ms": "Wall-clock limit in milliseconds for one subagent (>= 0; 0 = none).",
    "swarm": "Agent swarms.",
    "swarm.timeout_ms": "Wall-clock limit in milliseconds for a swarm (>= 0; 0 = none).",
    "secondary_model": "Models offered to subagents, plus per-subagent model patches.",
    "secondary_model.default_model": "Alias subagents bind by default; must be a key of `models` when that is set.",
    "secondary_model.models": "Subagent model pool: `[models]` alias -> selection hint shown to the main agent.",
    "secondary_model.force": "Pin every subagent to `default_model`; cannot be combined with `models`.",
    "secondary_model.model": "Older single-model form of `default_model`.",
    "mcp": "Global MCP timeouts; per-server values in `mcp.json` win.",
    "mcp.startup_timeout_ms": "Server connect and tool-discovery timeout in milliseconds.",
    "mcp.tool_timeout_ms": "Single tool-call timeout in milliseconds.",
    "image": "Image compression for the model.",
    "image.max_edge_px": "Longest-edge ceiling in pixels (>= 1); `KIMI_IMAGE_MAX_EDGE_PX` wins over it.",
    "image.read_byte_budget": "Byte budget for images the model reads itself (>= 1).",
    "read": "The Read tool.",
    "read.default_max_chars": "Characters a read returns when the call names no limit (>= 1).",
    "read.max_chars": "Most characters one read may return (>= 1).",
    "database": "Local session database and search index.",
    "watch": "File watching.",
    "model_catalog": "Automatic provider-model refreshes.",
    "model_catalog.refresh_interval_ms": "Interval in milliseconds between refreshes (>= 0; 0 disables).",
    "model_catalog.refresh_on_start": "Refresh once shortly after start.",
    "model_overrides": "Taken as written, without checks.",
    "experimental": "Experimental feature flags, each a boolean.",
    "telemetry": "Anonymous telemetry; off only when explicitly false.",
    "token_counting": "Which context token count is reported (display only); `strategy` is required.",
    "token_counting.strategy": "`measured+estimated`, `measured` or `estimated`; `KIMI_TOKEN_COUNTING_STRATEGY` "
                               "overrides it.",
    "tools": "Global tool switch, intersected with each agent's own tool policy.",
    "tools.enabled": "Allowlist: when non-empty only these tools exist (built-ins by name, MCP by glob).",
    "tools.disabled": "Denylist applied after `enabled`; `KIMI_CODE_TOOLS_DISABLED` replaces it.",
    "identity": "How the agent names itself.",
    "identity.name": "Display name used in the system prompt.",
    "identity.slug": "Machine id for User-Agent and MCP client name; derived from `name` when unset.",
}


def _kimi_code_shared_doc_path(path: str) -> str:
    """Objects of one shape share their docs: the services, `[background]` and `[task]`, and the
    OAuth reference of models and services."""
    path = re.sub(r"^background\.", "task.", path)
    return re.sub(r"^services\.moonshot_fetch", "services.moonshot_search",
                  re.sub(r"^(models\.\*|services\.moonshot_\w+)\.oauth\.", "providers.*.oauth.", path))


KimiCodeConfig = _SchemaModels("KimiCode", _CODE_CLASS_NAMES, _CODE_CLASS_DOCS, _CODE_DOCS,
                               _kimi_code_shared_doc_path).build(kimi_code_facts()["config"])


# --------------------------------------------------------------------------
# kimi-cli: legacy Python kimi-cli 1.49.0
# --------------------------------------------------------------------------

_CLI_CLASS_NAMES = {
    "": "Config", "models": "Model", "providers": "Provider", "hooks": "Hook", "oauth": "OAuthRef",
    "moonshot_search": "Service", "moonshot_fetch": "Service",
}

_CLI_CLASS_DOCS = {
    "KimiCliConfig": "kimi-cli `~/.kimi/config.toml` (release 1.49.0). Unknown keys are dropped silently.",
    "KimiCliOAuthRef": "Where OAuth credentials are stored; never the tokens themselves.",
    "KimiCliProvider": "An API endpoint that models point at by name.",
    "KimiCliModel": "A model alias: which provider serves it and its context window.",
    "KimiCliLoopControl": "Agent loop limits and the compaction trigger.",
    "KimiCliBackground": "Background task runtime.",
    "KimiCliNotifications": "Notification runtime.",
    "KimiCliService": "Endpoint of a built-in Moonshot service.",
    "KimiCliServices": "Built-in external services.",
    "KimiCliMcpClient": "MCP client tuning.",
    "KimiCliMcp": "MCP settings.",
    "KimiCliHook": "A lifecycle hook.",
}

_CLI_DOCS = {
    "is_from_default_location": "Set by kimi-cli itself (never written to the file); accepted, not used.",
    "source_file": "Set by kimi-cli itself (never written to the file); accepted, not used.",
    "default_model": "Alias from `[models]` used by default; when non-empty it must exist.",
    "default_thinking": "Start sessions with thinking on.",
    "default_yolo": "Start sessions in yolo (auto-approve) mode.",
    "skip_afk_prompt_injection": "Suppress the afk-mode system reminder.",
    "default_plan_mode": "Start sessions in Plan mode.",
    "default_editor": "External editor command, e.g. `code --wait`.",
    "theme": "Terminal colour theme.",
    "show_thinking_stream": "Stream raw reasoning text live instead of a compact indicator.",
    "models": "Model aliases keyed by alias; each `provider` must be a key of `providers`.",
    "models.*.provider": "Name of the `[providers]` entry that serves this model (must exist).",
    "models.*.model": "Model id sent to the provider.",
    "models.*.max_context_size": "Context window in tokens. kimi-cli does not bound it: 0 or a negative value loads, "
                                 "and then compaction fires on every step.",
    "models.*.capabilities": "Capabilities of the model; any value outside the four listed fails validation.",
    "models.*.display_name": "Human-readable model name.",
    "providers": "API providers keyed by name.",
    "providers.*.type": "Wire protocol. `google_genai` is a backward-compatible alias of `gemini`; names starting "
                        "with `_` are internal test providers. Any other value fails validation.",
    "providers.*.base_url": "API base URL (required; `KIMI_BASE_URL` / `OPENAI_BASE_URL` can replace it).",
    "providers.*.api_key": "API key (required, secret; `KIMI_API_KEY` / `OPENAI_API_KEY` can replace it).",
    "providers.*.env": "Variables copied into the process environment, only for `vertexai` and `_scripted_echo` "
                       "providers.",
    "providers.*.custom_headers": "Extra HTTP headers sent with every request.",
    "providers.*.reasoning_key": "`openai_legacy` only: message field carrying reasoning content; unset means "
                                "`reasoning_content`, `\"\"` disables reasoning round-tripping.",
    "providers.*.oauth": "OAuth credential reference.",
    "providers.*.oauth.storage": "Credential store that holds the tokens.",
    "providers.*.oauth.key": "Key of the credentials inside that store.",
    "loop_control": "Step and retry limits and the compaction trigger.",
    "loop_control.max_steps_per_turn": "Steps allowed in one turn (>= 1).",
    "loop_control.max_steps_per_run": "Old name of `max_steps_per_turn` (>= 1), still accepted as an alias.",
    "loop_control.max_retries_per_step": "Retries of a failing step (>= 1).",
    "loop_control.max_ralph_iterations": "Extra iterations after the first turn in Ralph mode (>= -1; -1 = unlimited).",
    "loop_control.reserved_context_size": "Tokens kept free for the reply (>= 1000): compaction fires when context + "
                                          "this reaches `max_context_size`. No guard: a reserve >= the window "
                                          "compacts every step.",
    "loop_control.compaction_trigger_ratio": "Window fraction (0.5..0.99) at which compaction fires, whichever of "
                                             "this and the reserve comes first.",
    "background": "Background task runtime.",
    "background.max_running_tasks": "Background tasks allowed to run at once (>= 1).",
    "background.read_max_bytes": "Bytes of task output returned per read (>= 1024).",
    "background.notification_tail_lines": "Output lines included in a completion notification (>= 1).",
    "background.notification_tail_chars": "Output characters included in a completion notification (>= 256).",
    "background.wait_poll_interval_ms": "Poll interval in milliseconds while waiting on a task (>= 50).",
    "background.worker_heartbeat_interval_ms": "Worker heartbeat interval in milliseconds (>= 100).",
    "background.worker_stale_after_ms": "Milliseconds without a heartbeat after which a worker is stale (>= 1000).",
    "background.kill_grace_period_ms": "Grace period in milliseconds before a terminated task is killed (>= 100).",
    "background.agent_task_timeout_s": "Maximum runtime in seconds of a background agent task (>= 60).",
    "background.print_wait_ceiling_s": "`--print` mode: ceiling in seconds for waiting on background tasks (>= 1).",
    "background.keep_alive_on_exit": "Keep background tasks alive when the CLI exits.",
    "notifications": "Notification runtime.",
    "notifications.claim_stale_after_ms": "Milliseconds after which an unacknowledged notification claim is stale "
                                          "(>= 1000).",
    "services": "Built-in external services.",
    "services.moonshot_search": "Endpoint of the web search tool.",
    "services.moonshot_fetch": "Endpoint of the web fetch tool.",
    "services.moonshot_search.base_url": "Service endpoint (required).",
    "services.moonshot_search.api_key": "Service API key (required, secret).",
    "services.moonshot_search.custom_headers": "Extra HTTP headers sent with every request.",
    "services.moonshot_search.oauth": "OAuth credential reference.",
    "mcp": "MCP settings.",
    "mcp.client": "MCP client tuning.",
    "mcp.client.tool_call_timeout_ms": "Timeout of one MCP tool call in milliseconds.",
    "hooks": "Lifecycle hooks.",
    "hooks.event": "Lifecycle event that runs the hook, e.g. `PreToolUse`.",
    "hooks.command": "Shell command to run; receives the event as JSON on stdin.",
    "hooks.matcher": "Regex that narrows the event; empty matches everything.",
    "hooks.timeout": "Timeout in seconds (1..600); the hook fails open on timeout.",
    "merge_all_available_skills": "Merge skills from every brand directory (kimi/claude/codex) instead of the "
                                  "first found.",
    "extra_skill_dirs": "Extra skill directories; missing paths are skipped.",
    "telemetry": "Anonymous telemetry.",
}


def _kimi_cli_shared_doc_path(path: str) -> str:
    """The two services share their docs, and every OAuth reference the provider's."""
    path = re.sub(r"^services\.moonshot_fetch", "services.moonshot_search", path)
    return re.sub(r"^services\.moonshot_\w+\.oauth\.", "providers.*.oauth.", path)


KimiCliConfig = _SchemaModels("KimiCli", _CLI_CLASS_NAMES, _CLI_CLASS_DOCS, _CLI_DOCS, _kimi_cli_shared_doc_path,
                              lax=kimi_cli_facts()["coercion"] == "pydantic-lax").build(kimi_cli_facts()["config"])
