import { registry } from "@web/core/registry";

// A Lending Manager opens the Dashboards app: the lending management dashboard shows its
// charts (read with the manager's rights), then the finance one.
registry.category("web_tour.tours").add("loan_reporting_dashboard_tour", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            trigger: ".o_search_panel_category_value.active .o_dashboard_name",
        },
        {
            trigger: ".o-figure canvas",
        },
        {
            trigger: ".o_search_panel_category_value:not(.active) .o_dashboard_name",
            run: "click",
        },
        {
            trigger: ".o_search_panel_category_value.active",
        },
        {
            trigger: ".o-figure canvas",
        },
    ],
});
