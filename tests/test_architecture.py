"""Meta-tests that keep the architecture honest."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import discord
import pytest
from discord import app_commands

import bot
from bot.i18n import LANGUAGES, catalogue

ROOT = Path(bot.__file__).resolve().parent.parent
PROTECTED = [ROOT / "bot" / "domain", ROOT / "bot" / "services", ROOT / "bot" / "storage"]
PROTECTED_FILES = [ROOT / "bot" / "config.py", ROOT / "bot" / "errors.py", ROOT / "bot" / "i18n.py"]


def _python_files() -> list[Path]:
    files = [p for folder in PROTECTED for p in folder.rglob("*.py")]
    return files + PROTECTED_FILES


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_protected_layers_never_import_discord(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert not name.startswith(("discord", "bot.ui", "bot.runtime.client", "cogs")), (
                f"{path.name} imports {name}"
            )


def test_sql_lives_in_storage():
    sql = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I)
    offenders = []
    for path in list((ROOT / "bot").rglob("*.py")) + list((ROOT / "cogs").rglob("*.py")):
        if "storage" in path.parts:
            continue
        if sql.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []  # no whitelist: the runtime's own bookkeeping goes through bot/storage/state_repo.py


def _cog_modules() -> list[object]:
    import cogs

    return [importlib.import_module(f"cogs.{m.name}") for m in pkgutil.iter_modules(cogs.__path__)]


def _commands() -> list[app_commands.Command[object, ..., object]]:
    found = []
    for module in _cog_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for value in vars(cls).values():
                if isinstance(value, app_commands.Group):
                    found.extend(c for c in value.walk_commands() if isinstance(c, app_commands.Command))
                elif isinstance(value, app_commands.Command):
                    found.append(value)
            group = getattr(cls, "__cog_app_commands_group__", None)
            if isinstance(group, app_commands.Group):
                found.extend(c for c in group.walk_commands() if isinstance(c, app_commands.Command))
    return found


def test_every_command_has_a_description_and_translation():
    from bot.ui.translator import command_translations

    translations = command_translations()
    commands = _commands()
    assert commands, "no commands found"
    missing = []
    for command in commands:
        assert command.description and command.description != "…", command.qualified_name
        for text in [command.name, command.description]:
            if text not in translations:
                missing.append(text)
        for param in command.parameters:
            for text in [param.name, param.description]:
                if text and text != "…" and text not in translations:
                    missing.append(text)
    assert sorted(set(missing)) == []


def _ui_modules() -> list[object]:
    import bot.ui

    return [importlib.import_module(f"bot.ui.{m.name}") for m in pkgutil.iter_modules(bot.ui.__path__)]


def test_every_dynamic_item_is_registered_namespaced_and_built_on_the_base():
    from bot.ui.buttons import BASE_TEMPLATE, CouncilButton

    registered = {item for module in _cog_modules() for item in getattr(module, "DYNAMIC_ITEMS", ())}
    found = [
        cls
        for module in _cog_modules() + _ui_modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, discord.ui.DynamicItem) and cls.__module__ == getattr(module, "__name__", None)
    ]
    # The bases (CouncilButton, AnswerButton) match no custom id and are never registered; every button is.
    bases = [cls for cls in found if cls.__discord_ui_compiled_template__.pattern == BASE_TEMPLATE]
    assert CouncilButton in bases
    items = [cls for cls in found if cls not in bases]
    assert len(items) >= 7, [cls.__name__ for cls in found]  # rsvp, status write/draft, registration, ...
    for item in items:
        assert item in registered, f"{item.__name__} is not in any cog's DYNAMIC_ITEMS"
        assert issubclass(item, CouncilButton), f"{item.__name__} does not use the shared base"
        assert item.__discord_ui_compiled_template__.pattern.startswith("council:"), item.__name__


def test_every_cog_module_is_an_extension():
    from bot.runtime.client import extensions

    names = [getattr(module, "__name__", "") for module in _cog_modules()]
    assert extensions() == sorted(names)
    for module in _cog_modules():
        assert callable(getattr(module, "setup", None)), f"{module} has no setup()"


def _edge_files() -> list[Path]:
    return sorted([*(ROOT / "cogs").rglob("*.py"), *(ROOT / "bot" / "ui").rglob("*.py")])


@pytest.mark.parametrize("path", _edge_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_interactions_are_typed_with_the_bot(path: Path):
    assert "Interaction[Any]" not in path.read_text(encoding="utf-8"), "use discord.Interaction[CouncilBot]"


def test_every_type_ignore_says_why():
    ignore = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$", re.M)
    reason = re.compile(r"^\[[\w\-, ]+\]\s+#\s*\S")
    bare = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")]:
        for match in ignore.finditer(path.read_text(encoding="utf-8")):
            if not reason.match(match["rest"]):
                bare.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert bare == []


def test_every_language_of_the_table_has_its_catalogue_and_templates():
    from bot.i18n import DEFAULT_LANGUAGE, LOCALES

    assert next(iter(LOCALES)) == DEFAULT_LANGUAGE
    for code, row in LOCALES.items():
        assert row.code == code
        assert (ROOT / "bot" / "locales" / code).is_dir(), code
        assert catalogue(code), code
        for name in ("minutes.md.j2", "minutes.discord.j2"):
            assert (ROOT / "templates" / code / name).is_file(), f"{code}/{name}"


def test_languages_that_discord_shows_translated_commands_translate_every_command():
    from bot.i18n import LOCALES
    from bot.ui.translator import command_translations

    texts = {c.name for c in _commands()} | {c.description for c in _commands()}
    for code, row in LOCALES.items():
        if row.discord and command_translations(code):
            assert sorted(texts - set(command_translations(code))) == [], code


def test_custom_ids_in_code_start_with_council():
    pattern = re.compile(r"custom_id=f?[\"']([^\"']+)")
    for path in list((ROOT / "cogs").rglob("*.py")) + list((ROOT / "bot").rglob("*.py")):
        if "sandbox" in path.parts:
            continue
        for custom_id in pattern.findall(path.read_text(encoding="utf-8")):
            assert custom_id.startswith(("council:", "{")), f"{path.name}: {custom_id}"


def test_catalogues_have_the_same_keys_in_both_languages():
    keys = {
        language: {k for k in catalogue(language) if not k.split(".", 1)[0].startswith("commands")}
        for language in LANGUAGES
    }
    assert keys["nb"] - keys["en"] == set()
    assert keys["en"] - keys["nb"] == set()


def test_catalogue_placeholders_match_between_languages():
    field = re.compile(r"{(\w+)}")
    nb, en = catalogue("nb"), catalogue("en")
    for key, text in nb.items():
        if key in en:
            assert set(field.findall(text)) == set(field.findall(en[key])), key


def test_catalogue_keys_used_in_code_exist():
    used = re.compile(
        r"""(?:\bt\([^,]+,\s*|UserError\(|NotFound\(|NotAllowed\(|InvalidInput\(|Conflict\(|say\([^,]+,\s*)f?["']([a-z_]+\.[a-z_0-9]+)["']"""
    )
    nb = catalogue("nb")
    missing = []
    for path in list((ROOT / "cogs").rglob("*.py")) + list((ROOT / "bot").rglob("*.py")):
        for key in used.findall(path.read_text(encoding="utf-8")):
            if key not in nb:
                missing.append(f"{path.name}: {key}")
    assert missing == []


# -- layers: who may import whom ----------------------------------------------------------------------

LAYER_IMPORTS: dict[str, set[str]] = {
    # the pure base of the top of bot/
    "errors": set(),
    "i18n": set(),
    "logging_setup": set(),
    "config": {"errors", "i18n"},
    # pure rules, and what turns them into documents
    "domain": {"errors", "i18n"},
    "render": {"domain", "errors", "i18n"},
    # SQL, and the use cases on top of it
    "storage": {"domain", "errors", "i18n"},
    "services": {"domain", "storage", "render", "config", "errors", "i18n"},
    # the Discord side: the runtime wires storage into services; ui and cogs see services only
    "runtime": {"domain", "services", "storage", "ui", "config", "errors", "i18n"},
    "ui": {"domain", "services", "render", "runtime", "config", "errors", "i18n"},
    "cogs": {"domain", "services", "render", "ui", "runtime", "config", "errors", "i18n"},
    # the local Discord-compatible server, and the two entry points that may start it
    "sandbox": {"domain", "runtime", "config", "errors", "i18n"},
    "demo": {"domain", "sandbox", "config", "errors", "i18n"},
    "cli": {"domain", "services", "storage", "render", "runtime", "demo", "config", "errors", "i18n", "logging_setup"},
}
"""For each layer, the layers it may import (besides itself). domain ← services ← runtime/ui ← cogs."""

DISCORD_LAYERS = {"runtime", "ui", "cogs", "cli"}
"""The only layers that may import discord.py (``cli`` only to start the bot)."""


def _layer(module: str) -> str | None:
    """The layer a dotted module name belongs to (``None`` for third-party and the standard library)."""
    parts = module.split(".")
    if parts[0] == "cogs":
        return "cogs"
    if parts[0] != "bot" or len(parts) == 1:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _production_files() -> list[Path]:
    return sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "cogs").rglob("*.py")])


def _imports(path: Path) -> list[str]:
    """Every absolute module ``path`` imports, ``TYPE_CHECKING`` blocks and function bodies included."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names if node.module in ("bot", "cogs"))
    return found


def test_every_module_belongs_to_a_known_layer():
    unknown = {_layer(_module_name(p)) for p in _production_files()} - set(LAYER_IMPORTS) - {None}
    assert unknown == set(), f"add {sorted(unknown)} to LAYER_IMPORTS with the layers they may import"


def _violations(layer: str, imported: list[str]) -> list[str]:
    """The imports a module of ``layer`` may not make."""
    allowed = LAYER_IMPORTS[layer] | {layer}
    wrong = []
    for name in imported:
        if name.split(".")[0] == "discord" and layer not in DISCORD_LAYERS:
            wrong.append(name)
        if name == "cogs" and layer == "runtime":
            continue  # the runtime walks the cogs package to load its extensions, and imports none of them
        target = _layer(name)
        if target is not None and target not in allowed:
            wrong.append(name)
    return wrong


@pytest.mark.parametrize("path", _production_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_layers_import_only_downwards(path: Path):
    layer = _layer(_module_name(path))
    if layer is None:  # bot/__init__.py
        return
    assert _violations(layer, _imports(path)) == [], f"{layer} may import only {sorted(LAYER_IMPORTS[layer])}"


@pytest.mark.parametrize(
    ("layer", "imported"),
    [
        ("domain", "discord"),
        ("domain", "bot.services.roster"),
        ("render", "bot.storage.db"),
        ("render", "bot.services.minutes"),
        ("render", "discord.ui"),
        ("storage", "bot.services.meetings"),
        ("services", "bot.runtime.client"),
        ("services", "bot.ui.respond"),
        ("services", "discord"),
        ("ui", "bot.storage.db"),
        ("cogs", "bot.storage.meeting_repo"),
        ("cogs", "bot.sandbox.harness"),
        ("runtime", "bot.sandbox"),
        ("runtime", "cogs.meetings"),
        ("sandbox", "cogs"),
        ("config", "bot.domain.dates"),
    ],
)
def test_the_layer_rules_refuse_an_upward_import(layer: str, imported: str):
    assert _violations(layer, [imported]) == [imported]


def test_the_import_walk_sees_lazy_and_type_checking_imports():
    # cli imports the runtime inside a function; ui modules import the bot's type under TYPE_CHECKING.
    assert "bot.runtime.client" in _imports(ROOT / "bot" / "cli.py")
    assert "bot.runtime.client" in _imports(ROOT / "bot" / "ui" / "respond.py")


MAX_MODULE_LINES = 400
"""A module that outgrows this becomes a package with private parts (STYLE.md §10)."""


@pytest.mark.parametrize("path", _production_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_400_lines(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split it along a real seam into a package of private modules"
