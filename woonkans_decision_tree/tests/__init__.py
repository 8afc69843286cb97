from . import test_evaluate, test_version, test_run, test_http, test_tours, test_referral, test_forms_fuzz
from . import test_reports_pdf, test_rate_limit
