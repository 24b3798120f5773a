import hashlib
import hmac
import json
import logging
import re
import time

from odoo import fields, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import email_normalize, format_amount, formatLang

_logger = logging.getLogger(__name__)

MAX_API_ROWS = 500
# what a partner's API row may carry: the rest (campaign, dates, ids) is the source's
API_KEYS = (
    "name",
    "phone",
    "email",
    "province",
    "product",
    "amount",
    "term",
    "income",
    "consent_marketing",
    "consent_data",
    "note",
    "external_id",
)
# a phone number inside a chat message
PHONE_IN_TEXT = re.compile(r"\+?\d[\d .\-]{7,}\d")
CAPTURE_STATE = {"created": "done", "touch": "done", "duplicate": "duplicate"}
USER_ERRORS = (UserError, ValidationError, AccessError)


class LoanMarketingController(http.Controller):
    """The public doors of lead capture: the landing page with its quote and phone code,
    and the webhooks of Facebook Lead Ads, Zalo OA and partners. Input is checked first;
    only then does the work run as superuser. Every webhook or API call is logged in the
    intake log, refused ones included."""

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _remote_addr():
        return request.httprequest.remote_addr

    @staticmethod
    def _source(kind, code=None):
        """The active source of ``kind`` with ``code``; for the landing page without a code,
        the first landing source of the website's company."""
        Source = request.env["loan.lead.source"].sudo()
        if code:
            # a webhook's first read: the code is unique (its index), without the ORM's search
            request.env.cr.execute(
                "SELECT id FROM loan_lead_source WHERE code = %s AND kind = %s AND active",
                [code, kind],
            )
            row = request.env.cr.fetchone()
            return Source.browse(row[0] if row else ())
        if kind != "landing" or not request.website:
            return Source
        return Source.search(
            [("kind", "=", kind), ("company_id", "=", request.website.company_id.id)], limit=1
        )

    @staticmethod
    def _landing_products(source):
        """The products the landing form offers: the campaign's, else the company's."""
        products = source.campaign_id.loan_product_ids.filtered("active")
        if not products:
            products = (
                request.env["loan.product"]
                .sudo()
                .search([("company_id", "=", source.company_id.id)])
            )
        return products

    @staticmethod
    def _json(data, status=200, headers=None):
        return request.make_json_response(data, headers=headers, status=status)

    @staticmethod
    def _stale(timestamp, window):
        """Whether a unix ``timestamp`` (seconds) is outside the replay window."""
        return abs(time.time() - timestamp) > (window or 0)

    def _log(self, kind, state, reason, source=None, payload=None, **extra):
        return (
            request.env["loan.lead.intake"]
            .sudo()
            ._log(
                kind,
                state,
                reason,
                source=source,
                remote_addr=self._remote_addr(),
                payload=payload,
                **extra,
            )
        )

    # ------------------------------------------------------------------ landing page
    @http.route(
        ["/loan/apply", "/loan/apply/<string:code>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def loan_apply(self, code=None, **kw):
        source = self._source("landing", code)
        if not source:
            raise request.not_found()
        return request.render(
            "loan_marketing.loan_landing_page",
            {"loan_source": source, "loan_products": self._landing_products(source)},
        )

    def _landing_request(self, source_code, product_id, amount, term):
        """(source, product, amount, term) of a landing form's request, or UserError."""
        source = self._source("landing", source_code)
        if not source:
            raise UserError(request.env._("This form is no longer available."))
        try:
            product_id, amount, term = int(product_id or 0), float(amount or 0), int(term or 0)
        except (TypeError, ValueError):
            raise UserError(request.env._("Amount and term must be numbers.")) from None
        product = self._landing_products(source).filtered(lambda p: p.id == product_id)
        if not product:
            raise UserError(request.env._("Choose a product."))
        return source, product, amount, term

    @http.route("/loan/quote", type="jsonrpc", auth="public", website=True, methods=["POST"])
    def loan_quote(self, source=None, product_id=None, amount=None, term=None, **kw):
        """The first instalment and effective annual rate of a request, formatted, as the
        product's calculator computes them; ``{"error": message}`` when it is refused."""
        try:
            source, product, amount, term = self._landing_request(source, product_id, amount, term)
            calc = (
                request.env["loan.calculator"]
                .sudo()
                .new(
                    {
                        "product_id": product.id,
                        "amount": amount,
                        "term": term,
                        "start_date": fields.Date.context_today(source),
                    }
                )
            )
            if calc.error:
                return {"error": calc.error}
            env, currency = request.env, product.currency_id
            return {
                "amount": format_amount(env, amount, currency),
                "term": term,
                "instalment": format_amount(env, calc.instalment, currency),
                "eir": "%s %%" % formatLang(env, calc.eir, digits=2),
            }
        except USER_ERRORS as exc:
            return {"error": exc.args[0]}

    @http.route("/loan/apply/code", type="jsonrpc", auth="public", website=True, methods=["POST"])
    def loan_apply_code(self, source=None, phone=None, **kw):
        """Send a confirmation code to ``phone``: ``{"token": ...}`` or ``{"error": ...}``."""
        try:
            source = self._source("landing", source)
            if not source:
                raise UserError(request.env._("This form is no longer available."))
            if not phone or not isinstance(phone, str) or len(phone) > 32:
                raise UserError(request.env._("Enter your phone number."))
            token = request.env["loan.lead.otp"].sudo()._issue(source, phone, self._remote_addr())
            return {"token": token}
        except USER_ERRORS as exc:
            return {"error": exc.args[0]}

    @http.route("/loan/apply/submit", type="jsonrpc", auth="public", website=True, methods=["POST"])
    def loan_apply_submit(self, source=None, token=None, code=None, **values):
        """Check the form, then the phone's code, and capture the lead."""
        thanks = request.env._(
            "Thank you! A consultant will call you soon to finish your application."
        )
        if values.get("loan_hp"):
            # a robot filled the field people do not see: it gets its thanks, nothing more
            _logger.info("Landing page: honeypot filled from %s", self._remote_addr())
            return {"message": thanks}
        try:
            source, row = self._landing_row(source, values)
            otp = request.env["loan.lead.otp"].sudo()._verify(token, code, row["phone"])
            if otp.source_id != source:
                raise UserError(request.env._("The confirmation code is wrong."))
            result = request.env["crm.lead"].sudo()._loan_capture(source, [row])[0]
        except USER_ERRORS as exc:
            return {"error": exc.args[0]}
        if result["status"] == "error":
            return {"error": result["error"]}
        return {"message": thanks}

    def _landing_row(self, source_code, values):
        """(source, capture row) of a landing form's ``values``, or UserError."""
        env = request.env
        source, product, amount, term = self._landing_request(
            source_code, values.get("product_id"), values.get("amount"), values.get("term")
        )
        product._loan_check_request(amount, term)
        if values.get("consent_data") is not True:
            raise UserError(env._("Please agree to the processing of your personal data."))
        name = (values.get("name") or "").strip() if isinstance(values.get("name"), str) else ""
        phone = values.get("phone") if isinstance(values.get("phone"), str) else ""
        if not name or not phone.strip():
            raise UserError(env._("Enter your name and phone number."))
        email = values.get("email") if isinstance(values.get("email"), str) else ""
        if email.strip() and not email_normalize(email):
            raise UserError(env._("The e-mail address is not valid."))
        province = env["res.country.state"].sudo()
        if values.get("province_id"):
            try:
                province = province.browse(int(values["province_id"])).exists()
            except (TypeError, ValueError):
                province = province.browse()
            if province.country_id != source.company_id.country_id:
                raise UserError(env._("Choose your province from the list."))
        submitted = {
            "name": name[:200],
            "phone": phone.strip(),
            "email": email.strip(),
            "province": province.name or "",
            "product": product.code,
            "amount": amount,
            "term": term,
            "consent_data": True,
            "consent_marketing": values.get("consent_marketing") is True,
            "consent_text_version": source.consent_text_version,
        }
        return source, {
            **submitted,
            "province": province.id or False,
            "payload": json.dumps(submitted, ensure_ascii=False),
            "lang": request.lang.code if request.lang else False,
        }

    # ------------------------------------------------------------------ Facebook Lead Ads
    @http.route(
        "/loan/webhook/facebook/<string:code>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def loan_facebook_challenge(self, code, **kw):
        """The subscription handshake: echo the challenge when the verify token matches."""
        args = request.httprequest.args
        source = self._source("facebook", code)
        expected = source.fb_verify_token if source else None
        token = args.get("hub.verify_token") or ""
        if (
            args.get("hub.mode") == "subscribe"
            and expected
            and hmac.compare_digest(token.encode(), expected.encode())
        ):
            return request.make_response(
                args.get("hub.challenge", ""), headers=[("Content-Type", "text/plain")]
            )
        self._log("facebook", "refused", "Subscription with a wrong verify token", source)
        return request.make_response("Forbidden", status=403)

    @http.route(
        "/loan/webhook/facebook/<string:code>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def loan_facebook_webhook(self, code, **kw):
        """Lead Ads notifications: checked, logged, and each new lead queued for the Graph
        API (never called here: Facebook wants its answer fast)."""
        raw = request.httprequest.get_data()
        text = raw.decode("utf-8", "replace")
        source = self._source("facebook", code)
        if not source:
            self._log("facebook", "refused", "Unknown source %s" % code[:64], payload=text)
            return self._json({"error": "unknown source"}, status=404)
        secret = source.fb_app_secret
        signature = request.httprequest.headers.get("X-Hub-Signature-256") or ""
        expected = "sha256=" + hmac.new((secret or "").encode(), raw, hashlib.sha256).hexdigest()
        if not secret or not signature or not hmac.compare_digest(signature, expected):
            reason = "Missing signature" if not signature else "Wrong signature"
            self._log("facebook", "refused", reason, source, text)
            return self._json({"error": "forbidden"}, status=403)
        try:
            body = json.loads(raw)
            changes = [
                change for entry in body.get("entry", []) for change in entry.get("changes", [])
            ]
        except (ValueError, AttributeError, TypeError):
            self._log("facebook", "refused", "Not a Lead Ads notification", source, text)
            return self._json({"error": "bad request"}, status=400)
        Intake = request.env["loan.lead.intake"].sudo()
        counts = {}
        for change in changes:
            value = change.get("value") if isinstance(change, dict) else None
            payload = json.dumps(change, ensure_ascii=False)
            lead_id = str(value.get("leadgen_id") or "") if isinstance(value, dict) else ""
            if change.get("field") != "leadgen" or not lead_id:
                state, reason = "refused", "Not a leadgen change"
            elif not isinstance(value.get("created_time"), int | float) or self._stale(
                value["created_time"], source.replay_window
            ):
                state, reason = "refused", "Replay: created_time outside the replay window"
            elif Intake._received(source, lead_id):
                state, reason = "duplicate", "Lead already received"
            else:
                state, reason = "queued", None
            self._log("facebook", state, reason, source, payload, external_id=lead_id or False)
            counts[state] = counts.get(state, 0) + 1
        if counts.get("queued"):
            Intake._enqueue_fetch(source)
        return self._json({"received": counts})

    # ------------------------------------------------------------------ Zalo OA
    @http.route(
        "/loan/webhook/zalo/<string:code>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def loan_zalo_webhook(self, code, **kw):
        """Zalo OA events: a follower shared their details, or wrote to the OA."""
        raw = request.httprequest.get_data()
        text = raw.decode("utf-8", "replace")
        source = self._source("zalo", code)
        if not source:
            self._log("zalo", "refused", "Unknown source %s" % code[:64], payload=text)
            return self._json({"error": "unknown source"}, status=404)
        try:
            event = json.loads(raw)
            timestamp = str(event["timestamp"])
            millis = int(timestamp)
        except (ValueError, KeyError, TypeError):
            event, timestamp, millis = None, "", 0
        app_id, secret = source.zalo_app_id or "", source.zalo_secret or ""
        signature = request.httprequest.headers.get("X-ZEvent-Signature") or ""
        mac = hashlib.sha256(
            app_id.encode() + raw + timestamp.encode() + secret.encode()
        ).hexdigest()
        if not (
            app_id and secret and signature and isinstance(event, dict)
        ) or not hmac.compare_digest(signature, "mac=" + mac):
            reason = "Missing signature" if not signature else "Wrong signature"
            self._log("zalo", "refused", reason, source, text)
            return self._json({"error": "forbidden"}, status=403)
        if self._stale(millis / 1000.0, source.replay_window):
            reason = "Replay: timestamp outside the replay window"
            self._log("zalo", "refused", reason, source, text)
            return self._json({"error": "replay"}, status=403)
        state, reason, lead_id = self._zalo_event(source, event, text)
        self._log("zalo", state, reason, source, text, lead_id=lead_id or False)
        return self._json({"status": state})

    def _zalo_event(self, source, event, text):
        """(intake state, reason, lead id) of a verified Zalo event."""
        sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
        uid = str(sender.get("id") or "")
        name = event.get("event_name")
        if name == "user_submit_info":
            info = event.get("info") if isinstance(event.get("info"), dict) else {}
            row = {"name": info.get("name"), "phone": info.get("phone")}
            external = event.get("msg_id") or "%s-%s" % (uid, event.get("timestamp"))
        elif name == "user_send_text":
            message = event.get("message") if isinstance(event.get("message"), dict) else {}
            said = message.get("text") if isinstance(message.get("text"), str) else ""
            phone = self._phone_in_text(said, source.company_id)
            follower = self._zalo_follower(uid)
            if not phone:
                if not follower:
                    return "done", "Message from an unknown follower: nothing to capture", None
                # logged as the person's own contact; a refusal withdraws marketing consent
                request.env["loan.outreach.attempt"].sudo().loan_inbound_message(
                    follower, "zalo", said
                )
                return "done", "Message of a known follower logged", None
            row = {"name": follower.name or request.env._("Zalo follower"), "phone": phone}
            external = message.get("msg_id") or "%s-%s" % (uid, event.get("timestamp"))
        else:
            return "done", "Event %s ignored" % str(name)[:64], None
        row.update(
            external_id=str(external),
            consent_data=True,  # the follower shared their details with the OA
            payload=text,
        )
        result = request.env["crm.lead"].sudo()._loan_capture(source, [row])[0]
        if uid and result["status"] in ("created", "touch"):
            partner = request.env["crm.lead"].sudo().browse(result["lead_id"]).partner_id
            if partner and not partner.loan_zalo_uid:
                partner.loan_zalo_uid = uid
        return CAPTURE_STATE.get(result["status"], "failed"), result.get("error"), result["lead_id"]

    @staticmethod
    def _phone_in_text(text, company):
        """The first valid phone number written in ``text`` (not an amount), or None."""
        Lead = request.env["crm.lead"].sudo()
        for found in PHONE_IN_TEXT.finditer(text):
            try:
                Lead._loan_normalise_phone(found.group(0), company)
            except ValidationError:
                continue
            return found.group(0)
        return None

    @staticmethod
    def _zalo_follower(uid):
        if not uid:
            return request.env["res.partner"].sudo().browse()
        return request.env["res.partner"].sudo().search([("loan_zalo_uid", "=", uid)], limit=1)

    # ------------------------------------------------------------------ partner API
    @http.route(
        "/loan/api/leads",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def loan_api_leads(self, **kw):
        """``{"leads": [rows]}`` with a Bearer key: one result per row."""
        raw = request.httprequest.get_data()
        text = raw.decode("utf-8", "replace")
        auth = request.httprequest.headers.get("Authorization") or ""
        key = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        source = request.env["loan.lead.source"].sudo()._for_api_key(key)
        if not source or not source.active:
            self._log("api", "refused", "Missing or wrong API key", payload=text)
            return self._json(
                {"error": "unauthorized"}, status=401, headers=[("WWW-Authenticate", "Bearer")]
            )
        try:
            rows = json.loads(raw)["leads"]
            if not isinstance(rows, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            self._log("api", "refused", 'The body is not {"leads": [...]}', source, text)
            return self._json({"error": 'expected a JSON body {"leads": [...]}'}, status=400)
        if len(rows) > MAX_API_ROWS:
            self._log("api", "refused", "%s rows: too many" % len(rows), source, text)
            return self._json({"error": "at most %s leads per call" % MAX_API_ROWS}, status=413)
        results, clean, positions, external = [None] * len(rows), [], [], set()
        for index, row in enumerate(rows):
            if not isinstance(row, dict):
                results[index] = {"status": "error", "error": "a lead must be an object"}
                continue
            row = {key: row[key] for key in API_KEYS if key in row}
            if row.get("external_id"):
                row["external_id"] = str(row["external_id"])[:128]
                if row["external_id"] in external:
                    results[index] = {"status": "error", "error": "external_id repeated"}
                    continue
                external.add(row["external_id"])
            row["payload"] = json.dumps(row, ensure_ascii=False, default=str)
            clean.append(row)
            positions.append(index)
        if clean:
            captured = request.env["crm.lead"].sudo()._loan_capture(source, clean)
            for index, result in zip(positions, captured, strict=True):
                results[index] = {
                    "status": result["status"],
                    "lead_id": result.get("lead_id") or False,
                    "error": result.get("error") or False,
                }
        summary = {}
        for result in results:
            summary[result["status"]] = summary.get(result["status"], 0) + 1
        reason = ", ".join("%s %s" % (count, status) for status, count in sorted(summary.items()))
        self._log("api", "done" if clean else "failed", reason, source, text)
        return self._json({"results": results})
