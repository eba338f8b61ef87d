"""Schema model of Claude Code settings files (`.claude/settings.json`, dialect `claude-code`).

Target: Claude Code 2.1.329. The top level knows the 151 documented keys of
`harness-claude-code.md` 3.1 plus `$schema` and `modelSettings` (5.0). The docs do
not say that Claude Code rejects unknown keys, so they are warnings (`Closed`,
default severity). The budget keys are typed precisely; the others take the type
the settings reference gives, left loose where it changed between releases, and
objects the fact sheet does not describe accept any key.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from cfglint.harnesses.modeling import Closed, Open

JsonObject = dict[str, Any]
"""An object whose inner keys the fact sheet does not describe: any key passes."""

AutoCompactWindow = Annotated[int, Field(ge=100_000)]
"""Tokens, >= 100,000; 2.1.329 has no upper bound other than the model's window."""

DisableSwitch = Literal["disable"]
"""Switches documented as taking only the string "disable"."""


class ModelSettings(Open):
    """Per-model settings under `modelSettings.<canonical model id>`.

    Only the window matters to the budget; other per-model keys (such as the saved
    effort level) pass unchecked.
    """

    autoCompactWindow: AutoCompactWindow | Literal["auto"] | SkipJsonSchema[None] = None
    """Window for this model (>= 100,000, or "auto" for the default); beats top-level `autoCompactWindow`."""


class ClaudeCodeSettings(Closed):
    """Claude Code settings file: the documented top-level keys."""

    schema_url: str | SkipJsonSchema[None] = Field(None, alias="$schema")
    """JSON Schema URL for editors; accepted in every settings file."""
    advisorModel: str | SkipJsonSchema[None] = None
    """Model that answers advisor-tool calls (alias or full id); unset turns the advisor off."""
    agent: str | SkipJsonSchema[None] = None
    """Named subagent the main thread runs as."""
    agentPushNotifEnabled: bool | SkipJsonSchema[None] = None
    """Let Claude send push notifications while Remote Control is connected."""
    allowAllClaudeAiMcps: bool | SkipJsonSchema[None] = None
    """Load claude.ai connectors alongside a managed-mcp.json (managed)."""
    allowManagedHooksOnly: bool | SkipJsonSchema[None] = None
    """Run only hooks from managed settings (managed)."""
    allowManagedMcpServersOnly: bool | SkipJsonSchema[None] = None
    """Read `allowedMcpServers` from managed settings only (managed)."""
    allowManagedPermissionRulesOnly: bool | SkipJsonSchema[None] = None
    """Take permission rules from managed settings only (managed)."""
    allowedChannelPlugins: list[JsonObject | str] | SkipJsonSchema[None] = None
    """Channel plugins allowed to push messages: `{marketplace, plugin}` or "plugin@marketplace" (managed)."""
    allowedHttpHookUrls: list[str] | SkipJsonSchema[None] = None
    """URL patterns HTTP hooks may target."""
    allowedMcpServers: list[JsonObject] | SkipJsonSchema[None] = None
    """MCP server allowlist: `serverName`, `serverCommand` or `serverUrl` entries."""
    alwaysThinkingEnabled: bool | SkipJsonSchema[None] = None
    """`false` turns extended thinking off for every session."""
    apiKeyHelper: str | SkipJsonSchema[None] = None
    """Shell command that prints the API credential."""
    askUserQuestionTimeout: str | SkipJsonSchema[None] = None
    """Idle time before an unanswered question continues: "60s", "5m", "10m" or "never"."""
    attribution: JsonObject | Literal[False] | SkipJsonSchema[None] = None
    """Commit and PR attribution (`commit`, `pr`, `sessionUrl`), or `false` to hide it all."""
    autoCompactEnabled: bool = True
    """Compact automatically near the context limit; DISABLE_AUTO_COMPACT also turns it off and wins."""
    autoCompactWindow: AutoCompactWindow | SkipJsonSchema[None] = None
    """Auto-compact window in tokens, >= 100,000. The docs give 100,000-1,000,000, but 2.1.329 clamps only
    at the model's window, so the schema enforces the minimum alone. CLAUDE_CODE_AUTO_COMPACT_WINDOW and
    --autocompact win over it."""
    autoConnectIde: bool | SkipJsonSchema[None] = None
    """Connect to a running IDE from an external terminal (read from ~/.claude.json only)."""
    autoInstallIdeExtension: bool | SkipJsonSchema[None] = None
    """Install the IDE extension from a VS Code terminal (read from ~/.claude.json only)."""
    autoMemoryDirectory: str | SkipJsonSchema[None] = None
    """Directory for auto memory."""
    autoMemoryEnabled: bool | SkipJsonSchema[None] = None
    """Read and write auto memory."""
    autoMode: JsonObject | SkipJsonSchema[None] = None
    """Rules for the auto-mode classifier."""
    autoScrollEnabled: bool | SkipJsonSchema[None] = None
    """Follow new output in fullscreen rendering."""
    autoUpdatesChannel: str | SkipJsonSchema[None] = None
    """Release channel for updates: "latest" or "stable"."""
    availableModels: list[str] | SkipJsonSchema[None] = None
    """Models people may select (aliases or ids)."""
    awaySummaryEnabled: bool | SkipJsonSchema[None] = None
    """Show a session recap after time away."""
    awsAuthRefresh: str | SkipJsonSchema[None] = None
    """Shell command that refreshes Bedrock credentials in ~/.aws."""
    awsCredentialExport: str | SkipJsonSchema[None] = None
    """Shell command that prints Bedrock credentials as JSON."""
    axScreenReader: bool | SkipJsonSchema[None] = None
    """Screen-reader friendly output."""
    blockedMarketplaces: list[JsonObject] | SkipJsonSchema[None] = None
    """Plugin marketplace sources to block (managed)."""
    browserExternalPageTools: str | SkipJsonSchema[None] = None
    """Keep Claude's tools off external pages in the desktop Browser pane with "disabled" (managed)."""
    channelsEnabled: bool | SkipJsonSchema[None] = None
    """Allow channels for the organization (managed)."""
    claudeMd: str | SkipJsonSchema[None] = None
    """CLAUDE.md text injected as managed memory (managed)."""
    claudeMdExcludes: list[str] | SkipJsonSchema[None] = None
    """CLAUDE.md files to skip (globs or absolute paths)."""
    cleanupPeriodDays: int | SkipJsonSchema[None] = None
    """Days to keep session transcripts."""
    companyAnnouncements: list[str] | SkipJsonSchema[None] = None
    """Announcements shown at startup."""
    crossSessionInbound: str | SkipJsonSchema[None] = None
    """Messages from other sessions: "accept", "hold" or "refuse"."""
    defaultShell: str | SkipJsonSchema[None] = None
    """Shell for `!` commands: "bash" or "powershell"."""
    deniedMcpServers: list[JsonObject] | SkipJsonSchema[None] = None
    """MCP server denylist: `serverName`, `serverCommand` or `serverUrl` entries."""
    dialogExpiry: str | SkipJsonSchema[None] = None
    """Deadline for forwarded dialogs: "60s", "5m", "10m" or "never"."""
    diffTool: str | SkipJsonSchema[None] = None
    """Where proposed diffs open: "auto" or "terminal" (read from ~/.claude.json only)."""
    disableAgentView: bool | SkipJsonSchema[None] = None
    """Turn off background agents and agent view."""
    disableAllHooks: bool | SkipJsonSchema[None] = None
    """Turn off hooks, the custom status line and the custom file suggestion."""
    disableArtifact: bool | SkipJsonSchema[None] = Field(None, deprecated="use `enableArtifact`")
    """Deprecated: `true` turns the Artifact tool off."""
    disableAutoMode: DisableSwitch | SkipJsonSchema[None] = None
    """The string "disable" removes auto mode from the permission mode cycle."""
    disableBrowserExternalNavigation: bool | SkipJsonSchema[None] = None
    """Limit the desktop Browser pane to localhost (managed)."""
    disableBundledSkills: bool | SkipJsonSchema[None] = None
    """Turn off the bundled skills and workflows."""
    disableClaudeAiConnectors: bool | SkipJsonSchema[None] = None
    """Turn off claude.ai MCP connectors."""
    disableCommandPluginSources: bool | SkipJsonSchema[None] = None
    """Block plugins installed by a marketplace-declared command (managed)."""
    disableDeepLinkRegistration: DisableSwitch | SkipJsonSchema[None] = None
    """The string "disable" stops registration of the claude-cli:// handler."""
    disableMobileSimulatorTools: bool | SkipJsonSchema[None] = None
    """Block Claude's tools in the desktop iOS Simulator pane (managed)."""
    disableRemoteControl: bool | SkipJsonSchema[None] = None
    """Turn off Remote Control."""
    disableSideloadFlags: bool | SkipJsonSchema[None] = None
    """Reject the CLI flags that sideload plugins, agents and MCP servers (managed)."""
    disableSkillShellExecution: bool | SkipJsonSchema[None] = None
    """Stop skills and custom commands from running inline shell."""
    disableWorkflows: bool | SkipJsonSchema[None] = None
    """Turn dynamic workflows off for everyone the file reaches."""
    disabledMcpjsonServers: list[str] | SkipJsonSchema[None] = None
    """.mcp.json servers to reject."""
    editorMode: str | SkipJsonSchema[None] = None
    """Prompt key bindings: "normal" or "vim"."""
    effortLevel: Literal["low", "medium", "high", "xhigh", "max", "auto"] | SkipJsonSchema[None] = None
    """Default effort level; CLAUDE_CODE_EFFORT_LEVEL and --effort win over it."""
    emojiCompletionEnabled: bool | SkipJsonSchema[None] = None
    """Emoji shortcode suggestions in the prompt."""
    enableAllProjectMcpServers: bool | SkipJsonSchema[None] = None
    """Approve every .mcp.json server without a prompt."""
    enableArtifact: bool | SkipJsonSchema[None] = None
    """`false` turns the Artifact tool off."""
    enableWorkflows: bool | SkipJsonSchema[None] = None
    """Turn dynamic workflows on or off for yourself."""
    enabledMcpjsonServers: list[str] | SkipJsonSchema[None] = None
    """.mcp.json servers to approve."""
    enabledPlugins: JsonObject | SkipJsonSchema[None] = None
    """Plugins on or off, keyed by "plugin@marketplace"."""
    enforceAvailableModels: bool | SkipJsonSchema[None] = None
    """Make the Default model respect `availableModels`."""
    env: dict[str, str] | SkipJsonSchema[None] = None
    """Environment variables for every session, overriding the shell's; values must be strings
    (a JSON number is invalid)."""
    externalEditorContext: bool | SkipJsonSchema[None] = None
    """Show the last response in the external editor (read from ~/.claude.json, ignored in settings.json)."""
    extraKnownMarketplaces: JsonObject | SkipJsonSchema[None] = None
    """Plugin marketplaces to register, by name."""
    fallbackModel: str | list[str] | SkipJsonSchema[None] = None
    """Backup model chain for an overloaded primary model (current docs: an array)."""
    fastMode: bool | SkipJsonSchema[None] = None
    """Fast mode on where available."""
    fastModePerSessionOptIn: bool | SkipJsonSchema[None] = None
    """Require `/fast` in each session."""
    feedbackSurveyRate: float | SkipJsonSchema[None] = None
    """Probability (0-1) of the session quality survey."""
    fileCheckpointingEnabled: bool | SkipJsonSchema[None] = None
    """Snapshot files before edits for /rewind."""
    fileSuggestion: JsonObject | SkipJsonSchema[None] = None
    """Command that supplies `@` file suggestions."""
    footerLinksRegexes: list[JsonObject] | SkipJsonSchema[None] = None
    """Regex-to-link footer badges."""
    forceLoginGatewayUrl: str | SkipJsonSchema[None] = None
    """Cloud gateway URL for /login (managed)."""
    forceLoginMethod: str | SkipJsonSchema[None] = None
    """Allowed login kind: "claudeai", "console" or "gateway"."""
    forceLoginOrgUUID: str | list[str] | SkipJsonSchema[None] = None
    """Organization UUID, or several, that logins must belong to."""
    forceRemoteSettingsRefresh: bool | SkipJsonSchema[None] = None
    """Block startup until server-managed settings are fetched (managed)."""
    gcpAuthRefresh: str | SkipJsonSchema[None] = None
    """Shell command that refreshes Google Cloud credentials."""
    hooks: JsonObject | SkipJsonSchema[None] = None
    """Hooks by event."""
    httpHookAllowedEnvVars: list[str] | SkipJsonSchema[None] = None
    """Environment variables HTTP hooks may put into headers."""
    includeCoAuthoredBy: bool | SkipJsonSchema[None] = Field(None, deprecated="use `attribution`")
    """Deprecated: `false` omits the co-author trailer and PR attribution."""
    includeGitInstructions: bool | SkipJsonSchema[None] = None
    """Include the built-in git instructions and status snapshot."""
    inputNeededNotifEnabled: bool | SkipJsonSchema[None] = None
    """Push notification when input is needed."""
    isolatePeerMachines: bool | SkipJsonSchema[None] = None
    """Ask before messages reach sessions on other machines."""
    keybindingFlavor: str | SkipJsonSchema[None] = Field(None, deprecated="no effect; no replacement")
    """Deprecated word-editing key style ("classic" or "readline")."""
    language: str | SkipJsonSchema[None] = None
    """Language Claude responds in."""
    minimumVersion: str | SkipJsonSchema[None] = None
    """Lowest version updates may install."""
    model: str | SkipJsonSchema[None] = None
    """Model for new sessions: an alias (default, best, sonnet, opus, haiku, sonnet[1m], opus[1m],
    opusplan, fable) or a full id. ANTHROPIC_MODEL, --model and /model win over it."""
    modelOverrides: dict[str, str] | SkipJsonSchema[None] = None
    """Anthropic model id -> provider model id; maps a custom id onto a recognised one."""
    modelSettings: dict[str, ModelSettings] | SkipJsonSchema[None] = None
    """Per-model settings keyed by canonical model id (2.1.329)."""
    otelHeadersHelper: str | SkipJsonSchema[None] = None
    """Command that prints OpenTelemetry headers."""
    outputStyle: str | SkipJsonSchema[None] = None
    """Output style name."""
    parentSettingsBehavior: str | SkipJsonSchema[None] = None
    """Host-supplied managed settings: "first-wins" or "merge" (managed)."""
    permissionExplainerEnabled: bool | SkipJsonSchema[None] = Field(None, deprecated="removed; no effect")
    """Removed command explanation shortcut (read from ~/.claude.json)."""
    permissions: JsonObject | SkipJsonSchema[None] = None
    """Permission rules (`allow`, `ask`, `deny`, ...) and the default mode."""
    plansDirectory: str | SkipJsonSchema[None] = None
    """Where plan files are stored."""
    pluginConfigs: JsonObject | SkipJsonSchema[None] = None
    """Plugin option values, keyed by plugin id."""
    pluginSuggestionMarketplaces: list[str] | SkipJsonSchema[None] = None
    """Marketplaces whose plugins may be suggested (managed)."""
    pluginTrustMessage: str | SkipJsonSchema[None] = None
    """Text added to the plugin trust warning (managed)."""
    policyHelper: JsonObject | SkipJsonSchema[None] = None
    """Executable that computes managed settings (managed)."""
    prUrlTemplate: str | SkipJsonSchema[None] = None
    """URL template for rendered PR links."""
    preferredNotifChannel: str | SkipJsonSchema[None] = None
    """How local notifications are sent."""
    prefersReducedMotion: bool | SkipJsonSchema[None] = None
    """Reduce interface animations."""
    processWrapper: str | SkipJsonSchema[None] = None
    """Launcher command placed before background processes."""
    promptSuggestionEnabled: bool | SkipJsonSchema[None] = None
    """Show prompt suggestions."""
    remoteControlAtStartup: bool | SkipJsonSchema[None] = None
    """Connect Remote Control when a session starts."""
    requiredMaximumVersion: str | SkipJsonSchema[None] = None
    """Newest version allowed to start (managed)."""
    requiredMinimumVersion: str | SkipJsonSchema[None] = None
    """Oldest version allowed to start (managed)."""
    respectGitignore: bool | SkipJsonSchema[None] = None
    """Leave gitignored files out of the `@` picker."""
    respondToBashCommands: bool | SkipJsonSchema[None] = None
    """Reply after `!` shell commands."""
    sandbox: JsonObject | SkipJsonSchema[None] = None
    """Sandbox for Bash commands."""
    showClearContextOnPlanAccept: bool | SkipJsonSchema[None] = None
    """Offer "clear context" when accepting a plan."""
    showThinkingSummaries: bool | SkipJsonSchema[None] = None
    """Show full thinking summaries."""
    showTurnDuration: bool | SkipJsonSchema[None] = None
    """Show the turn duration message."""
    skillListingBudgetFraction: float | SkipJsonSchema[None] = None
    """Share of the context window for the skill listing."""
    skillListingMaxDescChars: int | SkipJsonSchema[None] = None
    """Characters of each skill description in the listing."""
    skillOverrides: dict[str, str] | SkipJsonSchema[None] = None
    """Skill visibility by skill name."""
    skipAutoPermissionPrompt: bool | SkipJsonSchema[None] = None
    """Skip the one-time auto-mode notice."""
    skipDangerousModePermissionPrompt: bool | SkipJsonSchema[None] = None
    """Skip the bypassPermissions confirmation."""
    skipWebFetchPreflight: bool | SkipJsonSchema[None] = None
    """Skip the WebFetch domain safety check."""
    spellcheck: JsonObject | SkipJsonSchema[None] = None
    """Spell checking in the prompt input."""
    spinnerTipsEnabled: bool | SkipJsonSchema[None] = None
    """Show spinner tips."""
    spinnerTipsOverride: JsonObject | SkipJsonSchema[None] = None
    """Custom spinner tips."""
    spinnerVerbs: JsonObject | SkipJsonSchema[None] = None
    """Custom spinner verbs (`mode`, `verbs`)."""
    sshConfigs: list[JsonObject] | SkipJsonSchema[None] = None
    """SSH connections for the desktop app."""
    sshHostAllowlist: list[str] | SkipJsonSchema[None] = None
    """Hosts desktop SSH sessions may reach (managed)."""
    statusLine: JsonObject | SkipJsonSchema[None] = None
    """Custom status line command."""
    strictKnownMarketplaces: list[JsonObject] | SkipJsonSchema[None] = None
    """Marketplace source allowlist (managed)."""
    strictPluginOnlyCustomization: bool | list[str] | SkipJsonSchema[None] = None
    """`true`, or the surfaces ("skills", "agents", "hooks", "mcp") locked to plugin and managed sources."""
    subagentStatusLine: JsonObject | SkipJsonSchema[None] = None
    """Custom subagent status rows."""
    switchModelsOnFlag: bool | SkipJsonSchema[None] = None
    """Switch to the fallback model when a request is flagged."""
    syncClaudeAiSkills: bool | SkipJsonSchema[None] = None
    """`false` stops syncing claude.ai skills."""
    syntaxHighlightingDisabled: bool | SkipJsonSchema[None] = None
    """Turn off syntax highlighting."""
    teammateDefaultModel: str | None = Field(None, deprecated="removed; no effect")
    """Removed default model for agent-team teammates (read from ~/.claude.json)."""
    teammateMode: str | SkipJsonSchema[None] = None
    """Where agent-team teammates are shown."""
    terminalProgressBarEnabled: bool | SkipJsonSchema[None] = None
    """Report progress to the terminal."""
    terminalTitleFromRename: bool | SkipJsonSchema[None] = None
    """Use the session name as the tab title."""
    theme: str | SkipJsonSchema[None] = None
    """Colour theme."""
    tui: str | SkipJsonSchema[None] = None
    """Terminal renderer: "default" or "fullscreen"."""
    ultracode: bool | SkipJsonSchema[None] = None
    """Start sessions with ultracode on."""
    useAutoModeDuringPlan: bool | SkipJsonSchema[None] = None
    """Let the auto-mode classifier review commands in plan mode."""
    verbose: bool | SkipJsonSchema[None] = None
    """Show full tool output."""
    viewMode: str | SkipJsonSchema[None] = None
    """Starting transcript view: "default", "verbose" or "focus"."""
    vimInsertModeRemaps: dict[str, str] | SkipJsonSchema[None] = None
    """Two-key INSERT-mode sequences mapped to "<Esc>"."""
    voice: JsonObject | SkipJsonSchema[None] = None
    """Voice dictation (`enabled`, `mode`, `autoSubmit`)."""
    voiceEnabled: bool | SkipJsonSchema[None] = Field(None, deprecated="use `voice`")
    """Deprecated single switch for voice dictation."""
    wheelScrollAccelerationEnabled: bool | SkipJsonSchema[None] = None
    """Accelerate mouse-wheel scrolling."""
    workflowKeywordTriggerEnabled: bool | SkipJsonSchema[None] = None
    """Let the word "ultracode" start a workflow."""
    workflowSizeGuideline: str | SkipJsonSchema[None] = None
    """Agent count Claude aims for in workflows."""
    worktree: JsonObject | SkipJsonSchema[None] = None
    """Git worktree settings."""
    wslInheritsWindowsSettings: bool | SkipJsonSchema[None] = None
    """WSL reads managed settings from the Windows policy chain (managed)."""
