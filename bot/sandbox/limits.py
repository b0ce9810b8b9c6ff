"""Discord's limits and error shapes, and the rate limiter.

Every check raises :class:`DiscordError` with the status, code and (for form errors) the nested
``errors`` object Discord answers with, so discord.py raises the same ``HTTPException`` it would in
production.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from bot.sandbox.state import Attachment, Json

T = TypeVar("T")

MESSAGE_LIMIT = 2000
EMBEDS_PER_MESSAGE = 10
EMBED_TOTAL = 6000
FILES_PER_MESSAGE = 10
ROWS_PER_MESSAGE = 5
ITEMS_PER_ROW = 5
CUSTOM_ID_LIMIT = 100
MODAL_TITLE_LIMIT = 45
MODAL_LABEL_LIMIT = 45
TEXT_INPUT_LIMIT = 4000
IS_COMPONENTS_V2 = 1 << 15

_EMBED_FIELDS = {"title": 256, "description": 4096}


class DiscordError(Exception):
    """An error answered the way Discord answers it.

    Args:
        status: the HTTP status.
        code: Discord's JSON error code (50035 invalid form body, 50006 empty message, ...).
        message: the ``message`` field.
        errors: the nested ``errors`` object of a form error.
    """

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> Json:
        """The JSON body of the error response."""
        data: Json = {"message": self.message, "code": self.code}
        if self.errors:
            data["errors"] = self.errors
        return data


def form_error(path: str, code: str, message: str) -> DiscordError:
    """A 400 "Invalid Form Body" (50035) naming the field at dotted ``path`` (``embeds.0.description``)."""
    errors: Json = {"_errors": [{"code": code, "message": message}]}
    for part in reversed(path.split(".")):
        errors = {part: errors}
    return DiscordError(400, 50035, "Invalid Form Body", errors)


def snowflake(request: web.Request, name: str) -> int:
    """The id in the route's ``name`` part (400 "Invalid Form Body" when it is not a number)."""
    value = request.match_info[name]
    if not value.isdigit():
        raise DiscordError(400, 50035, "Invalid Form Body", {name: {"_errors": [{"code": "NUMBER_TYPE_COERCE"}]}})
    return int(value)


def found(table: Mapping[int, T], request: web.Request, name: str, code: int, unknown: str) -> T:
    """The object in ``table`` whose id is the route's ``name`` part.

    Raises Discord's 404 with ``code`` and the message ``unknown`` ("Unknown Channel") when there is none.
    """
    item = table.get(snowflake(request, name))
    if item is None:
        raise DiscordError(404, code, unknown)
    return item


def _max_length(path: str, value: Any, limit: int) -> None:
    if value is not None and len(str(value)) > limit:
        raise form_error(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def check_message(payload: Json, files: list[Attachment], *, creating: bool) -> None:
    """Refuse a message body Discord would refuse (length, emptiness, embeds, components, files)."""
    content = payload.get("content")
    _max_length("content", content, MESSAGE_LIMIT)
    embeds = payload.get("embeds") or []
    components = payload.get("components") or []
    if creating and not (content or embeds or files or components or payload.get("sticker_ids")):
        raise DiscordError(400, 50006, "Cannot send an empty message")
    if len(embeds) > EMBEDS_PER_MESSAGE:
        raise form_error("embeds", "BASE_TYPE_MAX_LENGTH", f"Must be {EMBEDS_PER_MESSAGE} or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        total += _check_embed(f"embeds.{i}", embed)
    if total > EMBED_TOTAL:
        raise form_error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    if len(files) > FILES_PER_MESSAGE:
        raise form_error("files", "BASE_TYPE_MAX_LENGTH", f"Must be {FILES_PER_MESSAGE} or fewer in length.")
    if not int(payload.get("flags") or 0) & IS_COMPONENTS_V2:
        check_components(components)


def _check_embed(path: str, embed: Json) -> int:
    size = 0
    for key, limit in _EMBED_FIELDS.items():
        _max_length(f"{path}.{key}", embed.get(key), limit)
        size += len(str(embed.get(key) or ""))
    fields = embed.get("fields") or []
    if len(fields) > 25:
        raise form_error(f"{path}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for j, item in enumerate(fields):
        _max_length(f"{path}.fields.{j}.name", item.get("name"), 256)
        _max_length(f"{path}.fields.{j}.value", item.get("value"), 1024)
        size += len(str(item.get("name") or "")) + len(str(item.get("value") or ""))
    footer = embed.get("footer") or {}
    author = embed.get("author") or {}
    _max_length(f"{path}.footer.text", footer.get("text"), 2048)
    _max_length(f"{path}.author.name", author.get("name"), 256)
    return size + len(str(footer.get("text") or "")) + len(str(author.get("name") or ""))


def check_components(rows: list[Json]) -> None:
    """Action rows: at most 5, 5 items each, unique custom ids of at most 100 characters, labels ≤ 80."""
    if len(rows) > ROWS_PER_MESSAGE:
        raise form_error("components", "BASE_TYPE_MAX_LENGTH", f"Must be {ROWS_PER_MESSAGE} or fewer in length.")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        items = row.get("components") or []
        if len(items) > ITEMS_PER_ROW:
            raise form_error(f"components.{i}.components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        for j, item in enumerate(items):
            path = f"components.{i}.components.{j}"
            custom_id = item.get("custom_id")
            _max_length(f"{path}.custom_id", custom_id, CUSTOM_ID_LIMIT)
            _max_length(f"{path}.label", item.get("label"), 80)
            _max_length(f"{path}.placeholder", item.get("placeholder"), 150)
            if len(item.get("options") or []) > 25:
                raise form_error(f"{path}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            if custom_id is not None:
                if custom_id in seen:
                    raise form_error(
                        f"{path}.custom_id",
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                seen.add(str(custom_id))


def check_modal(data: Json) -> None:
    """A form: title and labels ≤ 45 characters, text inputs ≤ 4000, custom ids ≤ 100."""
    _max_length("data.title", data.get("title"), MODAL_TITLE_LIMIT)
    _max_length("data.custom_id", data.get("custom_id"), CUSTOM_ID_LIMIT)

    def walk(items: list[Json], path: str) -> None:
        for i, item in enumerate(items):
            here = f"{path}.{i}"
            _max_length(f"{here}.label", item.get("label"), MODAL_LABEL_LIMIT)
            if item.get("type") == 4:
                _max_length(f"{here}.custom_id", item.get("custom_id"), CUSTOM_ID_LIMIT)
                _max_length(f"{here}.value", item.get("value"), TEXT_INPUT_LIMIT)
                _max_length(f"{here}.placeholder", item.get("placeholder"), 100)
                if int(item.get("max_length") or TEXT_INPUT_LIMIT) > TEXT_INPUT_LIMIT:
                    raise form_error(
                        f"{here}.max_length", "NUMBER_TYPE_MAX", f"int value should be <= {TEXT_INPUT_LIMIT}."
                    )
            walk(item.get("components") or [], f"{here}.components")
            if isinstance(item.get("component"), dict):
                walk([item["component"]], f"{here}.component")

    walk(data.get("components") or [], "data.components")


@dataclass
class RateLimits:
    """Discord-like rate limits: a global requests-per-second cap and per-route buckets.

    ``per_route`` maps ``"POST /channels/{channel}/messages"`` (the ``/api/v10`` prefix optional) to
    ``(requests, per_seconds)``.
    """

    global_per_second: float | None = None
    per_route: dict[str, tuple[int, float]] = field(default_factory=dict)


@dataclass
class Stats:
    """Counters for benchmarks and tests: all requests, those answered 429, requests per route, and overlap.

    ``in_flight`` is how many REST requests are being handled right now (simulated latency included);
    ``max_in_flight`` the most at any moment, which shows whether a client sends in parallel.
    """

    requests: int = 0
    rate_limited: int = 0
    by_route: dict[str, int] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0


@dataclass
class Latency:
    """A network round trip the sandbox adds to every REST request, as a real Discord is far away.

    Half of it (with jitter) passes before the request "arrives" — only then is it counted against
    the rate limits, as Discord counts requests when they reach it — and the other half before the
    response reaches the bot.

    Attributes:
        round_trip: seconds (0.1 is about Europe to Discord).
        jitter: seconds; each half varies uniformly by up to ± half of this.
    """

    round_trip: float = 0.0
    jitter: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(14))  # noqa: S311 - timing noise, not secrets

    def half(self) -> float:
        """The delay of one direction, in seconds (0 when no latency is set)."""
        if self.round_trip <= 0:
            return 0.0
        return max(0.0, self.round_trip / 2 + self.rng.uniform(-self.jitter / 2, self.jitter / 2))


INTERACTION_ROUTES = (
    "POST /interactions/",
    "POST /webhooks/",
    "PATCH /webhooks/",
    "GET /webhooks/",
    "DELETE /webhooks/",
)
"""Interaction responses and follow-ups: Discord does not count them against the global limit."""


def route_key(method: str, template: str) -> str:
    """``"POST /channels/{channel}/messages"`` for a request on that route (prefix stripped)."""
    return f"{method} {template.removeprefix('/api/v10')}"


class RateLimiter:
    """Discord-like limits with Discord's headers (429s carry ``Via`` so discord.py retries).

    The global limit counts requests in fixed one-second windows, as Discord's "50 requests per
    second" does: a refused request is told to retry when the window ends. Interaction responses and
    follow-ups are exempt from it, as on Discord. Per-route buckets are sliding windows.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.limits = RateLimits()
        self._window_start = 0.0
        self._window_count = 0
        self._routes: dict[str, deque[float]] = {}

    def configure(self, global_per_second: float | None, per_route: dict[str, tuple[int, float]] | None) -> None:
        """Replace the limits and forget earlier requests."""
        routes = {route_key(*key.split(" ", 1)): value for key, value in (per_route or {}).items()}
        self.limits = RateLimits(global_per_second, routes)
        self._window_start, self._window_count = 0.0, 0
        self._routes.clear()

    def hit(self, route: str) -> tuple[float, bool] | None:
        """Count a request on ``route``; ``(retry_after, is_global)`` if it must be refused."""
        now = self.clock()
        per_second = self.limits.global_per_second
        if per_second and not route.startswith(INTERACTION_ROUTES):
            if now - self._window_start >= 1.0:
                self._window_start, self._window_count = now, 0
            if self._window_count >= per_second:
                return max(0.001, self._window_start + 1.0 - now), True
            self._window_count += 1
        bucket = self.limits.per_route.get(route)
        if bucket is not None:
            count, per = bucket
            window = self._routes.setdefault(route, deque())
            while window and now - window[0] >= per:
                window.popleft()
            if len(window) >= count:
                return max(0.001, per - (now - window[0])), False
            window.append(now)
        return None

    def headers(self, route: str) -> dict[str, str]:
        """The ``X-RateLimit-*`` headers of a successful response on ``route``."""
        bucket = self.limits.per_route.get(route)
        limit, remaining, reset_after = 1000, 999, 1.0
        if bucket is not None:
            window = self._routes.get(route) or deque()
            limit, per = bucket
            remaining = max(0, limit - len(window))
            reset_after = max(0.001, per - (self.clock() - window[0])) if window else per
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash(route),
        }

    @staticmethod
    def refusal(retry_after: float, route: str, *, is_global: bool) -> tuple[Json, dict[str, str]]:
        """The 429 body and headers."""
        headers = {
            "Retry-After": f"{retry_after:.3f}",
            "X-RateLimit-Limit": "1",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash(route),
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": is_global}
        return body, headers


def bucket_hash(route: str) -> str:
    """An opaque bucket id per route, like Discord's."""
    return hashlib.sha256(route.encode()).hexdigest()[:16]
