import base64
import json

from odoo.tests import tagged

from .common import WoonkansDecisionCase


@tagged("post_install", "-at_install")
class TestSubjectAccessRuns(WoonkansDecisionCase):
    """The Woonkansboom adds the runs of a client's cases to the subject access export."""

    def test_runs_of_the_clients_cases_are_exported(self):
        case = self.env["woonkans.case"].create({"client_id": self.client.id, "target_group": "evicted"})
        run = self.env["woonkans.decision.run"].create(
            {"tree_id": self.tree.id, "version_id": self.version.id, "case_id": case.id}
        )
        other = self.env["woonkans.decision.run"].create({"tree_id": self.tree.id, "version_id": self.version.id})
        wizard = self.env["woonkans.subject.access"].create({"partner_id": self.client.id})
        wizard.action_generate()
        sections = {s["key"]: s for s in json.loads(base64.b64decode(wizard.json_file))["sections"]}
        self.assertEqual([row["id"] for row in sections["tree_runs"]["records"]], run.ids)
        self.assertNotIn(other.id, [row["id"] for row in sections["tree_runs"]["records"]])
        self.assertIn("tree_run_answers", sections)
