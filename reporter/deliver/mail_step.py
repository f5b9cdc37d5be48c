"""The mail step of a run: the round's packages planned and written as drafts (mail), then sent if asked (smtp)."""
from __future__ import annotations

import datetime as dt

from ..model.schedule import Round
from ..model.tasks import AnnualLedger
from ..workspace import Workspace
from .mail import MailResult, MailSettings, plan_packages, record_sent, write_drafts
from .smtp import send as send_drafts


def mail_round(ledger: AnnualLedger, rnd: Round, ws: Workspace, settings: MailSettings, send: bool = False,
               password: str | None = None, issued: dt.date | None = None) -> MailResult:
    """The mail step: plan, write the drafts and the report; with `send`, send the drafts as written."""
    result = write_drafts(plan_packages(ledger, rnd, ws, settings, issued), ws.mail_dir(rnd), settings)
    if send:
        record_sent(result, send_drafts(result.drafts, settings, password))
    return result
