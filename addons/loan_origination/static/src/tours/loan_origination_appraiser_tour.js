import { registry } from "@web/core/registry";
import { inputFiles } from "@web/../tests/utils";

// The appraiser opens an application under verification (its id in the URL, the ID card's
// back second in the checklist): scans the back of the ID card and verifies it, scores the
// application, tries to move it on and is refused (the reference check is still pending),
// records the reference check as passed, and moves it on. No trigger relies on a label, so
// the tour runs in any language.
let stageBefore = null;

function currentStage() {
    const button = document.querySelector(".o_statusbar_status .o_arrow_button_current");
    return button && button.dataset.value;
}

const DOCUMENTS = ".o_field_widget[name=document_ids]";
const CHECKS = ".o_field_widget[name=verification_ids]";

registry.category("web_tour.tours").add("loan_origination_appraiser_tour", {
    steps: () => [
        {
            content: "The application opens at its stage, with what it still misses",
            trigger: ".o_form_view .o_statusbar_status:has(.o_arrow_button_current)",
            run() {
                stageBefore = currentStage();
            },
        },
        {
            trigger: ".o_form_view .alert-warning .o_field_widget[name=missing_items]",
        },
        {
            content: "Documents tab",
            trigger: ".o_notebook a[name=documents]",
            run: "click",
        },
        {
            content: "Edit the line of the ID card's back",
            trigger: `${DOCUMENTS} .o_data_row:nth-child(2) td[name=note]`,
            run: "click",
        },
        {
            content: "Upload its scan",
            trigger: `${DOCUMENTS} .o_selected_row .o_field_widget[name=attachment_ids] .o_attach`,
            async run() {
                const scan = new File(["%PDF-1.4 scan of the ID card's back"], "cccd_mat_sau.pdf", {
                    type: "application/pdf",
                });
                await inputFiles(
                    `${DOCUMENTS} .o_selected_row .o_field_widget[name=attachment_ids] .o_input_file`,
                    [scan]
                );
            },
        },
        {
            trigger: `${DOCUMENTS} .o_selected_row .o_attachment:not(.o_attachment_uploading)[title="cccd_mat_sau.pdf"]`,
        },
        {
            content: "Verify it against the scan",
            trigger: `${DOCUMENTS} .o_data_row:nth-child(2) button[name=action_verify]`,
            run: "click",
        },
        {
            content: "The document is verified",
            trigger: `${DOCUMENTS} .o_data_row:nth-child(2).text-success:not(:has(button[name=action_verify]))`,
        },
        {
            trigger: ".o_form_view .o_form_saved, .o_form_status_indicator:not(:has(.o_form_button_save:visible))",
        },
        {
            content: "Credit analysis tab",
            trigger: ".o_notebook a[name=credit]",
            run: "click",
        },
        {
            content: "Score the application",
            trigger: "button[name=action_score]",
            run: "click",
        },
        {
            content: "A grade and the score's reasons are shown",
            trigger: ".o_field_widget[name=grade] span:not(:empty)",
        },
        {
            content: "Try to move on while the reference check is pending",
            trigger: ".o_form_view button[name=action_next_stage]",
            run: "click",
        },
        {
            content: "The refusal names the application and what is missing",
            trigger: ".modal .o_error_dialog [role=alert]",
            run() {
                const reference = document
                    .querySelector(".o_form_view .o_field_widget[name=name]")
                    .textContent.trim();
                const message = document.querySelector(".modal .o_error_dialog [role=alert]")
                    .textContent;
                if (!reference || !message.includes(reference)) {
                    throw new Error(`The refusal does not name ${reference}: ${message}`);
                }
                if (document.querySelector(".modal .o_error_dialog .o_error_detail")) {
                    throw new Error("The refusal shows a traceback");
                }
            },
        },
        {
            trigger: ".modal .o_error_dialog .o-default-button",
            run: "click",
        },
        {
            content: "The application stays where it was",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status:has(.o_arrow_button_current)",
            run() {
                if (currentStage() !== stageBefore) {
                    throw new Error("The refused move changed the stage");
                }
            },
        },
        {
            content: "Checks tab",
            trigger: ".o_notebook a[name=checks]",
            run: "click",
        },
        {
            content: "Record the reference check as passed",
            trigger: `${CHECKS} .o_data_row:nth-child(2) button[name=action_pass]`,
            run: "click",
        },
        {
            trigger: `${CHECKS} .o_data_row:nth-child(2).text-success`,
        },
        {
            content: "Move on: allowed now",
            trigger: ".o_form_view button[name=action_next_stage]",
            run: "click",
        },
        {
            content: "The application is at the next stage",
            trigger: ".o_form_view .o_statusbar_status:has(.o_arrow_button_current)",
            async run(helpers) {
                await helpers.waitUntil(() => currentStage() !== stageBefore, {
                    timeout: 10000,
                });
            },
        },
    ],
});
