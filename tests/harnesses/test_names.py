"""`cfglint.harnesses.names`: what every run needs of each dialect, kept as data so that a run
imports only the units it reads. The units take their names from it; where a unit's facts
(extracted from the harness, or documented with evidence) state the same names, they agree."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from cfglint.harnesses import DIALECTS, harness_for
from cfglint.harnesses.base import Harness
from cfglint.harnesses.names import (
    KILO_DIRS,
    NAMES,
    OPENCODE_FILES,
    OPENCODE_GLOBAL_ONLY_FILE,
    in_opencode_global_dir,
)


def test_every_dialect_has_names_and_nothing_else_does():
    assert sorted(NAMES) == sorted(DIALECTS)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_unit_takes_its_names_from_the_table(dialect):
    """One source: no unit recognises files or writes hook patterns by itself, and its class
    attributes are the table's."""
    harness, names = harness_for(dialect), NAMES[dialect]
    assert type(harness).recognises is Harness.recognises
    assert type(harness).path_patterns is Harness.path_patterns
    assert (harness.file_names, harness.config_dirs, harness.home_env, harness.plain_env_variables,
            harness.default_version) == (names.files, names.dirs, names.home_env, names.plain_env,
                                         names.default_version)


def test_kilo_names_agree_with_its_facts():
    from cfglint.harnesses.kilo import facts

    assert KILO_DIRS == facts.config_dir_names()
    assert {facts.OTM_ENV, facts.DISABLE_AUTOCOMPACT_ENV, facts.EXPERIMENTAL_MODELS_ENV,
            facts.DISABLE_DEFAULT_PLUGINS_ENV} <= NAMES["kilo"].plain_env


def test_opencode_names_agree_with_its_facts():
    from cfglint.harnesses.opencode import facts

    assert (OPENCODE_FILES, OPENCODE_GLOBAL_ONLY_FILE) == (facts.CONFIG_FILES, facts.GLOBAL_ONLY_FILE)
    assert in_opencode_global_dir(PurePath("/home/u", facts.CONFIG_HOME, facts.GLOBAL_DIR, "config.json"))
    assert {facts.OTM_ENV, facts.DISABLE_AUTOCOMPACT_ENV, facts.DISABLE_PRUNE_ENV, facts.EXPERIMENTAL_MODELS_ENV,
            facts.DISABLE_DEFAULT_PLUGINS_ENV, *facts.CONFIG_ENVS} <= NAMES["opencode"].plain_env


def test_pi_names_agree_with_its_facts():
    from cfglint.harnesses.pi import facts

    names = NAMES["pi"]
    assert names.files == (facts.SETTINGS_FILE, facts.MODELS_FILE) and names.home_env == facts.AGENT_DIR_ENV
    assert names.recognise(PurePath("/x", facts.CONFIG_DIR, facts.AGENT_DIR, facts.MODELS_FILE), None)


def test_codex_names_agree_with_its_facts():
    from cfglint.harnesses.codex import facts

    names = NAMES["codex"]
    assert (names.files, names.dirs, names.home_env) == ((facts.CONFIG_FILE,), (facts.CONFIG_DIR,), facts.HOME_ENV)
    assert names.recognise(PurePath("/x", facts.CONFIG_DIR, "fast" + facts.PROFILE_SUFFIX), None)


def test_hermes_names_agree_with_its_facts():
    from cfglint.harnesses.hermes import facts

    assert NAMES["hermes"].plain_env == {facts.HERMES_MAX_TOKENS}
