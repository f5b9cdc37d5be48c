"""Sending each message once: the sent-mail record in the history store.

A message is known by what it is, not by its draft's bytes (a draft written again gets a new Message-ID and
Date): the round, the receiving unit, the subject and the To addresses (message_identity). `--send` sends
only the drafts whose identity has no delivery recorded, records each delivery the moment the server
accepts it (a run stopped or a connection dropped half-way loses nothing), and says what it skipped;
`--resend` sends them all again on purpose, recorded again.
"""
from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .mail import Draft, MailResult, SendResult, record_sent
from .mail_settings import MailSettings
from .smtp import send

if TYPE_CHECKING:
    from ..ledger.history import History
    from ..model.schedule import Round


def message_identity(rnd: "Round", draft: Draft) -> str:
    pkg = draft.package
    to = sorted(a.addr_spec.lower() for a in pkg.to)
    text = "\n".join([rnd.key, pkg.label, pkg.subject, *to])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def send_once(result: MailResult, rnd: "Round", history: "History", settings: MailSettings,
              password: str | None = None, resend: bool = False) -> MailResult:
    """Send the drafts of `result` not yet delivered (all with `resend`), recording each delivery in
    `history` as it happens; the skipped ones get a result saying when they went."""
    done = {} if resend else history.deliveries(rnd.key)
    identities = {id(d): message_identity(rnd, d) for d in result.drafts}
    due = [d for d in result.drafts if identities[id(d)] not in done]
    by_path = {d.path: d for d in due}

    def delivered(outcome: SendResult, message_id: str) -> None:
        draft = by_path.get(outcome.path)
        if outcome.ok and draft is not None:
            history.record_delivery(identities[id(draft)], rnd.key, draft.label, draft.package.subject,
                                    outcome.recipients, message_id)

    sent = {r.path: r for r in send(due, settings, password, on_sent=delivered)} if due else {}
    outcomes = []
    for draft in result.drafts:
        when = done.get(identities[id(draft)])
        if when is not None:
            outcomes.append(SendResult(draft.label, draft.path, [a.addr_spec for a in draft.package.to], True,
                                       f"未重发：“{draft.label}”已于 {when:%Y-%m-%d %H:%M} 发送过（如需再次发送，请用 --resend）",
                                       skipped=True))
        else:
            outcomes.append(sent[draft.path])
    return record_sent(result, outcomes)
