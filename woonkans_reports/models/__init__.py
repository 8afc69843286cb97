from . import base
from . import ir_actions_report
from . import woonkans_case_report
from . import woonkans_case
from . import woonkans_referral
from . import res_config_settings
from . import woonkans_export_password_mixin
