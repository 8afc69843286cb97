import {registry} from "@web/core/registry";

function markConditionMet(name) {
  return [
    {
      content: `Mark "${name}" met`,
      trigger: `.o_field_widget[name=condition_line_ids] tr.o_data_row:contains("${name}") button[name=action_mark_met]`,
      run: "click",
    },
    {
      trigger: `.o_field_widget[name=condition_line_ids] tr.o_data_row:contains("${name}") .o_field_badge:contains("Met")`,
    },
  ];
}

registry.category("web_tour.tours").add("woonkans_case_referral_intake_plan", {
  url: "/odoo/action-woonkans_case.woonkans_case_action",
  steps: () => [
    {
      content: "Register a new case",
      trigger: ".o_control_panel_main_buttons button.o-kanban-button-new",
      run: "click",
    },
    {
      content: "Type the client's name",
      trigger: ".o_field_widget[name=client_id] input",
      run: "edit Tourclient Jansen",
    },
    {
      content: "Create the client",
      trigger: ".o-autocomplete--dropdown-item:contains(Create)",
      run: "click",
    },
    {
      content: "Open the target groups",
      trigger: ".o_field_widget[name=target_group] .o_select_menu_toggler",
      run: "click",
    },
    {
      content: "Evicted household",
      trigger: ".o_select_menu_item:contains(Evicted household)",
      run: "click",
    },
    {
      content: "Choose the second-chance trajectory",
      trigger: ".o_field_widget[name=trajectory_type_id] input",
      run: "edit Second chance",
    },
    {
      trigger: ".o-autocomplete--dropdown-item:contains(Second chance after eviction)",
      run: "click",
    },
    {
      content: "Save the referral",
      trigger: ".o_form_button_save",
      run: "click",
    },
    {
      content: "The checklist is there",
      trigger: ".o_field_widget[name=condition_line_ids] tr.o_data_row:contains(Registered again with WoningNet)",
    },
    {
      content: "Consent is not ticked by hand: record it",
      trigger:
        '.o_field_widget[name=condition_line_ids] tr.o_data_row:contains("Consent for information sharing given") button[name=action_record_consent]',
      run: "click",
    },
    {
      content: "The organisation the client consented to share with",
      trigger: ".modal .o_field_widget[name=partner_id] input",
      run: "edit Woonstede",
    },
    {
      trigger: ".modal .o-autocomplete--dropdown-item:contains(Woonstede Test)",
      run: "click",
    },
    {
      content: "The text the client agreed to",
      trigger: ".modal .o_field_widget[name=consent_text] textarea",
      run: "edit De cliënt stemt in met het delen van de nodige informatie.",
    },
    {
      content: "Save the consent",
      trigger: ".modal .o_form_button_save",
      run: "click",
    },
    {
      content: "The consent condition is met now",
      trigger:
        '.o_field_widget[name=condition_line_ids] tr.o_data_row:contains("Consent for information sharing given") .o_field_badge:contains("Met")',
    },
    {
      content: "Move to intake",
      trigger: ".o_statusbar_status button:contains(Intake)",
      run: "click",
    },
    {
      trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Intake)",
    },
    ...markConditionMet("Registered again with WoningNet"),
    ...markConditionMet("Payment arrangement with the evicting corporation"),
    ...markConditionMet("Guidance accepted"),
    {
      content: "Move to plan",
      trigger: ".o_statusbar_status button:contains(Plan)",
      run: "click",
    },
    {
      trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Plan)",
    },
    {
      content: "Create the plan",
      trigger: ".o_form_view button[name=action_create_plan]",
      run: "click",
    },
    {
      content: "The plan opens",
      trigger: ".o_control_panel .o_breadcrumb:contains(Plan of)",
    },
  ],
});
