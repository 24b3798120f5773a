import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

function save() {
    return [
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved",
        },
    ];
}

// The lending administrator configures lending without code: raises a product's maximum
// amount (the test opens the product), adds an application stage, builds a collection
// strategy with one step and tightens the Vietnamese contact policy. Triggers use field
// names, action xml ids and codes only: the demo users work in Vietnamese or Chinese.
registry.category("web_tour.tours").add("loan_admin_tour", {
    steps: () => [
        // a product
        {
            trigger: ".o_form_view .o_field_widget[name=max_amount] input",
            run: "edit 80000000",
        },
        ...save(),
        // an application stage
        stepUtils.goToUrl("/odoo/action-loan_origination.loan_application_stage_action/new"),
        {
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour field check",
        },
        {
            trigger: ".o_field_widget[name=require_score] input",
            run: "check",
        },
        ...save(),
        // a collection strategy with a step
        stepUtils.goToUrl("/odoo/action-loan_collection.loan_collection_strategy_action/new"),
        {
            trigger: ".o_form_view .oe_title .o_field_widget[name=name] input",
            run: "edit Tour gentle strategy",
        },
        {
            trigger: ".o_field_widget[name=step_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=step_ids] .o_data_row .o_field_widget[name=name] input",
            run: "edit Tour first SMS",
        },
        {
            trigger: ".o_field_widget[name=step_ids] .o_data_row .o_field_widget[name=delay_days] input",
            run: "edit 3",
        },
        ...save(),
        {
            trigger: ".o_field_widget[name=step_ids] .o_data_row:contains(Tour first SMS)",
        },
        // the contact policy of Vietnam
        stepUtils.goToUrl("/odoo/action-loan_base.loan_contact_policy_action"),
        {
            trigger: ".o_data_row .o_data_cell[name=code]:contains(/^\\s*VN\\s*$/)",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=min_gap_minutes] input",
            run: "edit 90",
        },
        ...save(),
        {
            trigger: ".o_form_view .o_field_widget[name=min_gap_minutes] input:value(90)",
        },
    ],
});
