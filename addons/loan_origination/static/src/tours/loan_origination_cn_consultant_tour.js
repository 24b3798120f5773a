import { registry } from "@web/core/registry";

// The Shenzhen consultant (金莲消费金融, CNY, working in Chinese) creates an application for
// the CNY cash loan for a borrower of her company and sees the amounts in yuan with two
// decimals. Triggers use field names and data only, never labels.
registry.category("web_tour.tours").add("loan_origination_cn_consultant_tour", {
    url: "/odoo/action-loan_origination.loan_application_action/new",
    steps: () => [
        {
            content: "The borrower",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input",
            run: "edit 王伟",
        },
        {
            trigger: ".o_field_widget[name=partner_id] .o-autocomplete--dropdown-item a:contains(王伟)",
            run: "click",
        },
        {
            content: "The CNY cash loan",
            trigger: ".o_form_view .o_field_widget[name=product_id] input",
            run: "edit 现金贷",
        },
        {
            trigger: ".o_field_widget[name=product_id] .o-autocomplete--dropdown-item a:contains(现金贷)",
            run: "click",
        },
        {
            content: "The amount shows the yuan sign",
            trigger: ".o_form_view .o_field_widget[name=amount]:contains(¥) input",
            run: "edit 12345.67",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=term] input",
            run: "edit 12",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=stated_income] input",
            run: "edit 8000",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=purpose] input",
            run: "edit 装修",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_form_saved, .o_form_status_indicator:not(:has(.o_form_button_save:visible))",
        },
        {
            content: "Saved with its reference",
            trigger: ".o_form_view .o_field_widget[name=name] span:contains(APP/)",
        },
        {
            content: "Amounts in yuan with two decimals",
            trigger: ".o_form_view .o_field_widget[name=amount]:contains(¥) input:value(12,345.67)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=stated_income]:contains(¥) input:value(8,000.00)",
        },
        {
            content: "Credit analysis tab",
            trigger: ".o_notebook a[name=credit]",
            run: "click",
        },
        {
            content: "The exposure is in yuan too",
            trigger: ".o_form_view .o_field_widget[name=exposure]:contains(¥):contains(.)",
        },
        {
            content: "Documents tab",
            trigger: ".o_notebook a[name=documents]",
            run: "click",
        },
        {
            content: "The borrower's checklist comes from the product",
            trigger: ".o_form_view .o_field_widget[name=document_ids] .o_data_row",
        },
    ],
});
