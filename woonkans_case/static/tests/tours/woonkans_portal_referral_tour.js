import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("woonkans_portal_referral_tour", {
  url: "/my/woonkans/new",
  steps: () => [
    {content: "Client name", trigger: "input#client_name", run: "edit Noor Visser"},
    {
      content: "Date of birth",
      trigger: "input#client_birthdate",
      run() {
        document.querySelector("input#client_birthdate").value = "1990-05-17";
      },
    },
    {content: "Street", trigger: "input#client_street", run: "edit Vismarkt 7"},
    {content: "Postcode", trigger: "input#client_zip", run: "edit 9712cx"},
    {content: "City", trigger: "input#client_city", run: "edit Groningen"},
    {content: "Phone", trigger: "input#client_phone", run: "edit 050 987 6543"},
    {content: "Children", trigger: "input#household_children", run: "edit 2014, 2018"},
    {content: "Target group", trigger: "select#target_group", run: "select sitting_tenant"},
    {content: "Reason", trigger: "select#referral_reason", run: "select nuisance"},
    {content: "Situation", trigger: "textarea#description", run: "edit Complaints of the neighbours."},
    {
      content: "Send without consent",
      trigger: "button.o_woonkans_referral_submit",
      run: "click",
      expectUnloadPage: true,
    },
    {content: "Consent is asked for", trigger: "#consent_error"},
    {content: "What was typed is kept", trigger: "input#client_name[value='Noor Visser']"},
    {content: "Consent", trigger: "input#consent", run: "check"},
    {content: "Send", trigger: "button.o_woonkans_referral_submit", run: "click", expectUnloadPage: true},
    {
      content: "Confirmation with the reference",
      trigger: ".o_woonkans_referral_done .o_woonkans_reference:contains(AM-)",
    },
  ],
});
