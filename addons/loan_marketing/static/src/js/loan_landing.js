import publicWidget from "@web/legacy/js/public/public_widget";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

/**
 * The landing page's application form: the quote follows the product, amount and term
 * (computed by the server with the product's own rules); then the visitor's details, a
 * code sent to their phone, and the request.
 */
publicWidget.registry.LoanLandingForm = publicWidget.Widget.extend({
    selector: ".o_loan_landing_form",
    events: {
        "input .o_loan_quote_input": "_onQuoteInput",
        "change select[name=product_id]": "_onProductChange",
        "click .o_loan_send_code": "_onSendCode",
        submit: "_onSubmit",
    },

    start() {
        this.quoteSeq = 0;
        this._debouncedQuote = debounce(this._quote.bind(this), 250);
        this._onProductChange();
        return this._super(...arguments);
    },

    _field(name) {
        return this.el.querySelector(`[name="${name}"]`);
    },

    _show(selector, visible) {
        this.el.querySelector(selector).classList.toggle("d-none", !visible);
    },

    _message(text, kind = "danger") {
        const box = this.el.querySelector(".o_loan_message");
        box.textContent = text || "";
        box.className = `o_loan_message alert alert-${kind} mt-3${text ? "" : " d-none"}`;
    },

    _onProductChange() {
        const option = this._field("product_id").selectedOptions[0];
        if (!option) {
            return;
        }
        const amount = this._field("amount");
        const term = this._field("term");
        const min = parseFloat(option.dataset.minAmount);
        const max = parseFloat(option.dataset.maxAmount);
        const step = 10 ** Math.floor(Math.log10(Math.max((max - min) / 100, 1)));
        Object.assign(amount, { min, max, step });
        amount.value = Math.min(Math.max(parseFloat(amount.value) || min, min), max);
        Object.assign(term, { min: option.dataset.minTerm, max: option.dataset.maxTerm });
        const months = parseInt(term.value) || 0;
        term.value = Math.min(Math.max(months, option.dataset.minTerm), option.dataset.maxTerm);
        this._quote();
    },

    _onQuoteInput() {
        this._debouncedQuote();
    },

    async _quote() {
        const seq = ++this.quoteSeq;
        const amount = this._field("amount").value;
        const result = await rpc("/loan/quote", {
            source: this.el.dataset.source,
            product_id: this._field("product_id").value,
            amount,
            term: this._field("term").value,
        }).catch(() => ({ error: _t("The quote is not available right now.") }));
        if (seq !== this.quoteSeq) {
            return; // a newer quote is on its way
        }
        const error = this.el.querySelector(".o_loan_quote_error");
        error.textContent = result.error || "";
        this._show(".o_loan_quote_error", !!result.error);
        this._show(".o_loan_quote", !result.error);
        if (!result.error) {
            const quote = this.el.querySelector(".o_loan_quote");
            quote.querySelector(".o_loan_quote_amount").textContent = result.amount;
            quote.querySelector(".o_loan_quote_instalment").textContent = result.instalment;
            quote.querySelector(".o_loan_quote_eir").textContent = result.eir;
            quote.dataset.amount = amount;
            this._show(".o_loan_step_person", true);
        }
    },

    async _onSendCode(ev) {
        const button = ev.currentTarget;
        if (!this._field("phone").value.trim()) {
            this._message(_t("Enter your phone number."));
            return;
        }
        button.disabled = true;
        const result = await rpc("/loan/apply/code", {
            source: this.el.dataset.source,
            phone: this._field("phone").value,
        })
            .catch(() => ({ error: _t("The code could not be sent; try again later.") }))
            .finally(() => (button.disabled = false));
        if (result.error) {
            this._message(result.error);
            return;
        }
        this._field("token").value = result.token;
        this._show(".o_loan_step_code", true);
        this._message(_t("We sent a code to your phone."), "info");
    },

    async _onSubmit(ev) {
        ev.preventDefault();
        const submit = this.el.querySelector(".o_loan_submit");
        submit.disabled = true;
        const value = (name) => this._field(name).value;
        const result = await rpc("/loan/apply/submit", {
            source: this.el.dataset.source,
            token: value("token"),
            code: value("code"),
            product_id: value("product_id"),
            amount: value("amount"),
            term: value("term"),
            name: value("name"),
            phone: value("phone"),
            province_id: value("province_id"),
            email: value("email"),
            consent_data: this._field("consent_data").checked,
            consent_marketing: this._field("consent_marketing").checked,
            loan_hp: value("loan_hp"),
        })
            .catch(() => ({ error: _t("Your request could not be sent; try again later.") }))
            .finally(() => (submit.disabled = false));
        if (result.error) {
            this._message(result.error);
            return;
        }
        const thanks = document.createElement("div");
        thanks.className = "alert alert-success o_loan_thanks";
        thanks.textContent = result.message;
        this.el.replaceChildren(thanks);
    },
});

export default publicWidget.registry.LoanLandingForm;
