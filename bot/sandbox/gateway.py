"""The sandbox's gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME and dispatches.

Frames are plain JSON text (discord.py asks for zlib-stream but accepts text). Every dispatch gets a
sequence number and is kept per session, so after :meth:`Gateway.drop` the client resumes and gets
what it missed. Events are filtered by the intents the client identified with, as Discord does.
Not implemented: compression, sharding, presence updates, request-guild-members, voice.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web

from bot.sandbox.state import BotAccount, Json

if TYPE_CHECKING:
    from bot.sandbox.server import SandboxServer

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 9, 10, 11
REPLAY_BUFFER = 5000


class Connection:
    """One websocket; sends are serialised so frames never interleave and sequence numbers stay in order."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.lock = asyncio.Lock()

    @property
    def closed(self) -> bool:
        """Whether the socket is closed."""
        return self.ws.closed

    async def send(self, frame: Json) -> None:
        """Send one JSON text frame (a lost connection is ignored: the session replays on resume)."""
        async with self.lock:
            await self._send(frame)

    async def _send(self, frame: Json) -> None:
        if not self.ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_str(json.dumps(frame))


@dataclass
class GatewaySession:
    """One bot's gateway session; survives a dropped connection so it can be resumed."""

    session_id: str
    bot: BotAccount
    intents: int
    seq: int = 0
    events: deque[tuple[int, Json]] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))
    connection: Connection | None = None

    @property
    def ws(self) -> web.WebSocketResponse | None:
        """The open websocket, or None while the bot is disconnected."""
        return self.connection.ws if self.connection is not None and not self.connection.closed else None

    async def dispatch(self, event: str, data: Json) -> None:
        """Number, keep and (if connected) send one event."""
        connection = self.connection
        if connection is None:
            self._record(event, data)
            return
        async with connection.lock:
            frame = self._record(event, data)
            await connection._send(frame)

    def _record(self, event: str, data: Json) -> Json:
        self.seq += 1
        frame: Json = {"op": DISPATCH, "s": self.seq, "t": event, "d": data}
        self.events.append((self.seq, frame))
        return frame


class Gateway:
    """The websocket endpoint and the sessions behind it."""

    def __init__(self, server: SandboxServer, heartbeat_interval_ms: int) -> None:
        self.server = server
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, GatewaySession] = {}

    async def dispatch(self, bot: BotAccount, event: str, data: Json, intent: int | None = None) -> None:
        """Send ``event`` to every session of ``bot`` that asked for ``intent`` (None: always sent)."""
        for session in list(self.sessions.values()):
            if session.bot is bot and (intent is None or session.intents & intent):
                await session.dispatch(event, data)

    async def dispatch_all(self, event: str, data: Json, intent: int | None = None) -> None:
        """Send ``event`` to every bot (every bot is in every server)."""
        for bot in list(self.server.bots.values()):
            await self.dispatch(bot, event, data, intent)

    async def drop(self) -> None:
        """Close every connection abruptly (code 4000, resumable)."""
        for session in self.sessions.values():
            connection, session.connection = session.connection, None
            if connection is not None and not connection.closed:
                await connection.ws.close(code=4000, message=b"sandbox dropped the connection")

    async def close_all(self) -> None:
        """Close every connection (server shutdown)."""
        for session in self.sessions.values():
            if session.connection is not None and not session.connection.closed:
                await session.connection.ws.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """The ``/gateway`` websocket."""
        ws = web.WebSocketResponse(heartbeat=None, max_msg_size=16 * 1024 * 1024)
        await ws.prepare(request)
        connection = Connection(ws)
        await connection.send({"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        session: GatewaySession | None = None
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                break
            message = json.loads(frame.data)
            op, data = message.get("op"), message.get("d")
            if op == HEARTBEAT:
                await connection.send({"op": HEARTBEAT_ACK})
            elif op == IDENTIFY:
                session = await self._identify(connection, data or {})
                if session is None:
                    break
            elif op == RESUME:
                session = await self._resume(connection, data or {})
            else:
                log.debug("sandbox gateway: ignoring op %s", op)
        if session is not None and session.connection is connection:
            session.connection = None
            if ws.close_code in (1000, 1001):  # a clean close ends the session, as on Discord
                self.sessions.pop(session.session_id, None)
        await self.server.changed()
        return ws

    async def _identify(self, connection: Connection, data: Json) -> GatewaySession | None:
        bot = self.server.bots.get(str(data.get("token", "")).removeprefix("Bot "))
        if bot is None:
            await connection.ws.close(code=4004, message=b"Authentication failed.")
            return None
        for stale in [s for s in self.sessions.values() if s.bot is bot and s.connection is None]:
            del self.sessions[stale.session_id]  # a fresh IDENTIFY abandons the bot's disconnected sessions
        session = GatewaySession(secrets.token_hex(16), bot, int(data.get("intents", 0)), connection=connection)
        self.sessions[session.session_id] = session
        ready: Json = {
            "v": 10,
            "user": bot.user.payload(),
            "guilds": [{"id": str(g), "unavailable": True} for g in self.server.guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.server.gateway_url,
            "application": {"id": str(bot.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        }
        await session.dispatch("READY", ready)
        for guild in list(self.server.guilds.values()):
            await session.dispatch("GUILD_CREATE", guild.payload())
        await self.server.changed()
        return session

    async def _resume(self, connection: Connection, data: Json) -> GatewaySession | None:
        session = self.sessions.get(str(data.get("session_id")))
        bot = self.server.bots.get(str(data.get("token", "")).removeprefix("Bot "))
        if session is None or bot is not session.bot:
            await connection.send({"op": INVALID_SESSION, "d": False})
            return None
        last = int(data.get("seq") or 0)
        async with connection.lock:
            session.connection = connection
            for seq, frame in list(session.events):
                if seq > last:
                    await connection._send(frame)
        await session.dispatch("RESUMED", {})
        await self.server.changed()
        return session
