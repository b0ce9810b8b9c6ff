"""``council-bot demo``: a whole council cycle on a local Discord-compatible server, with no account.

It starts the sandbox in-process, runs the real bot against it, and plays the December 2020 meeting of
the expert council (seed 000) with simulated members: setup, the roster by CSV import, a meeting with its
agenda (the status round's theme question, an item's background text and a slide deck attached), the call
with a calendar file and a Discord scheduled event, representatives declining so their deputies are
called up (one deputy declines too), status updates by form and by plain DM reply, a written status from
an absent organisation, a submission received by e-mail, reminders, attendance (with a named substitute),
the host's staff as guests, notes (the host's 3,600-character report written in the /minutes edit form),
the next meeting with its place and a remark (created by /meeting next), the draft, and the publication
with a copy to every representative and deputy. The bot's clock is simulated, so weeks pass in a second.
It prints one line per step and ends by naming the files it wrote (the minutes as Markdown and Word, and
the meeting's ``.ics`` as members received it).
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from bot.domain.clock import FakeClock
from bot.domain.dates import When, format_when
from bot.domain.next_meeting import split_next
from bot.i18n import as_language, t
from bot.sandbox import Message, UploadFile, User
from bot.sandbox.harness import Council, Harness


@dataclass(frozen=True)
class Org:
    """An organisation of seed 000 and what its simulated people do."""

    short: str
    name: str
    kind: str
    rsvp: str  # rep answers: yes / no / silent; "no" calls up the deputy
    deputy: str = "yes"  # the deputy's answer when called up
    status: str = ""
    status_via: str = "dm"  # dm | form | email | written (absent organisation, by DM)


ORGS = [
    Org("FHN", "Foreningen for human narkotikapolitikk", "user", "yes",
        status="På gateplan har vi jobbet stort sett normalt; aktiviteten økte i vår og sommer. Stoffbrukerdagen ble "
        "avlyst – vi ønsker en digital variant i januar. Vi ønsker fokus på ROP-gruppa som prioritert i "
        "vaksinetildeling."),
    Org("LPP", "Landsforeningen for pasienter og pårørende", "relatives", "yes", status_via="form",
        status="Har søkt midler som ble kuttet – har fått noe, men ikke alt. Dagsseminar om schizofreni med mange "
        "deltakere rett før andre smittebølge. Styremøte i Bergen 3. desember med fysisk og digital deltakelse."),
    Org("Ivareta", "Ivareta – pårørende berørt av rus", "relatives", "yes", status_via="form",
        status="Virksomheten går stort sett som før, og vi har flere brukermedvirkere. Den anonyme pårørendetelefonen "
        "utvides til kl. 9–21 alle dager i desember og januar."),
    Org("RIO", "Rusmisbrukernes interesseorganisasjon", "user", "yes",
        status="Ingen avkortning i tilskudd, og vi har fått ekstra koronamidler. Ny paraplyorganisasjon: Proventio. "
        "Vi stiller oss bak innspill om at ROP-pasienter bør prioriteres for covid-19-vaksine."),
    Org("NSF", "Norsk Sykepleierforbund", "professional", "yes",
        status="Perioden mars–mai ble mye tonet ned. Alt er nå åpent igjen; grupper på maks 8 personer, 3 grupper per "
        "dag. LAR: tettere oppfølging."),
    Org("WSO", "We Shall Overcome", "user", "silent",
        status="Forsinket årsmøte på Zoom. Seminar om schizofreni og selvtilgivelse. Vi savner mer fokus på ren "
        "psykiatri."),
    Org("Psykologforeningen", "Norsk psykologforening", "professional", "yes", status_via="form",
        status="Driften på Oslo-DPS-ene er tilnærmet normal. Vi sliter med å bli hørt om nedbygging av døgnplasser."),
    Org("Marborg", "Marborg", "user", "no", deputy="yes",
        status="Akkurat nå er det lite smitte. Reisebudsjettet er veldig redusert, og kommunene ser på kutt i "
        "tilskudd."),
    Org("A-LARM", "A-LARM", "user", "yes",
        status="Ble stort sett full stopp da covid satte inn. Store strukturelle prosesser internt uten at det "
        "påvirker brukerne."),
    Org("IOGT", "IOGT Norge", "user", "no", deputy="no"),
    Org("Fagforbundet", "Fagforbundet", "professional", "no", deputy="no"),
    Org("Legeforeningen", "Den norske legeforening", "professional", "no", deputy="no"),
    Org("MH", "Mental Helse", "user", "no", deputy="no"),
    Org("BAR", "Barn av rusmisbrukere", "relatives", "no", deputy="no", status_via="email",
        status="Rapporten om våre samtaler med barn og ungdom i perioden mars–mai har ført til mye ekstra pågang, og "
        "vi holder chatten åpen hele jula. Det er mye fokus på ROP-gruppen og de pårørende i brukerrådene."),
]  # fmt: skip

FIRST = ["Kari", "Ola", "Ingrid", "Per", "Silje", "Lars", "Marit", "Jonas", "Hilde", "Even", "Tone", "Øystein",
         "Åse", "Bjørn", "Randi", "Geir", "Sigrid", "Trond", "Nina", "Håkon", "Liv", "Knut", "Eva", "Arne",
         "Solveig", "Tor", "Anne", "Rune"]  # fmt: skip
LAST = ["Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
        "Jensen", "Karlsen", "Berg", "Haugen", "Hagen", "Eriksen", "Bakken", "Lie", "Dahl", "Solberg",
        "Moen"]  # fmt: skip

# The host's report under item 2, about 3,600 characters in numbered points with sub-points, sub-headings
# and links, as seed 000 has it. The secretary edits it into the minutes with the /minutes edit form.
HOST_REPORT = """\
ACT og FACT er en av våre store satsninger. I juni presenterte vi resultater fra følgeforskningen på 7 \
FACT-team. NKROP har tett samarbeid med NAPHA på dette området.

1) Opplæringsprogram – 6. runde startet nå i høst: kunnskap om modellene, erfaringsutveksling og \
nettverksbygging. Forrige runde ble endret noe, og samlingene kjøres nå digitalt.
  - 6. runde har totalt 165 deltakere med tverrfaglig utdanning: sosionomer, sykepleiere, \
erfaringskonsulenter, psykologer, psykologspesialister og LIS-leger.
  - 540 personer har deltatt, inkludert de som deltar i inneværende runde.
  - Vi regner med en ny runde fra høsten 2021 og fortsetter så lenge det er behov for det.
2) Fidelityvurderinger gjøres av NAPHA og NKROP i de enkelte teamene. Dette er for å måle \
modelltrofasthet og sikre at modellenes arbeidsmåter ikke blir utvannet.
3) Regionale nettverk – alle samlinger har foregått digitalt. Deltakere: statsforvalterne, RVTS-ene og \
KoRus-ene. Høstens møter handlet om resultatene i FACT-evalueringen og hvordan de kan brukes i eget \
arbeid.
4) Nasjonalt teamledernettverk – NAPHA har hovedansvaret. Siste møte var nå i november, med pakkeforløp \
som tema.
5) Skandinavisk nettverk – vi deltar.
6) Oppdrag fra helsemyndighetene: fornorske fidelityskalaene og oversette den nye skalaen fra Nederland.

Per i dag finnes det ca. 70 FACT-team og 10 ACT-team i Norge.

## Brukerspesialister i teamene
De fleste teamene har ansatt brukerspesialist eller er i prosess med ansettelser, og noen team har flere. \
Det er viktig at teamene er tydelige på hvilke krav som stilles til rollen og hvordan den skal fylles. \
Lønnsnivået er veldig ulikt mellom teamene og fastsettes av hver kommune eller hvert helseforetak. I den \
nye skalaen åpnes det for at teamene tar inn pårørendeperspektivet. Erfaringen er at brukerkompetansen er \
viktig og nødvendig i teamene. Ivareta mener det er viktig at brukerspesialistene har en organisasjon i \
ryggen, for å ta inn mer enn sin egen erfaring.

## Forskning og FACT-Ung
Det foregår en del forskning på enkelte team. Det er igangsatt et arbeid med å etablere FACT-Ung i Norge, \
med Trond Hatling som prosjektleder og Lars Håvard Bakke (NKROP) som prosjektarbeider. Flere \
arbeidsgrupper startet opp i høst.

Lanseringswebinar for nye FACT-filmer 11. desember kl. 09.15–10.00: \
https://rop.no/aktuelt/lanseringswebinar-for-nye-fact-filmer/

## Ansatte i tjenesten
- Ny leder er ansatt, og vi blir informert om hvem det er i løpet av kort tid.
- Thomas Kulbrandstad begynner igjen fra ca. 1. januar som rådgiver på opplæring.

## ROP-dagen og annet
ROP-dagen utgår i 2021. Vi arrangerer i stedet et ROP-webinar 17. februar kl. 12–15 (livestream) med vold \
som tema: Per Isdal fra Alternativ til vold, og Svein Øverland om hvordan en voldshendelse kan håndteres. \
Ekspertrådet bes om tips til foredragsholdere om hvordan akutte hendelser mellom ROP-pasienter og politi \
kan løses. LPP spiller inn at spesialister bør reise ut og hente ROP-pasienter.

Informasjon fra Ivareta: «Samtidig behandling av rus og vold» er en ny opplæringsmodul som lanseres 14. \
januar. Organisasjonene oppfordres til å dele den i sine nettverk.

[ROP.no](https://rop.no) har fått nye ansatte og en forbedret nettside; akkurat nå er fokuset \
boligsosialt arbeid.

Evaluering av kompetansetjenestene: formålet med en slik tjeneste er å bygge opp og spre kompetanse på et \
bestemt fagområde innenfor en bestemt tidsperiode. I løpet av 2021 skal alle tjenestene evalueres. Skal \
noen slås sammen, eller skal de bestå? Vi håper og tror at vi består i ytterligere 5–10 år, og regner med \
at pandemien vil påvirke også dette arbeidet."""

GUESTS = [
    ("Kari Nysveen", "opplæringsansvarlig NKROP"),
    ("Hilde Austeng", "sekretær, NKROP"),
    ("Thomas Kulbrandstad", "rådgiver, NKROP"),
]
SUBSTITUTE = ("Psykologforeningen", "Ingunn Solheim")
NEXT_PHRASE = (
    "onsdag 2.juni 2027 klokka 10-15 på Sagatun Brukerstyrt senter – Hamar – vi håper det kan gjennomføres fysisk"
)

MEETING_WHEN = "onsdag 2. desember 2026 kl 10-13"
MEETING_START = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
NEXT_START = datetime(2027, 6, 2, 8, 0, tzinfo=UTC)
NEXT_DUE = "1. februar 2027"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
THEME = {
    "nb": "Hvordan har pandemien påvirket arbeidet?",
    "en": "How has the pandemic affected your work?",
}
BACKGROUND = {
    "nb": "NKROP orienterer om opplæringsprogrammet og ROP-dagen, og ønsker Ekspertrådets innspill på "
    "tema og foredragsholdere til ROP-webinaret i februar.",
    "en": "NKROP reports on the training programme and the ROP day, and asks the council for topics and "
    "speakers for the ROP webinar in February.",
}
SLIDES = "NKROP-orientering-desember-2020.pdf"


def slide_deck(title: str) -> bytes:
    """A small, valid one-page PDF (the slide deck attached to the agenda, like seed 004)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "").encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 60 500 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\nstartxref\n"
    out += str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)


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


async def run_demo(out: Path, language: str = "nb", say: Callable[[str], None] = print) -> tuple[Path, Path, Path]:
    """Run the demo; return the Markdown, Word and calendar files it wrote."""
    clock = FakeClock(START)
    with tempfile.TemporaryDirectory(prefix="council-demo-") as folder:
        async with Harness(Path(folder) / "demo.sqlite3", clock=clock) as harness:
            say(t(as_language(language), "demo.started", url=harness.server.base_url))
            await harness.start_bot()
            return await Demo(harness, clock, language, say).run(out)


def main(out: str, language: str) -> int:
    """Entry point for ``council-bot demo``."""
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("discord").setLevel(logging.CRITICAL)
    started = time.monotonic()
    md, docx, ics = asyncio.run(run_demo(Path(out), language, lambda line: print(f"• {line}", flush=True)))  # noqa: T201
    done = t(as_language(language), "demo.done", seconds=f"{time.monotonic() - started:.1f}")
    print(f"\n{done}\n  {md}\n  {docx}\n  {ics}")  # noqa: T201
    return 0
