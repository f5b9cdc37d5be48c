"""One contact line, from the office file, in the notices and the e-mails alike; the e-mails carry the
documents' date; sample values (王××, example.gov.cn) never reach a clerk's documents and `check` names them."""
import email
import email.policy
import shutil

import docx
import pytest
from click.testing import CliRunner

from reporter import api
from reporter.cli import main
from reporter.deliver import MailSettings
from reporter.render.bulletin import OFFICE_TOML
from reporter.render.notices import load_notice_settings

from .conftest import ROOT, SAMPLE_LEDGER

OFFICE = OFFICE_TOML
REAL = """
[notices]
contact = "陈静（市民生办督查科）"
phone = "0715-8125566"
email = "duchake@xianning.gov.cn"
"""


def text_of(path):
    return "\n".join(p.text for p in docx.Document(path).paragraphs)


@pytest.fixture(scope="module")
def round_with(tmp_path_factory, sample_round):
    def make(office_text):
        ws = tmp_path_factory.mktemp("ws")
        shutil.copytree(sample_round, ws, dirs_exist_ok=True)
        office = ws / "office.toml"
        office.write_text(OFFICE.read_text(encoding="utf-8").split("[notices]")[0] + office_text, encoding="utf-8")
        notices = api.notices(SAMPLE_LEDGER, "2025-05", ws, formats=("docx",), office=office)
        settings = MailSettings.from_config({"sender": "msb@xianning.gov.cn"}, office_name="咸宁市民生办",
                                            contact=load_notice_settings(office).contact_line())
        mail = api.mail(SAMPLE_LEDGER, "2025-05", ws, settings=settings)
        return office, notices, mail
    return make


def bodies(mail):
    for draft in mail.drafts:
        with open(draft.path, "rb") as fh:
            msg = email.message_from_binary_file(fh, policy=email.policy.default)
        yield msg, msg.get_body(("plain",)).get_content()


def test_notice_and_mail_print_the_same_contact_and_date(round_with):
    office, notices, mail = round_with(REAL)
    line = "联系人：陈静（市民生办督查科），联系电话：0715-8125566，电子邮箱：duchake@xianning.gov.cn"
    docs = [f for f in notices.files if f.suffix == ".docx" and "督办通知" in f.name]
    assert docs
    for path in docs:
        text = text_of(path)
        assert line in text
        assert "回执（" not in text and "回执.xlsx" not in text  # the 回执 is named as such, not by its file name
    unit_mails = [(m, body) for m, body in bodies(mail) if "督办通知" in body]
    assert unit_mails
    for _, body in unit_mails:
        assert line in body
        assert "2025年6月5日" in body or "2025年6月" in body  # the documents' 成文日期, not today's


def test_sample_values_are_left_out_and_named_by_check(round_with, tmp_path):
    office, notices, mail = round_with('[notices]\ncontact = "王××（督查督办组）"\nphone = "027-87230000"\n'
                                       'email = "dbz@hubei.example.gov.cn"\n')
    for path in (f for f in notices.files if f.suffix == ".docx"):
        text = text_of(path)
        assert "××" not in text and "example.gov.cn" not in text and "联系人" not in text
    for _, body in bodies(mail):
        assert "××" not in body and "联系人" not in body
    result = CliRunner().invoke(main, ["check", "--ledger", str(SAMPLE_LEDGER), "--round", "2025-05", "--out",
                                       str(tmp_path), "--config", str(ROOT / "reporter.toml")],
                                catch_exceptions=False)
    assert "[警告] office.toml：[notices] contact 仍是示例“王××（省民生办督查督办组）”" in result.output  # as shipped
    check = api.check(SAMPLE_LEDGER, "2025-05", office=office)
    placeholders = [f for f in check.findings if f.code == "office-placeholder"]
    assert {f.field for f in placeholders} == {"[notices] contact", "[notices] email"}
    assert all(f.file == "office.toml" for f in placeholders)
