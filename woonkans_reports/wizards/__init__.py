from . import woonkans_case_report_period
