"""`flask report …`: the statistics form and the IT report written to a file (DESIGN.md §7)."""
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from .. import clock, itreports, ledger_import, periods, report_files
from ..extensions import db
from ..formatting import parse_user_date

report_group = AppGroup("report", help="Báo cáo: biểu thống kê TTHC, báo cáo CNTT.")
ledger_group = AppGroup("ledger", help="Sổ theo dõi hồ sơ: xuất và nhập.")


def _day(ctx, param, value):
    try:
        return parse_user_date(value)
    except ValueError:
        raise click.BadParameter("cần ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd") from None


def _output(*allowed):
    def check(ctx, param, value: Path):
        if value.suffix.lower().lstrip(".") not in allowed:
            raise click.BadParameter(f"tên tệp phải kết thúc bằng {' hoặc '.join('.' + kind for kind in allowed)}")
        return value
    return check


def _period(start, end) -> periods.Period:
    try:
        return periods.named(start, end)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--to") from None


def period_options(command):
    """--from and --to, both required, dd/mm/yyyy or yyyy-mm-dd."""
    command = click.option("--to", "end", required=True, callback=_day, help="Đến ngày.")(command)
    return click.option("--from", "start", required=True, callback=_day, help="Từ ngày.")(command)


@report_group.command("tthc")
@period_options
@click.option("--agency", "agency_code", help="Mã cơ quan (mặc định: cơ quan chính).")
@click.option("--number", type=click.IntRange(1, 9999), help="Số báo cáo (để trống: văn thư ghi khi ban hành).")
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              callback=_output("xlsx", "docx"), help="Tệp kết quả .xlsx hoặc .docx.")
@with_appcontext
def report_tthc(start, end, agency_code, number, output):
    """Write the statistics form (Biểu 06) of a period as XLSX or DOCX."""
    from ..cli import _agency

    period = _period(start, end)
    agency = _agency(agency_code)
    output.write_bytes(report_files.tthc(agency, period, clock.today(), output.suffix.lower().lstrip("."), number))
    click.echo(f"Đã ghi {output} ({agency.name}, {period.label}).")


@report_group.command("it")
@period_options
@click.option("--agency", "agency_code", help="Mã cơ quan (mặc định: cơ quan chính).")
@click.option("--number", type=click.IntRange(1, 9999), help="Số báo cáo (để trống: văn thư ghi khi ban hành).")
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              callback=_output("docx"), help="Tệp kết quả .docx.")
@with_appcontext
def report_it(start, end, agency_code, number, output):
    """Write the yearly IT report as DOCX: the latest entered sections, the one-stop figures of the period."""
    from ..cli import _agency

    period = _period(start, end)
    agency = _agency(agency_code)
    last = itreports.previous(agency)
    sections = {**itreports.empty_sections(), **(last.sections if last else {})}
    output.write_bytes(report_files.it_report(agency, period, sections, number, clock.today()))
    click.echo(f"Đã ghi {output} ({agency.name}, {period.label})"
               + ("." if last else "; chưa có báo cáo nào đã lưu, các mục nhập tay để trống."))


@ledger_group.command("export")
@period_options
@click.option("--agency", "agency_code", help="Mã cơ quan (mặc định: cơ quan chính).")
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              callback=_output("xlsx"), help="Tệp kết quả .xlsx.")
@with_appcontext
def ledger_export(start, end, agency_code, output):
    """Write the register of a period: every dossier received by its end and not completed before its start."""
    from ..cli import _agency

    period = _period(start, end)
    agency = _agency(agency_code)
    output.write_bytes(report_files.register(agency, period))
    click.echo(f"Đã ghi {output} ({agency.name}, {period.label}).")


@ledger_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "agency_code", help="Cơ quan tiếp nhận (mặc định: cơ quan chính).")
@with_appcontext
def ledger_import_command(file, agency_code):
    """Import the dossiers of a register file (CSV or XLSX); all or nothing."""
    from ..cli import _agency

    agency = _agency(agency_code)
    try:
        count = ledger_import.import_file(file.read_bytes(), file.name, agency)
    except ledger_import.LedgerError as error:
        db.session.rollback()
        lines = [str(error)] + [f"  dòng {line}: {reason}" for line, reason in error.rows]
        raise click.ClickException("\n".join(lines)) from error
    db.session.commit()
    click.echo(f"Đã nhập {count} hồ sơ vào sổ của {agency.name}.")


def init_app(app):
    app.cli.add_command(report_group)
    app.cli.add_command(ledger_group)
