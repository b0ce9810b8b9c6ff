"""Every message key the code can ask for exists in both catalogues, dynamic keys included.

The source of ``bot/`` and ``cogs/`` is read as syntax trees:

- every string that names a catalogue key (``"roster.org_added"``, wherever it appears: ``t(...)``,
  ``UserError(...)``, a variable later passed to ``t``) must be in both catalogues;
- every call of ``t`` or of a small wrapper that prefixes an area (``_m(language, "summary")`` for
  ``meetings.summary``) is resolved to its full key;
- every key built at run time (``f"roster.role_{role.value}"``) must belong to a family registered in
  :data:`FAMILIES` with the source of its values (an enum or a ``Literal``), and each family is expanded
  and checked. A new dynamic key that is not registered here fails the test.
"""

from __future__ import annotations

import ast
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.domain.attendance import Answer, CallUpReason, Outcome
from bot.domain.meetings import MeetingState
from bot.domain.memory import Presence
from bot.domain.outbox import Purpose
from bot.domain.roster import Role
from bot.domain.status import Author, DraftAction
from bot.i18n import LANGUAGES, MissingMessageError, catalogue, t
from cogs.roster import RoleName

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")])
AREAS = {key.split(".", 1)[0] for key in catalogue("nb")}
KEY = re.compile(r"^([a-z_]+)\.[a-z0-9_]+$")
TEMPLATE = re.compile(r"^[a-z_]+\.[a-z0-9_{}]+$")
FILE_NAME = re.compile(r"\.(csv|sqlite3|md|docx|ics|toml|txt|json|py)$")
"""``"roster.csv"`` and ``"demo.sqlite3"`` are file names, not keys."""
NOT_KEYS = {
    "council.language": "the slot in Interaction.extras where bot/ui/respond.py keeps the language",
}
"""Strings shaped like a key that are something else (each with where it is used)."""


def _values(enum: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(getattr(member, "value", member)) for member in enum)


DEADLINE_NAMES = ("rsvp", "status")
"""The ``name`` passed to ``bot.domain.meetings.check_deadline`` (by ``MeetingService``)."""
ORG_CHANGES = ("added", "edited", "removed")
"""The ``change`` that ``cogs/roster.py`` passes to ``bot.ui.text.roster.org_changed``."""
EFFECT_PREFIXES = ("rsvp", "rsvp_recorded")
"""The ``prefix`` of ``bot.ui.text.meetings._effects``: a member's own answer, the secretary's ``/rsvp record``."""
ATTENDED_ROLES = _values((Outcome.REPRESENTATIVE, Outcome.DEPUTY, Outcome.BOTH))
"""The outcomes ``MeetingService.record_attendance`` stores as the role someone attended in."""

FAMILIES: dict[str, tuple[str, ...]] = {
    "roster.role_{}": _values(Role) + typing.get_args(RoleName),
    "status.role_{}": _values(Author),
    "status.button_{}": _values(DraftAction),
    "meetings.button_{}": _values(Answer),
    "meetings.answer_{}": (*_values(Answer), "none"),
    "meetings.purpose_{}": _values(Purpose),
    "meetings.state_{}": _values(MeetingState),
    "meetings.{}_deadline_after_start": DEADLINE_NAMES,
    "meetings.{}_deadline_past": DEADLINE_NAMES,
    "minutes.role_{}": _values(Role),
    "meetings.attended_as_{}": ATTENDED_ROLES,
    "meetings.callup_{}": _values(CallUpReason),
    "meetings.rsvp_role_{}": _values(Role),
    "memory.presence_{}": _values(Presence),
    "roster.org_{}": ORG_CHANGES,
    "meetings.{}_deputy_called": EFFECT_PREFIXES,
    "meetings.{}_deputy_released": EFFECT_PREFIXES,
    "meetings.{}_no_deputy": EFFECT_PREFIXES,
}
"""Each key built at run time, as a template, with every value its placeholder can take."""


@dataclass(frozen=True)
class Wrapper:
    """A function that calls ``t(language, f"<prefix>{key}")`` with one of its own parameters."""

    prefix: str
    key_index: int  # position of the key among the call's positional arguments


def _template(node: ast.expr, prefix: str = "") -> str | None:
    """``f"roster.role_{role.value}"`` → ``"roster.role_{}"``; ``"role_" + x`` likewise; else None."""
    if isinstance(node, ast.JoinedStr):
        parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
        return prefix + "".join(str(p) for p in parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = node.left.value if isinstance(node.left, ast.Constant) else "{}"
        right = node.right.value if isinstance(node.right, ast.Constant) else "{}"
        return prefix + str(left) + str(right)
    return None


def _wrappers(tree: ast.Module, *, methods: bool) -> dict[str, Wrapper]:
    """Functions (or methods) of a module that translate ``f"<area>.{param}"`` for one of their parameters."""
    in_class = {id(f) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body}
    found: dict[str, Wrapper] = {}
    for assign in ast.walk(tree):
        # ``self.t = partial(t, language)``: a method that passes the whole key on.
        if (
            methods
            and isinstance(assign, ast.Assign)
            and isinstance(assign.value, ast.Call)
            and _name(assign.value.func) == "partial"
            and [_name(a) for a in assign.value.args[:1]] == ["t"]
            and len(assign.value.args) == 2
        ):
            for target in assign.targets:
                if isinstance(target, ast.Attribute):
                    found[target.attr] = Wrapper("", 0)
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef) or (id(func) in in_class) != methods:
            continue
        params = [a.arg for a in func.args.posonlyargs + func.args.args if a.arg not in ("self", "cls")]
        for call in ast.walk(func):
            if not (isinstance(call, ast.Call) and _name(call.func) == "t" and len(call.args) >= 2):
                continue
            key = call.args[1]
            if isinstance(key, ast.Name) and key.id in params:
                found[func.name] = Wrapper("", params.index(key.id))  # passes the whole key on
            elif (
                isinstance(key, ast.JoinedStr)
                and len(key.values) == 2
                and isinstance(key.values[0], ast.Constant)
                and isinstance(key.values[1], ast.FormattedValue)
                and isinstance(key.values[1].value, ast.Name)
                and key.values[1].value.id in params
            ):
                found[func.name] = Wrapper(str(key.values[0].value), params.index(key.values[1].value.id))
    return found


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


@dataclass
class Found:
    keys: dict[str, set[str]]  # key -> where
    templates: dict[str, set[str]]  # dynamic template -> where


def _scan() -> Found:
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in SOURCES}
    shared = {name: w for tree in trees.values() for name, w in _wrappers(tree, methods=True).items() if w.prefix}
    # ``roster_text.org_changed(org, "added", language)``: a prefixing function of another module.
    shared |= {name: w for tree in trees.values() for name, w in _wrappers(tree, methods=False).items() if w.prefix}
    found = Found({}, {})

    def add(kind: dict[str, set[str]], value: str, where: str) -> None:
        kind.setdefault(value, set()).add(where)

    for path, tree in trees.items():
        local = {"t": Wrapper("", 1), **_wrappers(tree, methods=False)}
        # A method call resolves to this module's own method of that name, else to the prefixing one
        # (``ctx.t("invitation")``: the notice context's ``meetings.`` method).
        methods = {**shared, **_wrappers(tree, methods=True)}
        in_fstrings = {id(v) for j in ast.walk(tree) if isinstance(j, ast.JoinedStr) for v in j.values}
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstrings:
                match = KEY.match(node.value)
                if (
                    match
                    and match.group(1) in AREAS
                    and not FILE_NAME.search(node.value)
                    and node.value not in NOT_KEYS
                ):
                    add(found.keys, node.value, where)
            if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
                head = str(node.values[0].value)
                if head.split(".", 1)[0] in AREAS and "." in head and len(node.values) > 1:
                    template = _template(node)
                    if template is not None and TEMPLATE.match(template):
                        add(found.templates, template, where)
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if isinstance(node.func, ast.Attribute) and name in methods:
                wrapper = methods[name]
            elif isinstance(node.func, ast.Name) and name in local:
                wrapper = local[name]
            else:
                continue
            if len(node.args) <= wrapper.key_index:
                continue
            arg = node.args[wrapper.key_index]
            keys = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            for key in keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    add(found.keys, wrapper.prefix + key.value, where)
                elif (template := _template(key, wrapper.prefix)) is not None and wrapper.prefix:
                    add(found.templates, template, where)
    return found


FOUND = _scan()


def _is_wrapper_definition(template: str) -> bool:
    """``f"meetings.{key}"`` inside a wrapper is the wrapper itself, not a key."""
    return re.fullmatch(r"[a-z_]+\.\{\}", template) is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_literal_key_in_the_code_exists(language):
    messages = catalogue(language)
    missing = sorted(f"{key} ({', '.join(sorted(where))})" for key, where in FOUND.keys.items() if key not in messages)
    assert missing == []


def test_the_scan_sees_keys_through_every_kind_of_call():
    """The scanner itself: direct calls, area wrappers, the notice method and error constructors."""
    assert "roster.org_added" in FOUND.keys  # t(language, "roster.org_added", ...)
    assert "meetings.summary" in FOUND.keys  # _m(lang, "summary", ...) in bot/ui/meeting_text.py
    assert "demo.setup" in FOUND.keys  # self.t("demo.setup") with self.t = partial(t, language) in bot/demo.py
    assert "meetings.callup_{}" in FOUND.templates  # ctx.t(f"callup_{reason.value}") in bot/domain/notices.py
    assert "status.button_save" in FOUND.keys  # t(language, "status.button_save" if ... else ...)
    assert len(FOUND.keys) > 300


def test_every_dynamic_key_belongs_to_a_registered_family():
    unregistered = sorted(
        f"{template} ({', '.join(sorted(where))})"
        for template, where in FOUND.templates.items()
        if template not in FAMILIES and not _is_wrapper_definition(template)
    )
    assert unregistered == [], "register each dynamic key family in FAMILIES with the source of its values"


def test_every_registered_family_is_still_used():
    assert set(FAMILIES) - set(FOUND.templates) == set()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_key_of_a_dynamic_family_exists(family, language):
    messages = catalogue(language)
    assert FAMILIES[family], family
    missing = [family.format(value) for value in FAMILIES[family] if family.format(value) not in messages]
    assert missing == []


def test_a_missing_key_or_placeholder_raises_under_test():
    with pytest.raises(MissingMessageError, match=re.escape("no.such_key")):
        t("nb", "no.such_key")
    with pytest.raises(MissingMessageError, match=re.escape("roster.org_added")):
        t("en", "roster.org_added")  # needs {name}
    with pytest.raises(MissingMessageError, match=re.escape("roster.unassigned")):
        t("nb", "roster.unassigned", role="vara")  # needs {role} and {short}
    assert t("nb", "roster.unassigned", role="vara", short="MH") == "✅ Plassen som vara for MH er nå ledig."


def test_production_falls_back_and_logs(caplog):
    from bot import i18n

    i18n.set_strict(False)
    try:
        assert t("en", "no.such_key") == "no.such_key"
        assert t("en", "roster.org_added") == catalogue("en")["roster.org_added"]
    finally:
        i18n.set_strict(True)
    assert "missing message no.such_key" in caplog.text
