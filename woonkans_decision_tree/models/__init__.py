from . import (
    woonkans_decision_tree,
    woonkans_decision_parameter,
    woonkans_decision_tree_version,
    woonkans_decision_node,
    woonkans_decision_option,
    woonkans_decision_run,
    woonkans_decision_run_answer,
    woonkans_decision_scenario,
    woonkans_decision_scenario_result,
    woonkans_trajectory_type,
    woonkans_condition_template,
)
