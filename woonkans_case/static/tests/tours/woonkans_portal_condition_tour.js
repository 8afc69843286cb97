import {registry} from "@web/core/registry";

// A partner reports a condition met on the portal: it waits for the bureau as "Met, to check".
// Started on the case page by the test (the case id is not known here).
registry.category("web_tour.tours").add("woonkans_portal_condition_tour", {
  steps: () => [
    {
      content: "Report the first condition met, with a note",
      trigger: "#conditions form.o_woonkans_condition_form",
      run() {
        const form = document.querySelector("#conditions form.o_woonkans_condition_form");
        form.querySelector("input[name=status][value=met]").click();
        form.querySelector("textarea[name=note]").value = "Ingeschreven bij WoningNet";
      },
    },
    {
      content: "Save",
      trigger: "#conditions form.o_woonkans_condition_form input[value=met]:checked",
      run() {
        document.querySelector("#conditions form.o_woonkans_condition_form button[type=submit]").click();
      },
      expectUnloadPage: true,
    },
    {content: "The update is saved", trigger: "#conditions .alert-success"},
    {content: "It waits for the bureau", trigger: "#conditions .badge.text-bg-warning"},
    {
      content: "and says so",
      trigger: "#conditions p:contains(The bureau checks your report)",
    },
  ],
});
