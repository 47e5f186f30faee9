"""Reporting periods of the statistics form: the official 15th-to-14th periods, calendar periods, any range."""
from dataclasses import dataclass
from datetime import date, timedelta

from .formatting import vn_date

# Decree 09/2019/NĐ-CP art. 12 (domain.md §5, to confirm): a reporting month runs from the 15th of the
# previous month to the 14th; quarters, 6, 9 and 12 months likewise, the year from 15/12 to 14/12.
OFFICIAL_START_DAY = 15
KINDS = ("month", "quarter", "six_months", "last_six_months", "nine_months", "year",
         "calendar_month", "calendar_quarter", "calendar_year", "range")
KIND_LABELS = {
    "month": "Tháng (kỳ báo cáo 15 – 14)",
    "quarter": "Quý (kỳ báo cáo)",
    "six_months": "6 tháng",
    "last_six_months": "6 tháng cuối năm (15/06 – 14/12)",
    "nine_months": "9 tháng",
    "year": "Năm (kỳ báo cáo 15/12 – 14/12)",
    "calendar_month": "Tháng dương lịch",
    "calendar_quarter": "Quý dương lịch",
    "calendar_year": "Năm dương lịch",
    "range": "Khoảng ngày tùy chọn",
}


@dataclass(frozen=True)
class Period:
    """The days a report covers, both ends included, and how the report names them."""

    start: date
    end: date
    title: str

    @property
    def label(self) -> str:
        return f"{self.title} (từ {vn_date(self.start)} đến {vn_date(self.end)})"


def official_start(year: int, month: int) -> date:
    """The 15th of the month before `month`: where an official period ending in `month` begins."""
    return date(year - 1, 12, OFFICIAL_START_DAY) if month == 1 else date(year, month - 1, OFFICIAL_START_DAY)


def official_month(year: int, month: int) -> Period:
    return Period(official_start(year, month), date(year, month, OFFICIAL_START_DAY - 1),
                  f"Tháng {month:02d}/{year}")


def official_quarter(year: int, quarter: int) -> Period:
    return Period(official_start(year, 3 * quarter - 2), date(year, 3 * quarter, OFFICIAL_START_DAY - 1),
                  f"Quý {_roman(quarter)}/{year}")


def official_months(year: int, months: int) -> Period:
    """6, 9 or 12 months of the reporting year: 15/12 of the year before to the 14th of month 6, 9 or 12."""
    title = f"Năm {year}" if months == 12 else f"{months} tháng năm {year}"
    return Period(official_start(year, 1), date(year, months, OFFICIAL_START_DAY - 1), title)


def last_six_months(year: int) -> Period:
    """The second half of the reporting year: 15/06 to 14/12 (the year's report less the first 6 months')."""
    return Period(date(year, 6, OFFICIAL_START_DAY), date(year, 12, OFFICIAL_START_DAY - 1),
                  f"6 tháng cuối năm {year}")


def calendar_month(year: int, month: int) -> Period:
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(date(year, month, 1), following - timedelta(days=1), f"Tháng {month:02d}/{year} (dương lịch)")


def calendar_quarter(year: int, quarter: int) -> Period:
    start, end = calendar_month(year, 3 * quarter - 2).start, calendar_month(year, 3 * quarter).end
    return Period(start, end, f"Quý {_roman(quarter)}/{year} (dương lịch)")


def calendar_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), f"Năm {year} (dương lịch)")


def date_range(start: date, end: date) -> Period:
    if end < start:
        raise ValueError("Ngày kết thúc phải sau ngày bắt đầu.")
    return Period(start, end, "Kỳ báo cáo")


def resolve(kind: str, year: int, number: int = 1, start: date | None = None, end: date | None = None) -> Period:
    """The period a user picked; ValueError with a Vietnamese message for an impossible choice."""
    limits = {"month": 12, "calendar_month": 12, "quarter": 4, "calendar_quarter": 4}
    if kind in limits and not 1 <= number <= limits[kind]:
        raise ValueError(f"Số tháng/quý phải từ 1 đến {limits[kind]}.")
    builders = {
        "month": lambda: official_month(year, number),
        "quarter": lambda: official_quarter(year, number),
        "six_months": lambda: official_months(year, 6),
        "last_six_months": lambda: last_six_months(year),
        "nine_months": lambda: official_months(year, 9),
        "year": lambda: official_months(year, 12),
        "calendar_month": lambda: calendar_month(year, number),
        "calendar_quarter": lambda: calendar_quarter(year, number),
        "calendar_year": lambda: calendar_year(year),
    }
    if kind == "range":
        if start is None or end is None:
            raise ValueError("Cần nhập ngày bắt đầu và ngày kết thúc.")
        return date_range(start, end)
    if kind not in builders:
        raise ValueError("Loại kỳ báo cáo không hợp lệ.")
    return builders[kind]()


def current_official_month(today: date) -> Period:
    """The reporting month that contains `today`."""
    month_end = today if today.day < OFFICIAL_START_DAY else (today.replace(day=28) + timedelta(days=7))
    return official_month(month_end.year, month_end.month)


def _roman(number: int) -> str:
    return ("I", "II", "III", "IV")[number - 1]


def named(start: date, end: date) -> Period:
    """The days from start to end, titled as the official reporting year when they are one."""
    year = official_months(end.year, 12)
    return year if (year.start, year.end) == (start, end) else date_range(start, end)
