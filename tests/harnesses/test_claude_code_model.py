"""The shipped Claude Code schema (`claude-code.schema.json`): Claude Code 2.1.329's own settings
schema (extracted into `cfglint/harnesses/claude_code/data/settings.json`) plus the documented keys of
`harness-claude-code.md` 3.1. Every expectation on a value below was checked against the 2.1.329
settings loader (load or not, key kept or dropped)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cfglint.generate import schemas as schemagen
from cfglint.harnesses.claude_code.facts import extracted

SCHEMA_PATH = schemagen.SCHEMA_DIR / schemagen.schema_filename("claude-code")

# harness-claude-code.md 3.1: the 151 documented top-level settings keys (docs of 2026-08-22).
DOCUMENTED_KEYS = {
    "advisorModel", "agent", "agentPushNotifEnabled", "allowAllClaudeAiMcps", "allowManagedHooksOnly",
    "allowManagedMcpServersOnly", "allowManagedPermissionRulesOnly", "allowedChannelPlugins",
    "allowedHttpHookUrls", "allowedMcpServers", "alwaysThinkingEnabled", "apiKeyHelper",
    "askUserQuestionTimeout", "attribution", "autoCompactEnabled", "autoCompactWindow", "autoConnectIde",
    "autoInstallIdeExtension", "autoMemoryDirectory", "autoMemoryEnabled", "autoMode", "autoScrollEnabled",
    "autoUpdatesChannel", "availableModels", "awaySummaryEnabled", "awsAuthRefresh", "awsCredentialExport",
    "axScreenReader", "blockedMarketplaces", "browserExternalPageTools", "channelsEnabled", "claudeMd",
    "claudeMdExcludes", "cleanupPeriodDays", "companyAnnouncements", "crossSessionInbound", "defaultShell",
    "deniedMcpServers", "dialogExpiry", "diffTool", "disableAgentView", "disableAllHooks", "disableArtifact",
    "disableAutoMode", "disableBrowserExternalNavigation", "disableBundledSkills",
    "disableClaudeAiConnectors", "disableCommandPluginSources", "disableDeepLinkRegistration",
    "disableMobileSimulatorTools", "disableRemoteControl", "disableSideloadFlags",
    "disableSkillShellExecution", "disableWorkflows", "disabledMcpjsonServers", "editorMode", "effortLevel",
    "emojiCompletionEnabled", "enableAllProjectMcpServers", "enableArtifact", "enableWorkflows",
    "enabledMcpjsonServers", "enabledPlugins", "enforceAvailableModels", "env", "externalEditorContext",
    "extraKnownMarketplaces", "fallbackModel", "fastMode", "fastModePerSessionOptIn", "feedbackSurveyRate",
    "fileCheckpointingEnabled", "fileSuggestion", "footerLinksRegexes", "forceLoginGatewayUrl",
    "forceLoginMethod", "forceLoginOrgUUID", "forceRemoteSettingsRefresh", "gcpAuthRefresh", "hooks",
    "httpHookAllowedEnvVars", "includeCoAuthoredBy", "includeGitInstructions", "inputNeededNotifEnabled",
    "isolatePeerMachines", "keybindingFlavor", "language", "minimumVersion", "model", "modelOverrides",
    "otelHeadersHelper", "outputStyle", "parentSettingsBehavior", "permissionExplainerEnabled",
    "permissions", "plansDirectory", "pluginConfigs", "pluginSuggestionMarketplaces", "pluginTrustMessage",
    "policyHelper", "prUrlTemplate", "preferredNotifChannel", "prefersReducedMotion", "processWrapper",
    "promptSuggestionEnabled", "remoteControlAtStartup", "requiredMaximumVersion", "requiredMinimumVersion",
    "respectGitignore", "respondToBashCommands", "sandbox", "showClearContextOnPlanAccept",
    "showThinkingSummaries", "showTurnDuration", "skillListingBudgetFraction", "skillListingMaxDescChars",
    "skillOverrides", "skipAutoPermissionPrompt", "skipDangerousModePermissionPrompt",
    "skipWebFetchPreflight", "spellcheck", "spinnerTipsEnabled", "spinnerTipsOverride", "spinnerVerbs",
    "sshConfigs", "sshHostAllowlist", "statusLine", "strictKnownMarketplaces",
    "strictPluginOnlyCustomization", "subagentStatusLine", "switchModelsOnFlag", "syncClaudeAiSkills",
    "syntaxHighlightingDisabled", "teammateDefaultModel", "teammateMode", "terminalProgressBarEnabled",
    "terminalTitleFromRename", "theme", "tui", "ultracode", "useAutoModeDuringPlan", "verbose", "viewMode",
    "vimInsertModeRemaps", "voice", "voiceEnabled", "wheelScrollAccelerationEnabled",
    "workflowKeywordTriggerEnabled", "workflowSizeGuideline", "worktree", "wslInheritsWindowsSettings",
}  # fmt: skip

FULL_SETTINGS: dict[str, Any] = {
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "model": "claude-sonnet-4-6",
    "env": {
        "ANTHROPIC_BASE_URL": "https://gateway.example.com",
        "CLAUDE_CODE_AUTO_COMPACT_WINDOW": "262144",
        "CLAUDE_CODE_MAX_OUTPUT_TOKENS": "32000",
        "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE": "80",
        "DISABLE_TELEMETRY": "1",
    },
    "permissions": {
        "allow": ["Bash(npm run *)", "Read(~/.zshrc)"],
        "deny": ["Read(./.env)"],
        "defaultMode": "acceptEdits",
    },
    "hooks": {
        "PreToolUse": [
            {"matcher": "Bash", "hooks": [{"type": "command", "command": "~/.claude/hooks/check.sh"}]},
        ],
    },
    "autoCompactEnabled": True,
    "autoCompactWindow": 500000,
    "modelSettings": {"claude-opus-4-6": {"autoCompactWindow": "auto", "effortLevel": "high"}},
    "effortLevel": "xhigh",
    "availableModels": ["sonnet", "haiku"],
    "modelOverrides": {"claude-opus-4-6": "arn:aws:bedrock:us-east-1:123456789012:inference-profile/example"},
    "statusLine": {"type": "command", "command": "~/.claude/statusline.sh", "padding": 2},
    "enabledPlugins": {"formatter@team-tools": True},
    "attribution": {"commit": "", "pr": ""},
    "cleanupPeriodDays": 20,
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema)


def settings_with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """FULL_SETTINGS with the value at `path` replaced (or added)."""
    settings = copy.deepcopy(FULL_SETTINGS)
    parent = settings
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return settings


def errors(validator: Draft202012Validator, instance: Any) -> list[tuple[tuple[Any, ...], str]]:
    return sorted(
        (tuple(error.absolute_path), error.validator) for error in validator.iter_errors(instance)
    )


def test_shipped_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schemagen.render(schemagen.build_schema("claude-code"))


def test_schema_is_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)


def test_top_level_keys_are_the_harness_keys_and_the_documented_ones(schema: dict[str, Any]) -> None:
    harness_keys = set(extracted()["settings_schema"]["properties"])
    assert len(DOCUMENTED_KEYS) == 151
    assert set(schema["properties"]) == harness_keys | DOCUMENTED_KEYS
    # errata: keys of 2.1.329 the fact sheet missed (autoDreamEnabled: #86209; written by Claude Code: #75913)
    assert {"autoDreamEnabled", "skipWorkflowUsageWarning", "modelSettings", "$schema"} <= harness_keys


def test_the_top_level_is_open(schema: dict[str, Any], validator: Draft202012Validator) -> None:
    """2.1.329 passes unknown top-level keys through: the unit reports them (SCH002), not the schema."""
    assert schema["additionalProperties"] is True
    assert errors(validator, settings_with(("statusline",), {})) == []


def test_realistic_full_settings_are_valid(validator: Draft202012Validator) -> None:
    assert errors(validator, FULL_SETTINGS) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("env",), ["DISABLE_TELEMETRY=1"], (("env",), "type")),
        (("autoCompactWindow",), 50000, (("autoCompactWindow",), "minimum")),
        (("autoCompactWindow",), "500k", (("autoCompactWindow",), "type")),
        (("autoCompactWindow",), 250000.5, (("autoCompactWindow",), "type")),
        (("autoCompactEnabled",), "false", (("autoCompactEnabled",), "type")),
        (("effortLevel",), "extreme", (("effortLevel",), "enum")),
        (("model",), 4, (("model",), "type")),
        (("availableModels",), "sonnet", (("availableModels",), "type")),
        (("modelOverrides", "claude-opus-4-6"), 1, (("modelOverrides", "claude-opus-4-6"), "type")),
        (
            ("modelSettings", "claude-opus-4-6", "autoCompactWindow"),
            99999,
            (("modelSettings", "claude-opus-4-6", "autoCompactWindow"), "anyOf"),
        ),
        # nested shapes
        (("permissions", "defaultMode"), "yolo", (("permissions", "defaultMode"), "enum")),
        (("permissions", "allow"), "Bash(ls)", (("permissions", "allow"), "type")),
        (("permissions", "mode"), "plan", (("permissions",), "additionalProperties")),
        (("statusLine",), {"type": "command"}, (("statusLine",), "required")),
        (("statusLine", "type"), "static", (("statusLine", "type"), "const")),
        (("hooks", "PreToolUse"), {"hooks": []}, (("hooks", "PreToolUse"), "type")),
        (("hooks", "PreToolUse", 0, "hooks", 0, "timeout"), 0, (("hooks", "PreToolUse", 0, "hooks", 0), "oneOf")),
        (("sandbox",), {"enabled": "yes"}, (("sandbox", "enabled"), "type")),
        (("enabledPlugins", "formatter@team-tools"), "on", (("enabledPlugins", "formatter@team-tools"), "anyOf")),
        (("cleanupPeriodDays",), -1, (("cleanupPeriodDays",), "exclusiveMinimum")),
    ],
)
def test_schema_violation_is_reported_at_its_path(
    validator: Draft202012Validator, path: tuple[Any, ...], value: Any, expected: tuple[tuple[Any, ...], str]
) -> None:
    assert errors(validator, settings_with(path, value)) == [expected]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("autoCompactWindow",), 100000),
        (("autoCompactWindow",), 2000000),  # 2.1.329: no upper clamp other than the model window
        (("modelSettings", "claude-opus-4-6", "autoCompactWindow"), 262144),
        (("env", "CLAUDE_CODE_AUTO_COMPACT_WINDOW"), ""),
        (("env", "DISABLE_TELEMETRY"), 1),  # loaded as "1" (the unit warns)
        (("effortLevel",), "high"),
        (("attribution",), False),
        (("attribution",), True),
        (("fallbackModel",), ["claude-sonnet-5", "claude-haiku-4-5"]),
        (("strictPluginOnlyCustomization",), True),
        (("strictPluginOnlyCustomization",), ["skills", "hooks"]),
        (("disableDeepLinkRegistration",), "disable"),
        (("spinnerVerbs",), {"mode": "append", "verbs": ["Pondering"]}),
        (("sandbox",), {"enabled": True, "network": {"allowedDomains": ["github.com"]}}),
        (("permissions", "defaultMode"), "manual"),  # an alias 2.1.329 turns into "default"
        (("permissions", "additionalDirectories"), ["../shared"]),
        (("hooks", "Stop"), [{"hooks": [{"type": "prompt", "prompt": "done?"}]}]),
        (("hooks", "Stop"), [{"hooks": [{"type": "http", "url": "https://hooks.example.com"}]}]),
        (("hooks", "SessionStart"), [{"matcher": "", "hooks": [{"type": "command", "command": "x", "async": True}]}]),
        (("enabledPlugins", "formatter@team-tools"), ["1.0.0"]),
        (("_comment",), "any value"),
        (("autoDreamEnabled",), True),
        (("skipWorkflowUsageWarning",), True),
        (("autoConnectIde",), True),  # documented, read from ~/.claude.json
    ],
)
def test_harness_accepted_value_is_valid(
    validator: Draft202012Validator, path: tuple[Any, ...], value: Any
) -> None:
    assert errors(validator, settings_with(path, value)) == []


def test_deprecated_keys_are_marked(schema: dict[str, Any]) -> None:
    deprecated = {key for key, prop in schema["properties"].items() if prop.get("deprecated")}
    assert deprecated == {
        "disableArtifact", "includeCoAuthoredBy", "keybindingFlavor", "permissionExplainerEnabled",
        "teammateDefaultModel", "voiceEnabled",
    }  # fmt: skip


def test_every_top_level_property_has_a_description(schema: dict[str, Any]) -> None:
    assert [key for key, prop in schema["properties"].items() if not prop.get("description")] == []


def test_extracted_facts_name_the_package() -> None:
    packages = {(a["package"], a["version"]) for a in extracted()["artifacts"]}
    assert ("@anthropic-ai/claude-code-linux-x64", "2.1.329") in packages
