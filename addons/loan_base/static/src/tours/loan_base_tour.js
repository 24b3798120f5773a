import { registry } from "@web/core/registry";

// A loan officer opens Lending > Borrowers, creates a borrower file with an ID number and
// saves it: the number is accepted, encrypted and shown masked.
registry.category("web_tour.tours").add("loan_base_borrower_tour", {
    url: "/odoo/action-loan_base.res_partner_action_borrower",
    steps: () => [
        {
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input, .o_field_widget[name=name] textarea",
            run: "edit Tour Borrower",
        },
        {
            trigger: ".o_notebook a[name=loan_borrower]",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=loan_id_type] .o_select_menu_toggler",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains(Vietnam citizen ID)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=loan_id_number] input",
            run: "edit 079201001234",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_button_save:visible))",
        },
        {
            trigger: ".o_field_widget[name=loan_id_number] input:value(079******234)",
        },
    ],
});
