"""The mail step of a run: the round's packages planned and written as drafts (mail), then sent if asked (smtp)."""
from __future__ import annotations

import datetime as dt

from ..model.schedule import Round
from ..model.tasks import AnnualLedger
from ..workspace import Workspace
from ..ledger.history import History
from ..ledger.store import RoundNotCollected, load_round
from .mail import MailResult, plan_packages, write_drafts
from .mail_settings import MailSettings
from .sent import send_once


def mail_round(ledger: AnnualLedger, rnd: Round, ws: Workspace, settings: MailSettings, send: bool = False,
               password: str | None = None, issued: dt.date | None = None, history: History | None = None,
               resend: bool = False) -> MailResult:
    """The mail step: plan, write the drafts and the report; with `send`, send the drafts as written, each
    one once: what `history` (the store; the workspace's by default) records as delivered is skipped unless
    `resend`."""
    plan = plan_packages(ledger, rnd, ws, settings, issued, senders=round_senders(ledger, rnd, ws))
    result = write_drafts(plan, ws.mail_dir(rnd), settings)
    if send or resend:
        store = history if history is not None else History(ws.history_db).create()
        send_once(result, rnd, store, settings, password, resend=resend)
    return result


def round_senders(ledger: AnnualLedger, rnd: Round, ws: Workspace) -> dict[str, str]:
    """Unit → the address its taken file came from this round (e-mailed submissions only); {} before collect."""
    try:
        files = load_round(ws, ledger, rnd).files
    except RoundNotCollected:
        return {}
    return {f.unit: f.sender for f in files if f.unit and f.sender and f.state == "采用"}
