"""Texts shared by the chat and the nudges: what each protocol rule asks people to do, and the
names of the roles (message ids; translated where shown)."""

from __future__ import annotations

from bot.i18n import N_
from bot.storage.models import Role

ROLE_NAMES: dict[Role, str] = {
    # Translators: the role of a school's care coordinator (zorgcoördinator / IB-er).
    Role.ZORGCOORDINATOR: N_("care coordinator"),
    # Translators: bovenschoolse ondersteuningscoördinator of a school board.
    Role.BOC: N_("board support coordinator (BOC)"),
    Role.LEERPLICHT: N_("attendance officer"),
    Role.SWV: N_("staff member of the samenwerkingsverband"),
    Role.ADMIN: N_("administrator of the samenwerkingsverband"),
}

RULE_ACTIONS: dict[str, str] = {
    "MELDING_16_UUR": N_(
        "16 hours of unauthorised absence within 4 school weeks: report to leerplicht"
    ),
    "VERVOLGMELDING_16_UUR": N_("Unauthorised absence goes on: send a follow-up report"),
    "VO_3_UUR": N_("3 hours unauthorised or late: inform the parents in writing"),
    "VO_6_UUR": N_("6 hours unauthorised or late: talk with the parents, agree in writing"),
    "VO_9_UUR": N_("9 hours unauthorised or late: report to DUO, inform leerplicht and parents"),
    "VO_12_UUR": N_("12 hours unauthorised or late: report to DUO, inform leerplicht and parents"),
    "VIER_WEKEN_VERZUIM": N_(
        "4 weeks absent: a thuiszitter. Contact leerplicht, report to the SWV, make a plan"
    ),
    "VERZUIM_75_PROCENT": N_("Absent 75% of the lessons in 4 weeks: report to the SWV"),
    "ZONDER_AANBOD_2M": N_("2 months at home without a suitable offer: escalate to the board"),
    "ZONDER_AANBOD_3M": N_("3 months at home without a suitable offer: escalate to the SWV"),
    "PLAN_VAN_AANPAK": N_("Record a plan with a named contact person"),
    "VRIJSTELLING_SWV_BETREKKEN": N_(
        "Exemption: involve the SWV and hold a round-table meeting with parents and leerplicht"
    ),
    "VRIJSTELLING_EINDE_3M": N_(
        "Exemption ends in 3 months: contact the SWV about a new educational perspective"
    ),
    "VRIJSTELLING_HERAANVRAAG": N_("Exemption: re-apply before 1 July"),
    "ZIEKTE_GESPREK": N_("Frequent or long illness: talk with the parents (GGD if in doubt)"),
    "SCHORSING_MELDING": N_("Suspension of more than a day: copy to leerplicht and Inspectie"),
    "SCHORSING_TE_LANG": N_("A suspension of more than 5 school days is not allowed"),
    "HERSTELGESPREK": N_("After the suspension: a restorative talk"),
    "VERWIJDERING_ZONDER_SCHOOL": N_(
        "Removed without a new school: inform the SWV, leerplicht and the board"
    ),
    "UITSCHRIJVING_DUO": N_("Report the (de-)registration to DUO"),
    "ABSOLUUT_VERZUIM_CONTROLE": N_("Not enrolled: check again (letter, then an invitation)"),
    "MAANDOVERZICHT_SWV": N_("Send the SWV the monthly overview of schoolmissers"),
    "KWARTAAL_PEILDATUM": N_(
        "Quarterly reference date: review thuiszitters and exemptions; the SWV reports"
    ),
    "LEERPLICHT_VERIFICATIE": N_(
        "Verify with leerplicht: end dates, actions and results, new thuiszitters"
    ),
    "OVERLEG_BOC_NETWERK": N_("Meeting of the BOC network about thuiszitters"),
    "OVERLEG_LEERPLICHT": N_("Meeting with leerplicht about thuiszitters"),
    "VARIAWET_BESLUIT": N_("Variawet application: a decision is due"),
    "VARIAWET_HERAANVRAAG": N_("Variawet approval ends: apply again for the new school year"),
    "EVALUATIE": N_("Evaluate the ended period at home (optional)"),
    "GEEN_ACTIE": N_("No action recorded for 4 weeks"),
    "LEERPLICHT_EINDE": N_("The pupil turns 18: close or hand over the case"),
}
