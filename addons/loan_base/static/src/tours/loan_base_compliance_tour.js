import { registry } from "@web/core/registry";

// The compliance officer, on a borrower's file: reveals the plain ID number with a reason,
// finds the reveal in the reveal log, then reviews the borrower's contact history and opens
// an attempt. The test opens the borrower's form (its id in the URL) and passes the reason.
const REASON = "Borrower asked to confirm the ID number on file, compliance tour";

registry.category("web_tour.tours").add("loan_base_compliance_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_notebook a[name=loan_borrower]",
            run: "click",
        },
        {
            // masked on the file (read-only for the compliance officer)
            trigger: ".o_form_view .o_field_widget[name=loan_id_number]:contains(079******567)",
        },
        {
            trigger: "button[name=action_loan_reveal]",
            run: "click",
        },
        {
            // the identity number is the value revealed by default
            trigger: ".modal .o_field_widget[name=target]",
        },
        {
            trigger: ".modal .o_field_widget[name=reason] textarea",
            run: `edit ${REASON}`,
        },
        {
            trigger: ".modal button[name=action_reveal]",
            run: "click",
        },
        {
            // the plain number, shown once in a notification; the dialog is closed
            trigger: ".o_notification_manager .o_notification:contains(079195004567)",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: "button[name=action_loan_outreach_history]",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row .o_data_cell[name=partner_id]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=partner_id]",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=channel]",
        },
        {
            trigger: "body",
            run: "goToUrl /odoo/action-loan_base.loan_pii_reveal_log_action",
            expectUnloadPage: true,
        },
        {
            // the newest reveal first: this officer's, with the reason given
            trigger: `.o_list_view .o_data_row:first .o_data_cell[name=reason]:contains(${REASON})`,
        },
        {
            trigger: ".o_list_view .o_data_row:first .o_data_cell[name=field_label]:not(:empty)",
        },
    ],
});
