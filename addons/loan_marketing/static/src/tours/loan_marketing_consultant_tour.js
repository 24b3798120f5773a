import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A consultant asks for the next lead, lands on its form, logs a call that reached the
// person (the gate allows it) and finds the note in the chatter. Triggers use menu xml ids
// and button names only: consultants work in Vietnamese.
registry.category("web_tour.tours").add("loan_marketing_consultant_tour", {
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
            trigger: "[data-menu-xmlid='loan_marketing.crm_lead_next_menu']",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_notebook_headers a[name=loan_marketing]",
            run: "click",
        },
        {
            // the lead the queue gives, with its masked number, due soon
            trigger: ".o_form_view .o_field_widget[name=loan_phone] input:value(/^038\\*+567$/)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=loan_sla_state]:contains(/\\S/)",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_loan_call_reached]",
            run: "click",
        },
        {
            trigger: ".o-mail-Chatter .o-mail-Message-body:contains(Call: reached)",
        },
    ],
});
