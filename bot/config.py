"""Configuration: a TOML file read into frozen dataclasses, validated at start.

The Discord token is never in the file: it comes from the ``DISCORD_TOKEN`` environment variable.
Every key is documented in ``config.example.toml``; a test loads that file so it never goes stale.
"""

from __future__ import annotations

import math
import os
import tomllib
import zipfile
from dataclasses import Field, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from docx import Document

from bot.errors import ConfigError
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES

DEFAULT_CONFIG_PATH: Final = "config.toml"
CONFIG_ENV: Final = "COUNCIL_BOT_CONFIG"
TOKEN_ENV: Final = "DISCORD_TOKEN"  # noqa: S105 - the variable's name, not a secret
TOKEN_FILE_ENV: Final = "DISCORD_TOKEN_FILE"  # noqa: S105 - the variable's name, not a secret
TOKEN_CREDENTIAL: Final = "discord-token"  # noqa: S105 - systemd's LoadCredential= name, not a secret
"""The token file systemd hands over as ``$CREDENTIALS_DIRECTORY/discord-token`` (deploy/council-bot.service)."""
FORM_FIELD_MAX: Final = 4000
"""Discord's maximum for a text field in a form."""


def _positive(default: float) -> float:
    """A number that cannot work at zero: an interval, a timeout, a length (whole-number keys are positive too)."""
    return field(default=default, metadata={"positive": True})


def _form_chars(default: int) -> int:
    """A limit on text typed into a form: at most what one of Discord's form fields holds."""
    return field(default=default, metadata={"at_most": (FORM_FIELD_MAX, "the form's own maximum")})


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    """Where Discord is and how commands are synced."""

    api_base_url: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg"
    sync_commands: bool = True
    guild_ready_timeout: float = _positive(2.0)


@dataclass(frozen=True, slots=True)
class DatabaseConfig:
    """The SQLite file."""

    path: Path = Path("council-bot.sqlite3")


@dataclass(frozen=True, slots=True)
class DefaultsConfig:
    """Settings a server starts with before ``/council setup`` changes them."""

    language: str = DEFAULT_LANGUAGE
    timezone: str = "Europe/Oslo"
    meeting_hours: float = _positive(3.0)


@dataclass(frozen=True, slots=True)
class RemindersConfig:
    """When reminders go out, in hours before each deadline."""

    rsvp_offsets_hours: tuple[float, ...] = (168.0, 48.0)
    status_offsets_hours: tuple[float, ...] = (168.0, 48.0)
    rsvp_deadline_days: float = _positive(7.0)
    status_deadline_days: float = _positive(3.0)
    scheduler_interval_seconds: float = _positive(60.0)
    action_due_days: float = 2.0
    circulation_days: float = 7.0
    day_of_hours: float = 2.0
    """The reminder on the day, this many hours before the start (0 turns it off)."""


@dataclass(frozen=True, slots=True)
class OutboxConfig:
    """The worker that sends owed DMs."""

    batch_size: int = 50
    idle_poll_seconds: float = _positive(5.0)
    max_attempts: int = 8
    concurrency: int = 16
    requests_per_second: float = 49.0


@dataclass(frozen=True, slots=True)
class MeetingsConfig:
    """Scheduled events and documents."""

    scheduled_events: bool = True
    document_max_mb: float = 8.0
    documents_max_mb_per_meeting: float = 10.0


@dataclass(frozen=True, slots=True)
class LimitsConfig:
    """Input limits."""

    status_max_chars: int = _form_chars(3000)
    note_max_chars: int = _form_chars(4000)


@dataclass(frozen=True, slots=True)
class MinutesConfig:
    """How the minutes are written."""

    docx_template: str = ""
    """A Word document (``.docx``) whose page setup, header, footer and styles the Word minutes use;
    empty for the built-in look. Relative paths are relative to the configuration file."""


@dataclass(frozen=True, slots=True)
class LoggingConfig:
    """Logging."""

    level: str = "INFO"


@dataclass(frozen=True, slots=True)
class Config:
    """The whole configuration."""

    discord: DiscordConfig = field(default_factory=DiscordConfig)
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    defaults: DefaultsConfig = field(default_factory=DefaultsConfig)
    reminders: RemindersConfig = field(default_factory=RemindersConfig)
    outbox: OutboxConfig = field(default_factory=OutboxConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    meetings: MeetingsConfig = field(default_factory=MeetingsConfig)
    minutes: MinutesConfig = field(default_factory=MinutesConfig)

    @property
    def docx_template(self) -> Path | None:
        """The Word template of the minutes, if one is configured."""
        return Path(self.minutes.docx_template) if self.minutes.docx_template else None


_SECTIONS: Final[dict[str, type[Any]]] = {
    "discord": DiscordConfig,
    "database": DatabaseConfig,
    "defaults": DefaultsConfig,
    "reminders": RemindersConfig,
    "outbox": OutboxConfig,
    "limits": LimitsConfig,
    "logging": LoggingConfig,
    "meetings": MeetingsConfig,
    "minutes": MinutesConfig,
}


def _coerce(section: str, key: Field[Any], value: Any, default: Any, problems: list[str]) -> Any:
    name = f"{section}.{key.name}"
    if isinstance(default, bool):
        if not isinstance(value, bool):
            problems.append(f"{name} must be true or false")
        return value
    if isinstance(default, Path):
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name} must be a file path")
            return default
        return Path(value)
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(f"{name} must be a number")
            return default
        if key.metadata.get("positive") and value <= 0:
            problems.append(f"{name} must be greater than zero")
            return default
        if value < 0:
            problems.append(f"{name} must be a non-negative number")
            return default
        return float(value)
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            problems.append(f"{name} must be a positive whole number")
            return default
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v <= 0 for v in value
        ):
            problems.append(f"{name} must be a list of positive numbers")
            return default
        return tuple(sorted((float(v) for v in value), reverse=True))
    if not isinstance(value, str):
        problems.append(f"{name} must be text")
        return default
    return value


def _check_values(config: Config, problems: list[str]) -> None:
    if config.defaults.language not in LANGUAGES:
        problems.append("defaults.language must be " + " or ".join(f"'{code}'" for code in LANGUAGES))
    try:
        ZoneInfo(config.defaults.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"defaults.timezone is not a known IANA time zone: {config.defaults.timezone!r}")
    for key, url in (("api_base_url", config.discord.api_base_url), ("gateway_url", config.discord.gateway_url)):
        schemes = ("http://", "https://") if key == "api_base_url" else ("ws://", "wss://")
        if not url.startswith(schemes):
            problems.append(f"discord.{key} must start with {' or '.join(schemes)}")
    if config.logging.level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        problems.append("logging.level must be DEBUG, INFO, WARNING or ERROR")
    if not 0 < config.meetings.document_max_mb <= config.meetings.documents_max_mb_per_meeting:
        problems.append("meetings.document_max_mb must be above 0 and at most meetings.documents_max_mb_per_meeting")
    if config.meetings.documents_max_mb_per_meeting > 25:
        problems.append("meetings.documents_max_mb_per_meeting must be at most 25 (what one Discord message can carry)")
    for section, cls in _SECTIONS.items():
        for declared in fields(cls):
            if "at_most" in declared.metadata:
                limit, why = declared.metadata["at_most"]
                if not 1 <= getattr(getattr(config, section), declared.name) <= limit:
                    problems.append(f"{section}.{declared.name} must be between 1 and {limit} ({why})")
    if config.docx_template is not None:
        problem = check_docx_template(config.docx_template)
        if problem:
            problems.append(problem)


def check_docx_template(path: Path) -> str | None:
    """Why ``path`` cannot serve as the Word template of the minutes, or ``None`` when it can."""
    name = f"minutes.docx_template: {path}"
    if not path.is_file():
        return f"{name} does not exist (give the path of a .docx file, or remove the key)"
    if not zipfile.is_zipfile(path):
        return f"{name} is not a Word document (.docx)"
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                return f"{name} is not a Word document (.docx)"
        Document(str(path))
    except Exception as exc:  # python-docx raises assorted errors on a damaged file
        return f"{name} cannot be read as a Word document: {type(exc).__name__}"
    return None


def parse_config(data: dict[str, Any], *, base_dir: Path | None = None) -> Config:
    """Build a :class:`Config` from parsed TOML, listing every problem in one ``ConfigError``."""
    problems: list[str] = []
    sections: dict[str, Any] = {}
    for section, value in data.items():
        cls = _SECTIONS.get(section)
        if cls is None:
            problems.append(f"unknown section [{section}]")
            continue
        if not isinstance(value, dict):
            problems.append(f"[{section}] must be a table")
            continue
        defaults = cls()
        known = {key.name: key for key in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            if key == "token":
                problems.append(f"{section}.token must not be in the file: set the {TOKEN_ENV} environment variable")
                continue
            if key not in known:
                problems.append(f"unknown key {section}.{key}")
                continue
            kwargs[key] = _coerce(section, known[key], item, getattr(defaults, key), problems)
        sections[section] = cls(**kwargs)
    config = Config(**sections)
    if base_dir is not None and not config.database.path.is_absolute():
        config = replace(config, database=DatabaseConfig(path=base_dir / config.database.path))
    template = config.docx_template
    if base_dir is not None and template is not None and not template.is_absolute():
        config = replace(config, minutes=MinutesConfig(docx_template=str(base_dir / template)))
    _check_values(config, problems)
    if problems:
        raise ConfigError("; ".join(problems))
    return config


def resolve_config_path(path: str | None) -> Path:
    """The config path: the argument, else ``$COUNCIL_BOT_CONFIG``, else ``./config.toml``."""
    return Path(path or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_PATH)


def load_config(path: str | Path) -> Config:
    """Read and validate a configuration file; raises ``ConfigError`` with one clear line."""
    target = Path(path)
    try:
        with target.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {target} (copy config.example.toml)") from None
    except IsADirectoryError:
        raise ConfigError(f"configuration path is a folder: {target}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{target} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {target}: {exc.strerror}") from None
    try:
        return parse_config(data, base_dir=target.resolve().parent)
    except ConfigError as exc:
        raise ConfigError(f"{target}: {exc}") from None


def token_from_env() -> str:
    """The bot token: ``$DISCORD_TOKEN``, else the file ``$DISCORD_TOKEN_FILE``, else systemd's credential.

    The credential is ``$CREDENTIALS_DIRECTORY/discord-token`` (``LoadCredential=`` in the unit).
    Raises ``ConfigError`` with one clear line (never the token) when none gives a token.
    """
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    candidates: list[tuple[str, Path]] = []
    if os.environ.get(TOKEN_FILE_ENV):
        candidates.append((f"${TOKEN_FILE_ENV}", Path(os.environ[TOKEN_FILE_ENV])))
    elif os.environ.get("CREDENTIALS_DIRECTORY"):
        candidates.append(("the systemd credential", Path(os.environ["CREDENTIALS_DIRECTORY"]) / TOKEN_CREDENTIAL))
    for origin, path in candidates:
        try:
            token = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read the token file {path} ({origin}): {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"the token file {path} ({origin}) is not text") from None
        if not token:
            raise ConfigError(f"the token file {path} ({origin}) is empty")
        return token
    raise ConfigError(
        f"no Discord token: set {TOKEN_ENV}, or {TOKEN_FILE_ENV} to a file holding it,"
        f" or LoadCredential={TOKEN_CREDENTIAL}:... in the systemd unit"
    )
