"""Configuration loading: the example file, and one clear line for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Config, load_config, parse_config, resolve_config_path, token_from_env
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_example_config_loads_and_equals_the_defaults():
    config = load_config(ROOT / "config.example.toml")
    default = Config()
    assert config.discord == default.discord
    assert config.reminders == default.reminders
    assert config.outbox == default.outbox
    assert config.database.path == ROOT / "council-bot.sqlite3"


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[discord]\napi_base_url = 'ftp://x'", "discord.api_base_url"),
        ("[discord]\ntoken = 'abc'", "DISCORD_TOKEN"),
        ("[nonsense]\na = 1", "unknown section [nonsense]"),
        ("[defaults]\ntimezone = 'Mars/Base'", "defaults.timezone"),
        ("[defaults]\nlanguage = 'de'", "defaults.language"),
        ("[reminders]\nrsvp_offsets_hours = ['x']", "reminders.rsvp_offsets_hours"),
        ("[outbox]\nbatch_size = 0", "outbox.batch_size"),
        ("[limits]\nstatus_max_chars = 9000", "limits.status_max_chars"),
        ("[database]\npaht = 'x'", "unknown key database.paht"),
        ("[discord]\nsync_commands = 'yes'", "discord.sync_commands"),
        ("not toml at all [", "not valid TOML"),
        (
            "[reminders]\nscheduler_interval_seconds = 0",
            "reminders.scheduler_interval_seconds must be greater than zero",
        ),
        ("[reminders]\nscheduler_interval_seconds = -5", "reminders.scheduler_interval_seconds"),
        ("[reminders]\nscheduler_interval_seconds = nan", "reminders.scheduler_interval_seconds must be a number"),
        ("[outbox]\nidle_poll_seconds = 0", "outbox.idle_poll_seconds must be greater than zero"),
        ("[outbox]\nidle_poll_seconds = inf", "outbox.idle_poll_seconds"),
        ("[outbox]\nmax_attempts = -1", "outbox.max_attempts"),
        ("[defaults]\nmeeting_hours = 0", "defaults.meeting_hours must be greater than zero"),
        ("[reminders]\nrsvp_deadline_days = 0", "reminders.rsvp_deadline_days"),
        ("[reminders]\nstatus_deadline_days = -1", "reminders.status_deadline_days"),
        ("[reminders]\nstatus_offsets_hours = [48, 0]", "reminders.status_offsets_hours"),
        ("[discord]\nguild_ready_timeout = 0", "discord.guild_ready_timeout"),
        ("[limits]\nnote_max_chars = 0", "limits.note_max_chars"),
    ],
)
def test_bad_config_gives_one_clear_line(tmp_path, toml, needle):
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert needle in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "absent.toml")


def test_config_path_resolution(monkeypatch):
    monkeypatch.delenv("COUNCIL_BOT_CONFIG", raising=False)
    assert resolve_config_path(None) == Path("config.toml")
    monkeypatch.setenv("COUNCIL_BOT_CONFIG", "/etc/council.toml")
    assert resolve_config_path(None) == Path("/etc/council.toml")
    assert resolve_config_path("x.toml") == Path("x.toml")


def test_offsets_are_sorted_latest_first():
    config = parse_config({"reminders": {"rsvp_offsets_hours": [2, 168, 48]}})
    assert config.reminders.rsvp_offsets_hours == (168.0, 48.0, 2.0)


def test_cli_reports_bad_config_in_one_line(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text("[discord]\ngateway_url = 'http://x'", encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "discord.gateway_url" in err


def test_cli_db_migrate_check_backup(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text("[database]\npath = 'db.sqlite3'\n", encoding="utf-8")
    assert main(["db", "--config", str(path), "migrate", "--dry-run"]) == 0
    assert "pending migration" in capsys.readouterr().out
    assert main(["db", "--config", str(path), "migrate"]) == 0
    assert main(["db", "--config", str(path), "check"]) == 0
    assert capsys.readouterr().out.strip().endswith("ok")
    assert main(["db", "--config", str(path), "backup", str(tmp_path / "b.sqlite3")]) == 0
    assert (tmp_path / "b.sqlite3").exists()
    assert main(["db", "--config", str(path), "backup", str(tmp_path / "b.sqlite3")]) == 2


def test_cli_run_without_token_fails_cleanly(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    assert main(["run", "--config", str(path)]) == 2
    assert "DISCORD_TOKEN" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "does not exist"),
        (b"not a zip at all", "is not a Word document"),
        ("zip-without-document", "is not a Word document"),
        ("broken-document", "cannot be read as a Word document"),
    ],
)
def test_missing_or_broken_docx_template_gives_one_clear_line(tmp_path, capsys, content, needle):
    import zipfile

    template = tmp_path / "brevark.docx"
    if isinstance(content, bytes):
        template.write_bytes(content)
    elif content == "zip-without-document":
        with zipfile.ZipFile(template, "w") as archive:
            archive.writestr("hello.txt", "hi")
    elif content == "broken-document":
        with zipfile.ZipFile(template, "w") as archive:
            archive.writestr("word/document.xml", "<not xml")
    path = tmp_path / "config.toml"
    path.write_text('[minutes]\ndocx_template = "brevark.docx"\n', encoding="utf-8")
    assert main(["check-config", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "minutes.docx_template" in err and needle in err


def test_docx_template_is_relative_to_the_config_file(tmp_path):
    from docx import Document

    Document().save(tmp_path / "brevark.docx")
    path = tmp_path / "config.toml"
    path.write_text('[minutes]\ndocx_template = "brevark.docx"\n', encoding="utf-8")
    config = load_config(path)
    assert config.docx_template == tmp_path / "brevark.docx"
    assert load_config(ROOT / "config.example.toml").docx_template is None


@pytest.mark.parametrize(
    "toml",
    [
        "[reminders]\nscheduler_interval_seconds = 0",
        "[outbox]\nidle_poll_seconds = -1",
        "[defaults]\nmeeting_hours = 0",
    ],
)
@pytest.mark.parametrize("command", ["check-config", "run"])
def test_values_that_cannot_work_are_refused_by_check_config_and_run(tmp_path, capsys, monkeypatch, toml, command):
    monkeypatch.setenv("DISCORD_TOKEN", "a-token")
    path = tmp_path / "config.toml"
    path.write_text(toml, encoding="utf-8")
    assert main([command, "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "greater than zero" in err and "Traceback" not in err
    assert not (tmp_path / "council-bot.sqlite3").exists()


def test_token_from_a_file_or_the_systemd_credential(tmp_path, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("DISCORD_TOKEN_FILE", raising=False)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    with pytest.raises(ConfigError, match="no Discord token"):
        token_from_env()
    (tmp_path / "discord-token").write_text("from-credential\n", encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    assert token_from_env() == "from-credential"
    (tmp_path / "file").write_text("  from-file  \n", encoding="utf-8")
    monkeypatch.setenv("DISCORD_TOKEN_FILE", str(tmp_path / "file"))
    assert token_from_env() == "from-file"
    monkeypatch.setenv("DISCORD_TOKEN", "from-env")
    assert token_from_env() == "from-env"


@pytest.mark.parametrize(("content", "needle"), [(None, "cannot read the token file"), ("\n", "is empty")])
def test_unreadable_or_empty_token_file_is_one_clear_line(tmp_path, monkeypatch, capsys, content, needle):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    token = tmp_path / "token"
    if content is not None:
        token.write_text(content, encoding="utf-8")
    monkeypatch.setenv("DISCORD_TOKEN_FILE", str(token))
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err


def test_unreachable_discord_is_one_clear_line(tmp_path, monkeypatch, capsys, unused_tcp_port):
    monkeypatch.setenv("DISCORD_TOKEN", "a-token")
    config = tmp_path / "config.toml"
    config.write_text(
        f"[discord]\napi_base_url = 'http://127.0.0.1:{unused_tcp_port}/api/v10'\n"
        f"gateway_url = 'ws://127.0.0.1:{unused_tcp_port}/'\n[logging]\nlevel = 'WARNING'\n",
        encoding="utf-8",
    )
    assert main(["run", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "cannot reach Discord at http://127.0.0.1" in err
    assert "Traceback" not in err and err.count("\n") == 1, err
