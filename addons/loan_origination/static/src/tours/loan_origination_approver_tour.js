import { registry } from "@web/core/registry";

// The approver opens "Awaiting My Decision", opens the application waiting there, reads the
// score and what is missing in the decision dialog, approves it with a coded reason and a
// note, and sees it approved and moved on to the contract. No trigger relies on a label.
let stageBefore = null;

function currentStage() {
    const button = document.querySelector(".o_statusbar_status .o_arrow_button_current");
    return button && button.dataset.value;
}

registry.category("web_tour.tours").add("loan_origination_approver_tour", {
    url: "/odoo/action-loan_origination.loan_application_action_to_decide",
    steps: () => [
        {
            content: "The queue lists the application awaiting my decision",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status:has(.o_arrow_button_current)",
            run() {
                stageBefore = currentStage();
            },
        },
        {
            content: "Decide",
            trigger: ".o_form_view button[name=action_decide]",
            run: "click",
        },
        {
            content: "The dialog shows the score, and nothing is missing",
            trigger: ".modal .o_field_widget[name=score] span:not(:empty)",
        },
        {
            trigger: ".modal .o_form_view:not(:has(.alert-warning:visible))",
        },
        {
            trigger: ".modal .o_field_widget[name=decision] input[data-value=approved]:checked",
        },
        {
            content: "Give the coded reason",
            trigger: ".modal .o_field_widget[name=reason_ids] input",
            run: "edit APP_POLICY",
        },
        {
            trigger: ".modal .o_field_widget[name=reason_ids] .o-autocomplete--dropdown-item:first-child a:not(.o_loading)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=reason_ids] .o_tag",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit Stable income, complete file",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The application moves on to its contract",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status:has(.o_arrow_button_current)",
            async run(helpers) {
                await helpers.waitUntil(() => currentStage() !== stageBefore, {
                    timeout: 10000,
                });
            },
        },
        {
            content: "Credit analysis tab",
            trigger: ".o_notebook a[name=credit]",
            run: "click",
        },
        {
            content: "The decision is recorded, approved, with its reason",
            trigger: ".o_form_view .o_field_widget[name=decision] span[raw-value=approved]",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=decision_reason_ids] .o_tag",
        },
    ],
});
