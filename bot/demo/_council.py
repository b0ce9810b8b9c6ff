"""The council the demo plays: the organisations of the December 2020 meeting, its people and texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


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
