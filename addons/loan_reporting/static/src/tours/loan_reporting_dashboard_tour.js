import { registry } from "@web/core/registry";

// The tour: a Lending Manager opens the management dashboard (the test makes it
// a favourite, which opens first), keeps last month with the period filter (the demo
// closes every month end before it is installed), sees the charts, then downloads the
// management pack in XLSX from the Lending reporting menu. Any error dialog fails the tour. Selectors
// use structure and technical names, not labels, so that it runs in any language.
const noErrorDialog = {
    trigger: "body:not(:has(.o_error_dialog))",
};

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
            trigger: ".o_sp_date_filter_button .o-btn-date-filter",
            run: "click",
        },
        {
            // this month, then the one before it
            trigger: ".o-date-filter-dropdown[data-id=month]",
            run: "click",
        },
        {
            trigger: ".o-date-filter-dropdown[data-id=month].selected .btn-previous",
            run: "click",
        },
        {
            trigger: ".o-date-filter-dropdown[data-id=month].selected",
        },
        {
            trigger: ".o_sp_date_filter_button .o-btn-date-filter",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o-date-filter-dropdown))",
        },
        {
            // the charts of the month are drawn
            trigger: ".o_renderer .o-figure canvas",
        },
        noErrorDialog,
        {
            // to Lending's reporting by its address: the Lending app's first menu is
            // Next Lead, which would hand the manager a lead to call
            trigger: ".o_renderer .o-figure canvas",
            run() {
                window.location.assign("/odoo/action-loan_reporting.loan_portfolio_daily_action");
            },
            expectUnloadPage: true,
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="loan_reporting.loan_menu_reporting"]',
            run: "click",
        },
        {
            trigger: '[data-menu-xmlid="loan_reporting.loan_management_pack_menu"]',
            run: "click",
        },
        {
            // the period ends on the latest month end
            trigger: ".modal .o_field_widget[name=date_to]",
        },
        {
            trigger: ".modal button[name=action_download]",
            run: "click",
        },
        {
            // the download is over when the screen is no longer blocked
            trigger: "body:not(:has(.o_blockUI))",
        },
        noErrorDialog,
        {
            trigger: ".modal footer button[special=cancel]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
