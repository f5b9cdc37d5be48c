"""`reporter` command line: a thin shell over reporter.api (same names, same arguments)."""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable

import click

from . import __version__, api, click_zh
from .config import ConfigError, load_config
from .intake.annual import LedgerError
from .ledger.history import StoreBusy
from .ledger.store import RoundNotCollected
from .workspace import WorkspaceBusy
from .model.findings import Findings
from .render.document import RenderError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
click_zh.install()


def shared_options(func: Callable | None = None, *, ledger_optional: bool = False) -> Callable:
    """--ledger/--round/--out/--json/--config, defined once, resolved against reporter.toml. With
    `ledger_optional`, a command given no ledger anywhere runs with ledger, round and out as None."""
    if func is None:
        return functools.partial(shared_options, ledger_optional=ledger_optional)

    @click.option("--config", "config_path", type=click.Path(dir_okay=False), help="配置文件（默认：当前文件夹或 --out 中的 reporter.toml）")
    @click.option("--json", "as_json", is_flag=True, help="在标准输出打印机器可读的 JSON 摘要")
    @click.option("--out", type=click.Path(file_okay=False), help="工作区文件夹（历史库与各轮次子文件夹）")
    @click.option("--round", "round_", metavar="YYYY-MM", help="填报轮次，如 2025-05 或 2025-Q2")
    @click.option("--ledger", type=click.Path(dir_okay=False), help="年度任务台帐工作簿（.xlsx）")
    @functools.wraps(func)
    def wrapper(ledger, round_, out, as_json, config_path, **kwargs):
        try:
            cfg = load_config(config_path, out)
        except ConfigError as exc:
            fail(str(exc))
        ledger = ledger or cfg.ledger
        round_ = round_ or cfg.round
        out = Path(out) if out else cfg.out
        if ledger is None and ledger_optional:
            emit(func(ledger=None, round_=round_, out=out if cfg.path else None, cfg=cfg, as_json=as_json,
                      **kwargs), as_json)
            return None
        if ledger is None:
            fail("未指定年度任务台帐：请用 --ledger 指定，或在 reporter.toml 的 [workspace] 中写 ledger。")
        if not Path(ledger).is_file():
            fail(f"找不到年度任务台帐“{ledger}”。")
        if round_ is None:
            fail("未指定填报轮次：请用 --round 指定（如 2025-05），或在 reporter.toml 中写 round。")
        try:
            result = func(ledger=Path(ledger), round_=round_, out=out, cfg=cfg, as_json=as_json, **kwargs)
        except LedgerError as exc:  # its message is one of its findings: printed once, with the others
            print_findings(Findings([f for f in exc.findings if f.message != str(exc)]))
            fail(str(exc))
        except RenderError as exc:
            fail(str(exc))
        except (RoundNotCollected, WorkspaceBusy, StoreBusy) as exc:
            fail(str(exc))
        except ValueError as exc:
            fail(str(exc))
        except OSError as exc:  # a full disk, a read-only folder: one Chinese line naming the path
            fail(api.error_message(exc))
        emit(result, as_json)
        problem = getattr(result, "problem", None)
        if problem:
            fail(*problem)
        return result
    return wrapper


def _quiet_unraisable(hook=sys.unraisablehook):
    """Keep a failed write's aftermath off the clerk's screen: a library's zip writer that could not write
    (a full disk) fails again when it is collected ("Exception ignored in: ZipFile.__del__"); the failure
    itself is reported once, in Chinese. Anything else unraisable is shown as usual."""
    def hook_(unraisable):
        if isinstance(unraisable.exc_value, OSError) and "ZipFile" in repr(unraisable.object):
            return
        hook(unraisable)
    return hook_


sys.unraisablehook = _quiet_unraisable()


def fail(message: str, code: int = 1) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(code)


def emit(result: Any, as_json: bool) -> None:
    summary = result.summary()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(show_header=False, box=None, padding=(0, 2))
    for key, value in summary.items():
        # the run's 步骤 were shown a line each as they finished; its 概要 gets a table of its own below
        if key == "概要" or (isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values())):
            continue
        table.add_row(f"[bold]{key}[/]", _plain(value))
    console.print(table)
    if "概要" in summary:
        final = Table(title="本月汇总", title_justify="left", show_header=False)
        for key, value in summary["概要"].items():
            final.add_row(f"[bold]{key}[/]", _plain(value) if value is not None else "—")
        console.print(final)
        if summary.get("汇总"):
            console.print(f"各步骤的详细结果见 {summary['汇总']}")


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if value == []:
        return "无"
    if isinstance(value, list):
        return "、".join(map(str, value)) if value and len(value) <= 8 else f"{len(value)} 项"
    if isinstance(value, dict):
        return "，".join(f"{k} {_plain(v)}" for k, v in value.items())
    return str(value)


def print_findings(findings: Findings, limit: int = 30) -> None:
    items = list(findings)
    for f in items[:limit]:
        click.echo(str(f), err=True)
    if len(items) > limit:
        click.echo(f"……另有 {len(items) - limit} 条问题，见问题清单工作簿。", err=True)


@click.group(cls=click_zh.Group, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", message="reporter %(version)s")
def main() -> None:
    """民生实事年度任务台帐工具：汇总各单位月度报送、判断序时进度、生成通报与督办材料。

    常用：reporter run（按 reporter.toml 的设置运行本月全部步骤）。
    """


@main.command(context_settings=CONTEXT)
@shared_options
def check(ledger: Path, round_: str, out: Path, cfg, as_json: bool = False, **_) -> api.LedgerCheck:
    """检查年度任务台帐：读取全部工作表，一次列出所有问题（文件、工作表、单元格），并打印识读结果
    （所属地区、地区树、每项任务的目标与汇总方式、每个报送单位的任务和地区、未读入的内容；也写入台帐问题清单的“识读结果”表）。"""
    from .render.reading import text

    result = api.check(ledger, round_, out, region=cfg.region, office=cfg.office)
    if not as_json:  # stdout stays JSON only with --json; the reading is in the workbook either way
        click.echo(text(result.reading()))
    print_findings(result.findings)
    return result


@main.command(context_settings=CONTEXT)
@click.argument("folder", metavar="文件夹", type=click.Path(file_okay=False))
@click.option("--ledger", required=True, type=click.Path(exists=True, dir_okay=False), help="本单位的年度任务台帐（.xlsx）")
@click.option("--office", help="发文机关全称，如 咸宁市民生工作领导小组办公室（默认按台帐所属地区推定）")
@click.option("--region", help="台帐所属地区，如 咸宁市（默认从台帐标题、地区表或分解到的地区确定）")
@click.option("--json", "as_json", is_flag=True, help="在标准输出打印机器可读的 JSON 摘要")
def init(folder: str, ledger: str, office: str | None, region: str | None, as_json: bool):
    """新建本单位的工作区：在文件夹中写出 reporter.toml（指向台帐、写明所属地区）和模板文件夹（可修改的公文措辞模板，
    以及按台帐推定的发文机关、主送机关、落款、发文字号，请核对）。已有的文件不覆盖。"""
    from .init_workspace import InitError

    try:
        result = api.init(folder, ledger, office=office, region=region)
    except LedgerError as exc:
        print_findings(exc.findings)
        fail(str(exc))
    except InitError as exc:
        fail(str(exc))
    emit(result, as_json)
    if not as_json:
        click.echo(f"请核对 {result.templates / 'office.toml'} 中标有“推定”的各项，然后在 {result.folder} 中运行 reporter check。")
    return result


@main.command(context_settings=CONTEXT)
@shared_options
@click.option("--unit", "units", multiple=True, help="只为指定单位生成（可重复）")
def template(ledger: Path, round_: str, out: Path, cfg, units: tuple[str, ...], **_) -> api.TemplateResult:
    """为每个报送单位生成本轮填报模板（受保护工作簿，含数据验证和隐藏的元数据页）。"""
    return api.template(ledger, round_, out, units=list(units) or None, database=cfg.database, region=cfg.region)


@main.command(context_settings=CONTEXT)
@shared_options(ledger_optional=True)
@click.option("--seed", type=int, default=2025, show_default=True, help="随机种子：相同种子生成相同文件")
def sample(ledger: Path | None, round_: str | None, out: Path | None, cfg, seed: int, **_) -> api.SampleRun:
    """生成一个月的样例报送文件（含真实报送中常见的各种不规范情况）及其真值 truth.json。

    没有台帐也没有 reporter.toml 时（如在一个空文件夹中），写出随附的样例年度：样例台帐、reporter.toml 和
    2025 年 5 月的样例报送，之后在同一文件夹中运行 reporter run 即可。"""
    return api.sample(ledger, round_, out, seed=seed, region=cfg.region)


@main.command(context_settings=CONTEXT)
@click.argument("submissions", metavar="[报送文件]", required=False, type=click.Path(exists=True))
@shared_options
@click.option("--imap", metavar="URL", help="从收件邮箱读取本轮邮件（只读），如 imaps://用户名@服务器/文件夹；"
                                            "密码只从环境变量读取（见 docs/config.md）")
@click.option("--received", type=click.DateTime(["%Y-%m-%d"]), metavar="日期",
              help="不是随邮件收到、也不在收件登记中的文件的收到日期，如 2025-06-04（据此判断迟报）")
def collect(ledger: Path, round_: str, out: Path, cfg, submissions: str | None, imap: str | None,
            received, **_) -> api.CollectResult:
    """汇总本轮报送文件（文件夹或 .zip，可含保存的邮件 .eml/.msg，或 --imap 收件邮箱）：写出本轮台帐、问题清单、
    退回修改工作簿、未报送/迟报名单和给各报送单位的收件回执草稿。

    报送文件默认取 reporter.toml 中的 submissions；--imap 默认取 [mailbox] 的 url。迟报按邮件日期、收件登记或
    --received 判断，文件修改时间只作提示。
    """
    source = submissions or cfg.submissions
    mailbox = cfg.section("mailbox")
    if "password" in mailbox:
        fail("reporter.toml 的 [mailbox] 中不能写密码：请删除 password，改为在环境变量 "
             f"{mailbox.get('password_env') or 'REPORTER_IMAP_PASSWORD'} 中提供。")
    imap = imap or mailbox.get("url")
    if source is not None and not Path(source).exists():
        fail(f"找不到报送文件所在位置“{source}”。")
    return api.collect(source, ledger, round_, out, database=cfg.database, region=cfg.region,
                       received=received.date() if received else None, imap=imap,
                       imap_password_env=mailbox.get("password_env"), mail_settings=_mail_settings(cfg))


@main.command(context_settings=CONTEXT)
@shared_options
def rollup(ledger: Path, round_: str, out: Path, cfg, **_) -> api.RollupResult:
    """汇总分析：对照序时进度判断每项任务，按地区（逐级）、单位、领域汇总，排名，并与上期比较。

    读取 collect 存在工作区中的本轮数据；阈值见 reporter.toml 的 [status] 与 [escalation]。
    """
    return api.rollup(ledger, round_, out, **_rollup_settings(cfg))


@main.group(context_settings=CONTEXT)
def report() -> None:
    """生成公文：月度通报（bulletin）、督办通知（notices）、领导参阅（brief）。"""


def document_options(func: Callable) -> Callable:
    """--format/--office/--date, shared by every 公文 command."""
    @click.option("--date", "issue_date", help="成文日期，如 2025-06-05（默认：本轮报送截止日）")
    @click.option("--office", type=click.Path(exists=True, dir_okay=False),
                  help="发文机关固定文字（默认取 reporter.toml 中的 office，或按台帐所属地区推定）")
    @click.option("--format", "formats", default="docx,pdf", show_default=True, help="输出格式，逗号分隔：docx、pdf")
    @functools.wraps(func)
    def wrapper(cfg, formats: str, office: str | None, issue_date: str | None, **kwargs):
        import datetime as dt

        try:
            day = dt.date.fromisoformat(issue_date) if issue_date else None
        except ValueError:
            fail(f"成文日期“{issue_date}”无法识别：请写成 2025-06-05 的形式。")
        settings = {"formats": _formats(formats),
                    "office": office or cfg.office, "issue_date": day, **_rollup_settings(cfg)}
        return func(cfg=cfg, settings=settings, **kwargs)
    return wrapper


@report.command("bulletin", context_settings=CONTEXT)
@shared_options
@document_options
def report_bulletin(ledger: Path, round_: str, out: Path, settings: dict, **_) -> api.ReportResult:
    """月度通报：按 GB/T 9704-2012 排版的 Word 和 PDF，内容由本轮汇总结果生成。"""
    return api.bulletin(ledger, round_, out, **settings)


@report.command("notices", context_settings=CONTEXT)
@shared_options
@document_options
def report_notices(ledger: Path, round_: str, out: Path, settings: dict, **_) -> api.ReportResult:
    """督办通知：每个有滞后、逾期任务或未报送的单位一份（Word 和 PDF）及回执工作簿，另附清单和压缩包。

    编号、整改期限天数、回复方式见发文机关配置（office.toml）的 [notices]。
    """
    return api.notices(ledger, round_, out, **settings)


@report.command("brief", context_settings=CONTEXT)
@shared_options
@document_options
def report_brief(ledger: Path, round_: str, out: Path, settings: dict, **_) -> api.ReportResult:
    """领导参阅：不超过两页 A4，含主要数据、图表（分领域、地区排名、历月序时达标率）和五项主要风险。"""
    return api.brief(ledger, round_, out, **settings)


@main.command(context_settings=CONTEXT)
@shared_options
@click.option("--send", is_flag=True, help="通过 SMTP 实际发送（默认只生成 .eml 草稿）；服务器见 reporter.toml 的 [mail]")
@click.option("--resend", is_flag=True, help="连同此前已发送过的邮件全部再发送一次（默认只发送尚未发送的）")
def mail(ledger: Path, round_: str, out: Path, cfg, send: bool, resend: bool, **_):
    """邮件：为领导（参阅件、通报）和各单位（督办通知、退回修改工作簿）生成 .eml 草稿，附大小清单；--send 发送。

    每封邮件只发送一次：历史库记录每封已送达的邮件，再次 --send 时跳过并列出；确需重发用 --resend。
    发件人、领导邮箱、服务器等见 reporter.toml 的 [mail]（docs/mail.md）；密码只从环境变量读取。
    """
    return api.mail(ledger, round_, out, settings=_mail_settings(cfg), send=send, resend=resend,
                    database=cfg.database, region=cfg.region)


def _formats(text: str) -> tuple[str, ...]:
    """--format docx,pdf → ("docx", "pdf"); the library refuses unknown ones."""
    return tuple(f.strip() for f in text.split(",") if f.strip())


def _mail_settings(cfg):
    return api.mail_settings(cfg)


def _rollup_settings(cfg) -> dict:
    return api.rollup_settings(cfg)


@main.command(context_settings=CONTEXT)
@shared_options
@click.option("--submissions", type=click.Path(exists=True), help="本轮报送文件所在文件夹或 .zip（默认取 reporter.toml）")
@click.option("--format", "formats", default="docx,pdf", show_default=True,
              help="公文的输出格式，逗号分隔：docx、pdf")
@click.option("--force", is_flag=True, help="不沿用上次输出：每一步都重新运行")
def run(ledger: Path, round_: str, out: Path, cfg, submissions: str | None, as_json: bool, formats: str,
        force: bool = False, **_) -> api.RunResult:
    """运行本月全部步骤：检查台帐 → 填报模板 → 汇总报送 → 序时判断与汇总分析 → 月度通报 → 督办通知 → 领导参阅 → 邮件草稿。

    可重复运行：再次运行覆盖本轮的输出。只有本轮无法继续（台帐无可用任务）或某一步出错时退出码非 0。

    某一步的输入（台帐、报送文件、模板、设置）和上次的输出都未变时，沿用上次输出，不再运行；--force 全部重新运行。
    """
    progress = None if as_json else RichProgress()
    try:
        return api.run(ledger, round_, out, submissions=submissions or cfg.submissions, office=cfg.office,
                       mail_settings=_mail_settings(cfg), progress=progress,
                       formats=_formats(formats), force=force, imap=cfg.section("mailbox").get("url"),
                       imap_password_env=cfg.section("mailbox").get("password_env"), **_rollup_settings(cfg))
    finally:
        if progress:
            progress.close()


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；在办公室内网开放（如 0.0.0.0）时必须设置登录密码，见 docs/web.md")
@click.option("--port", default=8700, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--out", type=click.Path(file_okay=False), help="工作区文件夹（默认取 reporter.toml）")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="配置文件（默认：当前文件夹或 --out 中的 reporter.toml）")
def serve(host: str, port: int, out: str | None, config_path: str | None) -> None:
    """启动网页：在浏览器中查看本轮报送情况、上传报送文件、运行本月任务、下载输出文件。

    默认只在本机（127.0.0.1）开放，打开 http://127.0.0.1:8700/ 即可使用。
    """
    from .web.app import SettingsError
    from .web.server import serve as start

    try:
        start(load_config(config_path, out), host, port, Path(out) if out else None)
    except (ConfigError, SettingsError) as exc:
        fail(str(exc))


class RichProgress:
    """The run's steps as rich progress bars on stderr (stdout stays clean for --json)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.bars = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), console=self.console, transient=True)
        self.overall = self.bars.add_task("本月任务", total=len(api.STEPS))
        self.items: dict[str, Any] = {}
        self.bars.start()

    def start(self, step: str, total: int | None = None) -> None:
        if step in self.items:
            self.bars.update(self.items[step], total=total)
        else:
            self.items[step] = self.bars.add_task(f"  {step}", total=total)

    def advance(self, step: str, done: int = 1) -> None:
        if step in self.items:
            self.bars.advance(self.items[step], done)

    def finish(self, step: str, note: str = "", ok: bool | None = True) -> None:
        task = self.items.pop(step, None)
        if task is not None:
            self.bars.remove_task(task)
        self.bars.advance(self.overall)
        mark = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[dim]–[/]"}[ok]
        self.console.print(f"{mark} {step}  {note}")

    def close(self) -> None:
        self.bars.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
