from odoo import api, fields, models
from odoo.exceptions import UserError

from .loan_collection_case import OPEN_STATES


class LoanCollectionAssign(models.TransientModel):
    """A team lead gives cases to collectors: all to one collector (assign or reassign),
    or balanced over the team by load, within each collector's regions, skills and
    capacity. Only collectors with current code-of-conduct training get cases."""

    _name = "loan.collection.assign"
    _description = "Assign Collection Cases"

    case_ids = fields.Many2many("loan.collection.case", string="Cases", required=True)
    mode = fields.Selection(
        [
            ("assign", "To one collector"),
            ("balance", "Balance over collectors"),
            ("release", "Back to the queue"),
        ],
        required=True,
        default="balance",
    )
    user_id = fields.Many2one("res.users", "Collector")
    user_ids = fields.Many2many(
        "res.users",
        string="Collectors",
        help="Balance over these; by default the members of the cases' teams, their leads "
        "excepted.",
    )

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        if self.env.context.get("active_model") == "loan.collection.case":
            vals["case_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return vals

    def action_apply(self):
        self.ensure_one()
        cases = self.case_ids.filtered(lambda c: c.state in OPEN_STATES)
        if not cases:
            raise UserError(self.env._("None of these cases is open."))
        if self.mode == "release":
            cases.write({"user_id": False})
            return self._notify(self.env._("%s cases are back in their queues.", len(cases)))
        if self.mode == "assign":
            if not self.user_id:
                raise UserError(self.env._("Choose the collector to give the cases to."))
            outside = cases.filtered(lambda c: self.user_id not in c.team_id.member_ids)
            if outside:
                raise UserError(
                    self.env._(
                        "%(user)s is not in the team of %(cases)s.",
                        user=self.user_id.name,
                        cases=", ".join(outside.mapped("name")),
                    )
                )
            cases.write({"user_id": self.user_id.id})
            return self._notify(
                self.env._(
                    "%(count)s cases given to %(user)s.", count=len(cases), user=self.user_id.name
                )
            )
        assigned, left = self._balance(cases)
        message = self.env._("%s cases balanced.", assigned)
        if left:
            message += " " + self.env._(
                "No collector fits (region, skill, capacity or training), left in the queue: %s.",
                ", ".join(left.mapped("name")),
            )
        return self._notify(message, "warning" if left else "success")

    def _balance(self, cases):
        """Each case, highest priority first, to the eligible collector with the fewest
        open cases. Returns (number assigned, cases nobody fits)."""
        Case = self.env["loan.collection.case"]
        # team leads keep the hard cases they take on purpose, they are not balanced onto
        candidates = self.user_ids or (cases.team_id.member_ids - cases.team_id.leader_id)
        candidates = candidates.filtered(
            lambda u: u.has_group("loan_base.group_loan_collector") and u.active
        )
        untrained = set(candidates._loan_conduct_missing())
        candidates = candidates.filtered(lambda u: u not in untrained)
        loads = dict(
            Case.sudo()._read_group(
                [
                    ("user_id", "in", candidates.ids),
                    ("state", "in", OPEN_STATES),
                    ("id", "not in", cases.ids),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        load = {user.id: loads.get(user, 0) for user in candidates}
        left = Case.browse()
        by_user = {}
        for case in cases.sorted(lambda c: (-c.priority, c.id)):
            eligible = [
                user
                for user in candidates
                if user in case.team_id.member_ids
                and user._loan_collection_fits(case)
                and not (
                    user.loan_collection_capacity and load[user.id] >= user.loan_collection_capacity
                )
            ]
            if not eligible:
                left |= case
                continue
            user = min(eligible, key=lambda u: (load[u.id], u.id))
            load[user.id] += 1
            by_user.setdefault(user, Case.browse())
            by_user[user] |= case
        for user, user_cases in by_user.items():
            user_cases.write({"user_id": user.id})
        if left:
            left.write({"user_id": False})
        return sum(len(c) for c in by_user.values()), left

    def _notify(self, message, kind="success"):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
