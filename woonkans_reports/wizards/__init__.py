from . import woonkans_case_report_period
from . import woonkans_case_protected_export
from . import woonkans_protected_report
from . import woonkans_subject_access
