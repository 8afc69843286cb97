from . import test_case_report
from . import test_xlsx_reports
from . import test_case_summary
from . import test_reports_access
from . import test_reports_menus
from . import test_demo_company
