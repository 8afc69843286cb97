from . import portal
from . import portal_referral
from . import report
