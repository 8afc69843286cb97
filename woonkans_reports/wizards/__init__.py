from . import woonkans_case_report_period
from . import woonkans_case_protected_export
