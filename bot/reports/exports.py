"""The overview as files: XLSX (openpyxl), CSV, JSON and a PNG chart (matplotlib, Agg)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from bot.i18n import translator
from bot.reports.data import PupilLine
from bot.reports.overview import CATEGORY_CODES, DURATIONS, InspectieRow, Overview
from bot.texts import CATEGORY_NAMES

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.styles import Font

DEFINITIONS = [
    (
        "Peildatum",
        "15 september, 15 december, 15 maart of 15 juni. Een dossier telt mee als het op "
        "de peildatum loopt: gestart op of vóór die dag en niet eerder beëindigd.",
    ),
    ("A1", "Ziekte (ook zorgwekkend ziekteverzuim)."),
    (
        "A2",
        "Vrijstelling van de leerplicht; per artikel: 5A (lichamelijk of psychisch), "
        "5B (bezwaar tegen de richting), 5C (ingeschreven in het buitenland), "
        "5D (trekkend bestaan).",
    ),
    ("B1", "Absoluut verzuim: niet ingeschreven."),
    ("B2", "Langdurig relatief verzuim (meer dan 4 weken)."),
    (
        "Passend aanbod",
        "Een passend onderwijs- of zorgaanbod, geregistreerd op of vóór de peildatum.",
    ),
    ("Duur", "De tijd tussen de startdatum en de peildatum."),
    ("Nieuw / beëindigd", "Gestart of beëindigd na de vorige peildatum, tot en met deze."),
]


def _workbook() -> Workbook:
    """A new workbook. openpyxl (which brings numpy) is imported here, when a report is made:
    the bot's process does not carry it for the chat alone."""
    from openpyxl import Workbook

    return Workbook()


def _bold(color: str | None = None) -> Font:
    from openpyxl.styles import Font

    return Font(bold=True, color=color)


def _saved(workbook: Workbook) -> bytes:
    """The workbook's bytes, with no cell a formula: a school's or a pupil's name typed as
    "=HYPERLINK(…)" must stay text in every workbook the bot makes (the bot writes no formulas
    of its own)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# What a spreadsheet program reads as the start of a formula in a CSV cell.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """A CSV cell that a spreadsheet program opens as text, never as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: Sequence[Sequence[object]]
) -> None:
    from openpyxl.utils import get_column_letter as column_letter

    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = _bold()
    for row in rows:
        sheet.append(row)
    for index, _ in enumerate(header, start=1):
        width = max(
            len(str(sheet.cell(row=r, column=index).value or ""))
            for r in range(1, sheet.max_row + 1)
        )
        sheet.column_dimensions[column_letter(index)].width = min(60, max(10, width + 2))
    sheet.freeze_panes = "A2"


MAIN_CATEGORIES = ("A1", "A2", "B1", "B2")
A2_ARTICLES = ("A2-5A", "A2-5B", "A2-5C", "A2-5D")
# What each category is: the A categories are not thuiszitters in the strict sense.
# The workbook and chart are in Dutch (for the Inspectie), with the categories named as in chat.
CATEGORY_LABELS = {code: translator("nl").gettext(name) for code, name in CATEGORY_NAMES.items()}


def _totals(report: Overview) -> list[list[object]]:
    """The four categories and their sum (the number of pupils), then A2 by article apart: the
    articles are part of A2, so they are not added to the total."""
    main = [[c, report.totaal[c]] for c in MAIN_CATEGORIES]
    articles = [[c, report.totaal[c]] for c in A2_ARTICLES]
    total = sum(report.totaal[c] for c in MAIN_CATEGORIES)
    return [
        *main,
        ["Totaal", total],
        [None, None],
        ["Waarvan A2, per artikel", "Aantal"],
        *articles,
    ]


def overview_xlsx(
    report: Overview,
    generated_by: str,
    generated_at: datetime,
    *,
    draft: bool = False,
) -> bytes:
    """The overview, ready to hand in: a sheet per breakdown, Dutch headers, numbers as numbers.
    It holds counts only, so that it can be forwarded; the pupil list is `pupil_list_xlsx`."""
    workbook = _workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    codes = list(CATEGORY_CODES)
    _sheet(workbook, "Totaal", ["Categorie", "Aantal"], _totals(report))
    totals = workbook["Totaal"]
    for line in (6, 8):  # "Totaal" and the header of the breakdown
        for cell in totals[line]:
            cell.font = _bold()
    _sheet(
        workbook,
        "Passend aanbod",
        ["Categorie", "Met passend aanbod", "Zonder passend aanbod"],
        [[c, report.met_aanbod[c], report.zonder_aanbod[c]] for c in codes],
    )
    _sheet(
        workbook,
        "Duur",
        ["Duur op de peildatum", "Aantal"],
        [[d, report.duur[d]] for d in DURATIONS],
    )
    verified_since = report.verificatiedatum.strftime("%d-%m-%Y") if report.verificatiedatum else ""
    _sheet(
        workbook,
        "Verificatie",
        ["Verificatie", "Aantal"],
        [
            [
                f"Open dossiers geverifieerd voor de verificatie van {verified_since}",
                report.geverifieerd,
            ],
            ["Open dossiers op de peildatum", sum(report.totaal[c] for c in MAIN_CATEGORIES)],
        ],
    )
    _sheet(
        workbook,
        "Nieuw en beëindigd",
        ["Categorie", "Nieuw", "Beëindigd"],
        [[c, report.nieuw[c], report.beeindigd[c]] for c in codes],
    )
    for title, groups in (
        ("Per school", report.per_school),
        ("Per bestuur", report.per_bestuur),
        ("Per gemeente", report.per_gemeente),
    ):
        _sheet(
            workbook,
            title,
            [title.removeprefix("Per ").capitalize(), *codes],
            [[name, *(counts[c] for c in codes)] for name, counts in groups.items()],
        )
    _sheet(
        workbook,
        "Trend",
        ["Peildatum", *codes],
        [[day, *(totals[c] for c in codes)] for day, totals in report.trend],
    )
    trend = workbook["Trend"]
    for row in trend.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "dd-mm-yyyy"
    _sheet(
        workbook,
        "Definities",
        ["Begrip", "Betekenis"],
        [
            *map(list, DEFINITIONS),
            ["Peildatum van dit overzicht", report.peildatum.strftime("%d-%m-%Y")],
            *(
                [
                    [
                        "Status",
                        f"CONCEPT: met de gegevens van {generated_at:%d-%m-%Y}; de cijfers "
                        "kunnen tot de peildatum nog veranderen",
                    ]
                ]
                if draft
                else []
            ),
            ["Gemaakt door", generated_by],
            ["Gemaakt op", generated_at.strftime("%d-%m-%Y %H:%M")],
        ],
    )
    return _saved(workbook)


CONFIDENTIAL = "VERTROUWELIJK"


def pupil_list_xlsx(
    pupils: list[PupilLine], peildatum: date, generated_by: str, generated_at: datetime
) -> bytes:
    """The pupils behind the overview, for SWV members only: a file of its own, whose sheet name,
    first row, header and footer say that it is confidential, so that the overview can be
    forwarded without it. Pupils are named as in chat, never with a birth date or exemption
    ground."""
    workbook = _workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Vertrouwelijk"
    sheet.append(
        [
            f"{CONFIDENTIAL}: leerlingen op peildatum {peildatum:%d-%m-%Y}, gemaakt door "
            f"{generated_by} op {generated_at:%d-%m-%Y %H:%M}. Niet doorsturen."
        ]
    )
    sheet["A1"].font = _bold(color="C00000")
    sheet.append(["Leerling", "Categorie", "Startdatum", "School", "Passend aanbod"])
    for cell in sheet[2]:
        cell.font = _bold()
    for p in pupils:
        sheet.append([p.label, p.category, p.start, p.school, p.offer])
    for row in sheet.iter_rows(min_row=3, min_col=3, max_col=3):
        row[0].number_format = "dd-mm-yyyy"
    for column, width in zip("ABCDE", (24, 12, 12, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None
    assert footer is not None
    header.center.text = CONFIDENTIAL
    footer.center.text = f"{CONFIDENTIAL} – niet doorsturen"
    return _saved(workbook)


def overview_csv(report: Overview) -> str:
    """Every figure as a row: onderdeel, groep, categorie, aantal."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["peildatum", "onderdeel", "groep", "categorie", "aantal"])
    day = report.peildatum.isoformat()
    for part, counts in (
        ("totaal", report.totaal),
        ("met_passend_aanbod", report.met_aanbod),
        ("zonder_passend_aanbod", report.zonder_aanbod),
        ("nieuw", report.nieuw),
        ("beeindigd", report.beeindigd),
    ):
        for code in CATEGORY_CODES:
            writer.writerow([day, part, "", code, counts[code]])
    for bucket in DURATIONS:
        writer.writerow([day, "duur", bucket, "", report.duur[bucket]])
    for part, groups in (
        ("per_school", report.per_school),
        ("per_bestuur", report.per_bestuur),
        ("per_gemeente", report.per_gemeente),
    ):
        for name, counts in groups.items():
            for code in CATEGORY_CODES:
                writer.writerow([day, part, csv_safe(name), code, counts[code]])
    return buffer.getvalue()


def overview_json(report: Overview) -> str:
    """The overview as JSON (README, "Reports": `peildatum` and `totaal`, beside the other
    breakdowns)."""
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


def chart_texts(
    report: Overview, scope: str, generated_by: str, generated_at: datetime
) -> tuple[str, str]:
    """The chart's title (whose pupils, which categories) and caption (peildatum, maker)."""
    title = f"{scope}: leerlingen per categorie op de peildata"
    caption = (
        f"Peildatum {report.peildatum:%d-%m-%Y}, met de drie peildata ervoor. A1 ziek, A2 "
        f"vrijgesteld, B1 absoluut verzuim, B2 langdurig relatief verzuim. Gemaakt door "
        f"{generated_by} op {generated_at:%d-%m-%Y %H:%M}."
    )
    return title, caption


def overview_png(report: Overview, scope: str, generated_by: str, generated_at: datetime) -> bytes:
    """Stacked bars per category over the last four peildata, 1200×700 pixels, titled with the
    scope and captioned with the peildatum and who made it (a chart may travel alone)."""
    import matplotlib

    matplotlib.use("Agg")  # headless: no display on a server
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    colours = {"A1": "#4C72B0", "A2": "#55A868", "B1": "#C44E52", "B2": "#8172B2"}
    labels = [day.strftime("%d-%m-%Y") for day, _ in report.trend]
    figure, axes = pyplot.subplots(figsize=(12, 7), dpi=100)
    bottoms = [0] * len(report.trend)
    for category in MAIN_CATEGORIES:
        values = [totals[category] for _, totals in report.trend]
        axes.bar(
            labels, values, bottom=bottoms, label=CATEGORY_LABELS[category], color=colours[category]
        )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    title, caption = chart_texts(report, scope, generated_by, generated_at)
    axes.set_title(title, fontsize=16)
    axes.set_ylabel("Aantal leerlingen", fontsize=12)
    axes.legend(title="Categorie")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.text(0.5, 0.01, caption, ha="center", fontsize=9, wrap=True)
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Title": title, "Description": caption})
    pyplot.close(figure)
    return buffer.getvalue()


def inspectie_xlsx(rows: list[InspectieRow], generated_by: str, generated_at: datetime) -> bytes:
    """The Inspectie's cumulative, anonymised registration as an editable workbook."""
    workbook = _workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "Registratie",
        [
            "Pseudoniem",
            "Categorie",
            "Artikel",
            "Startdatum",
            "Einddatum",
            "Passend aanbod",
            "Geverifieerd op",
        ],
        [
            [r.pseudoniem, r.category, r.article or "", r.start, r.end, r.aanbod, r.geverifieerd_op]
            for r in rows
        ],
    )
    sheet = workbook["Registratie"]
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=7):
        for cell in row:
            cell.number_format = "dd-mm-yyyy"
    _sheet(
        workbook,
        "Definities",
        ["Begrip", "Betekenis"],
        [
            [
                "Registratie",
                "Iedereen die sinds 1 augustus thuiszitter was (4 weken of langer) "
                "of een vrijstelling op grond van artikel 5 onder a had; cumulatief.",
            ],
            ["Pseudoniem", "Een nummer per leerling; geen naam of geboortedatum."],
            [
                "Geverifieerd op",
                "De laatste verificatie van het dossier met SWV, BOC-ers en "
                "leerplicht (/verificatie); leeg: nog nooit.",
            ],
            ["Gemaakt door", generated_by],
            ["Gemaakt op", generated_at.strftime("%d-%m-%Y %H:%M")],
        ],
    )
    return _saved(workbook)
