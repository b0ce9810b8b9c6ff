"""A local Discord-compatible server for tests, the demo and the benchmarks (see :mod:`bot.sandbox.server`)."""

from bot.sandbox.server import DiscordError, InteractionHandle, SandboxServer, UploadFile
from bot.sandbox.state import Attachment, BotAccount, Channel, Guild, Member, Message, Role, User

__all__ = [
    "Attachment",
    "BotAccount",
    "Channel",
    "DiscordError",
    "Guild",
    "InteractionHandle",
    "Member",
    "Message",
    "Role",
    "SandboxServer",
    "UploadFile",
    "User",
]
