"""What every group of the sandbox's REST routes shares: the API they are installed on, and the server's state."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.sandbox.rest import RestApi
    from bot.sandbox.server import SandboxServer

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
"""An aiohttp route handler."""


class RouteGroup:
    """The routes of one resource (applications, interactions, scheduled events…) of the REST API."""

    def __init__(self, rest: RestApi) -> None:
        self.rest = rest

    @property
    def server(self) -> SandboxServer:
        """The sandbox whose state the routes read and change."""
        return self.rest.server

    def routes(self) -> list[tuple[str, str, Handler]]:
        """``(method, path, handler)`` for :meth:`RestApi.install`."""
        raise NotImplementedError
