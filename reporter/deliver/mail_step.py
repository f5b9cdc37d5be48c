"""The mail step of a run: the round's packages planned and written as drafts (mail), then sent if asked (smtp)."""
from __future__ import annotations

import datetime as dt

from ..model.schedule import Round
from ..model.tasks import AnnualLedger
from ..workspace import Workspace
from ..ledger.history import History
from .mail import MailResult, MailSettings, plan_packages, write_drafts
from .sent import send_once


def mail_round(ledger: AnnualLedger, rnd: Round, ws: Workspace, settings: MailSettings, send: bool = False,
               password: str | None = None, issued: dt.date | None = None, history: History | None = None,
               resend: bool = False) -> MailResult:
    """The mail step: plan, write the drafts and the report; with `send`, send the drafts as written, each
    one once: what `history` (the store; the workspace's by default) records as delivered is skipped unless
    `resend`."""
    result = write_drafts(plan_packages(ledger, rnd, ws, settings, issued), ws.mail_dir(rnd), settings)
    if send or resend:
        store = history if history is not None else History(ws.history_db).create()
        send_once(result, rnd, store, settings, password, resend=resend)
    return result
