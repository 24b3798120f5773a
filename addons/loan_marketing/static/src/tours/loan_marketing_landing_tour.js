import { registry } from "@web/core/registry";

/**
 * An anonymous visitor sees what a loan costs, then leaves their details, confirms their
 * phone with the code sent by SMS and sends the request. The test fixes the code at 123456.
 */
registry.category("web_tour.tours").add("loan_marketing_landing_tour", {
    url: "/loan/apply",
    steps: () => [
        {
            content: "The quote of the default amount is shown first",
            trigger: ".o_loan_landing_form .o_loan_quote:not(.d-none) .o_loan_quote_instalment:not(:empty)",
        },
        {
            content: "Move the amount",
            trigger: ".o_loan_landing_form input[name=amount]",
            run: "range 30000000",
        },
        {
            content: "The instalment of the new amount appears",
            trigger: ".o_loan_quote[data-amount='30000000'] .o_loan_quote_instalment:not(:empty)",
        },
        {
            content: "Only now are personal details asked",
            trigger: ".o_loan_step_person:not(.d-none) input[name=name]",
            run: "edit Trần Thị Tour",
        },
        {
            trigger: "input[name=phone]",
            run: "edit 0912 345 678",
        },
        {
            trigger: "select[name=province_id]",
            run: "selectByIndex 1",
        },
        {
            content: "Agree to the processing of personal data",
            trigger: "input[name=consent_data]",
            run: "check",
        },
        {
            content: "Agree to receive offers",
            trigger: "input[name=consent_marketing]",
            run: "check",
        },
        {
            content: "Ask for the code",
            trigger: ".o_loan_send_code",
            run: "click",
        },
        {
            content: "Type the code received by SMS",
            trigger: ".o_loan_step_code:not(.d-none) input[name=code]",
            run: "edit 123456",
        },
        {
            content: "Send the request",
            trigger: ".o_loan_submit",
            run: "click",
        },
        {
            content: "Thanked",
            trigger: ".o_loan_thanks:contains('Thank you')",
        },
    ],
});
