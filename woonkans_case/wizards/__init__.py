from . import woonkans_case_close
from . import woonkans_case_gate_override
from . import woonkans_referral_decline
from . import woonkans_condition_line_reject
from . import woonkans_subject_access
from . import woonkans_retention_review
