from . import ir_actions_report
from . import woonkans_case_report
from . import woonkans_case
from . import woonkans_referral
from . import res_config_settings
