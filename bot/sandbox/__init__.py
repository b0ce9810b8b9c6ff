"""A local Discord-compatible server for tests, the demo and the benchmarks (see :mod:`bot.sandbox.server`)."""

from bot.sandbox.interactions import InteractionHandle, Modal, ModalField
from bot.sandbox.limits import DiscordError, Stats
from bot.sandbox.server import SandboxServer, UploadFile
from bot.sandbox.state import Attachment, BotAccount, Channel, Command, Guild, Member, Message, Role, User

__all__ = [
    "Attachment",
    "BotAccount",
    "Channel",
    "Command",
    "DiscordError",
    "Guild",
    "InteractionHandle",
    "Member",
    "Message",
    "Modal",
    "ModalField",
    "Role",
    "SandboxServer",
    "Stats",
    "UploadFile",
    "User",
]
