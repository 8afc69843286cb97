import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("woonkans_protected_print", {
  steps: () => [
    {content: "The case is open", trigger: ".o_form_view .o_field_widget[name=name]"},
    {content: "Open the actions menu", trigger: ".o_cp_action_menus button:has(.fa-cog)", run: "click"},
    {content: "Open the Print menu", trigger: ".o-dropdown--menu button:contains(Print)", run: "click"},
    {
      content: "Print the dossier overview",
      trigger: ".o-dropdown--menu .o_menu_item:contains(Dossier overview):not(:contains(internal))",
      run: "click",
    },
    {
      content: "A dialog asks for a password instead of downloading",
      trigger: ".modal .o_form_view:contains(leave the bureau only password-protected)",
    },
    {trigger: ".modal .o_field_widget[name=password] input", run: "edit Zomer-2025-vijf"},
    {trigger: ".modal .o_field_widget[name=password_confirm] input", run: "edit Zomer-2025-vijf"},
    {content: "Make the file", trigger: ".modal button[name=action_download]", run: "click"},
    {
      content: "The encrypted file is ready to download",
      trigger: ".modal .o_field_widget[name=file]:contains(overview.pdf)",
    },
    {content: "Close the dialog", trigger: ".modal .modal-footer button:contains(Close)", run: "click"},
    {trigger: "body:not(:has(.modal))"},
  ],
});
