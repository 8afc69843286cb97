import logging

from odoo.tests import tagged

from .common import WoonkansDecisionCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPlainNames(WoonkansDecisionCase):
    """The statistics and the run list show the question text and outcome title, never the code."""

    def test_every_node_has_a_plain_name(self):
        nodes = self.version.node_ids.with_context(woonkans_plain_names=True)
        self.assertTrue(nodes)
        for node in nodes:
            self.assertNotIn(f"[{node.code}]", node.display_name)
            self.assertEqual(node.display_name, (node.short_text or node.text).split("\n")[0][:60])
        # the tree's editors keep the code
        for node in self.version.node_ids:
            self.assertTrue(node.display_name.startswith(f"[{node.code}]"))
        _logger.info(f"TestPlainNames: {len(nodes)} nodes checked")

    def test_every_run_statistic_action_asks_for_plain_names(self):
        actions = self.env["ir.actions.act_window"].search(
            [("res_model", "in", ("woonkans.decision.run", "woonkans.decision.run.answer"))]
        )
        self.assertGreaterEqual(len(actions), 6)
        for action in actions:
            self.assertIn("woonkans_plain_names", action.context, action.name)
        _logger.info(f"TestPlainNames: {len(actions)} actions checked")

    def test_route_analysis_groups_by_label(self):
        self._finished = self.env["woonkans.decision.run"]._start(self.tree, "backend")
        self._finished._answer("situation", "evicted")
        groups = (
            self.env["woonkans.decision.run.answer"]
            .with_context(woonkans_plain_names=True)
            .formatted_read_group([("run_id", "=", self._finished.id)], ["node_id", "option_id"], ["__count"])
        )
        self.assertEqual(len(groups), 1)
        node_label = groups[0]["node_id"][1]
        option_label = groups[0]["option_id"][1]
        self.assertNotIn("[situation]", node_label)
        self.assertNotEqual(option_label, "evicted")
        arch = self.env["woonkans.decision.run.answer"].get_views([(False, "pivot")])["views"]["pivot"]["arch"]
        self.assertNotIn("node_code", arch)
        self.assertNotIn("option_code", arch)
