import { registry } from "@web/core/registry";

// A role opens its dashboard (the test makes it a favourite, which opens first): the
// dashboard is active, its charts are drawn and no error dialog opened.
registry.category("web_tour.tours").add("loan_reporting_dashboard_open_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            trigger: ".o_search_panel_category_value.active .o_dashboard_name",
        },
        {
            trigger: ".o_renderer .o-figure canvas",
        },
        {
            trigger: ".o_sp_date_filter_button .o-btn-date-filter",
        },
        {
            trigger: "body:not(:has(.o_error_dialog))",
        },
    ],
});
