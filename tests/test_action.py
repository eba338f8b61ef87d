"""The GitHub Action (`action.yml`): structure, and what its shell steps really run.

The steps' scripts are run with bash against a stub `cfglint` that records its
arguments, so the way inputs become arguments (split on whitespace, never
evaluated) is tested without GitHub.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO

ACTION = REPO / "action.yml"


@pytest.fixture(scope="module")
def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _step(action: dict, name: str) -> dict:
    (step,) = [s for s in action["runs"]["steps"] if s.get("name") == name]
    return step


def test_is_a_composite_action_with_metadata(action):
    assert action["name"] == "cfglint"
    assert action["description"]
    assert action["runs"]["using"] == "composite"
    assert set(action["branding"]) == {"icon", "color"}


def test_inputs_and_defaults(action):
    inputs = action["inputs"]
    assert set(inputs) == {"paths", "args", "version", "python-version"}
    assert {name: spec.get("default") for name, spec in inputs.items()} == {
        "paths": ".", "args": "", "version": "", "python-version": "3.12",
    }
    assert all(spec["description"].strip() and spec.get("required") is False for spec in inputs.values())


def test_sets_up_python_with_the_requested_version(action):
    (setup,) = [s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    assert action["runs"]["steps"].index(setup) == 0


def test_every_run_step_declares_its_shell(action):
    """Composite actions require `shell` on every `run` step."""
    assert all(step.get("shell") == "bash" for step in action["runs"]["steps"] if "run" in step)


def test_inputs_reach_scripts_only_through_the_environment(action):
    """No `${{ ... }}` inside a script: an input can never become shell code."""
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


def test_check_step_runs_cfglint_check_with_github_annotations(action):
    step = _step(action, "cfglint check")
    assert re.search(r"^cfglint check --output-format github ", step["run"], flags=re.MULTILINE)
    assert step["env"] == {"CFGLINT_ARGS": "${{ inputs.args }}", "CFGLINT_PATHS": "${{ inputs.paths }}"}


def test_install_step_uses_the_version_or_the_action_checkout(action):
    step = _step(action, "Install cfglint")
    assert step["env"] == {
        "CFGLINT_VERSION": "${{ inputs.version }}",
        "CFGLINT_ACTION_PATH": "${{ github.action_path }}",
    }
    assert '"cfglint==$CFGLINT_VERSION"' in step["run"]
    assert '"$CFGLINT_ACTION_PATH"' in step["run"]


# --- running the scripts ------------------------------------------------------------------------

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _run_step(tmp_path: Path, script: str, env: dict[str, str]) -> list[list[str]]:
    """Run a step's script with bash (as GitHub does: `bash -e`) with stub `cfglint` and `python`.

    Returns the argument lists the stubs were called with.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "calls"
    for tool in ("cfglint", "python"):
        stub = bin_dir / tool
        stub.write_text(
            "#!/usr/bin/env bash\n"
            f"{{ printf '%s' '{tool}'; for a in \"$@\"; do printf '\\x1f%s' \"$a\"; done; printf '\\n'; }}"
            f' >> "{log}"\n',
            encoding="utf-8",
        )
        stub.chmod(0o755)
    full_env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", **env}
    subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                   cwd=tmp_path, env=full_env, check=True, timeout=60)
    return [line.split("\x1f") for line in log.read_text(encoding="utf-8").splitlines()]


@needs_bash
@pytest.mark.parametrize(("args", "paths", "expected"), [
    ("", ".", ["."]),
    ("--fail-on warning --ignore REG001", ".", ["--fail-on", "warning", "--ignore", "REG001", "."]),
    ("", "configs/kilo.jsonc\n.claude/\n", ["configs/kilo.jsonc", ".claude/"]),
    ("--select SCH", "a b", ["--select", "SCH", "a", "b"]),
    ("", "", []),
    # Never evaluated: no command substitution, no globbing, no command separators.
    ("$(touch pwned) ; touch pwned2", "*", ["$(touch", "pwned)", ";", "touch", "pwned2", "*"]),
])
def test_check_step_splits_inputs_into_arguments(action, tmp_path, args, paths, expected):
    calls = _run_step(tmp_path, _step(action, "cfglint check")["run"],
                      {"CFGLINT_ARGS": args, "CFGLINT_PATHS": paths})
    assert calls == [["cfglint", "check", "--output-format", "github", *expected]]
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "pwned2").exists()


@needs_bash
@pytest.mark.parametrize(("version", "installed"), [("0.1.0", "cfglint==0.1.0"), ("", "/actions/cfglint")])
def test_install_step_installs_the_version_or_the_checkout(action, tmp_path, version, installed):
    calls = _run_step(tmp_path, _step(action, "Install cfglint")["run"],
                      {"CFGLINT_VERSION": version, "CFGLINT_ACTION_PATH": "/actions/cfglint"})
    assert calls[0][:4] == ["python", "-m", "pip", "install"] and calls[0][-1] == installed
    assert calls[1] == ["cfglint", "--version"]


# --- the README's workflows ---------------------------------------------------------------------


def _readme_workflows() -> list[dict]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Use it in CI")
    section = text[start:text.index("\n## ", start + 1)]
    blocks = re.findall(r"^```yaml\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)
    return [yaml.safe_load(block) for block in blocks]


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_readme_workflow_uses_the_action_with_its_inputs(action):
    (workflow,) = [w for w in _readme_workflows() if any("cfglint/cfglint@" in s.get("uses", "") for s in _steps(w))]
    steps = _steps(workflow)
    assert steps[0]["uses"].startswith("actions/checkout@")
    (step,) = [s for s in steps if s.get("uses", "").startswith("cfglint/cfglint@")]
    assert set(step.get("with", {})) <= set(action["inputs"])


def test_readme_sarif_workflow_uploads_to_code_scanning():
    (workflow,) = [w for w in _readme_workflows()
                   if any("upload-sarif" in s.get("uses", "") for s in _steps(w))]
    assert workflow["permissions"]["security-events"] == "write"
    steps = _steps(workflow)
    runs = [s["run"] for s in steps if "run" in s]
    assert "cfglint check --output-format sarif --exit-zero > cfglint.sarif" in runs
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == "cfglint.sarif"
    assert steps.index(upload) == len(steps) - 1


@needs_bash
def test_check_step_annotates_findings_with_the_real_cfglint(action, tmp_path):
    """End to end: the step's script with the real cfglint prints workflow commands and fails."""
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "cfglint"
    shim.write_text(f'#!/usr/bin/env bash\nexec "{sys.executable}" -m cfglint "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "kilo.jsonc").write_text('{\n  "compation": {"auto": true}\n}\n', encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CFGLINT_")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", CFGLINT_CACHE_DIR=str(tmp_path / "cache"),
               CFGLINT_ARGS="--select SCH", CFGLINT_PATHS="bad",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                             _step(action, "cfglint check")["run"]],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(
        "::error file=bad/kilo.jsonc,line=2,col=3,endLine=2,endColumn=14,title=SCH002 unknown-key::")
