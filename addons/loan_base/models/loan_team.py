from odoo import api, fields, models


class LoanTeam(models.Model):
    """A team of lending staff: a branch's consultants, an appraisal desk, a collection
    team. Team leads see their team's borrowers; later modules assign work per team."""

    _name = "loan.team"
    _description = "Lending Team"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("origination", "Origination"),
            ("appraisal", "Appraisal"),
            ("collection", "Collection"),
            ("other", "Other"),
        ],
        required=True,
        default="origination",
    )
    leader_id = fields.Many2one("res.users", string="Team Lead", index=True)
    member_ids = fields.Many2many(
        "res.users",
        "loan_team_res_users_rel",
        "team_id",
        "user_id",
        string="Members",
        domain="[('share', '=', False)]",
    )
    region = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    member_count = fields.Integer(compute="_compute_member_count")

    @api.depends("member_ids")
    def _compute_member_count(self):
        for team in self:
            team.member_count = len(team.member_ids)

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._add_leader_to_members()
        return teams

    def write(self, vals):
        res = super().write(vals)
        if "leader_id" in vals or "member_ids" in vals:
            self._add_leader_to_members()
        return res

    def _add_leader_to_members(self):
        for team in self.filtered(lambda t: t.leader_id and t.leader_id not in t.member_ids):
            team.member_ids = [fields.Command.link(team.leader_id.id)]
