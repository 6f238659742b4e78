"""The words the parser knows: kinds of absence and their phrasings, amounts, the words around
names and dates, and the patterns of the other kinds of update; and the check every reading
ends with (no fact in the future)."""

from __future__ import annotations

import re
from datetime import date

from bot.protocol.dates import (
    MONTHS,
    NUMBER_WORDS,
    WEEKDAYS,
)
from bot.protocol.parsing.values import (
    AbsenceOnDay,
    AbsencePeriod,
    Ambiguous,
    ContactPerson,
    Entry,
    Evaluation,
    Exemption,
    FailureReason,
    Hint,
    Item,
    LateArrival,
    Offer,
    ParseFailure,
    ParseResult,
    QuickUpdate,
    Result,
    Suspension,
    Variawet,
    VariawetStep,
)
from bot.protocol.vocabulary import EntryKind

# Kind phrases, longest first. Words inside a kind phrase are not read again on their own.
_KIND_PHRASES: list[tuple[str, str]] = [
    # a split word that could be read as either kind ("on geoorloofd"): asked, never guessed
    (r"on[\s-]+ge?oorloofd\w*|on[\s-]+georloofd\w*|un[\s-]+authori[sz]ed|un[\s-]+excused",
     "absent"),
    # unauthorised
    (r"zonder\s+(?:geldige\s+|goede\s+)?(?:reden|toestemming|bericht|afmelding|afmelden)",
     "ongeoorloofd"),
    (r"geen\s+(?:geldige\s+|goede\s+)?(?:reden|toestemming|afmelding|bericht)(?:\s+(?:opgegeven|"
     r"gegeven|bekend|doorgegeven|gemeld|ontvangen))?", "ongeoorloofd"),
    (r"niet\s+afgemeld", "ongeoorloofd"),
    (r"absent\s+without\s+(?:a\s+)?(?:valid\s+)?(?:permission|leave|reason|notice|excuse)",
     "ongeoorloofd"),
    (r"without\s+(?:a\s+)?(?:valid\s+)?(?:permission|leave|reason|notice|excuse)", "ongeoorloofd"),
    (r"no\s+(?:valid\s+)?(?:excuse|reason|note|permission)(?:\s+(?:given|provided|sent))?",
     "ongeoorloofd"),
    (r"ongeoorloofd(?:e)?\s+(?:afwezig(?:heid)?|verzuim(?:d)?)", "ongeoorloofd"),
    # leave taken without permission (a holiday in term time)
    (r"luxe\s*verzuim|luxury\s+absence", "ongeoorloofd"),
    (r"onwettig(?:e)?\s+(?:afwezig(?:heid)?|verzuim(?:d)?)", "ongeoorloofd"),
    (r"unauthori[sz]ed\s+(?:absence|absent)", "ongeoorloofd"),
    (r"ongeoorloofd\w*|ongeorloofd\w*|ongeoorl\w*|ong\.|onwettig\w*|spijbel\w*|gespijbeld|"
     r"unauthori[sz]ed|unexcused|truant\w*|truancy|skipped(?:\s+school)?|skipping(?:\s+school)?|"
     r"bunked|bunking|wagged", "ongeoorloofd"),
    # authorised
    (r"geoorloofd(?:e)?\s+(?:afwezig(?:heid)?|verzuim)", "geoorloofd"),
    (r"met\s+toestemming|with\s+permission|authori[sz]ed\s+(?:absence|absent)", "geoorloofd"),
    (r"doctor'?s?\s+appointment|medical\s+appointment|dentist\s+appointment|"
     r"afspraak\s+(?:bij\s+de\s+|met\s+de\s+)?(?:tandarts|orthodontist|huisarts|dokter|arts)",
     "geoorloofd"),
    (r"geoorloofd\w*|georloofd\w*|geoorl\.?|toestemming|verlof|authori[sz]ed|excused|tandarts\w*|"
     r"orthodontist\w*|huisarts\w*|dokter\w*|doktersbezoek|dentist|doctor|"
     r"fysio\w*|physio\w*|logopedi\w*|speech\s+therapy|ziekenhuisafspraak|ziekenhuisbezoek|"
     r"afspraak\s+(?:in\s+|bij\s+)?(?:het\s+)?ziekenhuis|"
     r"(?:an\s+)?appointment\s+(?:at|in)\s+(?:the\s+)?hospital|"
     r"hospital\s+appointment|begrafenis|funeral|bruiloft|wedding", "geoorloofd"),
    # sick
    (r"ziek\s*gemeld|ziek\s+(?:thuis|naar\s+huis)|sick\s+(?:at\s+home|leave)|called\s+in\s+sick|"
     r"off\s+sick|home\s+sick", "ziek"),
    (r"ziek(?!enhuis)\w*|griep\w*|buikgriep|koorts|verkouden|verkoudheid|hoofdpijn|buikpijn|migraine|"
     r"corona|covid|sick|ill|illness|flu|fever|unwell|poorly", "ziek"),
    # late
    (r"te\s+laat(?:\s+gekomen|\s+binnen(?:gekomen)?)?|telaat|laatkomer|laatkomst|"
     r"(?:came\s+in\s+|arrived\s+|was\s+)?late|tardy", "te_laat"),
    # absent, kind not said: the bot asks which kind
    (r"niet\s+(?:op\s+school\s+)?(?:verschenen|gekomen|geweest)|niet\s+op\s+school(?:\s+geweest)?|"
     r"niet\s+aanwezig|not\s+present|niet\s+(?:komen\s+)?opdagen|"
     r"ziekenhuis|hospital|"
     r"not\s+(?:at|in)\s+school|did\s*n[o']?t\s+(?:show\s+up|come(?:\s+to\s+school)?)|"
     r"no[\s-]show|afwezig\w*|afw\.?|absent|absence|away|verzuim\w*|missed(?:\s+school)?|gemist|"
     r"weg(?:geweest|gebleven)?|thuis\s+gebleven|thuis(?:\s+met)?|(?:op\s+)?vakantie|on\s+holiday|"
     r"stayed\s+(?:at\s+)?home", "absent"),
]  # fmt: skip


_KIND_RE = [(re.compile(rf"(?<![\w-])(?:{p})(?![\w-])"), kind) for p, kind in _KIND_PHRASES]


_KIND_TYPOS = [
    "ongeoorloofd", "geoorloofd", "ongeoorloofde", "geoorloofde", "spijbelen", "ziekgemeld",
    "unauthorised", "unauthorized", "authorised", "authorized", "unexcused",
]  # fmt: skip


_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))


_WEEKDAY_WORDS = "|".join(sorted(WEEKDAYS, key=len, reverse=True))


_NUM = rf"(?:\d+(?:[.,]\d+)?|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"


_ORD = (
    r"(?:\d{1,2}(?:e|de|ste|st|nd|rd|th)|eerste|tweede|derde|vierde|vijfde|zesde|zevende|"
    r"achtste|first|second|third|fourth|fifth|sixth|seventh|eighth)"
)


_ORDINALS = {
    "eerste": 1, "first": 1, "tweede": 2, "second": 2, "derde": 3, "third": 3, "vierde": 4,
    "fourth": 4, "vijfde": 5, "fifth": 5, "zesde": 6, "sixth": 6, "zevende": 7, "seventh": 7,
    "achtste": 8, "eighth": 8,
}  # fmt: skip


_PERIOD_WORD = r"(?:lesuur|lesuren|uur|uren|period|periods|lesson|lessons|hour|hours)"


_AMOUNT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # lesson periods: "het 3e en 4e uur", "3e t/m 5e uur", "periods 3 and 4"
    (re.compile(rf"(?:het\s+|de\s+|the\s+)?(?P<first>{_ORD})\s*(?:t/m|tm|tot\s+en\s+met|-|–|to|"
                rf"through)\s*(?P<last>{_ORD})\s+{_PERIOD_WORD}"), "period_range"),
    (re.compile(rf"(?:het\s+|de\s+|the\s+)?(?P<list>{_ORD}(?:\s*(?:,|en|and|&|\+)\s*{_ORD})*)\s+"
                rf"{_PERIOD_WORD}"), "period_list"),
    (re.compile(r"(?:lesuur|lesuren|les|lessen|period|periods|lesson|lessons)\s+(?P<first>\d)\s*"
                r"(?:-|–|t/m|tm|tot\s+en\s+met|to|through)\s*(?P<last>\d)(?![\d:.])"),
     "period_range"),
    (re.compile(r"(?:lesuur|lesuren|les|lessen|period|periods|lesson|lessons)\s+(?P<list>\d(?:\s*"
                r"(?:,|en|and|&|\+)\s*\d)*)(?!\s*(?:uur|uren|hours?|min))"), "period_numbers"),
    # time ranges: "van 9 tot 11", "9:00-11:30", "9-11 uur"
    (re.compile(r"(?:(?:van|from)\s+)?(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?\s*(?:uur\s*)?"
                r"(?:tot|-|–|to|until|till)\s*(?P<h2>\d{1,2})(?:[:.](?P<m2>\d{2}))?\s*"
                r"(?:uur|u|h)?(?![\w/-])(?!\s*(?:" + _MONTH_WORDS + r")\b)"), "time_range"),
    # day parts
    (re.compile(r"(?:de\s+|een\s+)?(?:hele|gehele|volledige)\s+(?:school)?dag|(?:the\s+)?whole\s+"
                r"(?:school\s+)?day|(?:the\s+)?full\s+day|all\s+day|the\s+entire\s+day"),
     "whole_day"),
    (re.compile(r"(?:een\s+)?halve\s+(?:school)?dag|half\s+(?:a\s+)?(?:school\s+)?day|half-day"),
     "half_day"),
    # hours in words
    (re.compile(r"anderhalf\s+uur|anderhalve\s+uur|an\s+hour\s+and\s+a\s+half|one\s+and\s+a\s+"
                r"half\s+hours?"), "h1.5"),
    (re.compile(r"drie\s*kwartier|three\s+quarters\s+of\s+an\s+hour"), "h0.75"),
    (re.compile(rf"(?P<n>{_NUM})\s*kwartier"), "quarters"),
    (re.compile(r"(?:een\s+)?kwartier(?:tje)?|(?:a\s+)?quarter\s+of\s+an\s+hour|"
                r"(?:a\s+)?quarter\s+hour"),
     "h0.25"),
    (re.compile(r"(?:een\s+)?half\s*uur(?:tje)?|(?:een\s+)?halfuur(?:tje)?|half\s+an\s+hour|"
                r"(?:a\s+)?half\s+hour"),
     "h0.5"),
    # "de eerste twee lesuren", "the first two lessons": a count of lessons
    (re.compile(rf"(?:de\s+|the\s+)?(?:eerste|first|laatste|last)\s+(?P<n>{_NUM})\s+(?:lesuren|"
                rf"lessen|lessons|periods|uren|hours)(?![\w/-])"), "hours"),
    # numbers with a unit
    (re.compile(rf"(?P<n>{_NUM})\s*(?:minuutjes|minuutje|minuten|minuut|minutes|minute|mins|min|m)(?![\w/-])"),
     "minutes"),
    (re.compile(rf"(?P<n>{_NUM})\s*(?:lesuren|lesuur|lessen|lessons|lesson|periods|uurtjes|uurtje|uren|"
                rf"uur|u|hours|hour|"
                rf"hrs|hr|h)(?![\w/-])"), "hours"),
    # counts: "2x", "twee keer", "twice"
    (re.compile(rf"(?P<n>{_NUM})\s*(?:x|×|keer|maal|times)(?![\w/-])"), "count"),
    (re.compile(r"once|twice|thrice"), "count_word"),
]  # fmt: skip


# Every amount starts a word ("kwam" holds no "a m(inute)", "allereerste" no "eerste").
_AMOUNT_PATTERNS = [
    (re.compile(rf"(?<![\w.,])(?:{pattern.pattern})"), kind) for pattern, kind in _AMOUNT_PATTERNS
]


_SEPARATOR = re.compile(r"\s*(?:(?<![\w-])(?:en|and|plus|ook|also)(?![\w-])|[,;+&])\s*")


_REASON = re.compile(
    r"(?<![\w-])(?:want|omdat|ivm|i\.v\.m\.?|wegens|vanwege|because|due\s+to)(?![\w-])|reden\s*:"
    r"|(?<![\w-])door(?!\s+(?:de\s+|het\s+|haar\s+|zijn\s+)?(?:moeder|vader|ouders?|mama|papa|"
    r"verzorgers?|mentor|school)\b)(?![\w-])"
)


_NEGATION = {"niet", "geen", "not", "no", "never", "nooit", "isnt", "wasnt", "didnt", "hasnt"}


_SINCE = r"(?:sinds|since|vanaf|from|per|m\.?i\.?v\.?|starting|met\s+ingang\s+van)"


_UNTIL_INCLUSIVE = r"(?:(?<![\w-])(?:tot\s+en\s+met|t/m|tm|through|up\s+to\s+and\s+including)|[-–])"


_UNTIL_OPEN = r"(?:tot|until|till|to)"


# Words that carry no fact of their own in an absence ("Sanne was gisteren 4 uur afwezig").
_FILLERS = frozenset(
    """is was waren zijn werd wordt heeft hebben had has have been geweest gemeld afgemeld
    gebeld were are zit zat blijft bleef door de
    het een op om in on at the a an to naar voor for nog ook er hij zij ze he she they again
    helaas unfortunately school les lessen klas class van of opnieuw weer gekomen binnen moeder
    vader ouders ouder mama papa mother father parents parent mum mom dad verzorger by her his
    their tijdens during uur hour hours deze this afgelopen last vorige per elke every dag day
    dagen days lesuur melding doorgeven noteren even graag vanaf sinds since from tot until tm
    en and plus ook also kwam komt kwamen came comes arrived binnengekomen al already nog
    steeds still belde belt bellen called afspraak appointment extra zus broer opa oma tante
    oom neef nicht familie sister brother grandma grandpa grandmother grandfather aunt uncle
    cousin family""".split()  # noqa: SIM905 - a word list reads best as words
)


_PREFIX_KINDS: dict[str, type | EntryKind] = {
    "actie": EntryKind.ACTION, "action": EntryKind.ACTION,
    "doel": EntryKind.GOAL, "goal": EntryKind.GOAL,
    "betrokken": EntryKind.PARTY, "betrokkene": EntryKind.PARTY,
    "betrokkenen": EntryKind.PARTY, "involved": EntryKind.PARTY, "party": EntryKind.PARTY,
    "notitie": EntryKind.NOTE, "note": EntryKind.NOTE, "aantekening": EntryKind.NOTE,
    "opmerking": EntryKind.NOTE,
    "aanbod": Offer, "offer": Offer,
    "evaluatie": Evaluation, "evaluation": Evaluation,
    "resultaat": Result, "result": Result, "uitkomst": Result,
    "regie": ContactPerson, "contactpersoon": ContactPerson,
    "regiehouder": ContactPerson, "contact": ContactPerson,
    "variawet": Variawet,
}  # fmt: skip


_PREFIX_WORDS = "|".join(sorted(_PREFIX_KINDS, key=len, reverse=True))


_CONFIDENTIAL = re.compile(
    r"\(?\b(?:vertrouwelijke?|medische?|confidential|medical|privé|prive)\b\)?", re.IGNORECASE
)


_LEAD_IN = re.compile(
    r"^(?:(?:hoi|hallo|hey|hi|hiya|hello|goedemorgen|goedemiddag|goedenavond|goeiemorgen|"
    r"goeiemiddag|goeienavond|good\s+morning|good\s+afternoon|morning|dag|beste\s+bot|bot|ok|"
    r"oké|okay|hee|hoihoi|yo|moi)\b[\s,!.:-]*"
    # "Morgen!" greets; "Morgen," may mean tomorrow and is left for the dates to refuse.
    r"|(?:morgen|mogge|môgge|moggel)\s*!+\s*"
    r"|(?:ff|effe|even|snel|kort|quick|short)\b(?:\s+(?:een\s+)?(?:update|vraagje|one|"
    r"note|berichtje))?[\s,!.:-]*"
    r"|(?:korte|snelle|kleine|quick|short)\s+(?:update|one|note|melding)\b[\s,!.:-]*"
    r"|(?:even\s+|graag\s+|wil\s+(?:je|jij)\s+|kun\s+je\s+|kan\s+je\s+|please\s+|pls\s+)?"
    r"(?:doorgeven|melden|noteren|registreren|invoeren|opschrijven|vastleggen|ter\s+info|fyi|"
    r"update|melding|please\s+note|note\s+that|record|log|info)\b[\s,!.:-]*"
    r"|(?:voor|for)\s+(?:de\s+)?(?:administratie|registratie|the\s+record)\b[\s,!.:-]*)+",
    re.IGNORECASE,
)


_MOVEMENT_RE = re.compile(
    r"\b(?P<verwijdering>verwijderd|verwijdering|removed|expelled)\b"
    r"|\b(?P<uitschrijving>uitgeschreven|uitschrijving|deregistered|de-registered|unenrolled)\b"
    r"|\b(?P<inschrijving>ingeschreven|inschrijving|enrolled|registered)\b",
    re.IGNORECASE,
)


_NEW_SCHOOL_RE = re.compile(r"(?:nieuwe school|new school)\s*:?\s*(.+)$", re.IGNORECASE)


_VARIAWET_STEPS = (
    (VariawetStep.APPROVED, r"toegekend|goedgekeurd|akkoord|approved|granted"),
    (VariawetStep.REJECTED, r"afgewezen|geweigerd|rejected|refused|denied"),
    (VariawetStep.APPLIED, r"aangevraagd|aanvraag|ingediend|applied|application"),
)


_BACK_RE = re.compile(
    r"\b(?:weer|terug)\s+(?:op|naar)\s+school\b|\bback\s+(?:at|to|in)\s+school\b"
    r"|\bgaat\s+weer\s+naar\s+school\b|\bis\s+(?:weer\s+)?terug\b|\bweer\s+terug\b"
    r"|\bweer\s+aanwezig\b|\bweer\s+(?:begonnen|gestart)\b|\bweer\s+beter\s+en\s+(?:weer\s+)?(?:op|naar)\s+school\b|\bis\s+back\b|\bback\s+in\s+(?:class|lessons)\b|\breturned\s+to\s+school\b|\bterug\s+in\s+de\s+klas\b",
    re.IGNORECASE,
)


_OFFER_RE = re.compile(
    r"\b(?:passend(?:e)?\s+(?:onderwijs)?aanbod|aanbod|suitable\s+offer|offer)\b", re.IGNORECASE
)


_EXEMPTION_RE = re.compile(r"\b(?:vrijstelling|vrijgesteld|exemption|exempt(?:ed)?)\b", re.I)


_SUSPENSION_RE = re.compile(
    r"\b(?:geschorst|schorsing|schorsen|suspended|suspension)\b", re.IGNORECASE
)


_ARTICLE_RE = re.compile(
    r"\b(?:art(?:ikel|icle)?\.?\s*)?5\s*(?:onder\s*)?([abcd])\b", re.IGNORECASE
)


# Words that cannot be part of a name: the start of what the message says about the pupil.
_NAME_STOP = re.compile(
    r"^(?:\d.*|is|was|heeft|had|has|have|vandaag|gisteren|gister|eergisteren|today|yesterday|"
    r"vanochtend|vanmorgen|vanmiddag|this|te|weer|back|terug|sinds|since|vanaf|from|op|on|"
    r"deze|vorige|afgelopen|last|uur|hours?|gaat|krijgt|gets|goes|een|één|twee|drie|vier|vijf|"
    r"zes|half|halve|hele|kwartier|anderhalf|het|the|niet|not|geen|no|wel|per|met|with|"
    r"zonder|without|and|en|nog|ook|also|hoe|wat|wie|waar|wanneer|waarom|welke|ik|jij|je|wij|"
    r"we|how|what|who|where|when|why|which|i|you|kan|kun|mag|moet|can|could|help|hulp|dank|"
    r"bedankt|thanks|thank|ja|nee|yes|[-:,()?!])$",
    re.IGNORECASE,
)


_PARTICLES = frozenset("de van der den ter ten el al la le da di du del von vd v/d 't".split())  # noqa: SIM905


_KIND_HINTS = {"te_laat": Hint.LATE, "ziek": Hint.SICK, "geoorloofd": Hint.AUTHORISED}


def _ordinal(token: str) -> int:
    token = token.strip()
    if token in _ORDINALS:
        return _ORDINALS[token]
    digits = re.match(r"\d+", token)
    assert digits is not None
    return int(digits.group(0))


def _to_number(token: str) -> float:
    token = token.replace(",", ".")
    return float(NUMBER_WORDS[token]) if token in NUMBER_WORDS else float(token)


def _item_hint(item: Item) -> Hint:
    if isinstance(item, LateArrival):
        return Hint.LATE
    if isinstance(item, AbsenceOnDay | AbsencePeriod):
        return _KIND_HINTS.get(item.kind.value, Hint.ABSENCE)
    return Hint.ABSENCE


def _no_future(result: ParseResult, today: date) -> ParseResult:
    """Absence, returns and movements are facts: they cannot lie in the future."""
    updates = result.options if isinstance(result, Ambiguous) else (result,)
    for update in updates:
        if not isinstance(update, QuickUpdate):
            continue
        for item in update.items:
            days = [getattr(item, field, None) for field in ("day", "start", "end", "since")]
            if isinstance(item, Offer | Suspension | Exemption | Entry):
                continue
            future = [d for d in days if isinstance(d, date) and d > today]
            if future:
                return ParseFailure(
                    FailureReason.FUTURE_DATE,
                    name=update.name,
                    hint=_item_hint(item),
                    day=min(future),
                )
    return result
