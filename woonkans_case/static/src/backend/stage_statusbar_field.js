import {registry} from "@web/core/registry";
import {StatusBarField, statusBarField} from "@web/views/fields/statusbar/statusbar_field";

/**
 * The case's stage bar. A move the server refuses (a stage gate with unmet
 * conditions) is undone on the form too: the bar shows the real stage again and
 * the form is not left dirty, while the server's dialog explains why.
 */
export class WoonkansStageStatusBarField extends StatusBarField {
  async selectItem(item) {
    const {name, record} = this.props;
    if ((await record.isDirty()) && !(await record.save())) {
      return;
    }
    await record.update({[name]: {id: item.value, display_name: item.label}});
    await record.save({
      onError: async (error, {discard}) => {
        await discard();
        throw error;
      },
    });
  }
}

registry.category("fields").add("woonkans_stage_statusbar", {
  ...statusBarField,
  component: WoonkansStageStatusBarField,
});
