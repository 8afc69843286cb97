import {registry} from "@web/core/registry";

const current = (stage) => `.o_statusbar_status button.o_arrow_button_current:contains(${stage})`;
const clean = ".o_form_view .o_form_status_indicator_buttons.invisible:not(:visible)";

registry.category("web_tour.tours").add("woonkans_case_stage_gate", {
  steps: () => [
    {content: "The case is in intake", trigger: current("Intake")},
    {trigger: clean},
    {
      content: "Move it to the plan while conditions are unmet",
      trigger: ".o_statusbar_status button:contains(Plan):not(.o_arrow_button_current)",
      run: "click",
    },
    {
      content: "The dialog lists the unmet conditions and who can override",
      trigger:
        ".modal .modal-body:contains(cannot move to Plan):contains(Guidance accepted):contains(Override stage gate)",
    },
    {content: "Close the dialog", trigger: ".modal .modal-footer .btn-primary", run: "click"},
    {trigger: "body:not(:has(.modal))"},
    {content: "The stage bar shows the real stage again", trigger: current("Intake")},
    {content: "and the form has nothing to save or discard", trigger: clean},
    {
      content: "Move the case back to referral",
      trigger: ".o_statusbar_status button:contains(Referral):not(.o_arrow_button_current)",
      run: "click",
    },
    {trigger: current("Referral")},
    {content: "Saved: nothing left to save", trigger: clean},
  ],
});
