import {registry} from "@web/core/registry";

/**
 * A report of case data that may leave only password-protected (Settings >
 * Woonkans) opens the password dialog instead of downloading. The server
 * refuses the plain download anyway; this handler only takes the user there.
 */
async function woonkansProtectedReportHandler(action, options, env) {
  if (!action.woonkans_password_required || !action.id) {
    return false;
  }
  const context = action.context || {};
  await env.services.action.doAction({
    type: "ir.actions.act_window",
    res_model: "woonkans.protected.report",
    views: [[false, "form"]],
    target: "new",
    context: {
      default_report_id: action.id,
      default_res_ids: context.active_ids || [],
      default_data: action.data || null,
    },
  });
  return true;
}

registry.category("ir.actions.report handlers").add("woonkans_protected_report", woonkansProtectedReportHandler);
