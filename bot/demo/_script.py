"""The demo's script: one method per step of the council cycle, played by simulated members."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from bot.demo._council import (
    BACKGROUND,
    FIRST,
    GUESTS,
    HOST_REPORT,
    LAST,
    MEETING_START,
    MEETING_WHEN,
    NEXT_DUE,
    NEXT_PHRASE,
    NEXT_START,
    ORGS,
    SLIDES,
    SUBSTITUTE,
    THEME,
    slide_deck,
)
from bot.domain.clock import FakeClock
from bot.domain.dates import When, format_when
from bot.domain.next_meeting import split_next
from bot.i18n import as_language, t
from bot.sandbox import Message, UploadFile, User
from bot.sandbox.harness import Council, Harness


class Demo:
    """Plays the cycle; ``say`` prints a progress line."""

    def __init__(self, harness: Harness, clock: FakeClock, language: str, say: Callable[[str], None]) -> None:
        self.h = harness
        self.server = harness.server
        self.clock = clock
        self.language = language
        self.say = say
        self.reps: dict[str, User] = {}
        self.t = partial(t, as_language(language))
        self.deputies: dict[str, User] = {}

    async def run(self, out: Path) -> tuple[Path, Path, Path]:
        """The whole cycle; returns the paths of the Markdown and Word files and of the ``.ics``."""
        council = await self.h.create_council_server("Ekspertrådet NKROP", "Hilde Austeng")
        await self.h.setup(council, language=self.language)
        self.say(self.t("demo.setup"))
        await self.roster(council)
        meeting = await self.meeting(council)
        await self.call(council)
        await self.answers(council)
        await self.statuses(council)
        await self.reminders(council)
        await self.deadline(council)
        await self.during_meeting(council)
        await self.memory(council)
        files = await self.minutes(council, meeting, out)
        await self.next_meeting(council, out)
        return files

    async def roster(self, council: Council) -> None:
        """Import the roster of seed 000 by CSV, one representative and one deputy each."""
        rows = io.StringIO()
        writer = csv.writer(rows, lineterminator="\n")
        writer.writerow(
            ["short", "name", "kind", "representative_id", "representative_name", "deputy_id", "deputy_name"]
        )
        names = iter(f"{FIRST[i % len(FIRST)]} {LAST[(i * 7 + i // len(FIRST)) % len(LAST)]}" for i in range(1000))
        for org in ORGS:
            rep = await self.h.person(council, next(names))
            dep = await self.h.person(council, next(names))
            self.reps[org.short], self.deputies[org.short] = rep, dep
            writer.writerow([org.short, org.name, org.kind, rep.id, rep.name, dep.id, dep.name])
        csv_file = UploadFile("ekspertraad.csv", rows.getvalue().encode())
        result = await self.h.run(council.secretary, council, "roster import", file=csv_file)
        self.say(self.t("demo.roster", count=len(ORGS)))
        if "✅" not in result.content:
            raise RuntimeError(result.content)

    async def meeting(self, council: Council) -> str:
        """Create the meeting and its agenda."""
        created = await self.h.run(council.secretary, council, "meeting create", when=MEETING_WHEN, place="Zoom")
        if "✅" not in created.content:
            raise RuntimeError(created.content)
        lang = as_language(self.language)
        await self.h.run(council.secretary, council, "agenda edit", item=1, details=THEME[lang])
        await self.h.run(
            council.secretary, council, "agenda add", title="Nytt fra Nasjonal kompetansetjeneste ROP",
            lead="Kari Nysveen", details=BACKGROUND[lang],
        )  # fmt: skip
        deck = UploadFile(SLIDES, slide_deck("Nasjonal kompetansetjeneste ROP - desember 2020"))
        attached = await self.h.run(council.secretary, council, "agenda attach", item=2, file=deck)
        if SLIDES not in attached.content:
            raise RuntimeError(attached.content)
        when = format_when(When(MEETING_START, MEETING_START + timedelta(hours=3)), "Europe/Oslo", self.language)
        self.say(self.t("demo.meeting", when=when, items=3))
        return MEETING_WHEN

    def _has_preview(self, user: User) -> bool:
        return any("status:draft" in c for c in self.server.dms_to(user)[-1].custom_ids())

    def invitation(self, user: User) -> Message:
        """The invitation (or call-up) DM a member got."""
        return next(m for m in self.server.dms_to(user) if any(c.startswith("council:rsvp:") for c in m.custom_ids()))

    @staticmethod
    def button(message: Message, suffix: str, prefix: str = "council:rsvp:") -> str:
        """The custom id of a button on a message."""
        return next(c for c in message.custom_ids() if c.startswith(prefix) and c.endswith(suffix))

    async def call(self, council: Council) -> None:
        """Open the meeting: one invitation per person, asking for the RSVP and the status."""
        opened = await self.h.run(council.secretary, council, "meeting open")
        if "📨" not in opened.content:
            raise RuntimeError(opened.content)
        for org in ORGS:
            await self.h.wait_dms(self.reps[org.short], 1)  # one DM: RSVP buttons and "Skriv status"
        self.say(self.t("demo.call", count=len(ORGS)))
        invitation = self.invitation(self.reps[ORGS[0].short])
        lang = as_language(self.language)
        files = [a.filename for a in invitation.attachments]
        shown = THEME[lang] in invitation.content and BACKGROUND[lang] in invitation.content
        if not shown or SLIDES not in files or not any(f.endswith(".ics") for f in files):
            raise RuntimeError(invitation.content)
        await self.server.wait_for(lambda: bool(self.server.scheduled_events(council.guild)), what="the event")
        self.say(self.t("demo.invitation", theme=THEME[lang], files=", ".join(files)))

    async def click(self, user: User, message: Message, custom_id: str) -> None:
        """A member clicks a button and the bot answers."""
        handle = await self.server.click(user, message, custom_id)
        await handle.wait_done()

    async def answers(self, council: Council) -> None:
        """Representatives answer; deputies of those who cannot come answer their call-up."""
        declined = 0
        for org in ORGS:
            rep = self.reps[org.short]
            if org.rsvp == "silent":
                continue
            await self.click(rep, self.invitation(rep), self.button(self.invitation(rep), f":{org.rsvp}"))
            if org.rsvp == "no":
                declined += 1
        deputies = [o for o in ORGS if o.rsvp == "no"]
        for org in deputies:
            deputy = self.deputies[org.short]
            await self.h.wait_dms(deputy, 1)
            await self.click(deputy, self.invitation(deputy), self.button(self.invitation(deputy), f":{org.deputy}"))
        yes = sum(1 for o in deputies if o.deputy == "yes")
        self.say(self.t("demo.answers", declined=declined, yes=yes, no=len(deputies) - yes))

    async def statuses(self, council: Council) -> None:
        """Organisations send their news by form, by DM reply, or by e-mail through the secretary."""
        by = {"form": 0, "dm": 0, "email": 0}
        for org in ORGS:
            if not org.status:
                continue
            rep = self.reps[org.short]
            if org.status_via == "form":
                prompt = next(m for m in self.server.dms_to(rep) if any("status:write" in c for c in m.custom_ids()))
                write = next(c for c in prompt.custom_ids() if "status:write" in c)
                opened = await self.server.click(rep, prompt, write)
                await opened.wait_response()
                submitted = await self.server.submit_modal(rep, opened, {"council:status:form:text": org.status})
                await submitted.wait_done()
            elif org.status_via == "email":
                await self.h.run(
                    council.secretary, council, "status submit", org=org.short, text=org.status,
                    source="mottatt på e-post fra generalsekretæren",
                )  # fmt: skip
            else:
                before = len(self.server.dms_to(rep))
                first, _, rest = org.status.partition(". ")
                await self.server.send_dm(rep, first + ".")
                if rest:
                    await self.server.send_dm(rep, rest)
                await self.h.wait_dms(rep, before + 1)
                await self.server.wait_for(partial(self._has_preview, rep), what="the status preview")
                preview = self.server.dms_to(rep)[-1]
                save = self.button(preview, ":replace", "council:status:draft:")
                await self.click(rep, preview, save)
            by[org.status_via if org.status_via in by else "dm"] += 1
        self.say(self.t("demo.statuses", form=by["form"], dm=by["dm"], email=by["email"]))

    async def reminders(self, council: Council) -> None:
        """Two days before the deadline, the silent representative is reminded."""
        bot = self.h.bot
        assert bot is not None  # noqa: S101
        silent = self.reps["WSO"]
        before = len(self.server.dms_to(silent))
        self.clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))  # 2 days before the RSVP deadline
        await bot.scheduler.run_once()
        await self.h.wait_dms(silent, before + 1)
        self.say(self.t("demo.reminder", org="WSO"))

    async def deadline(self, council: Council) -> None:
        """The deadline passes: the silent representative's deputy is called up and accepts."""
        bot = self.h.bot
        assert bot is not None  # noqa: S101
        self.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))  # after the RSVP deadline
        await bot.scheduler.run_once()
        deputy = self.deputies["WSO"]
        await self.h.wait_dms(deputy, 1)
        await self.click(deputy, self.invitation(deputy), self.button(self.invitation(deputy), ":yes"))
        await self.h.outbox_drained()
        board = await self.h.run(council.secretary, council, "meeting dashboard")
        self.say(self.t("demo.deadline", org="WSO", lines=board.content.count("\n") + 1))

    async def during_meeting(self, council: Council) -> None:
        """During the meeting: attendance, guests, notes (the host's report edited in the form), the next meeting."""
        self.clock.set(datetime(2026, 12, 2, 12, 30, tzinfo=UTC))
        await self.h.run(council.secretary, council, "meeting attendance", org="A-LARM", present=True)
        org, person = SUBSTITUTE
        await self.h.run(council.secretary, council, "meeting attendance", org=org, present=True, substitute=person)
        for name, affiliation in GUESTS:
            await self.h.run(council.secretary, council, "meeting guest add", name=name, affiliation=affiliation)
        notes = [
            (2, "ACT og FACT: 6. runde av opplæringsprogrammet har 165 deltakere; 540 har deltatt i alt."),
            (3, "Organisasjonene stiller seg bak innspill om at ROP-pasienter bør prioriteres når covid-19-vaksinen "
                "fordeles. Bør det skrives et innspill til myndighetene?"),
        ]  # fmt: skip
        for item, text in notes:
            await self.h.run(council.secretary, council, "minutes note", item=item, text=text)
        # The short note under item 2 becomes the host's whole report, written in the edit form.
        opened = await self.server.invoke(council.secretary, "minutes edit", {"item": 2}, guild=council.guild)
        await opened.wait_response()
        if opened.modal is None:
            raise RuntimeError(opened.content)
        saved = await self.server.submit_modal(
            council.secretary, opened, {opened.modal.fields[0].custom_id: HOST_REPORT}
        )
        await saved.wait_done()
        if "✅" not in saved.content:
            raise RuntimeError(saved.content)
        next_set = await self.h.run(council.secretary, council, "meeting next", when=NEXT_PHRASE)
        if "✅" not in next_set.content:
            raise RuntimeError(next_set.content)
        next_when = When(NEXT_START, NEXT_START + timedelta(hours=5))
        created = re.search(r"Møte (\d+) er opprettet|Meeting (\d+) is created", next_set.content)
        self.say(
            self.t(
                "demo.meeting_held",
                substitute=person,
                guests=len(GUESTS),
                report=len(HOST_REPORT),
                notes=len(notes),
                next=format_when(next_when, "Europe/Oslo", self.language),
                place=split_next(NEXT_PHRASE).place,
                number=next((g for g in created.groups() if g), "?") if created else "?",
            )
        )

    async def memory(self, council: Council) -> None:
        """A decision (seed 001) and two action items (seed 000's open questions)."""
        sec = council.secretary
        await self.h.run(sec, council, "minutes decision", item=2, text=self.t("demo.decision_text"))
        await self.h.run(sec, council, "action add", text=self.t("demo.action_tips"), org="LPP", due=NEXT_DUE)
        await self.h.run(sec, council, "action add", text=self.t("demo.action_letter"))
        self.say(self.t("demo.memory", decisions=1, actions=2))

    async def next_meeting(self, council: Council, out: Path) -> Path:
        """The next meeting's draft: the approval item and "Oppfølging fra forrige møte"."""
        sec = council.secretary
        bot = self.h.bot
        assert bot is not None  # noqa: S101
        if not (await bot.services.meetings.list_meetings(council.guild.id)).upcoming:
            raise RuntimeError("/meeting next should have created the next meeting")
        await self.h.run(self.reps["LPP"], council, "action done", action=1, note=self.t("demo.done_note"))
        before = len([m for m in self.server.messages_in(council.secretary_channel) if m.author.bot])
        await self.h.run(sec, council, "minutes draft", meeting=2)
        await self.h.outbox_drained()
        posts = [m for m in self.server.messages_in(council.secretary_channel) if m.author.bot][before:]
        files = {a.filename: a.data for m in posts for a in m.attachments}
        name = next(n for n in files if n.endswith(".md"))
        path = out / name
        path.write_bytes(files[name])
        text = files[name].decode("utf-8")
        self.say(self.t("demo.next_draft", items=text.count("\n- #"), file=name))
        return path

    async def minutes(self, council: Council, meeting: str, out: Path) -> tuple[Path, Path, Path]:
        """Draft, publish, and save the published documents and the meeting's calendar file."""
        await self.h.run(council.secretary, council, "minutes draft")
        await self.h.wait_channel(council.secretary_channel, 1)
        await self.h.outbox_drained()
        drafts = [m for m in self.server.messages_in(council.secretary_channel) if m.author.bot]
        self.say(self.t("demo.draft", messages=len(drafts)))
        self.clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
        published = await self.h.run(council.secretary, council, "minutes publish")
        if "✅" not in published.content:
            raise RuntimeError(published.content)
        await self.h.outbox_drained(timeout=30)
        posts = await self.h.wait_channel(council.minutes_channel, 1)
        copies = sum(
            1
            for user in [*self.reps.values(), *self.deputies.values()]
            if any(a.filename.endswith(".docx") for m in self.server.dms_to(user) for a in m.attachments)
        )
        self.say(self.t("demo.published", channel=council.minutes_channel.name, copies=copies))
        files = {a.filename: a.data for m in posts for a in m.attachments}
        out.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - the demo's last step, nothing else runs
        md_name = next(n for n in files if n.endswith(".md"))
        docx_name = next(n for n in files if n.endswith(".docx"))
        md_path, docx_path = out / md_name, out / docx_name
        md_path.write_bytes(files[md_name])
        docx_path.write_bytes(files[docx_name])
        invitation = self.invitation(self.reps[ORGS[0].short])
        ics = next(a for a in invitation.attachments if a.filename.endswith(".ics"))
        ics_path = out / ics.filename
        ics_path.write_bytes(ics.data)
        return md_path, docx_path, ics_path
