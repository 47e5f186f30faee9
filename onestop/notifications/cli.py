"""`flask notifications send` (once, then exit: for cron or a timer) and `flask notifications run` (a loop: systemd)."""
import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from .. import calendars, clock
from ..extensions import db
from . import reminders, sender

notifications_group = AppGroup("notifications", help="Thông báo cho công dân và nhắc việc cán bộ.")


def cycle() -> sender.Report:
    """Make the staff reminders that fell due, then send everything due in the outbox."""
    try:
        made = reminders.generate(clock.now(), calendars.current())
        db.session.commit()
    except sa.exc.IntegrityError:  # another sender made the same reminders at the same moment: theirs stand
        db.session.rollback()
        made = 0
    report = sender.send_pending(clock.now())
    report.reminders = made
    return report


@notifications_group.command("send")
def send_command():
    """Send what is waiting in the outbox once, then exit."""
    report = cycle()
    click.echo(f"Nhắc việc mới: {report.reminders}; đã gửi: {report.sent}; chờ gửi lại: {report.retried}; "
               f"lỗi: {report.failed}.")


@notifications_group.command("run")
@click.option("--interval", default=30, show_default=True, help="Số giây nghỉ giữa hai lượt gửi.")
@click.option("--cycles", default=0, help="Dừng sau số lượt này (0: chạy mãi, cho systemd).")
def run_command(interval, cycles):
    """Keep sending: a cycle every `interval` seconds until stopped."""
    done = 0
    while True:
        report = cycle()
        if report.sent or report.retried or report.failed or report.reminders:
            click.echo(f"{clock.now():%Y-%m-%d %H:%M:%S} nhắc việc {report.reminders}, gửi {report.sent}, "
                       f"chờ gửi lại {report.retried}, lỗi {report.failed}", err=True)
        db.session.remove()
        done += 1
        if cycles and done >= cycles:
            return
        time.sleep(interval)
