"""The sandbox's users and applications routes: who the bot is, and its slash commands (global and per server)."""

from __future__ import annotations

from aiohttp import web

from bot.sandbox.limits import DiscordError, found, snowflake
from bot.sandbox.routes import Handler, RouteGroup
from bot.sandbox.state import BotAccount, Command, Json


class ApplicationRoutes(RouteGroup):
    """The routes under ``/users`` and ``/applications``."""

    def routes(self) -> list[tuple[str, str, Handler]]:
        """``(method, path, handler)`` for :meth:`RestApi.install`.

        The command routes stand twice, as in Discord's API: for global commands under the application,
        and for a server's commands under ``/guilds/{guild}`` (the handlers read which from the path).
        """
        commands = [
            ("GET", "/commands", self._get_commands),
            ("PUT", "/commands", self._put_commands),
            ("POST", "/commands", self._post_command),
            ("GET", "/commands/{command}", self._get_command),
            ("PATCH", "/commands/{command}", self._patch_command),
            ("DELETE", "/commands/{command}", self._delete_command),
        ]
        return [
            ("GET", "/users/@me", self._me),
            ("GET", "/users/{user_id}", self._get_user),
            ("GET", "/oauth2/applications/@me", self._application),
            ("GET", "/applications/@me", self._application),
            *(
                (method, prefix + path, handler)
                for prefix in ("/applications/{app}", "/applications/{app}/guilds/{guild}")
                for method, path, handler in commands
            ),
        ]

    # -- users ---------------------------------------------------------------------

    async def _me(self, request: web.Request) -> web.StreamResponse:
        return self.rest.json(self.rest.authenticate(request).user.payload())

    async def _get_user(self, request: web.Request) -> web.StreamResponse:
        return self.rest.json(found(self.server.users, request, "user_id", 10013, "Unknown User").payload())

    async def _application(self, request: web.Request) -> web.StreamResponse:
        bot = self.rest.authenticate(request)
        owner = next((u for u in self.server.users.values() if not u.bot), bot.user)
        return self.rest.json(
            {
                "id": str(bot.application_id),
                "name": bot.user.name,
                "icon": None,
                "description": "",
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": owner.payload(),
                "verify_key": "0" * 64,
                "flags": 0,
                "team": None,
                "bot": bot.user.payload(),
            }
        )

    def _app(self, request: web.Request) -> BotAccount:
        bot = self.rest.authenticate(request)
        if request.match_info.get("app") != str(bot.application_id):
            raise DiscordError(403, 50001, "Missing Access")
        return bot

    def _command_guild(self, request: web.Request) -> int | None:
        guild = request.match_info.get("guild")
        if guild is None:
            return None
        if int(guild) not in self.server.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return int(guild)

    def _commands_of(self, bot: BotAccount, guild_id: int | None) -> list[Command]:
        return [
            c
            for c in self.server.commands.values()
            if c.application_id == bot.application_id and c.guild_id == guild_id
        ]

    async def _get_commands(self, request: web.Request) -> web.StreamResponse:
        bot, guild_id = self._app(request), self._command_guild(request)
        return self.rest.json([c.payload() for c in self._commands_of(bot, guild_id)])

    def _add_command(self, bot: BotAccount, data: Json, guild_id: int | None) -> Command:
        name = str(data.get("name") or "")
        if not 1 <= len(name) <= 32:
            raise DiscordError(400, 50035, "Invalid Form Body")
        existing = next(
            (
                c
                for c in self._commands_of(bot, guild_id)
                if c.name == name and c.data.get("type", 1) == data.get("type", 1)
            ),
            None,
        )
        if existing is not None:
            existing.data = data
            return existing
        command = Command(self.server.ids.next(), bot.application_id, data, guild_id)
        self.server.commands[command.id] = command
        return command

    async def _put_commands(self, request: web.Request) -> web.StreamResponse:
        bot, guild_id = self._app(request), self._command_guild(request)
        body = await request.json()
        if len(body) > 100:
            raise DiscordError(400, 30032, "Maximum number of application commands reached (100)")
        for command in self._commands_of(bot, guild_id):
            del self.server.commands[command.id]
        return self.rest.json([self._add_command(bot, data, guild_id).payload() for data in body])

    async def _post_command(self, request: web.Request) -> web.StreamResponse:
        bot, guild_id = self._app(request), self._command_guild(request)
        return self.rest.json(self._add_command(bot, await request.json(), guild_id).payload(), 201)

    def _command(self, request: web.Request) -> Command:
        bot, guild_id = self._app(request), self._command_guild(request)
        command = self.server.commands.get(snowflake(request, "command"))
        if command is None or command.application_id != bot.application_id or command.guild_id != guild_id:
            raise DiscordError(404, 10063, "Unknown application command")
        return command

    async def _get_command(self, request: web.Request) -> web.StreamResponse:
        return self.rest.json(self._command(request).payload())

    async def _patch_command(self, request: web.Request) -> web.StreamResponse:
        command = self._command(request)
        command.data = {**command.data, **(await request.json())}
        return self.rest.json(command.payload())

    async def _delete_command(self, request: web.Request) -> web.StreamResponse:
        del self.server.commands[self._command(request).id]
        return web.Response(status=204)
