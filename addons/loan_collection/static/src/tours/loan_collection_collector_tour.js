import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collector asks for the next case, opens the contact dialog (the contact policy's
// verdict first, allowed), calls, records a promise to pay with its date and amount, and
// finds the promise on the case. Triggers use xml ids, field and button names only: the
// collector works in Vietnamese.
registry.category("web_tour.tours").add("loan_collection_collector_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='loan_base.loan_menu_root']",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='loan_collection.loan_menu_collection']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='loan_collection.loan_collection_next_case_menu']",
            run: "click",
        },
        {
            // the case the queue gives: its borrower is readable
            trigger: ".o_form_view .o_field_widget[name=partner_id]:not(:empty)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_log_contact]",
            run: "click",
        },
        {
            // the verdict comes first: allowed, in a success alert, no blocking one
            trigger: ".modal:not(:has(.o_loan_gate_blocked)) .o_loan_gate_allowed.alert-success",
        },
        {
            trigger: ".modal .o_loan_script",
        },
        {
            // the call is placed through the gate, before anything is said
            trigger: ".modal footer button[name=action_call]",
            run: "click",
        },
        {
            trigger: ".modal footer:not(:has(button[name=action_call])) button[name=action_done]",
        },
        {
            trigger: ".modal .o_field_widget[name=outcome] input[data-value=promise]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=promise_amount] input",
            run: "edit 750000",
        },
        {
            trigger: ".modal .o_field_widget[name=promise_date] input",
            run: "edit +3d",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Hứa trả sau ba ngày",
        },
        {
            trigger: ".modal footer button[name=action_done]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name=state] button[data-value=promise].o_arrow_button_current",
        },
        {
            trigger: ".o_form_view .o_notebook_headers a[name=promises]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=promise_ids] .o_data_row td[name=amount]:contains(750)",
        },
    ],
});
