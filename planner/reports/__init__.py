from planner.reports.data import monthly_report, plans_by_day
from planner.reports.export import SECTIONS, VILLAGE_COLUMNS, report_csv, report_xlsx
from planner.reports.model import AGE_GROUPS, IPLM_COUNTS, Activity, Month, MonthlyReport

__all__ = [
    "AGE_GROUPS",
    "Activity",
    "IPLM_COUNTS",
    "Month",
    "MonthlyReport",
    "SECTIONS",
    "VILLAGE_COLUMNS",
    "monthly_report",
    "plans_by_day",
    "report_csv",
    "report_xlsx",
]
