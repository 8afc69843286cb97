from . import woonkans_xlsx_abstract
from . import woonkans_case_summary
from . import woonkans_case_xlsx
from . import woonkans_management_xlsx
from . import woonkans_retention_xlsx
