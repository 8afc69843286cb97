from . import woonkans_decision_walk, woonkans_decision_version_compare
from . import woonkans_subject_access
