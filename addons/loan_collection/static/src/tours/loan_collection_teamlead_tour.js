import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A collection team lead balances the cases of their teams over the collectors, reads the
// team KPIs (the amount collected in the company's currency, VND without decimals) and
// reviews a sampled contact against the QA scorecard. Triggers use xml ids, field and
// button names only: the team lead works in Vietnamese.
registry.category("web_tour.tours").add("loan_collection_teamlead_tour", {
    url: "/odoo/action-loan_collection.loan_collection_case_action",
    steps: () => [
        {
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: ".o_control_panel button[name=action_assign]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=mode] input[data-value=balance]",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            // "n cases balanced" (a warning names those no collector fits)
            trigger: ".o_notification .o_notification_bar",
        },
        {
            // every case of the list has a collector now
            trigger: "body:not(:has(.modal)) .o_list_view .o_data_row:not(:has(td[name=user_id]:empty))",
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='loan_collection.loan_menu_collection']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='loan_collection.loan_collection_kpi_menu']",
            run: "click",
        },
        {
            // a date with a value shows as a button until focused
            trigger: ".modal .o_field_widget[name=date_from] button",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=date_from] input",
            run: "edit -60d",
        },
        {
            trigger: ".modal .o_field_widget[name=dimension] input[data-value=team]",
            run: "click",
        },
        {
            trigger: ".modal button[name=action_compute]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_list_view:has(th[data-name=kpi]) .o_group_header",
            run: "click",
        },
        {
            // the amount collected is money: the currency's symbol, no decimals for VND
            trigger: ".o_list_view .o_data_row td[name=amount]:contains(₫)",
            run() {
                const text = this.anchor.textContent.replace(/\s/g, "");
                if (/[.,]\d{2}(?!\d)/.test(text)) {
                    throw new Error(`VND shown with decimals: ${text}`);
                }
            },
        },
        {
            trigger: ".o_menu_sections [data-menu-xmlid='loan_collection.loan_menu_collection']",
            run: "click",
        },
        {
            trigger: "[data-menu-xmlid='loan_collection.loan_collection_activity_qa_menu']",
            run: "click",
        },
        {
            // the contacts to review, grouped by collector
            trigger: ".o_list_view:has(th[data-name=qa_review_count]) .o_group_header",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row button[name=action_qa_review]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=coaching_note] textarea",
            run: "edit Chào hỏi tốt; nhắc khách về lựa chọn trả góp.",
        },
        {
            trigger: ".o_form_view button[name=action_done]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=state] button[data-value=done].o_arrow_button_current",
        },
    ],
});
