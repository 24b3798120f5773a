import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A marketing manager watches the webhooks' intake log: keeps what is still queued for the
// platform fetch, and opens a lead whose fetch failed to see its attempts and next try.
registry.category("web_tour.tours").add("loan_marketing_intake_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='loan_base.loan_menu_root']",
            run: "click",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='loan_marketing.loan_menu_marketing']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='loan_marketing.loan_lead_intake_menu']",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Captured)",
        },
        {
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o_menu_item:contains(Queued)",
            run: "click",
        },
        {
            // the captured one is filtered out, the queued one stays
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains(Captured))) .o_data_row:contains(graph.facebook.com is down)",
        },
        {
            trigger: ".o_data_row:contains(graph.facebook.com is down) td.o_data_cell",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=attempts]:contains(2)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=next_try_at]:contains(/\\d/)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=external_id]:contains(T-FB-RETRY)",
        },
    ],
});
