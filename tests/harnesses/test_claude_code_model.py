"""The shipped Claude Code schema (`claude-code.schema.json`) against `harness-claude-code.md` 3 and 5.0."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from cfglint import schemagen

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


def settings_with(path: tuple[str, ...], value: Any) -> dict[str, Any]:
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


def test_top_level_keys_are_the_documented_ones(schema: dict[str, Any]) -> None:
    assert len(DOCUMENTED_KEYS) == 151
    assert set(schema["properties"]) == DOCUMENTED_KEYS | {"$schema", "modelSettings"}


def test_unknown_top_level_key_is_a_warning(schema: dict[str, Any], validator: Draft202012Validator) -> None:
    """The docs do not say Claude Code rejects unknown keys: SCH002 at its default severity."""
    assert schema["additionalProperties"] is False
    assert "x-cfglint-unknown-keys" not in schema
    assert errors(validator, settings_with(("statusline",), {})) == [((), "additionalProperties")]


def test_realistic_full_settings_are_valid(validator: Draft202012Validator) -> None:
    assert errors(validator, FULL_SETTINGS) == []


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("env", "CLAUDE_CODE_MAX_OUTPUT_TOKENS"), 32000, (("env", "CLAUDE_CODE_MAX_OUTPUT_TOKENS"), "type")),
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
    ],
)
def test_schema_violation_is_reported_at_its_path(
    validator: Draft202012Validator, path: tuple[str, ...], value: Any, expected: tuple[tuple[str, ...], str]
) -> None:
    assert errors(validator, settings_with(path, value)) == [expected]


def test_disable_switch_takes_only_the_string_disable(validator: Draft202012Validator) -> None:
    """A boolean breaks both the literal and its type: one error per keyword, both at the key."""
    assert errors(validator, settings_with(("disableAutoMode",), True)) == [
        (("disableAutoMode",), "const"),
        (("disableAutoMode",), "type"),
    ]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("autoCompactWindow",), 100000),
        (("autoCompactWindow",), 2000000),  # 2.1.329: no upper clamp other than the model window
        (("modelSettings", "claude-opus-4-6", "autoCompactWindow"), 262144),
        (("env", "CLAUDE_CODE_AUTO_COMPACT_WINDOW"), ""),
        (("effortLevel",), "auto"),
        (("attribution",), False),
        (("fallbackModel",), ["claude-sonnet-5", "claude-haiku-4-5"]),
        (("fallbackModel",), "claude-haiku-4-5"),
        (("forceLoginOrgUUID",), ["xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"]),
        (("strictPluginOnlyCustomization",), True),
        (("strictPluginOnlyCustomization",), ["skills", "hooks"]),
        (("disableDeepLinkRegistration",), "disable"),
        (("allowedChannelPlugins",), ["telegram@claude-plugins-official", {"marketplace": "m", "plugin": "t"}]),
        (("spinnerVerbs",), {"mode": "append", "verbs": ["Pondering"]}),
        (("teammateDefaultModel",), None),
        (("sandbox",), {"enabled": True, "network": {"allowedDomains": ["github.com"]}}),
    ],
)
def test_documented_value_is_valid(
    validator: Draft202012Validator, path: tuple[str, ...], value: Any
) -> None:
    assert errors(validator, settings_with(path, value)) == []


def test_harness_default_is_recorded(schema: dict[str, Any]) -> None:
    assert schema["properties"]["autoCompactEnabled"]["default"] is True


def test_deprecated_keys_are_marked(schema: dict[str, Any]) -> None:
    deprecated = {key for key, prop in schema["properties"].items() if prop.get("deprecated")}
    assert deprecated == {
        "disableArtifact", "includeCoAuthoredBy", "keybindingFlavor", "permissionExplainerEnabled",
        "teammateDefaultModel", "voiceEnabled",
    }  # fmt: skip


def test_every_property_has_a_description(schema: dict[str, Any]) -> None:
    objects = [schema, *schema["$defs"].values()]
    undocumented = [
        (obj["title"], key) for obj in objects for key, prop in obj.get("properties", {}).items()
        if not prop.get("description")
    ]  # fmt: skip
    assert undocumented == []
