from . import ir_actions_report
from . import woonkans_case_report
from . import woonkans_case
from . import res_config_settings
