import { registry } from "@web/core/registry";

// A month-end report the end of day writes (collection efficiency, roll rates): opened
// from its action, switched to its list, which shows rows with their totals. Selectors
// use structure and technical names, not labels, so that the tour runs in any language.
registry.category("web_tour.tours").add("loan_reporting_month_end_list_tour", {
    steps: () => [
        {
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row td.o_data_cell",
        },
        {
            trigger: ".o_list_view tfoot td.o_list_number:not(:empty)",
        },
    ],
});
