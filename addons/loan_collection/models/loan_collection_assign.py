from odoo import api, fields, models
from odoo.exceptions import UserError

from .loan_collection_case import OPEN_STATES


class LoanCollectionCaseWizard(models.AbstractModel):
    """A wizard on the cases selected in a list."""

    _name = "loan.collection.case.wizard"
    _description = "Wizard on Collection Cases"

    case_ids = fields.Many2many("loan.collection.case", string="Cases", required=True)

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        if self.env.context.get("active_model") == "loan.collection.case":
            vals["case_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return vals


class LoanCollectionAssign(models.TransientModel):
    """A team lead gives cases to collectors: all to one collector (assign or reassign),
    or balanced over the team by load, within each collector's regions, skills and
    capacity. Only collectors with current code-of-conduct training get cases."""

    _name = "loan.collection.assign"
    _inherit = ["loan.collection.case.wizard"]
    _description = "Assign Collection Cases"

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
        # plain data for the loop: it runs once per case and collector
        profile = {
            user.id: (
                set(user.loan_collection_state_ids.ids),
                set(user.loan_collection_bucket_ids.ids),
                user.loan_collection_capacity,
            )
            for user in candidates
        }
        members = {team.id: set(team.member_ids.ids) for team in cases.team_id}
        region = {p.id: p.state_id.id for p in cases.partner_id.sudo()}
        rows = sorted(
            cases.read(["priority", "team_id", "bucket_id", "partner_id"], load=None),
            key=lambda r: (-r["priority"], r["id"]),
        )
        left, by_user = [], {}
        for row in rows:
            state, bucket = region.get(row["partner_id"]), row["bucket_id"]
            team = members.get(row["team_id"], ())
            eligible = [
                uid
                for uid, (states, buckets, capacity) in profile.items()
                if uid in team
                and not (states and state and state not in states)
                and not (buckets and bucket and bucket not in buckets)
                and not (capacity and load[uid] >= capacity)
            ]
            if not eligible:
                left.append(row["id"])
                continue
            uid = min(eligible, key=lambda u: (load[u], u))
            load[uid] += 1
            by_user.setdefault(uid, []).append(row["id"])
        for uid, ids in by_user.items():
            Case.browse(ids).write({"user_id": uid})
        left = Case.browse(left)
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
                # the list behind the dialog shows the new collectors
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
