from . import test_case_report
from . import test_xlsx_reports
from . import test_case_summary
from . import test_reports_access
from . import test_xlsx_injection
from . import test_report_logging
from . import test_protected_export
