"""What members do in the sandbox: run slash commands, type into an autocomplete, click, submit forms.

The test-side half of :class:`~bot.sandbox.server.SandboxServer` (which exposes these methods as its own):
each action is checked the way Discord's client checks it (options, choices and bounds, permissions,
disabled components, form limits), then sent to the bot as an ``INTERACTION_CREATE``.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bot.sandbox.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionHandle,
)
from bot.sandbox.state import (
    ALL_PERMISSIONS,
    Attachment,
    BotAccount,
    Channel,
    Command,
    Guild,
    Json,
    Message,
    Role,
    User,
)

if TYPE_CHECKING:
    from bot.sandbox.server import SandboxServer

SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


class MemberActions:
    """Members' interactions with the bot, built on the server's state."""

    def __init__(self, server: SandboxServer) -> None:
        self.server = server

    # -- slash commands ---------------------------------------------------------------------------

    def find_command(self, path: str, guild: Guild | None = None) -> tuple[Command, list[Json], list[str]]:
        """The command for ``"meeting create"``: the command, its leaf options' schema, and the path's parts.

        Guild commands of ``guild`` shadow global ones; without a guild (a DM), only global commands
        allowed in DMs are found.
        """
        parts = path.split()
        if not parts:
            raise KeyError("an empty command path")
        matching = [c for c in self.server.commands.values() if c.name == parts[0] and c.data.get("type", 1) == 1]
        if guild is None:
            candidates = [c for c in matching if c.allowed_in_dms]
        else:
            candidates = sorted(
                (c for c in matching if c.guild_id in (None, guild.id)), key=lambda c: c.guild_id is None
            )
        if not candidates:
            where = f"in {guild.name}" if guild else "in DMs"
            raise KeyError(f"the bot registered no command /{parts[0]} usable {where}")
        command = candidates[0]
        _, options = _walk(command, parts, path)
        return command, options, parts

    async def invoke(
        self,
        user: User,
        path: str,
        options: dict[str, Any] | None = None,
        *,
        guild: Guild | None = None,
        channel: Channel | None = None,
        locale: str = "nb",
    ) -> InteractionHandle:
        """``user`` runs the slash command ``path`` (``"meeting create"``) with ``options`` by name.

        Option values are Python values: ``str``/``int``/``float``/``bool``, a :class:`User`,
        :class:`Channel` or :class:`Role` (or their ids), an :class:`Attachment` for a file. Without
        ``guild`` the command is run in the member's DM with the bot. ``channel`` defaults to the
        server's first text channel. Raises ``KeyError``/``ValueError``/``PermissionError`` for what
        Discord's client would not let the member do (unknown option, missing required option, a
        value outside the choices or bounds, missing ``default_member_permissions``).
        """
        command, schema, parts = self.find_command(path, guild)
        self._check_permission(command, user, guild, path)
        resolved: Json = {}
        built = self._build_options(schema, options or {}, resolved, guild, require=True)
        data = _command_data(command, parts, path, built, resolved)
        return await self._interaction(APPLICATION_COMMAND, user, data, guild=guild, channel=channel, locale=locale)

    async def autocomplete(
        self,
        user: User,
        path: str,
        focused: str,
        options: dict[str, Any] | None = None,
        *,
        guild: Guild | None = None,
        channel: Channel | None = None,
        locale: str = "nb",
        timeout: float = 5.0,
    ) -> list[Json]:
        """``user`` types in option ``focused`` of ``path``; returns the choices the bot suggested."""
        command, schema, parts = self.find_command(path, guild)
        known = {o["name"]: o for o in schema}
        if focused not in known or not known[focused].get("autocomplete"):
            raise KeyError(f"/{path}: option {focused!r} has no autocomplete")
        typed = dict(options or {})
        typed.setdefault(focused, "")
        built = self._build_options(schema, typed, {}, guild, require=False, validate=False)
        for option in built:
            if option["name"] == focused:
                option["focused"] = True
                option["value"] = str(typed[focused])  # what the member typed so far, always text
        data = _command_data(command, parts, path, built, {})
        handle = await self._interaction(AUTOCOMPLETE, user, data, guild=guild, channel=channel, locale=locale)
        await self.server.wait_for(lambda: handle.choices is not None, timeout=timeout, what=f"choices for /{path}")
        return handle.choices or []

    def _check_permission(self, command: Command, user: User, guild: Guild | None, path: str) -> None:
        required = command.data.get("default_member_permissions")
        if guild is None or required is None:
            return
        if guild.permissions_of(user.id) & int(required) != int(required):
            raise PermissionError(f"{user.name} lacks the permissions /{path} requires ({required})")

    def _build_options(
        self,
        schema: list[Json],
        given: dict[str, Any],
        resolved: Json,
        guild: Guild | None,
        *,
        require: bool,
        validate: bool = True,
    ) -> list[Json]:
        known = {o["name"]: o for o in schema}
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in given]
        if require and missing:
            raise ValueError(f"missing required option(s) {missing}")
        built: list[Json] = []
        for name, value in given.items():
            option = known.get(name)
            if option is None:
                raise KeyError(f"no option {name!r}; the command has {sorted(known)}")
            kind = int(option["type"])
            wire = self._option_value(kind, value, resolved, guild)
            if validate and self.server.check_option_limits:
                _check_option(option, wire)
            built.append({"name": name, "type": kind, "value": wire})
        return built

    def _option_value(self, kind: int, value: Any, resolved: Json, guild: Guild | None) -> Any:
        if kind == MENTIONABLE:
            kind = ROLE if isinstance(value, Role) or (guild and _id(value) in guild.roles) else USER
        if kind == USER:
            user = self.server.users[_id(value)]
            resolved.setdefault("users", {})[str(user.id)] = user.payload()
            if guild is not None and user.id in guild.members:
                member = guild.members[user.id].payload(with_user=False, permissions=guild.permissions_of(user.id))
                resolved.setdefault("members", {})[str(user.id)] = member
            return str(user.id)
        if kind == CHANNEL:
            channel = self.server.channels[_id(value)]
            resolved.setdefault("channels", {})[str(channel.id)] = {
                **channel.payload(),
                "permissions": str(ALL_PERMISSIONS),
            }
            return str(channel.id)
        if kind == ROLE:
            if guild is None:
                raise ValueError("role options need a server")
            role = guild.roles[_id(value)]
            resolved.setdefault("roles", {})[str(role.id)] = role.payload()
            return str(role.id)
        if kind == ATTACHMENT:
            upload = value if isinstance(value, Attachment) else Attachment("file.bin", bytes(value))
            stored = self.server._store_upload(upload)
            resolved.setdefault("attachments", {})[str(stored.id)] = stored.payload(self.server.base_url)
            return str(stored.id)
        if kind == INTEGER:
            return int(value)
        if kind == NUMBER:
            return float(value)
        if kind == BOOLEAN:
            return bool(value)
        return str(value)

    # -- components and forms ---------------------------------------------------------------------

    async def click(
        self,
        user: User,
        message: Message,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        locale: str = "nb",
    ) -> InteractionHandle:
        """``user`` clicks the button ``custom_id`` on ``message`` (or picks ``values`` in that select menu)."""
        component = _find_component(message.components, custom_id)
        if component is None:
            raise KeyError(f"message {message.id} has no component {custom_id!r}: {message.custom_ids()}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        kind = int(component.get("type", 2))
        data: Json = {"custom_id": custom_id, "component_type": kind}
        if kind != 2:
            data["values"] = list(values or [])
        channel = self.server.channels[message.channel_id]
        guild = self.server.guilds.get(channel.guild_id) if channel.guild_id is not None else None
        payload = self.server.message_payload(message)
        return await self._interaction(
            MESSAGE_COMPONENT, user, data, guild=guild, channel=channel, locale=locale, message=payload
        )

    async def submit_modal(
        self, user: User, opened_by: InteractionHandle, values: dict[str, str], *, locale: str = "nb"
    ) -> InteractionHandle:
        """``user`` fills in and submits the form the bot opened in answer to ``opened_by``.

        ``values`` maps each text input's custom id to its text; fields left out submit their
        pre-filled value. Raises ``ValueError`` for what the form would not accept (too long, too
        short, a required field empty) and ``KeyError`` for a field the form does not have.
        """
        modal = opened_by.modal
        if modal is None:
            raise ValueError("the bot did not open a form for that interaction")
        for key in values:
            modal.field(key)
        filled: dict[str, str] = {}
        for item in modal.fields:
            value = values.get(item.custom_id, item.value)
            if len(value) > item.max_length:
                raise ValueError(f"{item.custom_id}: at most {item.max_length} characters")
            if value and len(value) < item.min_length:
                raise ValueError(f"{item.custom_id}: at least {item.min_length} characters")
            if item.required and not value:
                raise ValueError(f"{item.custom_id} is required")
            filled[item.custom_id] = value
        data: Json = {"custom_id": modal.custom_id, "components": _fill(modal.raw.get("components") or [], filled)}
        source = opened_by.payload
        guild = self.server.guilds.get(int(source["guild_id"])) if source.get("guild_id") else None
        channel = self.server.channels.get(int(source["channel_id"]))
        return await self._interaction(
            MODAL_SUBMIT, user, data, guild=guild, channel=channel, locale=locale, message=source.get("message")
        )

    def _command_bot(self) -> BotAccount:
        if not self.server.bots:
            raise RuntimeError("register a bot first")
        return next(iter(self.server.bots.values()))

    async def _interaction(
        self,
        kind: int,
        user: User,
        data: Json,
        *,
        guild: Guild | None,
        channel: Channel | None,
        locale: str,
        message: Json | None = None,
    ) -> InteractionHandle:
        bot = self._command_bot()
        if channel is None:
            if guild is None:
                channel = self.server.dm_channel(user)
            elif guild.channels:
                channel = next(iter(guild.channels.values()))
            else:
                raise ValueError(f"{guild.name} has no channel to run the command in")
        interaction_id = self.server.ids.next()
        token = secrets.token_urlsafe(24)
        payload: Json = {
            "id": str(interaction_id),
            "application_id": str(bot.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "token": token,
            "version": 1,
            "locale": locale,
            "app_permissions": str(ALL_PERMISSIONS),
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "authorizing_integration_owners": {"0": str(guild.id)} if guild else {"1": str(user.id)},
            "context": 0 if guild else 1,
        }
        if guild is not None:
            member = guild.members.get(user.id)
            if member is None:
                raise KeyError(f"{user.name} is not a member of {guild.name}")
            payload["guild_id"] = str(guild.id)
            payload["guild_locale"] = guild.locale
            payload["guild"] = {"id": str(guild.id), "locale": guild.locale, "features": []}
            payload["member"] = member.payload(permissions=guild.permissions_of(user.id))
        else:
            payload["user"] = user.payload()
        if message is not None:
            payload["message"] = message
        handle = InteractionHandle(self.server, interaction_id, token, kind, user, payload, created=self.server.clock())
        self.server.interactions[interaction_id] = handle
        await self.server.gateway.dispatch(bot, "INTERACTION_CREATE", payload)
        await self.server.changed()
        return handle


def _id(value: Any) -> int:
    return int(value.id) if hasattr(value, "id") else int(value)


def _walk(command: Command, parts: list[str], path: str) -> tuple[list[tuple[str, int]], list[Json]]:
    """The (name, type) chain of subcommand groups and subcommands in ``parts``, and the leaf options."""
    chain: list[tuple[str, int]] = []
    options: list[Json] = command.data.get("options") or []
    for part in parts[1:]:
        sub = next((o for o in options if o["name"] == part and o["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP)), None)
        if sub is None:
            raise KeyError(f"/{path}: no subcommand {part!r}")
        chain.append((part, int(sub["type"])))
        options = sub.get("options") or []
    subs = [o["name"] for o in options if o["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP)]
    if subs:
        raise KeyError(f"/{path} needs a subcommand: {subs}")
    return chain, options


def _command_data(command: Command, parts: list[str], path: str, options: list[Json], resolved: Json) -> Json:
    """A slash command's (or autocomplete's) ``data`` as Discord sends it, a server command's ``guild_id`` too."""
    chain, _ = _walk(command, parts, path)
    data: Json = {"id": str(command.id), "name": command.name, "type": 1, "options": _wrap(chain, options)}
    if resolved:
        data["resolved"] = resolved
    if command.guild_id is not None:
        data["guild_id"] = str(command.guild_id)
    return data


def _wrap(chain: list[tuple[str, int]], leaf: list[Json]) -> list[Json]:
    for name, kind in reversed(chain):
        leaf = [{"name": name, "type": kind, "options": leaf}]
    return leaf


def _check_option(option: Json, value: Any) -> None:
    name = option["name"]
    choices = option.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise ValueError(f"{name}: {value!r} is not one of the choices {[c['value'] for c in choices]}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if option.get("min_value") is not None and value < option["min_value"]:
            raise ValueError(f"{name}: {value} is below {option['min_value']}")
        if option.get("max_value") is not None and value > option["max_value"]:
            raise ValueError(f"{name}: {value} is above {option['max_value']}")
    if option["type"] == STRING:
        if option.get("max_length") is not None and len(value) > option["max_length"]:
            raise ValueError(f"{name}: longer than {option['max_length']} characters")
        if option.get("min_length") is not None and len(value) < option["min_length"]:
            raise ValueError(f"{name}: shorter than {option['min_length']} characters")
        if len(value) > 6000:
            raise ValueError(f"{name}: Discord's client sends at most 6000 characters")


def _find_component(items: list[Json], custom_id: str) -> Json | None:
    for item in items:
        if item.get("custom_id") == custom_id:
            return item
        nested = list(item.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(item.get(key), dict):
                nested.append(item[key])
        found = _find_component(nested, custom_id)
        if found is not None:
            return found
    return None


def _fill(items: list[Json], values: dict[str, str]) -> list[Json]:
    """The submitted components of a form: its layout with each text input's value."""
    out: list[Json] = []
    for item in items:
        if item.get("type") == 4:
            out.append({"type": 4, "custom_id": item["custom_id"], "value": values.get(item["custom_id"], "")})
        elif isinstance(item.get("component"), dict):
            out.append({"type": item.get("type", 18), "component": _fill([item["component"]], values)[0]})
        elif "components" in item:
            out.append({"type": item.get("type", 1), "components": _fill(item["components"], values)})
    return out
