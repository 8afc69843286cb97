from . import test_evaluate, test_version, test_run, test_http, test_tours
from . import test_subject_access
