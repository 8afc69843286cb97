import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("woonkans_decision_tree_backend", {
  steps: () => [
    {
      content: "Choose the vulnerable person",
      trigger: ".modal .o_field_radio label:contains('A vulnerable person wants')",
      run: "click",
    },
    {content: "Next", trigger: ".modal button.o_wk_next", run: "click"},
    {
      content: "Tick a life domain",
      trigger: ".modal .o_field_many2many_checkboxes label:contains('Finances or debts')",
      run: "click",
    },
    {content: "Next", trigger: ".modal button.o_wk_next", run: "click"},
    {
      content: "No aid organisation yet",
      trigger: ".modal .o_field_radio label:contains('No, not yet')",
      run: "click",
    },
    {content: "Next", trigger: ".modal button.o_wk_next", run: "click"},
    {content: "Review, then see the advice", trigger: ".modal button.o_wk_finish", run: "click"},
    {
      content: "The advice explains itself",
      trigger:
        ".modal .o_wk_result:contains('Arrange care first through the social team'):contains('Aid organisation guides → No, not yet')",
    },
  ],
});
