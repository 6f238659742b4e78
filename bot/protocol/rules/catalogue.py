"""The rule catalogue: every rule once, with its recipients, its source in the seed protocols,
what its due date means and the function that computes it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from bot.protocol.facts import OrganisationFacts, PupilFacts
from bot.protocol.rules.base import _BOC, _LP, _SWV, _Z, Deadline, DueMeans, ProtocolSettings, Rule
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
    """One rule of the catalogue. Its action text (what people are asked to do) is in
    `bot.texts.RULE_ACTIONS`, where the translations are."""

    rule: Rule
    recipients: tuple[str, ...]  # roles, in order; "zorgcoordinator" is the school
    source: str  # the seed protocols that ask for it
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
    RuleSpec(Rule.MELDING_16_UUR, (_Z, _BOC), "002 §2.2.2.2, 004, 000", pupil=melding_16_uur),
    RuleSpec(Rule.VERVOLGMELDING_16_UUR, (_Z,), "002 §2.2.2.2", pupil=melding_16_uur),
    RuleSpec(Rule.VO_3_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VO_6_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VO_9_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VO_12_UUR, (_Z,), "004 (verzuimschema)", pupil=vo_schema),
    RuleSpec(Rule.VIER_WEKEN_VERZUIM, (_Z, _BOC, _SWV, _LP), "004 werkwijzer 1–8, 001 §1, 002 §3",
             pupil=vier_weken_verzuim),
    # The day a level is reached: nobody can act on it before.
    RuleSpec(Rule.VERZUIM_75_PROCENT, (_Z,), "002 §3", due_means=_FROM, pupil=verzuim_75_procent),
    RuleSpec(Rule.ZONDER_AANBOD_2M, (_BOC, _Z), "001 §1, 000", due_means=_FROM,
             pupil=zonder_aanbod),
    RuleSpec(Rule.ZONDER_AANBOD_3M, (_SWV, _BOC), "003, 000", due_means=_FROM,
             pupil=zonder_aanbod),
    RuleSpec(Rule.PLAN_VAN_AANPAK, (_Z,), "004 werkwijzer 4, 002 §3", pupil=plan_van_aanpak),
    RuleSpec(Rule.VRIJSTELLING_SWV_BETREKKEN, (_SWV, _BOC), "000", due_means=_FROM,
             pupil=vrijstellingen),
    RuleSpec(Rule.VRIJSTELLING_EINDE_3M, (_LP, _SWV), "001 §3", due_means=_BY,
             pupil=vrijstellingen),
    RuleSpec(Rule.VRIJSTELLING_HERAANVRAAG, (_LP,), "001 §3", due_means=_BY,
             pupil=vrijstellingen),
    RuleSpec(Rule.ZIEKTE_GESPREK, (_Z,), "002 §2.1.1", pupil=ziekte_gesprek),
    RuleSpec(Rule.SCHORSING_MELDING, (_Z,), "002 §2.1.3", due_means=_FROM, pupil=schorsingen),
    RuleSpec(Rule.SCHORSING_TE_LANG, (_Z, _BOC), "002 §2.1.3", due_means=_FROM,
             pupil=schorsingen),
    RuleSpec(Rule.HERSTELGESPREK, (_Z,), "002 §2.1.3", pupil=schorsingen),
    RuleSpec(Rule.VERWIJDERING_ZONDER_SCHOOL, (_SWV, _LP, _BOC), "002 §2.1.4", due_means=_FROM,
             pupil=movements),
    RuleSpec(Rule.UITSCHRIJVING_DUO, (_Z,), "002 §2.1.4, §2.2.1", due_means=_BY,
             pupil=movements),
    RuleSpec(Rule.ABSOLUUT_VERZUIM_CONTROLE, (_LP,), "001 §2", due_means=_FROM,
             pupil=absoluut_verzuim),
    RuleSpec(Rule.MAANDOVERZICHT_SWV, (_LP,), "002 §3", carries_report=True, due_means=_FROM,
             organisation=maandoverzicht),
    RuleSpec(Rule.KWARTAAL_PEILDATUM, (_BOC, _SWV), "000, 001", carries_report=True,
             due_means=_FROM, organisation=kwartaal_peildatum),
    RuleSpec(Rule.LEERPLICHT_VERIFICATIE, (_SWV, _BOC, _LP), "000", due_means=_FROM,
             organisation=leerplicht_verificatie),
    RuleSpec(Rule.OVERLEG_BOC_NETWERK, (_SWV,), "000", due_means=_FROM, organisation=overleg),
    RuleSpec(Rule.OVERLEG_LEERPLICHT, (_SWV,), "000", due_means=_FROM, organisation=overleg),
    RuleSpec(Rule.VARIAWET_BESLUIT, (_Z,), "002 bijlage, 001 §4", due_means=_BY,
             pupil=variawet),
    RuleSpec(Rule.VARIAWET_HERAANVRAAG, (_Z,), "002 bijlage", due_means=_BY, pupil=variawet),
    RuleSpec(Rule.EVALUATIE, (_BOC,), "000", due_means=_FROM, pupil=evaluatie),
    RuleSpec(Rule.GEEN_ACTIE, (_Z,), "000, project default", announced=False, due_means=_FROM,
             pupil=geen_actie),
    RuleSpec(Rule.LEERPLICHT_EINDE, (_Z, _LP), "003, 004", due_means=_FROM,
             pupil=leerplicht_einde),
    RuleSpec(Rule.DREIGEND_16_UUR, (_Z,), "002 Vroegsignalering, 003", vo_also=(_BOC,),
             due_means=_FROM, pupil=dreigend_16_uur),
    RuleSpec(Rule.ZIEKMELDING_PATROON, (_Z,), "002 §2.1.1, MAZL (NCJ)", pupil=ziekmelding_patroon),
)  # fmt: skip


# By code (a stored deadline's rule is a plain string).
CATALOGUE: dict[str, RuleSpec] = {spec.rule.value: spec for spec in CATALOGUE_ORDER}


# Each function once, in catalogue order (one function may yield several rules).
PUPIL_RULES: tuple[PupilRule, ...] = tuple(
    dict.fromkeys(spec.pupil for spec in CATALOGUE_ORDER if spec.pupil is not None)
)


ORGANISATION_RULES: tuple[OrganisationRule, ...] = tuple(
    dict.fromkeys(spec.organisation for spec in CATALOGUE_ORDER if spec.organisation is not None)
)
