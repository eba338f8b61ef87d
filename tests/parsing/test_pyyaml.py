"""PyYAML imported by `cfglint.parsing.pyyaml`: its patterns compile on first use, the reader's
spelled as its complement, and YAML reads exactly as with a plain `import yaml`."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from cfglint.parsing import pyyaml
from cfglint.parsing.pyyaml import NON_PRINTABLE, NON_PRINTABLE_COMPLEMENT, CompiledOnFirstUse

EVERY_CODE_POINT = "".join(map(chr, range(sys.maxunicode + 1)))


def test_the_complement_matches_the_same_code_points_over_all_of_unicode():
    original = [m.start() for m in re.compile(NON_PRINTABLE).finditer(EVERY_CODE_POINT)]
    complement = [m.start() for m in re.compile(NON_PRINTABLE_COMPLEMENT).finditer(EVERY_CODE_POINT)]
    assert complement == original
    assert len(original) == 2111  # C0 controls but tab and breaks, DEL, C1 but NEL, surrogates, U+FFFE/F


def test_only_pyyaml_modules_get_their_patterns_compiled_later():
    for module, later in (("yaml", True), ("yaml.reader", True), ("yamlish", False), ("json.decoder", False)):
        scope = {"__name__": module, "compile": pyyaml._compile_later}
        exec("pattern = compile('a+')", scope)
        assert isinstance(scope["pattern"], CompiledOnFirstUse) is later, module
        assert scope["pattern"].match("aa").group() == "aa"


def _in_fresh_interpreter(code: str) -> object:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_pyyaml_imported_by_cfglint_compiles_no_pattern_until_used():
    """PyYAML still spells its reader's pattern as NON_PRINTABLE (else the substitution would
    silently stop), and none of its patterns is compiled by the import."""
    state = _in_fresh_interpreter(
        "import json, re, yaml.reader as r; plain = r.Reader.NON_PRINTABLE.pattern; "
        "import sys; [sys.modules.pop(m) for m in list(sys.modules) if m == 'yaml' or m.startswith('yaml.')]; "
        "from cfglint.parsing.pyyaml import import_pyyaml, CompiledOnFirstUse; yaml = import_pyyaml(); "
        "resolvers = [p for ps in yaml.resolver.Resolver.yaml_implicit_resolvers.values() for _, p in ps]; "
        "lazy = resolvers + [yaml.reader.Reader.NON_PRINTABLE, yaml.constructor.SafeConstructor.timestamp_regexp]; "
        "print(json.dumps({'plain': plain, 'kinds': sorted({type(p).__name__ for p in lazy}), "
        "'compiled': sorted(n for p in lazy for n in vars(p) if n != 'source'), "
        "'reader': yaml.reader.Reader.NON_PRINTABLE.source[0], 'after': type(re.compile('x')).__name__}))"
    )
    assert state == {
        "plain": NON_PRINTABLE,
        "kinds": [CompiledOnFirstUse.__name__],
        "compiled": [],
        "reader": NON_PRINTABLE_COMPLEMENT,
        "after": "Pattern",  # re.compile is itself again
    }


DOCUMENTS = [
    "model:\n  default: anthropic/claude-sonnet-4.5\n  context_length: 200000\ncompression: {enabled: yes, threshold: .85}\n",
    "when: 2024-01-02 03:04:05.5 +01:00\nday: 2001-12-14\nn: ~\nb: 0b1010\no: 0o17\nx: 0x1F\ns: 1_000\nf: -1.5e+3\ninf: .inf\n",
    "base: &b {a: 1}\nderived:\n  <<: *b\n  c: [Yes, No, on, off, 'null', =]\n",
    "bad: \x07bell\n",
    "snowman: \u2603 \U0001F600\nnel: a\x85b\n",
    "bad: \ufffe\n",
    "key: value\n\t- tab\n",
]


def test_yaml_reads_the_same_as_with_a_plain_import():
    code = (
        "import json, sys\n{imp}\n"
        "out = []\n"
        "for text in json.loads(sys.argv[1]):\n"
        "    try: out.append(repr(yaml.safe_load(text)))\n"
        "    except yaml.YAMLError as exc: out.append(str(exc))\n"
        "print(json.dumps(out))\n"
    )
    argv = json.dumps(DOCUMENTS)

    def run(imp: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", code.format(imp=imp), argv], capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    plain = run("import yaml")
    assert run("from cfglint.parsing.pyyaml import import_pyyaml; yaml = import_pyyaml()") == plain
    assert any("special characters are not allowed" in result for result in plain)  # the reader did reject
    assert any("datetime" in result for result in plain)  # and the timestamp pattern was used
