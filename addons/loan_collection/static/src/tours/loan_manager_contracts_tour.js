import { registry } from "@web/core/registry";

// A Lending Manager opens the contracts, keeps those of the most delinquent collection
// bucket that has any (search panel), reads the totals row, then groups them by product
// and reads each group's totals. Selectors use field names and structure, not labels, so
// that the tour runs in any language.
registry.category("web_tour.tours").add("loan_manager_contracts_tour", {
    url: "/odoo/action-loan_servicing.loan_contract_action",
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row",
        },
        {
            trigger:
                ".o_search_panel_filter_value:has(.o_search_panel_counter):last input[type=checkbox]",
            run: "click",
        },
        {
            trigger: ".o_search_panel_filter_value input[type=checkbox]:checked",
        },
        {
            trigger: ".o_list_view .o_data_row td[name=collection_bucket_id]",
        },
        {
            // totals of the monetary columns, in the company's currency
            trigger: ".o_list_footer td.o_list_number span:contains(₫)",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: "select.o_add_custom_group_menu",
            run: "select product_id",
        },
        {
            trigger: ".o_list_view .o_group_header",
        },
        {
            // every group shows its totals, and so does the footer
            trigger: ".o_group_header td.o_list_number span:contains(₫)",
        },
        {
            trigger: ".o_list_footer td.o_list_number span:contains(₫)",
        },
    ],
});
