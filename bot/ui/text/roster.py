"""Replies of ``/org``, ``/member``, ``/register`` and ``/roster``, and of the registration buttons."""

from __future__ import annotations

from bot.domain.roster import Organisation, RegistrationRequest, Role, RosterEntry
from bot.domain.text import no_mentions
from bot.i18n import Language, t
from bot.services.roster import AssignResult, ImportResult


def _role(language: Language, role: Role) -> str:
    return t(language, f"roster.role_{role.value}")


def roster(entries: list[RosterEntry], language: Language) -> str:
    """The roster as Discord Markdown, one block per organisation, gaps flagged."""
    if not entries:
        return t(language, "roster.empty")
    lines = [t(language, "roster.heading", count=len(entries))]
    gaps = 0
    none = t(language, "roster.nobody")
    for entry in entries:
        rep, dep = entry.representative, entry.deputy
        lines.append(
            t(
                language,
                "roster.entry",
                short=no_mentions(entry.org.short),
                name=no_mentions(entry.org.name),
                representative=no_mentions(rep.person.display_name) if rep else none,
                deputy=no_mentions(dep.person.display_name) if dep else none,
            )
        )
        if entry.gaps:
            gaps += 1
            lines.append(t(language, "roster.gap", missing=", ".join(_role(language, role) for role in entry.gaps)))
    lines.append(t(language, "roster.gap_summary", count=gaps) if gaps else t(language, "roster.no_gaps"))
    return "\n".join(lines)


def org_changed(org: Organisation, change: str, language: Language) -> str:
    """``/org add|edit|remove``: ``change`` is ``added``, ``edited`` or ``removed``."""
    return t(language, f"roster.org_{change}", name=no_mentions(org.label))


def assigned(result: AssignResult, role: Role, user_id: int, language: Language) -> str:
    """``/member assign``: who holds the seat now, and whom they replace."""
    return t(
        language,
        "roster.assigned_replacing" if result.previous else "roster.assigned",
        user=f"<@{user_id}>",
        role=_role(language, role),
        short=no_mentions(result.org.short),
        previous=no_mentions(result.previous.display_name) if result.previous else "",
    )


def unassigned(org: Organisation, role: Role, language: Language) -> str:
    """``/member unassign``."""
    return t(language, "roster.unassigned", role=_role(language, role), short=no_mentions(org.short))


def request_sent(org: Organisation, language: Language) -> str:
    """``/register``: the request went to the secretary."""
    return t(language, "roster.request_sent", short=no_mentions(org.short))


def request_decided(
    request: RegistrationRequest, org: Organisation, by: int, *, approved: bool, language: Language
) -> str:
    """The registration message once the secretary approved or rejected it."""
    return t(
        language,
        "roster.request_approved" if approved else "roster.request_rejected",
        user=f"<@{request.user_id}>",
        role=_role(language, request.role),
        short=org.short,
        by=f"<@{by}>",
    )


def imported(result: ImportResult, language: Language) -> str:
    """``/roster import``: the counts, or every bad line (nothing was changed then)."""
    if result.ok:
        text = t(language, "roster.imported", added=result.added, updated=result.updated, seats=result.seats_changed)
    else:
        problems = [
            t(language, "roster.csv_line", line=p.line, problem=t(language, p.key, **p.params)) for p in result.problems
        ]
        text = t(language, "roster.import_refused", count=len(problems)) + "\n" + "\n".join(problems)
    return no_mentions(text)
