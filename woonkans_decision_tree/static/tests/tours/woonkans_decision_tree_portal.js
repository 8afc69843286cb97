import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("woonkans_decision_tree_portal", {
  steps: () => [
    {content: "Start the tree", trigger: "button.o_wk_start", run: "click", expectUnloadPage: true},
    {content: "Vulnerable person", trigger: "label[for='wk_opt_vulnerable']", run: "click"},
    {content: "Next", trigger: "button.o_wk_next", run: "click", expectUnloadPage: true},
    {content: "None of these", trigger: "label[for='wk_opt_none']", run: "click"},
    {content: "Next", trigger: "button.o_wk_next", run: "click", expectUnloadPage: true},
    {content: "See the advice", trigger: "button.o_wk_finish", run: "click", expectUnloadPage: true},
    {
      content: "Result with a referral link",
      trigger: ".o_wk_result:contains('Not a target group of the bureau')",
    },
    {content: "Refer this client is offered", trigger: "a.o_wk_refer"},
  ],
});
