import logging
from types import SimpleNamespace

from odoo import api, fields, models
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.phone import mask_phone, normalise_phone
from odoo.addons.loan_base.engine.pii import aad_for
from odoo.addons.loan_base.models.loan_pii_mixin import pii_columns, pii_field
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.text import is_yes

_logger = logging.getLogger(__name__)

STAFF = "loan_base.group_loan_staff"
OFFICER = "loan_base.group_loan_officer"
PHONE_FIELDS = ("loan_phone",)
# the consent channel of what a source captured
CONSENT_CHANNEL = {
    "landing": "web",
    "facebook": "web",
    "zalo": "zalo",
    "import": "paper",
    "api": "web",
}
# from this many leads, an assignment is one UPDATE (see _loan_assign)
BULK_ASSIGN = 50
SLA_STATES = [("pending", "Waiting"), ("met", "Met"), ("missed", "Missed")]


class CrmLead(models.Model):
    """A lending lead as marketing captures it: its source, campaign, channel and touches;
    its phone number encrypted (the ``phone`` column stays empty); consent
    given on capture; de-duplicated through the blind index against leads, borrowers and
    the blacklist; allocated to a consultant with a first-contact deadline."""

    _inherit = "crm.lead"

    _loan_pii_fields = {
        "loan_id_number": "identity",
        "loan_phone": "phone",
    }

    loan_phone = pii_field("Phone (lending)", "_search_loan_phone", STAFF)
    loan_phone_enc, loan_phone_bidx, loan_phone_mask = pii_columns("Phone (masked)", STAFF)
    loan_source_id = fields.Many2one("loan.lead.source", "Lead Source", index=True, groups=STAFF)
    loan_channel_id = fields.Many2one("loan.marketing.channel", "Channel", groups=STAFF)
    loan_province_id = fields.Many2one(
        "res.country.state", "Province", groups=STAFF, domain="[('country_id', '=?', country_id)]"
    )
    loan_captured_at = fields.Datetime("Captured On", readonly=True, groups=STAFF)
    loan_touch_ids = fields.One2many("loan.lead.touch", "lead_id", "Touches", groups=STAFF)
    loan_touch_count = fields.Integer(
        "Touch Count", compute="_compute_loan_touch_count", groups=STAFF
    )
    loan_blacklisted = fields.Boolean("Blacklisted", readonly=True, groups=STAFF)
    loan_existing_borrower = fields.Boolean(
        "Existing Borrower",
        readonly=True,
        groups=STAFF,
        help="The number belongs to a borrower: the lead went to the borrower's officer.",
    )
    loan_allocation_rule_id = fields.Many2one(
        "loan.lead.allocation.rule", "Allocation Rule", readonly=True, groups=STAFF
    )
    loan_assigned_at = fields.Datetime("Assigned On", readonly=True, groups=STAFF)
    loan_sla_deadline = fields.Datetime(
        "First Contact Due", readonly=True, index=True, groups=STAFF
    )
    loan_first_contact_at = fields.Datetime("First Contact", readonly=True, groups=STAFF)
    loan_sla_state = fields.Selection(
        SLA_STATES, "First Contact SLA", readonly=True, index=True, groups=STAFF
    )
    loan_escalation_count = fields.Integer("Escalations", readonly=True, groups=STAFF)

    # "next lead" (loan.lead.allocation.rule._take_lead): the leads waiting for a first
    # contact, a consultant's own and the unassigned ones, in the order they are taken
    _loan_waiting_own_idx = models.Index(
        "(user_id, loan_sla_deadline, id) WHERE active AND type = 'lead'"
        " AND loan_first_contact_at IS NULL AND loan_blacklisted IS NOT TRUE"
    )
    _loan_waiting_free_idx = models.Index(
        "(loan_sla_deadline, id) WHERE user_id IS NULL AND loan_source_id IS NOT NULL"
        " AND active AND type = 'lead' AND loan_first_contact_at IS NULL"
        " AND loan_blacklisted IS NOT TRUE"
    )
    loan_enrolment_ids = fields.One2many(
        "loan.nurture.enrolment", "lead_id", "Journeys", groups=STAFF
    )

    @api.depends("loan_id_number_mask", "loan_phone_mask")
    def _compute_loan_pii(self):
        return super()._compute_loan_pii()

    def _search_loan_phone(self, operator, value):
        return self._loan_pii_search("loan_phone", operator, value)

    def _compute_loan_touch_count(self):
        counts = dict(
            self.env["loan.lead.touch"]
            .sudo()
            ._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"])
        )
        for lead in self:
            lead.loan_touch_count = counts.get(lead, 0)

    def _loan_pii_normalise(self, fname, value):
        if fname in PHONE_FIELDS:
            return self._loan_normalise_phone(value)
        return super()._loan_pii_normalise(fname, value)

    @api.model
    def _loan_normalise_phone(self, value, company=None):
        """``(e164, masked)`` of a typed number, read in the company's country."""
        company = company or (self.company_id if len(self) == 1 else None) or self.env.company
        try:
            e164 = normalise_phone(value, company.country_id.code or "VN")
        except EngineError as exc:
            raise ValidationError(engine_message(self.env, exc.code, exc.params)) from exc
        return e164, mask_phone(e164)

    # ---------------------------------------------------------------- CRUD
    def _loan_is_lending(self, vals=None):
        vals = vals or {}
        if vals.get("loan_source_id") or vals.get("loan_product_id"):
            return True
        return bool(self.sudo().loan_source_id or self.sudo().loan_product_id)

    @api.model
    def _loan_pop_phones(self, vals):
        """Take the plain number out of ``vals``: it goes encrypted to ``loan_phone``."""
        number = vals.pop("phone", None)
        return {"loan_phone": number} if number else {}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if self.browse()._loan_is_lending(vals):
                # encrypted by the field's inverse with the lead's other protected values
                vals.update(self._loan_pop_phones(vals))
        return super().create(vals_list)

    def write(self, vals):
        if not vals.get("phone"):
            return super().write(vals)
        lending = self.filtered(lambda lead: lead._loan_is_lending(vals))
        if not lending:
            return super().write(vals)
        vals = dict(vals)
        pii = self._loan_pop_phones(vals)
        result = super().write(vals) if vals else True
        lending.check_access("write")
        lending.sudo().write(pii)
        other = self - lending
        if other:
            super(CrmLead, other).write({"phone": pii["loan_phone"]})
        return result

    @api.model
    def _loan_encrypt_plain_phones(self):
        """Move the plain numbers of lending leads into the encrypted fields (install)."""
        leads = (
            self.sudo()
            .with_context(active_test=False, tracking_disable=True)
            .search(
                [
                    "|",
                    ("loan_product_id", "!=", False),
                    ("loan_source_id", "!=", False),
                    ("phone", "!=", False),
                ]
            )
        )
        for lead in leads:
            try:
                lead.write({"loan_phone": lead.phone})
            except ValidationError:
                _logger.warning("Lead %s: a number could not be read and was cleared.", lead.id)
        if leads:
            self.env.cr.execute(
                "UPDATE crm_lead SET phone = NULL, phone_sanitized = NULL WHERE id = ANY(%s)",
                [leads.ids],
            )
            leads.invalidate_recordset(["phone", "phone_sanitized"])
        return len(leads)

    # ---------------------------------------------------------------- extension points
    def _loan_lead_phone(self):
        return self._loan_pii_plain("loan_phone") or super()._loan_lead_phone()

    def _loan_match_or_create_partner(self):
        """The prospect made on capture becomes the borrower of the application."""
        partner = super()._loan_match_or_create_partner()
        sudo = partner.sudo()
        if sudo.loan_is_prospect and not sudo.loan_is_borrower:
            sudo.write(
                {
                    "loan_is_borrower": True,
                    "loan_user_id": self.user_id.id or self.env.uid,
                    "name": self.contact_name or self.partner_name or sudo.name,
                    "loan_birth_date": self.loan_birth_date or sudo.loan_birth_date,
                    "loan_monthly_income": self.loan_stated_income or sudo.loan_monthly_income,
                    "loan_currency_id": self.loan_currency_id.id or sudo.loan_currency_id.id,
                }
            )
        return partner

    # ---------------------------------------------------------------- capture
    @api.model
    def _loan_capture(self, source, rows):
        """Capture ``rows`` (plain dicts) from ``source``: the one entry point of every
        source (landing page, webhooks, imports, API).

        A row: ``name``, ``phone`` (required), ``email``, ``province``, ``product`` (code),
        ``amount``, ``term``, ``income``, ``consent_marketing``, ``consent_data``, ``note``,
        ``external_id`` (the platform's id: a repeat is ignored), ``payload`` (raw text,
        kept encrypted with a masked copy), ``touched_at``, ``campaign_id``.

        Returns one dict per row: ``status`` ('created', 'touch', 'duplicate' or 'error'),
        ``lead_id``, ``error``. Rows are de-duplicated by the phone's blind index among
        themselves, the company's open leads, the persons' phones and the blacklist."""
        source = source.sudo()
        company = source.company_id
        Lead = self.sudo().with_company(company).with_context(tracking_disable=True)
        keyring = self.env["loan.pii.mixin"]._loan_pii_keyring()
        results = [None] * len(rows)
        prepared = []
        for index, row in enumerate(rows):
            try:
                prepared.append((index, Lead._loan_capture_prepare(source, row, keyring)))
            except (UserError, ValidationError) as exc:
                results[index] = {"status": "error", "error": exc.args[0], "lead_id": False}
        # repeats of an already captured platform id
        Touch = self.env["loan.lead.touch"].sudo()
        external = [p["external_id"] for _i, p in prepared if p["external_id"]]
        seen = {}
        if external:
            for touch in Touch.search(
                [("source_id", "=", source.id), ("external_id", "in", external)]
            ):
                seen[touch.external_id] = touch.lead_id.id
        bidxs = list({p["bidx"] for _i, p in prepared})
        leads_by_bidx = Lead._loan_open_leads_by_bidx(company, bidxs)
        partners_by_bidx = Lead._loan_partners_by_bidx(bidxs)
        blacklisted = Lead._loan_blacklisted_bidx(company, bidxs)
        new_rows = []
        for index, row in prepared:
            if row["external_id"] and row["external_id"] in seen:
                results[index] = {"status": "duplicate", "lead_id": seen[row["external_id"]]}
                continue
            lead_id = leads_by_bidx.get(row["bidx"])
            if lead_id:
                results[index] = {"status": "touch", "lead_id": lead_id}
                row["lead_id"] = lead_id
                continue
            new_rows.append((index, row))
            leads_by_bidx[row["bidx"]] = ("pending", index)
        # new leads, with their prospect (or existing person) and consents
        created = Lead._loan_capture_create(
            source, [row for _i, row in new_rows], partners_by_bidx, blacklisted
        )
        for (index, row), lead in zip(new_rows, created, strict=True):
            row["lead_id"] = lead.id
            results[index] = {"status": "created", "lead_id": lead.id}
        for index, row in prepared:
            if results[index]["status"] == "touch" and isinstance(row["lead_id"], tuple):
                row["lead_id"] = results[row["lead_id"][1]]["lead_id"]
                results[index]["lead_id"] = row["lead_id"]
        # every accepted row is a touch
        touch_rows = [
            row for index, row in prepared if results[index]["status"] in ("created", "touch")
        ]
        Touch._loan_record(source, touch_rows)
        repeated = Lead.browse(
            {r["lead_id"] for r in results if r and r["status"] == "touch"}
        ).exists()
        if repeated:
            repeated.filtered(lambda lead: not lead.active).active = True
            # a note on each, in one batch (nobody is notified of a note)
            note = self.env._("The person came back through %s.", source.display_name)
            repeated._message_log_batch(
                {lead.id: note for lead in repeated}, message_type="comment"
            )
        if created:
            self.env["loan.nurture.journey"].sudo()._enrol_trigger("captured", created)
        return results

    @api.model
    def _loan_capture_prepare(self, source, row, keyring):
        """The normalised row, or UserError naming what is wrong."""
        phone = (row.get("phone") or "").strip() if isinstance(row.get("phone"), str) else ""
        if not phone and row.get("phone"):
            phone = str(row["phone"]).strip()
        if not phone:
            raise UserError(self.env._("A phone number is required."))
        e164, masked = self._loan_normalise_phone(phone, source.company_id)
        name = (row.get("name") or "").strip()
        if not name:
            raise UserError(self.env._("A name is required."))
        consent_data = _truthy(row.get("consent_data"))
        if not consent_data:
            raise UserError(
                self.env._("No consent to the processing of personal data: silence is not consent.")
            )
        product = source.product_id
        if row.get("product"):
            product = (
                self.env["loan.product"]
                .sudo()
                .search(
                    [
                        ("code", "=", str(row["product"]).strip()),
                        ("company_id", "in", [source.company_id.id, False]),
                    ],
                    limit=1,
                )
            )
            if not product:
                raise UserError(self.env._("Unknown product %s.", row["product"]))
        amount = _number(self, row.get("amount"), self.env._("amount"))
        term = _number(self, row.get("term"), self.env._("term"))
        income = _number(self, row.get("income"), self.env._("income"))
        province = self._loan_province(row.get("province"), source.company_id)
        return {
            "name": name[:200],
            "e164": e164,
            "masked": masked,
            "bidx": keyring.blind_index(e164, "phone"),
            "email": (row.get("email") or "").strip() or False,
            "province_id": province.id,
            "product_id": product.id,
            "amount": amount or 0.0,
            "term": int(term or 0),
            "income": income or 0.0,
            "consent_marketing": _truthy(row.get("consent_marketing")),
            "note": row.get("note") or False,
            "external_id": str(row["external_id"]) if row.get("external_id") else False,
            "payload": row.get("payload") or False,
            "touched_at": row.get("touched_at") or fields.Datetime.now(),
            "campaign_id": row.get("campaign_id") or source.campaign_id.id,
            "lang": row.get("lang") or False,
        }

    @api.model
    def _loan_province(self, value, company):
        State = self.env["res.country.state"].sudo()
        if not value:
            return State
        if isinstance(value, int):
            return State.browse(value).exists()
        value = str(value).strip()
        country = company.country_id
        domain = [("country_id", "=", country.id)] if country else []
        state = State.search(
            domain + ["|", ("code", "=ilike", value), ("name", "=ilike", value)], limit=1
        )
        if not state:
            raise UserError(self.env._("Unknown province %s.", value))
        return state

    @api.model
    def _loan_open_leads_by_bidx(self, company, bidxs):
        if not bidxs:
            return {}
        self.flush_model(["loan_phone_bidx", "company_id", "won_status"])
        self.env.cr.execute(
            """
            SELECT loan_phone_bidx, MIN(id) FROM crm_lead
             WHERE loan_phone_bidx = ANY(%s) AND company_id = %s
               AND won_status IS DISTINCT FROM 'won'
             GROUP BY loan_phone_bidx
            """,
            [bidxs, company.id],
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _loan_partners_by_bidx(self, bidxs):
        """{bidx: (partner id, is borrower, officer id)}: borrowers first."""
        if not bidxs:
            return {}
        self.env["loan.partner.phone"].flush_model(["number_bidx", "partner_id"])
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (ph.number_bidx) ph.number_bidx, p.id, p.loan_is_borrower,
                   p.loan_user_id
              FROM loan_partner_phone ph JOIN res_partner p ON p.id = ph.partner_id
             WHERE ph.number_bidx = ANY(%s) AND p.active
             ORDER BY ph.number_bidx, p.loan_is_borrower DESC NULLS LAST, p.id
            """,
            [bidxs],
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    @api.model
    def _loan_blacklisted_bidx(self, company, bidxs):
        if not bidxs:
            return set()
        self.env["loan.blacklist.entry"].flush_model(["value_bidx"])
        self.env.cr.execute(
            "SELECT value_bidx FROM loan_blacklist_entry WHERE value_bidx = ANY(%s)"
            " AND active AND company_id = %s",
            [bidxs, company.id],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _loan_capture_plan(self, source, rows, partners_by_bidx, blacklisted):
        """The allocation of the new leads of ``rows`` before they exist (so that they are
        created with their consultant): ``(user id, rule id, deadline)`` or None per row.
        Not allocated: a blacklisted number, and the lead of a borrower, which goes to the
        borrower's officer."""
        company = source.company_id
        Product = self.env["loan.product"].sudo()
        State = self.env["res.country.state"].sudo()
        Lang = self.env["res.lang"].sudo()
        existing = (
            self.env["res.partner"]
            .sudo()
            .browse(
                {
                    partners_by_bidx[row["bidx"]][0]
                    for row in rows
                    if row["bidx"] in partners_by_bidx
                }
            )
        )
        langs = {partner.id: partner.lang for partner in existing}
        items, todo = [], []
        for index, row in enumerate(rows):
            partner_id, is_borrower, officer = partners_by_bidx.get(row["bidx"], (0, 0, 0))
            if row["bidx"] in blacklisted or (is_borrower and officer):
                continue
            code = row["lang"] or langs.get(partner_id)
            items.append(
                SimpleNamespace(
                    company_id=company,
                    loan_product_id=Product.browse(row["product_id"] or ()),
                    loan_province_id=State.browse(row["province_id"] or ()),
                    lang_id=Lang._lang_get(code) if code else Lang,
                    loan_channel_id=source.channel_id,
                )
            )
            todo.append(index)
        plan = [None] * len(rows)
        if items:
            chosen = self.env["loan.lead.allocation.rule"]._plan(
                items, company, fields.Datetime.now()
            )
            for index, one in zip(todo, chosen, strict=True):
                plan[index] = one
        return plan

    @api.model
    def _loan_capture_create(self, source, rows, partners_by_bidx, blacklisted):
        """Create the leads of ``rows`` (new numbers), their prospects and consents."""
        if not rows:
            return self.browse()
        company = source.company_id
        Partner = self.env["res.partner"].sudo().with_context(tracking_disable=True)
        plan = self._loan_capture_plan(source, rows, partners_by_bidx, blacklisted)
        # persons: the existing one of the number, else a new prospect (in the portfolio of
        # the consultant the lead goes to, so that the number can be used)
        new_prospects = [
            (row, chosen)
            for row, chosen in zip(rows, plan, strict=True)
            if row["bidx"] not in partners_by_bidx
        ]
        prospects = Partner.create(
            [
                {
                    "name": row["name"],
                    "email": row["email"],
                    "company_id": company.id,
                    "country_id": company.country_id.id,
                    "state_id": row["province_id"] or False,
                    "lang": row["lang"] or False,
                    "loan_is_prospect": True,
                    "loan_user_id": chosen[0] if chosen else False,
                    "loan_phone_ids": [
                        fields.Command.create({"number": row["e164"], "is_primary": True})
                    ],
                }
                for row, chosen in new_prospects
            ]
        )
        for (row, _chosen), prospect in zip(new_prospects, prospects, strict=True):
            partners_by_bidx[row["bidx"]] = (prospect.id, False, False)
        # existing prospects of the numbers join the consultant's portfolio
        by_user = {}
        for row, chosen in zip(rows, plan, strict=True):
            partner_id, is_borrower, _officer = partners_by_bidx[row["bidx"]]
            if chosen and not is_borrower:
                by_user.setdefault(chosen[0], set()).add(partner_id)
        for user_id, partner_ids in by_user.items():
            persons = Partner.browse(partner_ids - set(prospects.ids))
            persons = persons.filtered(lambda p: p.loan_is_prospect and not p.loan_is_borrower)
            if persons:
                persons.write({"loan_user_id": user_id})
        # a prospect made when the visitor asked for a code gets the person's details now
        placeholder = self.env._("Website visitor")
        for row in rows:
            partner = Partner.browse(partners_by_bidx[row["bidx"]][0])
            if (
                partner.loan_is_prospect
                and not partner.loan_is_borrower
                and partner.name == placeholder
            ):
                partner.write(
                    {
                        "name": row["name"],
                        "email": row["email"] or partner.email,
                        "state_id": row["province_id"] or partner.state_id.id,
                        "lang": row["lang"] or partner.lang,
                    }
                )
        # what Odoo derives from the consultant (sales team, then stage), once per
        # consultant and team rather than once per lead
        teams, stages = {}, {}
        Team = self.env["crm.team"]
        now = fields.Datetime.now()
        vals_list = []
        for row, chosen in zip(rows, plan, strict=True):
            partner_id, is_borrower, officer = partners_by_bidx[row["bidx"]]
            user_id = officer if is_borrower and officer else chosen[0] if chosen else False
            if user_id not in teams:
                teams[user_id] = (
                    Team._get_default_team_id(user_id=user_id, domain=[("use_leads", "=", True)])
                    if user_id
                    else Team
                )
            team = teams[user_id]
            if team not in stages:
                stages[team] = self.browse()._stage_find(
                    team_id=team.id, domain=[("fold", "=", False)]
                )
            vals = {
                "name": self.env._("%(name)s (%(origin)s)", name=row["name"], origin=source.name),
                "type": "lead",
                "contact_name": row["name"],
                "email_from": row["email"],
                "partner_id": partner_id,
                "company_id": company.id,
                "loan_source_id": source.id,
                "loan_channel_id": source.channel_id.id,
                "campaign_id": row["campaign_id"] or False,
                "medium_id": source.medium_id.id or source.channel_id.medium_id.id or False,
                "source_id": source.utm_source_id.id or False,
                "loan_province_id": row["province_id"] or False,
                "loan_product_id": row["product_id"] or False,
                "loan_amount": row["amount"],
                "loan_term": row["term"],
                "loan_stated_income": row["income"],
                "description": row["note"],
                "loan_captured_at": row["touched_at"],
                "loan_blacklisted": row["bidx"] in blacklisted,
                "loan_existing_borrower": bool(is_borrower),
                "user_id": user_id,
                "team_id": team.id,
                "stage_id": stages[team].id,
            }
            if chosen and user_id == chosen[0]:
                vals.update(
                    loan_allocation_rule_id=chosen[1],
                    loan_assigned_at=now,
                    loan_sla_deadline=chosen[2],
                    loan_sla_state="pending",
                )
            if not vals["campaign_id"]:
                vals.pop("campaign_id")
            vals_list.append(vals)
        leads = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True).create(
            vals_list
        )
        # the encrypted phone, written in one statement (AAD binds each token to its lead)
        keyring = self.env["loan.pii.mixin"]._loan_pii_keyring()
        tokens = [
            keyring.encrypt(row["e164"], aad_for("crm.lead", lead.id, "loan_phone"))
            for lead, row in zip(leads, rows, strict=True)
        ]
        self.env.cr.execute(
            """
            UPDATE crm_lead SET loan_phone_enc = v.enc, loan_phone_bidx = v.bidx,
                   loan_phone_mask = v.mask
              FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::varchar[])
                   AS v(id, enc, bidx, mask)
             WHERE crm_lead.id = v.id
            """,
            [leads.ids, tokens, [r["bidx"] for r in rows], [r["masked"] for r in rows]],
        )
        leads.invalidate_recordset(
            ["loan_phone_enc", "loan_phone_bidx", "loan_phone_mask", "loan_phone"]
        )
        # consents per purpose, with the text version, time, channel and source
        channel = CONSENT_CHANNEL.get(source.kind, "web")
        consents = []
        for lead, row in zip(leads, rows, strict=True):
            purposes = ["data_processing"] + (["marketing"] if row["consent_marketing"] else [])
            consents += [
                {
                    "partner_id": lead.partner_id.id,
                    "company_id": company.id,
                    "purpose": purpose,
                    "text_version": source.consent_text_version,
                    "channel": channel,
                    "given_at": row["touched_at"],
                }
                for purpose in purposes
            ]
        self.env["loan.consent"].sudo().with_context(tracking_disable=True).create(consents)
        return leads

    # ---------------------------------------------------------------- consultant actions
    def _loan_person(self):
        """The person behind this lead the gate judges: its partner (made on capture)."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Lead %s has no person to contact yet.", self.name))
        return self.partner_id

    def _loan_check_mine(self):
        self.ensure_one()
        self.check_access("write")
        if not self.env.user.has_group(OFFICER):
            raise UserError(self.env._("Only a loan officer calls a lead."))

    def action_loan_call_reached(self):
        return self._loan_call(answered=True)

    def action_loan_call_no_answer(self):
        return self._loan_call(answered=False)

    def _loan_call(self, answered):
        """Log a call to the lead's number through the gate: refused, the call must not be
        placed and nothing counts as a contact."""
        self._loan_check_mine()
        partner = self._loan_person()
        attempt = (
            self.env["loan.outreach.attempt"]
            .with_context(loan_lead_contact=self.id)
            .gate_log_contact(
                partner.sudo(),
                "call",
                purpose="service",
                answered=answered,
                conversation=answered,
                origin=self,
            )
        )
        if attempt.state != "sent":
            raise UserError(
                self.env._("The gate refuses this call: %s", attempt.reason or attempt.reason_code)
            )
        self.message_post(
            body=self.env._(
                "Call: %s", self.env._("reached") if answered else self.env._("no answer")
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.env["loan.nurture.journey"].sudo()._enrol_trigger("not_reached", self)
        return True

    def action_loan_send_message(self):
        """SMS, Zalo or e-mail to the lead's person through the gate's dialog."""
        self._loan_check_mine()
        partner = self._loan_person()
        action = partner.sudo().action_loan_outreach_send()
        action["context"] = dict(action["context"], loan_lead_contact=self.id)
        return action

    def _loan_assign(self, user_id, rule_id, when, deadline, keep_sla=False):
        """Hand these leads to ``user_id`` with a first-contact deadline; their persons
        (prospects) join the consultant's portfolio so that the numbers can be used.

        A few leads go through the ORM's write (the consultant follows them and is told);
        a big batch (an allocation run) is one UPDATE after the first lead's write, without
        a notification per lead."""
        leads = self.sudo()
        vals = {
            "user_id": user_id,
            "loan_allocation_rule_id": rule_id or False,
            "loan_assigned_at": when,
            "loan_sla_deadline": deadline,
        }
        if not keep_sla:
            vals["loan_sla_state"] = "pending"
        if len(leads) < BULK_ASSIGN:
            leads.write(vals)
        else:
            # the first lead through the ORM: what Odoo derives from the consultant (sales
            # team, assignment date) is then the same for the others, copied in one UPDATE
            first, rest = leads[:1], leads[1:]
            first.write(vals)
            first.flush_recordset()
            self.env.cr.execute(
                """
                UPDATE crm_lead SET user_id = %(user)s, loan_allocation_rule_id = %(rule)s,
                       loan_assigned_at = %(when)s, loan_sla_deadline = %(deadline)s,
                       loan_sla_state = CASE WHEN %(keep)s THEN loan_sla_state ELSE 'pending' END,
                       team_id = %(team)s, date_open = COALESCE(date_open, %(opened)s),
                       write_uid = %(uid)s, write_date = (now() AT TIME ZONE 'UTC')
                 WHERE id = ANY(%(ids)s)
                """,
                {
                    "user": user_id,
                    "rule": rule_id or None,
                    "when": when,
                    "deadline": deadline,
                    "keep": keep_sla,
                    "team": first.team_id.id or None,
                    "opened": first.date_open,
                    "uid": self.env.uid,
                    "ids": rest.ids,
                },
            )
            rest.invalidate_recordset([*vals, "team_id", "date_open", "write_uid", "write_date"])
        prospects = leads.partner_id.filtered(
            lambda p: p.loan_is_prospect and not p.loan_is_borrower
        )
        if prospects:
            prospects.write({"loan_user_id": user_id})

    def _loan_unanswered_calls(self):
        self.ensure_one()
        return (
            self.env["loan.outreach.attempt"]
            .sudo()
            .search_count(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "=", self.id),
                    ("channel", "=", "call"),
                    ("direction", "=", "outbound"),
                    ("answered", "=", False),
                ]
            )
        )

    def _loan_first_contact(self, when):
        """Record the first contact of these leads: the SLA is met when on time."""
        for lead in self.sudo().filtered(lambda lead: not lead.loan_first_contact_at):
            vals = {"loan_first_contact_at": when}
            if lead.loan_sla_state == "pending":
                on_time = not lead.loan_sla_deadline or when <= lead.loan_sla_deadline
                vals["loan_sla_state"] = "met" if on_time else "missed"
            lead.write(vals)

    @api.model
    def action_loan_next_lead(self):
        """The consultant's next lead: their own uncontacted lead due first, else the
        oldest waiting lead of their allocation rules, taken for them (row-locked)."""
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only a loan officer takes the next lead."))
        lead = self.env["loan.lead.allocation.rule"]._next_lead(self.env.user)
        if not lead:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._("No lead is waiting for you."),
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _cron_loan_escalate(self):
        """Leads not contacted by their deadline: SLA missed, reassigned by their rule."""
        now = fields.Datetime.now()
        late = self.sudo().search(
            [
                ("loan_sla_state", "=", "pending"),
                ("loan_first_contact_at", "=", False),
                ("loan_sla_deadline", "<", now),
            ],
            limit=5000,
        )
        late.write({"loan_sla_state": "missed"})
        for lead in late:
            rule = lead.loan_allocation_rule_id
            previous = lead.user_id
            if rule and lead.loan_escalation_count < rule.max_escalations:
                rule._reassign(lead, exclude=previous)
            lead.loan_escalation_count += 1
            lead.message_post(
                body=self.env._(
                    "Not contacted within the first-contact deadline (%(who)s): escalated to "
                    "%(to)s.",
                    who=previous.name or "-",
                    to=lead.user_id.name or "-",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return len(late)


def _truthy(value):
    return is_yes(value) if isinstance(value, str) else bool(value)


def _number(model, value, label):
    if value in (None, "", False):
        return 0.0
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        raise UserError(
            model.env._("The %(label)s %(value)s is not a number.", label=label, value=value)
        ) from None
