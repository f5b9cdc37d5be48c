"""deliver: the top layer — e-mail drafts and sending. Nothing below imports it; reporter.api does."""
from .mail import (Draft, MailPlan, MailResult, Note, Package, SendResult, build_message, plan_packages, record_sent,
                   write_drafts)
from .mail_settings import MailConfigError, MailSettings, parse_addresses
from .mail_step import mail_round
from .smtp import send

__all__ = ["Draft", "MailConfigError", "MailPlan", "MailResult", "MailSettings", "Note", "Package",
           "SendResult", "build_message", "mail_round", "parse_addresses", "plan_packages", "record_sent",
           "send", "write_drafts"]
