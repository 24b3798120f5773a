from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..engine import identity
from ..engine.exceptions import EngineError
from ..engine.phone import mask as identity_mask
from ..engine.pii import aad_for
from ..tools.engine_messages import engine_message
from ..tools.keyring import get_keyring

REVEAL_GROUP = "loan_base.group_loan_pii_reveal"


def pii_field(string, search, groups=None, required=False):
    """The field users type and see for an encrypted value: it shows the mask, encrypts what
    is typed (inverse) and searches through the blind index (``search`` method name)."""
    return fields.Char(
        string,
        compute="_compute_loan_pii",
        inverse="_inverse_loan_pii",
        search=search,
        groups=groups,
        required=required,
    )


def pii_columns(label, groups=None):
    """The three stored columns behind an encrypted field ``x``, to unpack into
    ``x_enc, x_bidx, x_mask``: the token and the blind index (technical), the mask."""
    return (
        fields.Char(groups="base.group_system", copy=False),
        fields.Char(index=True, groups="base.group_system", copy=False),
        fields.Char(label, groups=groups, readonly=True, copy=False),
    )


class LoanPiiMixin(models.AbstractModel):
    """Encrypted personal data fields.

    A model declares, for each protected value ``x``, four fields:

    * ``x``: what users type and see; computed from the mask, its inverse encrypts, its
      search goes through the blind index (exact match only);
    * ``x_enc``: the AES-GCM token (key id, nonce, ciphertext), bound to model, id and field;
    * ``x_bidx``: HMAC of the normalised value, indexed, for exact search and duplicates;
    * ``x_mask``: the masked display value, stored so that lists stay fast.

    and lists it in ``_loan_pii_fields`` with the purpose of its blind index. Plain values
    never reach the database; they are read back only through :meth:`loan_pii_reveal`,
    which requires the reveal group and a reason, and logs the reveal.
    """

    _name = "loan.pii.mixin"
    _description = "Encrypted personal data"

    #: field name -> blind index purpose ('phone', 'identity', 'bank_account')
    _loan_pii_fields = {}

    # ---------------------------------------------------------------- hooks
    def _loan_pii_normalise(self, fname, value):
        """Return ``(normalised, masked)`` for a typed value, or raise ValidationError.

        Override per model; the default keeps the value stripped and masks its middle."""
        value = (value or "").strip()
        return value, identity_mask(value)

    @api.model
    def _loan_pii_identity(self, value, doc_type, birth_date=None, gender=None, validate=True):
        """``(normalised, masked)`` of an identity number, validated for ``doc_type`` (and
        cross-checked with the birth date and gender it may encode); translated errors."""
        if validate:
            try:
                identity.validate_identity(doc_type, value, birth_date or None, gender)
            except EngineError as exc:
                raise ValidationError(engine_message(self.env, exc.code, exc.params)) from exc
        normalised = identity.normalise_identity(doc_type, value)
        return normalised, identity_mask(normalised)

    # ---------------------------------------------------------------- compute / inverse
    def _compute_loan_pii(self):
        for record in self:
            for fname in self._loan_pii_fields:
                record[fname] = record[f"{fname}_mask"]

    def _inverse_loan_pii(self):
        keyring = self._loan_pii_keyring()
        for record in self:
            vals = {}
            for fname in self._loan_pii_fields:
                typed = record[fname]
                if typed == record[f"{fname}_mask"]:
                    continue  # unchanged: the form sent back the masked value
                vals.update(record._loan_pii_prepare_vals(fname, typed, keyring))
            if vals:
                record.sudo().write(vals)
        # The typed plain value must not linger in the cache: read back as the mask.
        self.invalidate_recordset(list(self._loan_pii_fields))

    @api.private
    def _loan_pii_prepare_vals(self, fname, typed, keyring=None):
        """Values of the stored columns for a newly typed plain value of ``fname``."""
        self.ensure_one()
        if not typed:
            return {f"{fname}_enc": False, f"{fname}_bidx": False, f"{fname}_mask": False}
        normalised, masked = self._loan_pii_normalise(fname, typed)
        keyring = keyring or self._loan_pii_keyring()
        return {
            f"{fname}_enc": keyring.encrypt(normalised, aad_for(self._name, self.id, fname)),
            f"{fname}_bidx": keyring.blind_index(normalised, self._loan_pii_purpose(fname)),
            f"{fname}_mask": masked,
        }

    def _loan_pii_purpose(self, fname):
        """The purpose of ``fname``'s blind index: values of one purpose, normalised alike,
        have the same index in every model (a phone on a borrower and on the blacklist)."""
        return self._loan_pii_fields[fname]

    @api.model
    def _loan_pii_search(self, fname, operator, value):
        """Exact search through the blind index: ``=``, ``in`` (and their negations)."""
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Encrypted fields can only be searched for an exact value."))
        values = [value] if isinstance(value, str) or not value else list(value)
        indexes = []
        for item in values:
            if not item:
                continue
            try:
                normalised, _masked = self._loan_pii_normalise(fname, item)
            except ValidationError:
                continue  # a malformed search term matches nothing
            indexes.append(
                self._loan_pii_keyring().blind_index(normalised, self._loan_pii_purpose(fname))
            )
        return self._loan_pii_bidx_domain(fname, operator, indexes)

    @api.model
    def _loan_pii_bidx_domain(self, fname, operator, indexes):
        """Domain on ids matching blind indexes; the index column itself stays technical."""
        matching = (
            self.sudo().with_context(active_test=False)._search([(f"{fname}_bidx", "in", indexes)])
        )
        return [("id", "in" if operator in ("=", "in") else "not in", matching)]

    # ---------------------------------------------------------------- keys
    @api.model
    def _loan_pii_keyring(self):
        try:
            return get_keyring()
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc

    @api.private
    def _loan_pii_plain(self, fname):
        """The decrypted value of ``fname`` for internal use (matching, sending a message).

        Not exposed to users: they go through :meth:`loan_pii_reveal`."""
        self.ensure_one()
        token = self.sudo()[f"{fname}_enc"]
        if not token:
            return False
        try:
            return self._loan_pii_keyring().decrypt(token, aad_for(self._name, self.id, fname))
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc

    @api.model
    def _loan_pii_reencrypt_all(self, batch_size=2000):
        """Re-encrypt every value of this model with the keyring's active key.

        Returns the number of values rewritten. Values are read and written in batches
        through SQL-free ORM writes on the technical columns only."""
        keyring = self._loan_pii_keyring()
        count = 0
        for fname in self._loan_pii_fields:
            enc = f"{fname}_enc"
            records = self.sudo().with_context(active_test=False).search([(enc, "!=", False)])
            for start in range(0, len(records), batch_size):
                batch = records[start : start + batch_size]
                for record in batch:
                    token = record[enc]
                    if not keyring.needs_rotation(token):
                        continue
                    aad = aad_for(self._name, record.id, fname)
                    record[enc] = keyring.encrypt(keyring.decrypt(token, aad), aad)
                    count += 1
                batch.flush_recordset()
        return count

    @api.model
    def _loan_pii_reencrypt_models(self):
        """Re-encrypt the protected values of every model that has some; returns the count."""
        total = 0
        for name, model in self.env.registry.items():
            if not model._abstract and getattr(model, "_loan_pii_fields", None):
                total += self.env[name]._loan_pii_reencrypt_all()
        return total

    # ---------------------------------------------------------------- reveal
    def loan_pii_reveal(self, fname, reason):
        """Return the plain value of ``fname`` to a user of the reveal group, logging who,
        when, which record, which field and why."""
        self.ensure_one()
        if fname not in self._loan_pii_fields:
            raise UserError(self.env._("%s is not a protected field.", fname))
        if not self.env.user.has_group(REVEAL_GROUP):
            raise AccessError(
                self.env._("Only users allowed to reveal personal data can read plain values.")
            )
        reason = (reason or "").strip()
        if len(reason) < 5:
            raise UserError(self.env._("Give the reason for revealing this value."))
        self.check_access("read")
        self.env["loan.pii.reveal.log"].sudo().create(
            {
                "user_id": self.env.user.id,
                "res_model": self._name,
                "res_id": self.id,
                "field_name": fname,
                "reason": reason,
                "partner_id": self._loan_pii_log_partner().id,
                "company_id": self.env.company.id,
            }
        )
        return self._loan_pii_plain(fname)

    def _loan_pii_log_partner(self):
        """The person whose data is revealed, for the log (override on child models)."""
        return self.env["res.partner"]
