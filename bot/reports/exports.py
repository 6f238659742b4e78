"""The overview as files: XLSX (openpyxl), CSV, JSON and a PNG chart (matplotlib, Agg)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.reports.data import PupilLine
from bot.reports.overview import CATEGORY_CODES, DURATIONS, InspectieRow, Overview

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


def _sheet(
    workbook: Workbook, title: str, header: list[str], rows: Sequence[Sequence[object]]
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, _ in enumerate(header, start=1):
        width = max(
            len(str(sheet.cell(row=r, column=index).value or ""))
            for r in range(1, sheet.max_row + 1)
        )
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, width + 2))
    sheet.freeze_panes = "A2"


def overview_xlsx(
    report: Overview,
    generated_by: str,
    generated_at: datetime,
    pupils: list[PupilLine] | None = None,
) -> bytes:
    """The overview, ready to hand in: a sheet per breakdown, Dutch headers, numbers as numbers."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    codes = list(CATEGORY_CODES)
    _sheet(workbook, "Totaal", ["Categorie", "Aantal"], [[c, report.totaal[c]] for c in codes])
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
            ["Gemaakt door", generated_by],
            ["Gemaakt op", generated_at.strftime("%d-%m-%Y %H:%M")],
        ],
    )
    if pupils is not None:
        # Only for SWV members: named as in chat, never with a birth date or exemption ground.
        _sheet(
            workbook,
            "Leerlingen (vertrouwelijk)",
            ["VERTROUWELIJK – Leerling", "Categorie", "Startdatum", "School", "Passend aanbod"],
            [[p.label, p.category, p.start, p.school, p.offer] for p in pupils],
        )
        sheet = workbook["Leerlingen (vertrouwelijk)"]
        for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
            row[0].number_format = "dd-mm-yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
                writer.writerow([day, part, name, code, counts[code]])
    return buffer.getvalue()


def overview_json(report: Overview) -> str:
    """The overview as JSON (DESIGN.md: `peildatum` and `totaal`, beside the other breakdowns)."""
    return json.dumps(report.as_json(), ensure_ascii=False, indent=2)


def overview_png(report: Overview) -> bytes:
    """Stacked bars per category over the last four peildata, 1200×700 pixels."""
    import matplotlib

    matplotlib.use("Agg")  # headless: no display on a server
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    categories = ["A1", "A2", "B1", "B2"]
    colours = {"A1": "#4C72B0", "A2": "#55A868", "B1": "#C44E52", "B2": "#8172B2"}
    labels = [day.strftime("%d-%m-%Y") for day, _ in report.trend]
    figure, axes = pyplot.subplots(figsize=(12, 7), dpi=100)
    bottoms = [0] * len(report.trend)
    for category in categories:
        values = [totals[category] for _, totals in report.trend]
        axes.bar(labels, values, bottom=bottoms, label=category, color=colours[category])
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
    axes.set_title("Thuiszitters per categorie op de peildata", fontsize=16)
    axes.set_ylabel("Aantal leerlingen", fontsize=12)
    axes.legend(title="Categorie")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()


def inspectie_xlsx(rows: list[InspectieRow], generated_by: str, generated_at: datetime) -> bytes:
    """The Inspectie's cumulative, anonymised registration as an editable workbook."""
    workbook = Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "Registratie",
        ["Pseudoniem", "Categorie", "Artikel", "Startdatum", "Einddatum", "Passend aanbod"],
        [[r.pseudoniem, r.category, r.article or "", r.start, r.end, r.aanbod] for r in rows],
    )
    sheet = workbook["Registratie"]
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=5):
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
            ["Gemaakt door", generated_by],
            ["Gemaakt op", generated_at.strftime("%d-%m-%Y %H:%M")],
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
