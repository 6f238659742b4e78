"""The rule catalogue: every rule once, with its recipients, its source in the seed protocols,
what its due date means and the function that computes it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from bot.protocol.facts import OrganisationFacts, PupilFacts
from bot.protocol.rules.base import (
    _BOC,
    _LP,
    _SWV,
    _Z,
    N_,
    Deadline,
    DueMeans,
    ProtocolSettings,
    Rule,
)
from bot.protocol.rules.organisations import (
    kwartaal_peildatum,
    leerplicht_verificatie,
    maandoverzicht,
    overleg,
)
from bot.protocol.rules.pupils import (
    absoluut_verzuim,
    dreigend_16_uur,
    evaluatie,
    geen_actie,
    leerplicht_einde,
    melding_16_uur,
    movements,
    na_melding,
    plan_van_aanpak,
    schorsingen,
    variawet,
    verzuim_75_procent,
    vier_weken_verzuim,
    vo_schema,
    vrijstellingen,
    ziekmelding_patroon,
    ziekte_gesprek,
    zonder_aanbod,
)

PupilRule = Callable[[PupilFacts, date, ProtocolSettings], Iterator[Deadline]]


OrganisationRule = Callable[[OrganisationFacts, date, ProtocolSettings], Iterator[Deadline]]


@dataclass(frozen=True)
class RuleSpec:
    """One rule of the catalogue: who is asked, by which seed protocol, and to do what."""

    rule: Rule
    recipients: tuple[str, ...]  # roles, in order; "zorgcoordinator" is the school
    source: str  # the seed protocols that ask for it
    # What people are asked to do, in English; translated where it is shown (the catalogs).
    action: str
    # The nudge carries the organisation's draft overview (the workbook) as a document.
    carries_report: bool = False
    # Shown in an update's confirmation when it appears or lapses (GEEN_ACTIE is noise there).
    announced: bool = True
    # Roles added for pupils of secondary schools (VO, VSO).
    vo_also: tuple[str, ...] = ()
    # What its due date means, and so how it is moved to a working day (RULES.md shows it).
    due_means: DueMeans = DueMeans.COUNTED
    # The function that yields this rule's deadlines: from a pupil's facts or an organisation's.
    pupil: PupilRule | None = None
    organisation: OrganisationRule | None = None

    def __post_init__(self) -> None:
        if (self.pupil is None) == (self.organisation is None):
            raise ValueError(f"{self.rule}: computed from a pupil or from an organisation")


_BY, _FROM = DueMeans.BY, DueMeans.FROM

CATALOGUE_ORDER: tuple[RuleSpec, ...] = (
    RuleSpec(
        Rule.MELDING_16_UUR,
        (_Z, _BOC),
        "002 §2.2.2.2–2.2.2.3, 004, 000",
        N_(
            "16 hours of unauthorised absence within 4 school weeks: inform the parents, then "
            "report to leerplicht"
        ),
        pupil=melding_16_uur,
    ),
    RuleSpec(
        Rule.VERVOLGMELDING_16_UUR,
        (_Z,),
        "002 §2.2.2.2",
        N_("Unauthorised absence goes on: send a follow-up report"),
        pupil=melding_16_uur,
    ),
    RuleSpec(
        Rule.VO_3_UUR,
        (_Z,),
        "004 (verzuimschema)",
        N_("3 hours unauthorised or late: inform the parents in writing"),
        pupil=vo_schema,
    ),
    RuleSpec(
        Rule.VO_6_UUR,
        (_Z,),
        "004 (verzuimschema)",
        N_("6 hours unauthorised or late: talk with the parents, agree in writing"),
        pupil=vo_schema,
    ),
    RuleSpec(
        Rule.VO_9_UUR,
        (_Z,),
        "004 (verzuimschema)",
        N_("9 hours unauthorised or late: report to DUO, inform leerplicht and parents"),
        pupil=vo_schema,
    ),
    RuleSpec(
        Rule.VO_12_UUR,
        (_Z,),
        "004 (verzuimschema)",
        N_("12 hours unauthorised or late: report to DUO, inform leerplicht and parents"),
        pupil=vo_schema,
    ),
    RuleSpec(
        Rule.VIER_WEKEN_VERZUIM,
        (_Z, _BOC, _SWV, _LP),
        "004 werkwijzer 1–8, 001 §1, 002 §3",
        N_("4 weeks absent: a thuiszitter. Contact leerplicht, report to the SWV, make a plan"),
        pupil=vier_weken_verzuim,
    ),
    # The day a level is reached: nobody can act on it before.
    RuleSpec(
        Rule.VERZUIM_75_PROCENT,
        (_Z,),
        "002 §3",
        N_("Absent 75% of the lessons in 4 weeks: report to the SWV"),
        due_means=_FROM,
        pupil=verzuim_75_procent,
    ),
    RuleSpec(
        Rule.ZONDER_AANBOD_2M,
        (_BOC, _Z),
        "001 §1, 000",
        N_("2 months at home without a suitable offer: escalate to the board"),
        due_means=_FROM,
        pupil=zonder_aanbod,
    ),
    RuleSpec(
        Rule.ZONDER_AANBOD_3M,
        (_SWV, _BOC),
        "003, 000",
        N_("3 months at home without a suitable offer: escalate to the SWV"),
        due_means=_FROM,
        pupil=zonder_aanbod,
    ),
    RuleSpec(
        Rule.PLAN_VAN_AANPAK,
        (_Z,),
        "004 werkwijzer 4, 002 §3",
        N_("Record a plan with a named contact person"),
        pupil=plan_van_aanpak,
    ),
    RuleSpec(
        Rule.VRIJSTELLING_SWV_BETREKKEN,
        (_SWV, _BOC),
        "000",
        N_("Exemption: involve the SWV and hold a round-table meeting with parents and leerplicht"),
        due_means=_FROM,
        pupil=vrijstellingen,
    ),
    RuleSpec(
        Rule.VRIJSTELLING_EINDE_3M,
        (_LP, _SWV),
        "001 §3",
        N_("Exemption ends in 3 months: contact the SWV about a new educational perspective"),
        due_means=_BY,
        pupil=vrijstellingen,
    ),
    RuleSpec(
        Rule.VRIJSTELLING_HERAANVRAAG,
        (_LP,),
        "001 §3",
        N_("Exemption: re-apply before 1 July"),
        due_means=_BY,
        pupil=vrijstellingen,
    ),
    RuleSpec(
        Rule.ZIEKTE_GESPREK,
        (_Z,),
        "002 §2.1.1",
        N_("Frequent or long illness: talk with the parents (GGD if in doubt)"),
        pupil=ziekte_gesprek,
    ),
    RuleSpec(
        Rule.SCHORSING_MELDING,
        (_Z,),
        "002 §2.1.3",
        N_("Suspension of more than a day: copy to leerplicht and Inspectie"),
        due_means=_FROM,
        pupil=schorsingen,
    ),
    RuleSpec(
        Rule.SCHORSING_TE_LANG,
        (_Z, _BOC),
        "002 §2.1.3",
        N_("A suspension of more than 5 school days is not allowed"),
        due_means=_FROM,
        pupil=schorsingen,
    ),
    RuleSpec(
        Rule.HERSTELGESPREK,
        (_Z,),
        "002 §2.1.3",
        N_("After the suspension: a restorative talk"),
        pupil=schorsingen,
    ),
    RuleSpec(
        Rule.VERWIJDERING_ZONDER_SCHOOL,
        (_SWV, _LP, _BOC),
        "002 §2.1.4",
        N_("Removed without a new school: inform the SWV, leerplicht and the board"),
        due_means=_FROM,
        pupil=movements,
    ),
    RuleSpec(
        Rule.UITSCHRIJVING_DUO,
        (_Z,),
        "002 §2.1.4, §2.2.1",
        N_("Report the (de-)registration to DUO"),
        due_means=_BY,
        pupil=movements,
    ),
    RuleSpec(
        Rule.ABSOLUUT_VERZUIM_CONTROLE,
        (_LP,),
        "001 §2",
        N_("Not enrolled: check again (letter, then an invitation)"),
        due_means=_FROM,
        pupil=absoluut_verzuim,
    ),
    RuleSpec(
        Rule.MAANDOVERZICHT_SWV,
        (_LP,),
        "002 §3",
        N_("Send the SWV the monthly overview of schoolmissers"),
        carries_report=True,
        due_means=_FROM,
        organisation=maandoverzicht,
    ),
    RuleSpec(
        Rule.KWARTAAL_PEILDATUM,
        (_BOC, _SWV),
        "000, 001",
        N_("Quarterly reference date: review thuiszitters and exemptions; the SWV reports"),
        carries_report=True,
        due_means=_FROM,
        organisation=kwartaal_peildatum,
    ),
    RuleSpec(
        Rule.LEERPLICHT_VERIFICATIE,
        (_SWV, _BOC, _LP),
        "000",
        N_("Verify with leerplicht: end dates, actions and results, new thuiszitters"),
        due_means=_FROM,
        organisation=leerplicht_verificatie,
    ),
    RuleSpec(
        Rule.OVERLEG_BOC_NETWERK,
        (_SWV,),
        "000",
        N_("Meeting of the BOC network about thuiszitters"),
        due_means=_FROM,
        organisation=overleg,
    ),
    RuleSpec(
        Rule.OVERLEG_LEERPLICHT,
        (_SWV,),
        "000",
        N_("Meeting with leerplicht about thuiszitters"),
        due_means=_FROM,
        organisation=overleg,
    ),
    RuleSpec(
        Rule.VARIAWET_BESLUIT,
        (_Z,),
        "002 bijlage, 001 §4",
        N_("Variawet application: a decision is due"),
        due_means=_BY,
        pupil=variawet,
    ),
    RuleSpec(
        Rule.VARIAWET_HERAANVRAAG,
        (_Z,),
        "002 bijlage",
        N_("Variawet approval ends: apply again for the new school year"),
        due_means=_BY,
        pupil=variawet,
    ),
    RuleSpec(
        Rule.EVALUATIE,
        (_BOC,),
        "000",
        N_("Evaluate the ended period at home (optional)"),
        due_means=_FROM,
        pupil=evaluatie,
    ),
    RuleSpec(
        Rule.GEEN_ACTIE,
        (_Z,),
        "000, project default",
        N_("Record an action: by then the case has gone 4 weeks without one"),
        announced=False,
        due_means=_FROM,
        pupil=geen_actie,
    ),
    RuleSpec(
        Rule.LEERPLICHT_EINDE,
        (_Z, _LP),
        "003, 004",
        N_("The pupil turns 18: close or hand over the case"),
        due_means=_FROM,
        pupil=leerplicht_einde,
    ),
    RuleSpec(
        Rule.DREIGEND_16_UUR,
        (_Z,),
        "002 Vroegsignalering, 003",
        N_(
            "Early warning: unauthorised absence is adding up towards 16 hours in 4 school weeks; "
            "talk with the parents and the pupil now"
        ),
        vo_also=(_BOC,),
        due_means=_FROM,
        pupil=dreigend_16_uur,
    ),
    RuleSpec(
        Rule.ZIEKMELDING_PATROON,
        (_Z,),
        "002 §2.1.1, MAZL (NCJ)",
        N_(
            "Sick reports form a pattern (the 4th in 12 school weeks, or 7 school days in a row): "
            "involve the GGD youth doctor (MAZL)"
        ),
        pupil=ziekmelding_patroon,
    ),
    RuleSpec(
        Rule.LEERPLICHT_TERUGKOPPELING,
        (_LP,),
        "002 §2.2.2.3, 004 LPA1–LPA3",
        N_(
            "A melding was made: report back to the school what came of it (thuiszitter or "
            "not, a warning, proces-verbaal, HALT, a talk held, agreements)"
        ),
        pupil=na_melding,
    ),
    RuleSpec(
        Rule.LEERPLICHT_KOPPELEN,
        (_BOC,),
        "002 §2.2.2, 001",
        N_(
            "A melding was made and no leerplicht officer is linked to the pupil: link one "
            "(/koppel) so that leerplicht gets the pupil's deadlines"
        ),
        pupil=na_melding,
    ),
)


# By code (a stored deadline's rule is a plain string).
CATALOGUE: dict[str, RuleSpec] = {spec.rule.value: spec for spec in CATALOGUE_ORDER}


# Each function once, in catalogue order (one function may yield several rules).
PUPIL_RULES: tuple[PupilRule, ...] = tuple(
    dict.fromkeys(spec.pupil for spec in CATALOGUE_ORDER if spec.pupil is not None)
)


ORGANISATION_RULES: tuple[OrganisationRule, ...] = tuple(
    dict.fromkeys(spec.organisation for spec in CATALOGUE_ORDER if spec.organisation is not None)
)
