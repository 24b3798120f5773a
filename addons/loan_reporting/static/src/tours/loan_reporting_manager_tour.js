import { registry } from "@web/core/registry";

// A Lending Manager opens the portfolio (latest date), keeps one month with the date
// filter, then downloads the month-end classification list in XLSX. Selectors use
// structure and technical names, not labels, so that the tour runs in any language.
registry.category("web_tour.tours").add("loan_reporting_manager_tour", {
    url: "/odoo/action-loan_reporting.loan_portfolio_daily_action",
    steps: () => [
        {
            trigger: ".o_pivot_view .o_pivot td.o_pivot_cell_value",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_accordion_toggle",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_accordion_values .o_item_option:first",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:nth-child(2)",
        },
        {
            trigger: ".o_pivot_view .o_pivot td.o_pivot_cell_value",
        },
        {
            trigger: '.o_main_navbar [data-menu-xmlid="loan_reporting.loan_menu_reporting"]',
            run: "click",
        },
        {
            trigger: '[data-menu-xmlid="loan_reporting.loan_classification_list_menu"]',
            run: "click",
        },
        {
            // the latest month end is proposed
            trigger: ".modal .o_field_date:not(:empty)",
        },
        {
            trigger: ".modal button[name=action_download]",
            run: "click",
        },
        {
            // the download is over when the screen is no longer blocked
            trigger: "body:not(:has(.o_blockUI))",
        },
        {
            trigger: ".modal footer button.btn-secondary, .modal .modal-footer button.btn-secondary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
