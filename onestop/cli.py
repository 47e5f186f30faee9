"""Commands for `flask --app onestop …` (DESIGN.md §7)."""
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from . import calendars, catalogue, clock, seed, tokens, users
from .errors import WorkflowError
from .extensions import db
from .formatting import vn_date, vn_datetime
from .models import Agency, Role
from .passwords import check_strength

seed_group = AppGroup("seed", help="Dữ liệu mẫu.")
users_group = AppGroup("users", help="Tài khoản cán bộ.")
catalogue_group = AppGroup("catalogue", help="Danh mục thủ tục hành chính.")
calendar_group = AppGroup("calendar", help="Lịch làm việc.")
privacy_group = AppGroup("privacy", help="Dữ liệu cá nhân.")


@click.command("setup")
@click.option("--agency-code", required=True, help="Mã định danh cơ quan, ví dụ 000.13.31.H57.")
@click.option("--agency-name", required=True, help="Tên cơ quan, ví dụ UBND xã Quảng Thọ.")
@click.option("--place", required=True, help="Địa danh in trên giấy tờ, ví dụ Quảng Thọ.")
@with_appcontext
def setup_command(agency_code, agency_name, place):
    """Fresh install: the home agency and the place name."""
    from .codes import is_agency_code

    if not is_agency_code(agency_code):
        raise click.BadParameter("mã định danh cơ quan gồm chữ in hoa A–Z, chữ số và dấu chấm (ví dụ 000.13.31.H57), "
                                 "tối đa 35 ký tự", param_hint="--agency-code")
    agency = seed.setup(agency_code, agency_name, place)
    db.session.commit()
    click.echo(f"Đã thiết lập cơ quan {agency.code} – {agency.name}.")


@seed_group.command("demo")
@click.option("--dossiers", "count", default=50, show_default=True, help="Số hồ sơ mẫu (khi chưa có hồ sơ).")
@with_appcontext
def seed_demo(count):
    """The demo commune, partners, catalogue, users and sample dossiers; safe to run twice."""
    loaded = seed.load_demo(clock.now(), count)
    db.session.commit()
    click.echo(f"Dữ liệu mẫu sẵn sàng: {loaded['home'].name} ({loaded['home'].code}), "
               f"{loaded['dossiers']} hồ sơ mẫu mới.")
    click.echo("Tài khoản mẫu (mật khẩu: demo): " + ", ".join(
        f"{name} ({'/'.join(roles)})" for name, _, roles, _ in seed.DEMO_USERS))
    click.secho("CẢNH BÁO: mật khẩu mẫu 'demo' chỉ dùng để thử; đổi hoặc xóa các tài khoản này trước khi dùng thật.",
                fg="yellow", err=True)


@users_group.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice([role.value for role in Role]))
@click.option("--agency", "agency_code", help="Mã cơ quan (mặc định: cơ quan chính).")
@click.option("--name", "full_name", default="", help="Họ tên.")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ stdin.")
@with_appcontext
def users_create(username, roles, agency_code, full_name, password_stdin):
    """Create a staff account with a strong password."""
    agency = _agency(agency_code)
    if users.username_taken(username):
        raise click.ClickException(f"Tài khoản {username} đã có (tên đăng nhập không phân biệt chữ hoa, chữ thường).")
    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt(
        "Mật khẩu", hide_input=True, confirmation_prompt=True)
    problem = check_strength(password, username)
    if problem:
        raise click.ClickException(problem)
    seed.ensure_user(username, full_name, roles, agency, password)
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {username} ({', '.join(roles)}) tại {agency.name}.")


@users_group.command("token")
@click.argument("username")
@with_appcontext
def users_token(username):
    """Print a new API token for the user (only the token and a newline)."""
    token = tokens.issue(_user(username))
    db.session.commit()
    click.echo(token)


@users_group.command("tokens")
@click.argument("username")
@with_appcontext
def users_tokens(username):
    """List the user's API tokens not revoked: id, created, last used, expires."""
    user = _user(username)
    rows = tokens.of_user(user)
    if not rows:
        click.echo(f"Tài khoản {user.username} không có mã truy cập API nào còn hiệu lực.")
        return
    now = clock.now()
    click.echo(f"{'id':>6}  {'cấp lúc':<16}  {'dùng lần cuối':<16}  hết hạn")
    for row in rows:
        expired = " (đã hết hạn)" if row.expires_at <= now else ""
        click.echo(f"{row.id:>6}  {vn_datetime(row.created_at):<16}  {vn_datetime(row.last_used_at) or '-':<16}  "
                   f"{vn_datetime(row.expires_at)}{expired}")


@users_group.command("revoke-token")
@click.argument("username")
@click.argument("token_id", type=int)
@with_appcontext
def users_revoke_token(username, token_id):
    """Revoke one API token of the user (its id from `flask users tokens`)."""
    user = _user(username)
    row = tokens.find(user, token_id)
    if row is None:
        raise click.ClickException(f"Tài khoản {user.username} không có mã truy cập API số {token_id} còn hiệu lực.")
    tokens.revoke(row)
    db.session.commit()
    click.echo(f"Đã thu hồi mã truy cập API số {token_id} của tài khoản {user.username}.")


@catalogue_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def catalogue_import(file):
    """Import or update procedures from a CSV or XLSX file; all or nothing."""
    try:
        result = catalogue.import_file(file.read_bytes(), file.name)
    except catalogue.CatalogueError as error:
        db.session.rollback()
        lines = [str(error)] + [f"  dòng {line}: {reason}" for line, reason in error.rows]
        raise click.ClickException("\n".join(lines)) from error
    db.session.commit()
    click.echo(f"Đã nhập {result.created} thủ tục mới, cập nhật {result.updated} thủ tục.")


@calendar_group.command("show")
@click.argument("year", type=click.IntRange(1990, 2100))
@with_appcontext
def calendar_show(year):
    """Print the year's days off and make-up working days."""
    info = calendars.current().year(year)
    click.echo(f"Ngày nghỉ năm {year}:")
    for day, name in sorted(info.days_off.items()):
        click.echo(f"  {vn_date(day)}  {name}")
    click.echo(f"Ngày làm bù / làm việc cuối tuần năm {year}:")
    for day, name in sorted(info.workdays.items()):
        click.echo(f"  {vn_date(day)}  {name}")


@calendar_group.command("recompute")
@click.option("--dry-run", is_flag=True, help="Chỉ liệt kê, không đổi gì.")
@click.option("--rejudge", is_flag=True, help="Đánh giá lại cả các hồ sơ đã hoàn thành được liệt kê.")
@with_appcontext
def calendar_recompute(dry_run, rejudge):
    """After updating the official schedules (onestop/data/calendar/official.csv): move the due dates
    of open dossiers and legs to what the calendar now gives, with an event each, as an admin's
    change does; list (and with --rejudge re-judge) completed dossiers whose timeliness changes."""
    from . import schedule

    now = clock.now()
    moves, changes = schedule.stale(now)
    for move in moves:
        where = f" (liên thông {move.leg.partner.name})" if move.leg else ""
        click.echo(f"  {move.dossier.code}{where}: {vn_datetime(move.old)} → {vn_datetime(move.new)}")
    for change in changes:
        click.echo(f"  {change.dossier.code} đã hoàn thành: hạn {vn_datetime(change.old_due)} → "
                   f"{vn_datetime(change.new_due)}, {change.old.value if change.old else '–'} → {change.new.value}")
    if dry_run:
        click.echo(f"Sẽ đổi hẹn {schedule.moved_dossiers(moves)} hồ sơ; {len(changes)} hồ sơ đã hoàn thành đổi đánh giá.")
        return
    schedule.apply(moves, schedule.DATA_UPDATE_REASON, None, now)
    count = schedule.rejudge(changes, [c.dossier.id for c in changes], schedule.DATA_UPDATE_REASON, None, now) \
        if rejudge else 0
    db.session.commit()
    click.echo(f"Đã đổi hẹn {schedule.moved_dossiers(moves)} hồ sơ; đánh giá lại {count} hồ sơ đã hoàn thành.")


@privacy_group.command("purge")
@click.option("--dry-run", is_flag=True, help="Chỉ đếm, không xóa gì.")
@with_appcontext
def privacy_purge(dry_run):
    """Blank the applicant's details of dossiers closed longer ago than the retention setting, and delete old
    privacy-log rows (Law 91/2025/QH15); statistics, codes and events stay as they are."""
    from . import retention
    from .files import store

    result = retention.purge(clock.now(), dry_run=dry_run)
    verb = "Sẽ xóa" if dry_run else "Đã xóa"
    click.echo(f"{verb} thông tin cá nhân của {result.dossiers} hồ sơ kết thúc trước {vn_date(result.dossier_cutoff)}.")
    click.echo(f"{verb} {result.files} tệp giấy tờ đã số hóa của các hồ sơ đó.")
    click.echo(f"{verb} {result.log_rows} dòng nhật ký truy cập dữ liệu cá nhân trước {vn_date(result.log_cutoff)}.")
    if dry_run:
        db.session.rollback()
        return
    db.session.commit()
    store.discard_unreferenced(result.hashes)  # the bytes go only once no committed row uses them


@click.command("backup")
@click.option("-o", "--output", "target", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp sao lưu sẽ ghi ra.")
@with_appcontext
def backup_command(target):
    """Back up the whole database into FILE while the app keeps running."""
    from . import backups

    try:
        backups.backup(target)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã sao lưu cơ sở dữ liệu vào {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(source):
    """Restore a backup into an empty database."""
    from . import backups

    try:
        backups.restore(source)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã khôi phục cơ sở dữ liệu từ {source}.")


def _user(username: str):
    user = users.by_username(username)
    if user is None:
        raise click.ClickException(f"Không có tài khoản {username}.")
    return user


def _agency(code: str | None) -> Agency:
    agency = (db.session.scalar(sa.select(Agency).where(Agency.code == code)) if code else seed.home_agency())
    if agency is None:
        raise click.ClickException(f"Không có cơ quan {code}." if code else "Chưa có cơ quan chính: chạy `flask setup` trước.")
    return agency


def init_app(app):
    from .reports import cli as report_cli

    report_cli.init_app(app)
    for command in (setup_command, seed_group, users_group, catalogue_group, calendar_group, privacy_group,
                    backup_command, restore_command):
        app.cli.add_command(command)
