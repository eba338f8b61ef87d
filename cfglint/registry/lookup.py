"""The model registry: find the limits of a configured model (registry.md 7.2).

Indexes are built on first use, per provider where possible, so loading stays cheap and a run
that looks up three models on one provider never indexes the other 146.
"""

from __future__ import annotations

import functools
import os
import re
import sys

from cfglint.core.record import FrozenRecord, named_tuple
from cfglint.registry.layers import Catalog, Entry, RegistryMeta, may_hold
from cfglint.registry.names import (
    canonical,
    endpoint,
    host_pattern,
    is_private_host,
    latest_family,
    path_match,
    split_one_m,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable


# How the serving provider (and with it the entry) was found. The first three identify the
# serving provider, so a rule may report an error; the others are approximate (registry.md 7.2).
AUTHORITATIVE_KINDS = frozenset({"exact", "alias", "base-url"})
MATCH_KINDS = ("exact", "alias", "base-url", "gateway", "model-only", "none")
_TWIN_SUFFIXES = re.compile(r"(?:-cn|-coding-plan)+$")
_MAX_SUGGESTIONS = 3
# Close-match search: difflib compares the query with at most this many ids, chosen by the
# name tokens they share with it (a whole-registry scan took 1.7 s on one real file).
MAX_SUGGESTION_POOL = 64
_TOKEN_SPLIT = re.compile(r"[-_./:@\s]+")


@named_tuple
class ModelLimits:
    """One registry entry's numbers; None = unknown (for `input`: no separate input cap)."""

    context: int | None
    input: int | None
    output: int | None
    status: str | None = None
    context_1m: int | None = None  # the window with Claude Code's `[1m]` suffix (overlay rule)


class RegistryMatch(FrozenRecord):
    """The answer to one lookup: which entry was used, how it was found, and its limits.

    `kind` is one of MATCH_KINDS. `model-only` aggregates every provider serving the model id
    (maximum context and output, `providers_count` of them). `none` supplies no limits, only up
    to three close ids in `suggestions`, searched on first use (only REG001 and `explain` ask).
    """

    __slots__ = ("kind", "provider_id", "model_id", "context", "input", "output", "status", "one_m",
                 "providers_count", "entry", "normalised", "_suggest", "_suggestions")

    def __init__(self, kind: str, provider_id: str | None = None, model_id: str | None = None,
                 context: int | None = None, input: int | None = None, output: int | None = None,
                 status: str | None = None, one_m: bool = False, providers_count: int = 0, entry: str | None = None,
                 normalised: bool = False, suggest: Callable[[], tuple[str, ...]] | None = None) -> None:
        self.kind, self.provider_id, self.model_id = kind, provider_id, model_id
        self.context, self.input, self.output, self.status = context, input, output, status
        self.one_m = one_m  # the id carried `[1m]` (the harness assumes a 1,000,000 window)
        self.providers_count = providers_count
        self.entry = entry  # for messages: "zhipuai/glm-5.2", or "glm-5.2 (matched under 34 providers)"
        self.normalised = normalised  # found only after spelling normalisation (dots, dates, variants, ...)
        # The close-match search and its answer: outside equality, hash and repr.
        self._suggest: Callable[[], tuple[str, ...]] | None = suggest
        self._suggestions: tuple[str, ...] | None = None

    @property
    def suggest(self) -> Callable[[], tuple[str, ...]] | None:
        return self._suggest

    @property
    def suggestions(self) -> tuple[str, ...]:
        """Up to three close registry ids (never a source of limits)."""
        if self._suggestions is None:
            self._suggestions = self._suggest() if self._suggest is not None else ()
        return self._suggestions

    @property
    def found(self) -> bool:
        return self.kind != "none"

    @property
    def authoritative(self) -> bool:
        """Error-grade evidence: the serving provider is identified and lists the model."""
        return self.kind in AUTHORITATIVE_KINDS


@named_tuple
class _Hit:
    provider_id: str
    model_id: str
    kind: str
    normalised: bool


class Registry:
    """Merged registry data with the lookup rules of registry.md 7.2."""

    def __init__(self, catalog: Catalog, meta: RegistryMeta) -> None:
        self._catalog = catalog
        self.meta = meta
        self._by_lower: dict[str, dict[str, str]] = {}
        self._by_canonical: dict[str, dict[str, list[str]]] = {}
        self._everywhere: dict[str, list[tuple[str, str]]] | None = None
        self._searched_everywhere = False
        self._everywhere_canonical: dict[str, list[tuple[str, str]]] | None = None
        self._urls: list[tuple[str, str, str]] | None = None  # (lower-cased URL, URL, provider id)
        self._endpoints: dict[str, tuple[str, re.Pattern[str] | None, tuple[str, ...]] | None] = {}
        self._provider_names: dict[str, str] | None = None

    # -- public API ----------------------------------------------------------------------------

    @property
    def provider_ids(self) -> frozenset[str]:
        """Every provider id and alias the registry knows (aliases lower-case)."""
        return frozenset(self._catalog.providers) | frozenset(self._catalog.aliases)

    @property
    def catalog_provider_ids(self) -> frozenset[str]:
        """Provider ids exactly as the catalogue keys them (no aliases): what Kilo accepts."""
        return frozenset(self._catalog.providers)

    def identify_provider(self, base_url: str | None, name: str | None) -> str | None:
        """The registry provider serving a configured endpoint: by base URL first, else by the
        configured provider name (id or alias). None when neither identifies one."""
        if base_url:
            found = self._provider_by_url(base_url, name)
            if found:
                return found
        return self._provider_by_name(name)[0] if name else None

    def limits(self, provider_id: str, model_id: str) -> ModelLimits | None:
        """The entry (provider id, model id) exactly as written, case-sensitive, with no alias or
        spelling rules: what a harness that reads the catalogue by exact key (Kilo) finds."""
        provider = self._catalog.providers.get(provider_id)
        if provider is None or model_id not in provider["models"]:
            return None
        return self._entry_limits(provider_id, model_id)

    def _entry_limits(self, provider_id: str, model_id: str) -> ModelLimits:
        entry: Entry = self._catalog.providers[provider_id]["models"][model_id]
        return ModelLimits(
            context=entry[0],
            input=entry[1],
            output=entry[2],
            status=entry[3] if len(entry) > 3 else None,
            context_1m=self._catalog.context_1m.get((provider_id, model_id)),
        )

    def entries_for(self, model: str) -> list[tuple[str, str, ModelLimits]]:
        """Every (provider id, model id, limits) serving MODEL, for `cfglint registry show`:
        ids equal to it or ending in `/<model>`, case-insensitive; else the same after spelling
        normalisation. A leading provider name (`zhipu/glm-5.2`) is dropped when nothing matches
        the whole string."""
        name, _ = split_one_m(model.strip())
        names = [name]
        prefix, slash, rest = name.partition("/")
        if slash and self._provider_by_name(prefix)[0]:
            names.append(rest)
        found, _ = self._everywhere_matches(names)
        return [(p, m, self._entry_limits(p, m)) for p, m in sorted(set(found))]

    def lookup(self, model: str, *, provider: str | None = None, base_url: str | None = None) -> RegistryMatch:
        """Find MODEL as configured for PROVIDER (a configured provider name) at BASE_URL.

        Order (registry.md 7.2): base URL, else provider id or alias, else (only when no provider
        or endpoint is configured) a `provider/` prefix of the model; on that provider the id
        as written, then its twins (`-cn`, `-coding-plan`), then spelling normalisation; for a
        gateway, the vendor's first-party entry; then the bare model id across all providers
        (for an unknown endpoint also without its vendor prefix); else no match with suggestions.
        """
        name, one_m = split_one_m(model.strip())
        if not name:
            return RegistryMatch(kind="none", one_m=one_m)
        serving, how = None, ""
        if base_url:
            serving = self._provider_by_url(base_url, provider)
            how = "base-url"
        if serving is None and provider:
            serving, how = self._provider_by_name(provider)
        query, bare = name, [name]
        if serving is None:
            prefix, slash, rest = name.partition("/")
            named, named_how = self._provider_by_name(prefix) if slash else (None, "")
            if named and not (provider or base_url):
                serving, how, query = named, named_how, rest
            elif named:
                # The request goes to the configured endpoint, which the registry does not know
                # (a local proxy, an unlisted gateway): `Qwen/` names the vendor, not the host,
                # so the vendor's numbers are only one host's among the others listing the id.
                bare.append(rest)

        if serving:
            hit = self._find_on_provider(serving, how, query)
            if hit:
                return self._match(hit, one_m)

        found, normalised = self._everywhere_matches(dict.fromkeys([*bare, query]))
        if found:
            return self._aggregate(found, query, one_m, normalised)
        return RegistryMatch(
            kind="none",
            provider_id=serving,
            one_m=one_m,
            suggest=functools.partial(self._suggest, query, serving),
        )

    # -- providers -----------------------------------------------------------------------------

    def _provider_by_name(self, name: str) -> tuple[str | None, str]:
        """(provider id, "exact" | "alias") for a configured provider name, case-insensitive."""
        if self._provider_names is None:
            self._provider_names = {p.lower(): p for p in self._catalog.providers}
        lowered = name.strip().lower()
        if lowered in self._provider_names:
            return self._provider_names[lowered], "exact"
        target = self._catalog.aliases.get(lowered)
        return (target, "alias") if target in self._catalog.providers else (None, "")

    def _twins(self, provider_id: str) -> list[str]:
        """Regional and plan variants of a provider (`zhipuai` <-> `zhipuai-coding-plan`)."""
        base = _TWIN_SUFFIXES.sub("", provider_id)
        family = (base, f"{base}-cn", f"{base}-coding-plan", f"{base}-cn-coding-plan", f"{base}-coding-plan-cn")
        return [p for p in family if p != provider_id and p in self._catalog.providers]

    def _provider_by_url(self, base_url: str, name: str | None) -> str | None:
        """registry.md 7.2 step 0: same host, then the configured provider name, then the
        longest matching path; ties go to the plainest id (`minimax` before `minimax-coding-plan`)."""
        parsed = endpoint(base_url)
        if parsed is None or is_private_host(parsed[0]):
            return None
        host, path = parsed
        candidates: dict[str, tuple[bool, int]] = {}
        for lowered, url, provider_id in self._url_index():
            if host not in lowered and "${" not in lowered:
                continue  # `endpoint` lower-cases: the host of this URL is another one
            provider_endpoint = self._endpoint_of(url)
            if provider_endpoint is None:
                continue
            provider_host, pattern, provider_path = provider_endpoint
            if host == provider_host or (pattern is not None and pattern.fullmatch(host)):
                score = path_match(provider_path, path)
                candidates[provider_id] = max(score, candidates.get(provider_id, score))
        if not candidates:
            return None
        if name:
            named = self._provider_by_name(name)[0]
            if named in candidates:
                return named
        return min(candidates, key=lambda p: (not candidates[p][0], -candidates[p][1], len(p), p))

    def _url_index(self) -> list[tuple[str, str, str]]:
        """(lower-cased URL, URL, provider id) for every provider `api` URL and overlay host. A
        URL is taken apart (`_endpoint_of`) only when the host looked for may be its own: a
        one-file check compares a base URL with a few of ~130."""
        if self._urls is None:
            urls = [(p["api"], pid) for pid, p in self._catalog.providers.items() if p.get("api")]
            urls += list(self._catalog.hosts.items())
            self._urls = [(url.lower(), url, provider_id) for url, provider_id in urls]
        return self._urls

    def _endpoint_of(self, url: str) -> tuple[str, re.Pattern[str] | None, tuple[str, ...]] | None:
        """(host, host pattern if templated, path) of a provider URL; None when it names no host,
        or a host that is nothing but a placeholder (it identifies nothing)."""
        if url not in self._endpoints:
            parsed = endpoint(url)
            pattern = host_pattern(parsed[0]) if parsed is not None and "${" in parsed[0] else None
            if parsed is None or ("${" in parsed[0] and pattern is None):
                self._endpoints[url] = None
            else:
                self._endpoints[url] = (parsed[0], pattern, parsed[1])
        return self._endpoints[url]

    # -- models on one provider ----------------------------------------------------------------

    def _find_on_provider(self, serving: str, how: str, query: str) -> _Hit | None:
        family = [serving, *self._twins(serving)]
        names = [query]
        prefix, slash, rest = query.partition("/")
        if slash and self._provider_by_name(prefix)[0] in family:
            names.append(rest)  # `zhipu/glm-5.2` configured for provider `zhipu`
        twin_kind = "base-url" if how == "base-url" else "alias"

        for provider_id in family:
            kind = how if provider_id == serving else twin_kind
            for name in names:
                model_id = self._lower_index(provider_id).get(name.lower())
                if model_id:
                    return _Hit(provider_id, model_id, kind, normalised=False)
        for provider_id in family:
            kind = how if provider_id == serving else twin_kind
            for name in names:
                model_id = self._normalised_on(provider_id, name)
                if model_id:
                    return _Hit(provider_id, model_id, kind, normalised=True)

        if serving in self._catalog.gateways and slash:
            first_party = self._catalog.vendors.get(prefix.lower())
            if first_party in self._catalog.providers:
                model_id = self._lower_index(first_party).get(rest.lower())
                normalised = model_id is None
                model_id = model_id or self._normalised_on(first_party, rest)
                if model_id:
                    return _Hit(first_party, model_id, "gateway", normalised)
        return None

    def _lower_index(self, provider_id: str) -> dict[str, str]:
        index = self._by_lower.get(provider_id)
        if index is None:
            index = {m.lower(): m for m in self._catalog.providers[provider_id]["models"]}
            self._by_lower[provider_id] = index
        return index

    def _normalised_on(self, provider_id: str, name: str) -> str | None:
        """The provider's entry for NAME after spelling normalisation. Several ids can share a
        spelling (dated and undated forms, regional Bedrock ids): prefer a served one, then the
        plainest id, then the newest (highest) version."""
        index = self._by_canonical.get(provider_id)
        if index is None:
            index = {}
            for model_id in self._catalog.providers[provider_id]["models"]:
                index.setdefault(canonical(model_id), []).append(model_id)
            self._by_canonical[provider_id] = index
        candidates = _canonical_matches(index, name)
        if not candidates:
            return None
        models = self._catalog.providers[provider_id]["models"]
        return max(candidates, key=lambda m: (_status(models[m]) != "deprecated", -len(m), m))

    # -- models across providers ---------------------------------------------------------------

    def _everywhere_matches(self, names: Iterable[str]) -> tuple[list[tuple[str, str]], bool]:
        """Entries whose id, or last `/` segment, is one of NAMES; else the same after spelling
        normalisation. Returns (entries, normalised)."""
        names = list(names)
        if self._searched_everywhere:
            exact = self._everywhere_index(canonical_keys=False)
        else:
            exact, self._searched_everywhere = self._everywhere_part(names), True
        found = [hit for name in names for hit in exact.get(name.lower(), ())]
        if found:
            return list(dict.fromkeys(found)), False
        normalised = self._everywhere_index(canonical_keys=True)
        found = [hit for name in names for hit in _canonical_matches(normalised, name)]
        return list(dict.fromkeys(found)), True

    def _everywhere_part(self, names: list[str]) -> dict[str, list[tuple[str, str]]]:
        """The part of the lower-case `_everywhere_index` that NAMES look up, found by a scan that
        skips the providers whose text holds none of them (`may_hold`): a check searches every
        provider once, and building the index (~2.5 ms) after decoding every provider (~3 ms)
        cost more than the search. A second search builds the index."""
        keys = {name.lower() for name in names}
        needles = [quote + key + '"' for key in keys for quote in ('"', "/")]
        part: dict[str, list[tuple[str, str]]] = {}
        for provider_id, provider in self._catalog.providers.items():
            if not may_hold(provider, needles):
                continue
            for model_id in provider["models"]:
                hit = (provider_id, model_id)
                if (key := model_id.lower()) in keys:
                    part.setdefault(key, []).append(hit)
                if "/" in model_id and (key := model_id.rpartition("/")[2].lower()) in keys:
                    part.setdefault(key, []).append(hit)
        return part

    def _everywhere_index(self, *, canonical_keys: bool) -> dict[str, list[tuple[str, str]]]:
        """Every entry keyed by its id and its last `/` segment, lower-case or canonical. The
        canonical one costs ~7 ms, so it is built only when a lower-case lookup fails."""
        index = self._everywhere_canonical if canonical_keys else self._everywhere
        if index is None:
            # a model id recurs under many providers: each distinct key is spelled once
            spell = functools.lru_cache(maxsize=None)(canonical) if canonical_keys else str.lower
            index = {}
            for provider_id, provider in self._catalog.providers.items():
                for model_id in provider["models"]:
                    hit = (provider_id, model_id)
                    index.setdefault(spell(model_id), []).append(hit)
                    if "/" in model_id:  # and by its last segment
                        index.setdefault(spell(model_id.rpartition("/")[2]), []).append(hit)
            if canonical_keys:
                self._everywhere_canonical = index
            else:
                self._everywhere = index
        return index

    def _aggregate(self, entries: list[tuple[str, str]], name: str, one_m: bool, normalised: bool) -> RegistryMatch:
        """registry.md 7.2 step 7: the most permissive limits over every provider serving the id,
        so an approximate match never reports a limit some provider does not have."""
        limits = [self._effective(self._entry_limits(p, m), one_m) for p, m in entries]
        contexts = [l.context for l in limits if l.context]
        outputs = [l.output for l in limits if l.output]
        inputs = [l.input for l in limits]
        statuses = {l.status for l in limits}
        providers = len({p for p, _ in entries})
        return RegistryMatch(
            kind="model-only",
            model_id=name,
            context=max(contexts, default=None),
            input=None if None in inputs else max(inputs),  # any provider without an input cap
            output=max(outputs, default=None),
            status=statuses.pop() if len(statuses) == 1 else None,
            one_m=one_m,
            providers_count=providers,
            entry=f"{name} (matched under {providers} provider{'s' if providers != 1 else ''})",
            normalised=normalised,
        )

    def _match(self, hit: _Hit, one_m: bool) -> RegistryMatch:
        limits = self._effective(self._entry_limits(hit.provider_id, hit.model_id), one_m)
        return RegistryMatch(
            kind=hit.kind,
            provider_id=hit.provider_id,
            model_id=hit.model_id,
            context=limits.context,
            input=limits.input,
            output=limits.output,
            status=limits.status,
            one_m=one_m,
            providers_count=1,
            entry=f"{hit.provider_id}/{hit.model_id}",
            normalised=hit.normalised,
        )

    @staticmethod
    def _effective(limits: ModelLimits, one_m: bool) -> ModelLimits:
        """With `[1m]`, an entry that has a long-context rule uses its 1M window."""
        if one_m and limits.context_1m:
            return limits._replace(context=limits.context_1m)
        return limits

    def _suggest(self, name: str, provider_id: str | None) -> tuple[str, ...]:
        """Up to three close ids (difflib) among a bounded pool (`suggestion_pool`)."""
        import difflib

        spelled = self.suggestion_pool(name, provider_id)
        close = difflib.get_close_matches(name.lower(), sorted(spelled), n=_MAX_SUGGESTIONS)
        return tuple(spelled[c] for c in close)

    def suggestion_pool(self, name: str, provider_id: str | None) -> dict[str, str]:
        """The ids difflib may suggest for NAME, lower-cased -> as spelled (lower-case spelling
        preferred): the identified provider's models (with its twins), else every provider's;
        when that is more than MAX_SUGGESTION_POOL, the ones sharing the most name tokens with
        NAME (then the longest common prefix), ids sharing none left out."""
        if provider_id:
            providers = [self._catalog.providers[p] for p in (provider_id, *self._twins(provider_id))]
        else:
            providers = list(self._catalog.providers.values())
        spelled: dict[str, str] = {}
        for provider in providers:
            for model_id in provider["models"]:
                lowered = model_id.lower()
                if lowered not in spelled or spelled[lowered] != lowered:
                    spelled[lowered] = model_id
        if len(spelled) <= MAX_SUGGESTION_POOL:
            return spelled
        query = name.lower()
        wanted = frozenset(_name_tokens(query))
        scored = []
        for lowered in spelled:
            shared = len(wanted.intersection(_name_tokens(lowered)))
            if shared:
                scored.append((-shared, -_common_prefix(query, lowered), lowered))
        return {lowered: spelled[lowered] for *_, lowered in sorted(scored)[:MAX_SUGGESTION_POOL]}


@functools.lru_cache(maxsize=65536)
def _name_tokens(model_id: str) -> tuple[str, ...]:
    """`anthropic/claude-sonnet-4.5` -> (anthropic, claude, sonnet, 4, 5), each once: a tuple of
    interned tokens (the registry's ~4,000 ids share most of them) holds a third of the memory of
    a frozenset of new strings, and this cache keeps one per id for the whole run."""
    return tuple(dict.fromkeys(sys.intern(token) for token in _TOKEN_SPLIT.split(model_id) if token))


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix((a, b)))


def _canonical_matches(index: dict[str, list[Any]], name: str) -> list[Any]:
    key = canonical(name)
    if key in index:
        return index[key]
    family = latest_family(key)
    if family is None:
        return []
    return [item for k, items in index.items() if family.fullmatch(k) for item in items]


def _status(entry: Entry) -> str | None:
    return entry[3] if len(entry) > 3 else None
