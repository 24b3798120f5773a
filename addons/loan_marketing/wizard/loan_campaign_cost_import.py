import base64
from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import UserError

from .loan_lead_import import (
    cell_text,
    guess_targets,
    header_matches,
    normalise_header,
    parse_number,
    read_table,
)

# errors listed in the refusal, the rest counted
LISTED_ERRORS = 50
# header words of spend exports (Facebook Ads Manager, Zalo Ads, our own template) in
# English, Vietnamese without its marks and Chinese
COST_HEADERS = [
    ("date", ("date", "day", "reporting starts", "ngay", "ngay bat dau bao cao", "日期")),
    ("channel", ("channel", "platform", "kenh", "nen tang", "渠道", "平台")),
    (
        "amount",
        (
            "amount spent",
            "amount",
            "spend",
            "spent",
            "cost",
            "so tien da chi tieu",
            "so tien",
            "chi tieu",
            "chi phi",
            "花费",
            "消耗",
            "金额",
        ),
    ),
    (
        "impressions",
        ("impressions", "so lan hien thi", "luot hien thi", "hien thi", "展示", "展现"),
    ),
    (
        "clicks",
        (
            "clicks",
            "link clicks",
            "clicks all",
            "luot nhap",
            "so lan nhap",
            "luot click",
            "点击",
        ),
    ),
]
# ratios ("Cost per result", "Chi phí trên mỗi kết quả", "CPC", "Chi phí/click") look like
# spend or clicks columns: they are never read
RATIO_WORDS = ("per", "tren moi", "cpc", "cpm", "ctr", "rate", "ty le", "每", "率")
# a summary row of an export, without a date: skipped
TOTAL_WORDS = ("total", "totals", "tong", "tong cong", "tong so", "合计", "总计")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def is_ratio(header):
    """Whether ``header`` names a ratio rather than a total.

    >>> is_ratio("Cost per result"), is_ratio("Chi phí/click"), is_ratio("点击率")
    (True, True, True)
    >>> is_ratio("Amount spent (VND)"), is_ratio("Ngày / Date")
    (False, False)
    """
    text = str(header or "")
    if any(header_matches(normalise_header(text), word) for word in RATIO_WORDS):
        return True
    spend_words = dict(COST_HEADERS)["amount"]
    before, slash, _after = text.partition("/")
    return bool(slash) and any(
        header_matches(normalise_header(before), word) for word in spend_words
    )


def parse_date(value):
    """The date of a cell: a spreadsheet date, ``YYYY-MM-DD`` or ``DD/MM/YYYY`` (a time
    after it is ignored); ``ValueError`` otherwise.

    >>> parse_date("2026-11-20"), parse_date("05/11/2026 00:00"), parse_date(date(2026, 1, 2))
    (datetime.date(2026, 11, 20), datetime.date(2026, 11, 5), datetime.date(2026, 1, 2))
    >>> parse_date("11/31/2026")
    Traceback (most recent call last):
    ValueError: 11/31/2026
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    head = text.split()[0] if text else ""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class LoanCampaignCostImport(models.TransientModel):
    """A campaign's spend export (Facebook Ads, Zalo Ads or a sheet) as daily costs per
    channel: every row is checked first, and one bad row refuses the whole file; then the
    days already recorded are corrected and the others added."""

    _name = "loan.campaign.cost.import"
    _description = "Import Campaign Costs"

    campaign_id = fields.Many2one(
        "utm.campaign", required=True, default=lambda self: self._default_campaign_id()
    )
    channel_id = fields.Many2one(
        "loan.marketing.channel",
        "Default Channel",
        help="The channel of rows without one: a platform's own export has no channel column.",
    )
    file = fields.Binary(attachment=False, help="CSV (UTF-8) or XLSX")
    file_name = fields.Char()

    def _default_campaign_id(self):
        context = self.env.context
        if context.get("active_model") == "utm.campaign" and context.get("active_id"):
            return context["active_id"]
        return False

    def action_import(self):
        """Check every row, then write them all or none; a notification counts them."""
        self.ensure_one()
        costs, read = self._read_costs()
        created, updated = self._upsert(costs)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Costs of %s imported", self.campaign_id.name),
                "message": self.env._(
                    "%(rows)s rows read: %(created)s days added, %(updated)s corrected.",
                    rows=read,
                    created=created,
                    updated=updated,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ---------------------------------------------------------------- helpers
    def _read_costs(self):
        """``({(date, channel id): {amount, impressions, clicks}}, rows read)``: the rows
        of a day and channel added up (an export broken down by ad has several). A
        UserError lists every bad row."""
        if not self.file:
            raise UserError(self.env._("Upload the spend export to import first."))
        try:
            header, rows = read_table(base64.b64decode(self.file), self.file_name)
        except ValueError:
            raise UserError(
                self.env._(
                    "The file %s cannot be read: save it as an XLSX workbook or as CSV UTF-8 "
                    "(comma or semicolon separated), with the column names on the first row.",
                    self.file_name or "",
                )
            ) from None
        columns = {
            target: index
            for index, target in enumerate(guess_targets(header, COST_HEADERS, skip=is_ratio))
            if target
        }
        missing = [
            label
            for key, label in (("date", self.env._("date")), ("amount", self.env._("amount")))
            if key not in columns
        ]
        if missing:
            raise UserError(
                self.env._(
                    "No %(missing)s column found among %(columns)s: name it Date (or Day, "
                    "Ngày) and Amount (or Amount spent, Số tiền đã chi tiêu).",
                    missing=", ".join(missing),
                    columns=", ".join(header),
                )
            )
        if "channel" not in columns and not self.channel_id:
            raise UserError(
                self.env._("The file has no channel column: choose the default channel.")
            )
        channels = self._channels_by_key()
        decimals = self.campaign_id.loan_currency_id.decimal_places
        costs = {}
        errors = []
        read = 0
        for number, values in rows:
            try:
                parsed = self._parse_row(values, columns, channels, decimals)
            except ValueError as exc:
                errors.append((number, exc.args[0]))
                continue
            if parsed is None:
                continue
            read += 1
            day, channel_id, amount, impressions, clicks = parsed
            total = costs.setdefault(
                (day, channel_id), {"amount": 0.0, "impressions": 0, "clicks": 0}
            )
            total["amount"] += amount
            total["impressions"] += impressions
            total["clicks"] += clicks
        if errors:
            lines = [
                self.env._("Row %(row)s: %(reason)s", row=number, reason=reason)
                for number, reason in errors[:LISTED_ERRORS]
            ]
            if len(errors) > LISTED_ERRORS:
                lines.append(self.env._("… and %s more rows.", len(errors) - LISTED_ERRORS))
            raise UserError(
                self.env._(
                    "Nothing was imported: %(count)s rows are wrong.\n%(rows)s",
                    count=len(errors),
                    rows="\n".join(lines),
                )
            )
        if not costs:
            raise UserError(self.env._("The file %s has no cost rows.", self.file_name or ""))
        return costs, read

    def _parse_row(self, values, columns, channels, decimals):
        """``(date, channel id, amount, impressions, clicks)`` of a row, ``None`` for an
        export's total row; ``ValueError`` with the translated reason."""
        cell = {target: values[index] for target, index in columns.items()}
        raw_date = cell_text(cell["date"])
        if not raw_date:
            texts = {normalise_header(value) for value in values}
            if texts & set(TOTAL_WORDS):
                return None
            raise ValueError(self.env._("the date is missing."))
        try:
            day = parse_date(cell["date"])
        except ValueError:
            raise ValueError(
                self.env._("the date %s is neither YYYY-MM-DD nor DD/MM/YYYY.", raw_date)
            ) from None
        channel_text = cell_text(cell.get("channel"))
        if channel_text:
            channel_id = channels.get(channel_text.lower())
            if not channel_id:
                raise ValueError(self.env._("the channel %s is unknown.", channel_text))
        else:
            channel_id = self.channel_id.id
            if not channel_id:
                raise ValueError(self.env._("the channel is missing."))
        amount = self._number(cell["amount"], self.env._("amount"), decimals, required=True)
        impressions = self._number(cell.get("impressions"), self.env._("impressions"), 0)
        clicks = self._number(cell.get("clicks"), self.env._("clicks"), 0)
        if impressions % 1 or clicks % 1:
            raise ValueError(self.env._("impressions and clicks are whole numbers."))
        return day, channel_id, amount, int(impressions), int(clicks)

    def _number(self, value, label, decimals, required=False):
        try:
            number = parse_number(value, decimals)
        except ValueError:
            raise ValueError(
                self.env._(
                    "the %(label)s %(value)s is not a number.", label=label, value=cell_text(value)
                )
            ) from None
        if number is None:
            if required:
                raise ValueError(self.env._("the %s is missing.", label))
            return 0.0
        if number < 0:
            raise ValueError(
                self.env._(
                    "the %(label)s %(value)s is negative.", label=label, value=cell_text(value)
                )
            )
        return number

    def _channels_by_key(self):
        """Active channels by lower-cased code and name (in the user's language and in
        English)."""
        Channel = self.env["loan.marketing.channel"]
        keys = {}
        for lang in {self.env.lang or "en_US", "en_US"}:
            for channel in Channel.with_context(lang=lang).search(
                [], order="sequence desc, id desc"
            ):
                keys[channel.name.strip().lower()] = channel.id
        for channel in Channel.search([], order="sequence desc, id desc"):
            keys[channel.code.strip().lower()] = channel.id
        return keys

    def _upsert(self, costs):
        """Correct the days already recorded, add the others: ``(created, updated)``."""
        Cost = self.env["loan.campaign.cost"]
        currency = self.campaign_id.loan_currency_id
        existing = {
            (cost.date, cost.channel_id.id): cost
            for cost in Cost.search(
                [
                    ("campaign_id", "=", self.campaign_id.id),
                    ("date", "in", sorted({day for day, _c in costs})),
                    ("channel_id", "in", sorted({channel for _d, channel in costs})),
                ]
            )
        }
        new = []
        for (day, channel_id), total in sorted(costs.items()):
            vals = dict(
                total, amount=currency.round(total["amount"]) if currency else total["amount"]
            )
            cost = existing.get((day, channel_id))
            if cost:
                cost.write(vals)
            else:
                new.append(
                    dict(vals, campaign_id=self.campaign_id.id, date=day, channel_id=channel_id)
                )
        Cost.create(new)
        return len(new), len(costs) - len(new)
