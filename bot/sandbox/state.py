"""The sandbox's in-memory world: users, servers, channels, messages, commands and interactions.

Plain dataclasses with ``payload()`` methods that produce the JSON shapes Discord's API uses, so the
REST and gateway layers stay thin.
"""

from __future__ import annotations

import mimetypes
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
ALL_PERMISSIONS = (1 << 50) - 1
EPHEMERAL = 1 << 6


# Gateway intents the sandbox filters events by (as Discord does).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12


class Snowflakes:
    """Increasing snowflake ids, like Discord's (time-based, so ordering by id is ordering by time)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        """A new id, larger than every earlier one."""
        millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
        self._last = max(self._last + 1, millis << 22)
        return self._last


def iso_now() -> str:
    """The current time as Discord formats timestamps."""
    return datetime.now(UTC).isoformat()


@dataclass
class User:
    """A Discord user (a person or a bot)."""

    id: int
    name: str
    bot: bool = False
    global_name: str | None = None

    def payload(self) -> Json:
        """The user object."""
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.global_name or self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass
class BotAccount:
    """A bot user with its application and token."""

    user: User
    application_id: int
    token: str


@dataclass
class Role:
    """A server role."""

    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0

    def payload(self) -> Json:
        """The role object."""
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass
class Channel:
    """A text channel in a server, or a DM channel (``guild_id`` None, ``recipient`` set)."""

    id: int
    name: str
    guild_id: int | None = None
    recipient: User | None = None
    position: int = 0

    @property
    def type(self) -> int:
        """0 for a server text channel, 1 for a DM."""
        return 0 if self.guild_id is not None else 1

    def payload(self) -> Json:
        """The channel object."""
        if self.guild_id is None:
            recipients = [self.recipient.payload()] if self.recipient else []
            return {"id": str(self.id), "type": 1, "recipients": recipients, "last_message_id": None, "flags": 0}
        return {
            "id": str(self.id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
            "flags": 0,
        }


@dataclass
class Member:
    """A user's membership of a server."""

    user: User
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)

    def payload(self, *, permissions: int | None = None, with_user: bool = True) -> Json:
        """The member object (interactions add the computed ``permissions``)."""
        data: Json = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "joined_at": self.joined_at,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Guild:
    """A server."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    locale: str = "no"

    @property
    def everyone(self) -> Role:
        """The @everyone role (its id is the server's id)."""
        return self.roles[self.id]

    def permissions_of(self, user_id: int) -> int:
        """A member's server-wide permissions, as Discord computes them (owner and administrators get all)."""
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        member = self.members.get(user_id)
        value = self.everyone.permissions
        for role_id in member.roles if member else []:
            role = self.roles.get(role_id)
            if role is not None:
                value |= role.permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value

    def payload(self) -> Json:
        """The GUILD_CREATE payload: the server with its roles, channels and members."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.payload() for r in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": self.locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "joined_at": iso_now(),
            "voice_states": [],
            "members": [m.payload() for m in self.members.values()],
            "channels": [c.payload() for c in self.channels.values()],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass
class Attachment:
    """A file on a message, kept in memory; also what tests pass for an attachment option.

    ``Attachment("roster.csv", b"...")`` is enough: the content type is guessed from the file name and
    the sandbox gives the file an id when it stores it.
    """

    filename: str
    data: bytes
    content_type: str = ""
    id: int = 0

    def __post_init__(self) -> None:
        if not self.content_type:
            guessed, _ = mimetypes.guess_type(self.filename)
            self.content_type = guessed or "application/octet-stream"

    def payload(self, base_url: str) -> Json:
        """The attachment object; ``url`` points back at the sandbox."""
        url = f"{base_url}/attachments/{self.id}/{self.filename}"
        return {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": url,
            "proxy_url": url,
            "content_type": self.content_type,
        }


@dataclass
class Message:
    """A message in a channel (or an interaction response, which may be ephemeral)."""

    id: int
    channel_id: int
    author: User
    content: str = ""
    guild_id: int | None = None
    embeds: list[Json] = field(default_factory=list)
    components: list[Json] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    allowed_mentions: Json | None = None
    flags: int = 0
    nonce: str | None = None
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None
    interaction_id: int | None = None
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user sees it."""
        return bool(self.flags & EPHEMERAL)

    def custom_ids(self) -> list[str]:
        """Every component custom id on the message, in order."""
        found: list[str] = []

        def walk(items: list[Json]) -> None:
            for item in items:
                if "custom_id" in item:
                    found.append(str(item["custom_id"]))
                walk(item.get("components", []))
                for key in ("component", "accessory"):
                    if isinstance(item.get(key), dict):
                        walk([item[key]])

        walk(self.components)
        return found

    def payload(self, base_url: str) -> Json:
        """The message object."""
        data: Json = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [a.payload(base_url) for a in self.attachments],
            "embeds": self.embeds,
            "pinned": False,
            "type": 0,
            "flags": self.flags,
            "components": self.components,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        return data


@dataclass
class Command:
    """An application command the bot registered."""

    id: int
    application_id: int
    data: Json
    guild_id: int | None = None

    @property
    def name(self) -> str:
        """The command's top-level name."""
        return str(self.data["name"])

    @property
    def allowed_in_dms(self) -> bool:
        """Whether members may run it in a DM with the bot (global commands not marked guild-only)."""
        if self.guild_id is not None:
            return False
        contexts = self.data.get("contexts")
        if contexts is not None:
            return 1 in contexts
        return self.data.get("dm_permission") is not False

    def payload(self) -> Json:
        """The registered command as Discord returns it."""
        data = dict(self.data)
        data.update(
            {
                "id": str(self.id),
                "application_id": str(self.application_id),
                "version": str(self.id),
                "type": data.get("type", 1),
                "description": data.get("description", ""),
                "options": data.get("options", []),
                "default_member_permissions": data.get("default_member_permissions"),
                "dm_permission": data.get("dm_permission", True),
                "nsfw": data.get("nsfw", False),
            }
        )
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        return data


def message_intent(message: Message) -> int:
    """The intent a MESSAGE_CREATE/UPDATE/DELETE for ``message`` needs."""
    return INTENT_GUILD_MESSAGES if message.guild_id is not None else INTENT_DIRECT_MESSAGES
