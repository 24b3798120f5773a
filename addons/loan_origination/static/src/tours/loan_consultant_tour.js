import { registry } from "@web/core/registry";

// A consultant (Loan Officer) takes a loan request on a new CRM lead: product, amount, term,
// stated income and birth date. The request is pre-qualified against the product as it is
// typed; the consultant shows the instalment with the loan calculator, then turns the lead
// into an application. Triggers use field and button names only: the demo users work in
// Vietnamese or Chinese.
registry.category("web_tour.tours").add("loan_consultant_tour", {
    url: "/odoo/action-crm.crm_lead_action_pipeline/new",
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=name] input, .o_form_view .o_field_widget[name=name] textarea",
            run: "edit Tour cash loan request",
        },
        {
            trigger: ".o_notebook a[name=lead]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=contact_name] input",
            run: "edit Tour Borrower Lead",
        },
        {
            trigger: ".o_notebook a[name=loan_request]",
            run: "click",
        },
        {
            // the consultant's company's products (demo: the VND cash and instalment loans)
            trigger: ".o_field_widget[name=loan_product_id] input",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=loan_product_id] .o-autocomplete--dropdown-item:first-child a:not(.o_loading)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=loan_product_id] input:value(/\\S/)",
        },
        {
            trigger: ".o_field_widget[name=loan_amount] input",
            run: "edit 20000000",
        },
        {
            trigger: ".o_field_widget[name=loan_term] input",
            run: "edit 12",
        },
        {
            trigger: ".o_field_widget[name=loan_stated_income] input",
            run: "edit 15000000",
        },
        {
            // day and month equal: the same date in every language's date format
            trigger: ".o_field_widget[name=loan_birth_date] input",
            run: "edit 01/01/1990",
        },
        {
            trigger: ".o_form_view",
            run: "click",
        },
        {
            // the pre-qualification ran on the request: qualified (badge in success colour)
            trigger: ".o_field_widget[name=loan_prequal_state] .text-bg-success",
        },
        {
            trigger: "button[name=action_loan_calculator]",
            run: "click",
        },
        {
            // the calculator opens on the request and shows a first instalment
            trigger: ".modal .o_field_widget[name=instalment]",
            run() {
                const digits = this.anchor.textContent.replace(/\D/g, "");
                if (!/[1-9]/.test(digits)) {
                    throw new Error(`No instalment shown: "${this.anchor.textContent}"`);
                }
            },
        },
        {
            trigger: ".modal .o_field_widget[name=amount] input:value(/^20\\D?000\\D?000/)",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: "button[name=action_loan_create_application]",
            run: "click",
        },
        {
            // the application form of the new borrower, with the requested amount and term
            trigger: ".o_form_view .o_field_widget[name=term] input:value(12), .o_form_view .o_field_widget[name=term]:contains(12)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=partner_id] input:value(Tour Borrower Lead), .o_form_view .o_field_widget[name=partner_id]:contains(Tour Borrower Lead)",
        },
    ],
});
