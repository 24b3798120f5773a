import { download } from "@web/core/network/download";
import { registry } from "@web/core/registry";

/**
 * Mark each finished report download on the body (data-loan-downloads), so that the next
 * step waits for the printed voucher or statement instead of racing it.
 */
function watchDownloads() {
    if (download._loanTourWatched) {
        return;
    }
    const original = download._download;
    download._download = async (options) => {
        const result = await original(options);
        const [url] = JSON.parse(options.data.data);
        document.body.dataset.loanDownloads = `${document.body.dataset.loanDownloads || ""} ${url}`;
        return result;
    };
    download._loanTourWatched = true;
}

// The Loan Accountant's day, without relying on labels (the staff work in Vietnamese).
// Started (from Python, on its id) on a signed contract awaiting its money: pay it out,
// confirming the dialog, then print the payment voucher (phiếu chi) from its button.
registry.category("web_tour.tours").add("loan_origination_accountant_disburse_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=signed]",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_disburse]",
            run(helpers) {
                watchDownloads();
                return helpers.click();
            },
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=active]",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_payment_voucher]",
            run: "click",
        },
        {
            trigger: "body[data-loan-downloads*='report_loan_payment_voucher']",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=net_disbursed]:visible",
        },
    ],
});

// Started on an active contract: register a receipt, post it, print its receipt voucher
// (phiếu thu), then open the borrower and print their statement over all contracts.
registry.category("web_tour.tours").add("loan_origination_accountant_receipt_tour", {
    steps: () => [
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_new_receipt]",
            run(helpers) {
                watchDownloads();
                return helpers.click();
            },
        },
        {
            trigger: ".o_form_view .o_field_widget[name=amount] input",
            run: "edit 1500000",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_post]",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value=posted]",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_print_voucher]",
            run: "click",
        },
        {
            trigger: "body[data-loan-downloads*='report_loan_receipt_voucher']",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=partner_id] a",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_loan_borrower_statement",
            run: "click",
        },
        {
            trigger: "body[data-loan-downloads*='report_loan_borrower_statement']",
        },
        {
            trigger: ".o_form_view .o_loan_borrower_statement:visible",
        },
    ],
});

// Started on Loans > Bank Transactions (incoming transfers not yet reconciled): select
// today's transfer from the demo statement (its reference names Bao's contract), record it
// as a loan receipt, and see the list reload without it.
registry.category("web_tour.tours").add("loan_origination_accountant_bank_tour", {
    steps: () => [
        {
            trigger: ".o_list_view .o_data_row:contains('CK tra no hop dong') .o_list_record_selector input",
            run: "click",
        },
        {
            trigger: "button[name=action_loan_match]",
            run: "click",
        },
        {
            trigger: ".o_notification .o_notification_bar.bg-success",
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('CK tra no hop dong')))",
        },
    ],
});
