import {registry} from "@web/core/registry";

// A coordinator edits a draft, sends it for review, reads the review and publishes it.
registry.category("web_tour.tours").add("woonkans_decision_tree_publish", {
  steps: () => [
    {
      content: "Write the change summary",
      trigger: ".o_form_view .o_field_widget[name=note] textarea",
      run: "edit The first question now asks about today.",
    },
    {
      content: "Open the questions",
      trigger: ".o_notebook .nav-link[name=nodes]",
      run: "click",
    },
    {
      content: "Open the first question",
      trigger: ".o_field_widget[name=node_ids] .o_data_row:contains('situation') .o_data_cell[name=text]",
      run: "click",
    },
    {
      content: "Reword it",
      trigger: ".modal .o_field_widget[name=text] textarea",
      run: "edit Which situation fits the tenant best today?",
    },
    {content: "Keep the change", trigger: ".modal .o_form_button_save", run: "click"},
    {
      content: "The list shows the new wording",
      trigger: ".o_field_widget[name=node_ids] .o_data_row:contains('fits the tenant best today')",
    },
    {
      content: "Send the draft for review",
      trigger: ".o_form_view button[name=action_submit_review]",
      run: "click",
    },
    {
      content: "The version is in review: read the review",
      trigger: ".o_form_view:has(button[name=action_publish]) .o_notebook .nav-link[name=review]",
      run: "click",
    },
    {
      content: "No scenario changes: the new wording keeps every advice",
      trigger: ".o_wk_review_report .o_wk_no_changes",
    },
    {
      content: "The diff names the reworded question",
      trigger: ".o_wk_review_report .o_wk_diff:contains('situation')",
    },
    {
      content: "Every scenario passes",
      trigger: ".o_wk_review_report .o_wk_scenario_failing:contains('0')",
    },
    {content: "Publish", trigger: ".o_form_view button[name=action_publish]", run: "click"},
    {content: "Confirm", trigger: ".modal-footer button.btn-primary", run: "click"},
    {
      content: "The version is published",
      trigger: ".o_form_view:not(:has(button[name=action_publish])) button[name=action_new_draft]",
    },
  ],
});
