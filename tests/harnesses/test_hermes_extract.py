"""`tools/extract/hermes.py` on a small wheel written here: what it counts as a key Hermes reads."""

from __future__ import annotations

from tools.extract import hermes as extract

CONFIG_PY = '''
DEFAULT_CONFIG = {"model": "", "compression": {"enabled": True},
                  "auxiliary": {"vision": {"timeout": 30}, "compression": {"timeout": 60}}, "_config_version": 7}
_EXTRA_KNOWN_ROOT_KEYS = {"custom_providers", "smart_model_routing", "platforms"}
_KNOWN_ROOT_KEYS = frozenset(DEFAULT_CONFIG.keys()) | _EXTRA_KNOWN_ROOT_KEYS
_CUSTOM_PROVIDER_LIKE_FIELDS = {"base_url", "api_key"}

def load_config():
    return {}

def cfg_get(cfg, *keys, default=None):
    return default

def _normalize_root_model_keys(config):
    model = config.get("model")
    for key in ("provider", "base_url"):
        model[key] = config.pop(key, None)
    return config

def reload():
    return _normalize_root_model_keys(load_config())

def setup(config):
    config.setdefault("smart_model_routing", {})["enabled"] = False
'''
GATEWAY_PY = '''
import yaml
from hermes_cli.config import load_config, cfg_get

def load_gateway_config(home):
    with open(home / "config.yaml") as f:
        yaml_cfg = yaml.safe_load(f) or {}
    sr = yaml_cfg.get("session_reset")
    return _platforms(yaml_cfg)

def _platforms(cfg):
    return cfg.get("platforms", {})

def run():
    cfg = load_config()
    aux = cfg_get(cfg, "auxiliary", "vision")
    timeout = aux.get("download_timeout")
    providers = cfg.get("custom_providers") or []
    model_cfg = cfg.get("model") or {}
    mode = model_cfg.get("api_mode")
    route = (model_cfg.get("provider"), model_cfg.get("base_url"))
    for task, entry in cfg.get("auxiliary", {}).items():
        entry.get("max_concurrency")
    other = {"not_config": 1}
    other.get("provider_like")
'''


def facts() -> dict:
    return extract.release_facts({"hermes_cli.config": CONFIG_PY, "gateway.config": GATEWAY_PY})


def test_keys_come_from_defaults_known_root_sets_and_reads():
    known = facts()["known"]
    assert known[()] >= {"model", "compression", "auxiliary", "custom_providers", "session_reset", "platforms",
                         "provider", "smart_model_routing"}
    assert "not_config" not in known[()] and "provider_like" not in known[()]
    assert known[("model",)] >= {"api_mode", "provider", "base_url"}
    assert known[("auxiliary", "*")] == {"timeout", "download_timeout", "max_concurrency"}


def test_root_lists():
    release = facts()
    assert release["accepted_unread"] == {"smart_model_routing"}  # only declared and written
    assert release["misplaced"] == {"api_key"}  # base_url is moved into `model`
    assert release["migrated"] == {"provider", "base_url"}
    assert "api_key" not in release["known"][()]


def test_auxiliary_keys_only_named_tasks_have():
    """`vision.download_timeout` is read on the vision task only; `max_concurrency` on any task
    (a loop over the tasks) and `timeout` in every default task are any task's."""
    assert facts()["auxiliary_task_keys"] == {"download_timeout": {"vision"}}


def test_config_version_the_release_writes():
    assert facts()["config_version"] == 7


def test_version_ranges_join_consecutive_releases():
    assert extract.version_ranges(["0.13.0", "0.14.0", "0.15.0", "0.18.0"]) == "0.13.0..0.15.0, 0.18.0"
