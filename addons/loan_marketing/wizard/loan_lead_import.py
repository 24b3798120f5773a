import base64
import contextlib
import csv
import io
import re
from datetime import date, datetime

import openpyxl
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.loan_lead_source import TARGETS
from ..tools.text import is_yes, normalise_header

# rows handed to the capture at once
CHUNK = 1000
# rows shown in the preview table, problems listed in the preview and the result
PREVIEW_ROWS = 20
LISTED_PROBLEMS = 200
IGNORE = "ignore"
# header words of the sheets events and agents send (Vietnamese without its marks, English,
# Chinese), per lead field, most specific field first: a column takes the first field
# whose word it contains and that no column before it took
LEAD_HEADERS = [
    (
        "consent_marketing",
        (
            "consent marketing",
            "marketing consent",
            "marketing",
            "quang cao",
            "khuyen mai",
            "nhan tin",
            "tiep thi",
            "营销",
            "推广",
        ),
    ),
    ("consent_data", ("consent data", "consent", "agree", "dong y", "同意")),
    (
        "phone",
        (
            "phone",
            "phone number",
            "mobile",
            "tel",
            "telephone",
            "so dien thoai",
            "dien thoai",
            "sdt",
            "so dt",
            "dt",
            "电话",
            "手机",
        ),
    ),
    ("email", ("email", "e mail", "mail", "thu dien tu", "邮箱", "电子邮件")),
    ("income", ("income", "salary", "thu nhap", "luong", "收入")),
    ("amount", ("amount", "loan amount", "so tien", "khoan vay", "金额", "贷款额")),
    ("term", ("term", "tenor", "months", "ky han", "thoi han", "期限")),
    ("product", ("product", "product code", "san pham", "goi vay", "产品")),
    ("province", ("province", "city", "tinh", "tinh thanh", "thanh pho", "省", "城市")),
    ("note", ("note", "notes", "comment", "remark", "ghi chu", "备注")),
    (
        "name",
        (
            "name",
            "full name",
            "customer",
            "ho ten",
            "ho va ten",
            "ten",
            "khach hang",
            "姓名",
            "名字",
        ),
    ),
]
NUMERIC_TARGETS = ("amount", "term", "income")
CONSENT_TARGETS = ("consent_data", "consent_marketing")


# ---------------------------------------------------------------- reading sheets
# Plain functions, no ORM: the lead and the cost imports share them.


def header_matches(header, word):
    """Whether the normalised ``header`` holds ``word``: whole words for Latin words, any
    place for Chinese ones (written without spaces).

    >>> header_matches("so dien thoai", "dien thoai"), header_matches("hotel", "tel")
    (True, False)
    >>> header_matches("手机号码", "手机")
    True
    """
    if word.isascii():
        return f" {word} " in f" {header} "
    return word in header


def guess_targets(headers, table, skip=None):
    """The field of each header through ``table`` ([(field, words)], most specific
    first): each field goes to its first column; a column nothing matches is ``None``.
    ``skip(header)`` leaves out headers that only look like a field.

    >>> guess_targets(["Họ tên", "SĐT", "Đồng ý", "Phone 2", "Đồng ý quảng cáo"], LEAD_HEADERS)
    ['name', 'phone', 'consent_data', None, 'consent_marketing']
    """
    taken = set()
    result = []
    for header in headers:
        normalised = normalise_header(header)
        found = None
        if normalised and not (skip and skip(header)):
            for target, words in table:
                if target not in taken and any(header_matches(normalised, w) for w in words):
                    found = target
                    break
        if found:
            taken.add(found)
        result.append(found)
    return result


def cell_text(value):
    """A cell as text: integral numbers without ``.0`` (a phone number typed as a
    number), dates in ISO, ``None`` empty.

    >>> cell_text(901234567.0), cell_text(None), cell_text(" An "), cell_text(1.5)
    ('901234567', '', 'An', '1.5')
    >>> cell_text(datetime(2026, 11, 20)), cell_text(True)
    ('2026-11-20', 'True')
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_number(value, decimals=2):
    """The float of a typed number, ``None`` when empty; ``ValueError`` when not a number.

    Thousands separators may be commas, dots or spaces; a currency mark is dropped. In a
    currency without decimals (``decimals=0``, the dong) one separator before exactly
    three digits groups thousands whichever it is.

    >>> parse_number("20.000.000 đ"), parse_number("1,234,567.5"), parse_number("15,5")
    (20000000.0, 1234567.5, 15.5)
    >>> parse_number("5.000", decimals=0), parse_number("5.000"), parse_number("")
    (5000.0, 5.0, None)
    >>> parse_number("-1 200"), parse_number(12)
    (-1200.0, 12.0)
    >>> parse_number("abc")
    Traceback (most recent call last):
    ValueError: abc
    """
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = str(value or "").strip()
    if not text:
        return None
    compact = re.sub(r"(?i)vnd|vnđ|usd|cny|rmb|[\s₫đ$€¥]", "", text)
    if not re.fullmatch(r"[-+]?\d[\d.,]*", compact):
        raise ValueError(text)
    if "." in compact and "," in compact:
        decimal_mark = "." if compact.rfind(".") > compact.rfind(",") else ","
        compact = compact.replace("," if decimal_mark == "." else ".", "")
        compact = compact.replace(",", ".")
    else:
        for mark in (",", "."):
            count = compact.count(mark)
            if count > 1:
                compact = compact.replace(mark, "")
            elif count == 1:
                tail = compact.rsplit(mark, 1)[1]
                thousands = len(tail) == 3 and (mark == "," or decimals == 0)
                compact = compact.replace(mark, "" if thousands else ".")
    try:
        return float(compact)
    except ValueError:
        raise ValueError(text) from None


def _is_blank(values):
    return not any(cell_text(value) for value in values)


def read_table(data, file_name=None):
    """``(header, rows)`` of a CSV (UTF-8, with or without its mark; comma, semicolon or
    tab, detected) or XLSX (its first sheet) file: ``rows`` as ``(row number, values)``,
    numbered as a spreadsheet shows them (the header is usually row 1), blank rows left
    out, every row as long as the header. ``ValueError`` when the file cannot be read.

    >>> read_table(b"\\xef\\xbb\\xbfName;Phone\\nAn;0901 234 678\\n\\nBinh;0901234679\\n")
    (['Name', 'Phone'], [(2, ['An', '0901 234 678']), (4, ['Binh', '0901234679'])])
    """
    if not data:
        raise ValueError("empty")
    if data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data)
    elif file_name and file_name.lower().endswith((".xlsx", ".xls", ".ods")):
        raise ValueError("not a spreadsheet")
    else:
        table = _read_csv(data)
    header = None
    rows = []
    for number, values in table:
        if _is_blank(values):
            continue
        if header is None:
            header = [cell_text(value) for value in values]
            continue
        values = list(values[: len(header)])
        values += [""] * (len(header) - len(values))
        rows.append((number, values))
    if header is None:
        raise ValueError("no header")
    return header, rows


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8") from None
    if "\x00" in text:
        raise ValueError("binary")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    if not first.count(delimiter):
        delimiter = ","
    try:
        return list(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1))
    except csv.Error as exc:
        raise ValueError(str(exc)) from None


def _read_xlsx(data):
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any damage in the zip or its XML
        raise ValueError(str(exc)) from None
    try:
        sheet = book.worksheets[0]
        return [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    except Exception as exc:  # a cell openpyxl cannot read
        raise ValueError(str(exc)) from None
    finally:
        book.close()


# ---------------------------------------------------------------- the wizard


class LoanLeadImport(models.TransientModel):
    """Leads from the sheet an event or an agent brings: the columns read and mapped to lead
    fields (guessed from their headers, editable), a preview of every row's problems
    without writing anything, then the capture of the rows in chunks, exactly as the
    other sources capture (consent per row, de-duplication, allocation). Rejected rows
    come back as a CSV to correct and import again."""

    _name = "loan.lead.import"
    _description = "Import Leads"

    state = fields.Selection(
        [("upload", "Upload"), ("preview", "Preview"), ("done", "Done")],
        default="upload",
        required=True,
    )
    source_id = fields.Many2one(
        "loan.lead.source",
        required=True,
        domain=[("kind", "=", "import")],
        default=lambda self: self._default_source_id(),
    )
    campaign_id = fields.Many2one(
        "utm.campaign",
        compute="_compute_campaign_id",
        store=True,
        readonly=False,
        help="The campaign the leads and touches are credited to; the source's by default.",
    )
    file = fields.Binary(attachment=False, help="CSV (UTF-8) or XLSX")
    file_name = fields.Char()
    line_ids = fields.One2many("loan.lead.import.line", "wizard_id", "Columns")
    row_count = fields.Integer("Rows", readonly=True)
    problem_count = fields.Integer("Rows Refused", readonly=True)
    new_count = fields.Integer("New Leads", readonly=True)
    repeat_count = fields.Integer(
        "Repeats", readonly=True, help="Rows of a number already a lead or met earlier in the file."
    )
    mapping_error = fields.Char(readonly=True)
    preview_html = fields.Html("Preview", readonly=True)
    created_count = fields.Integer("Leads Created", readonly=True)
    touch_count = fields.Integer("Repeats Recorded", readonly=True)
    duplicate_count = fields.Integer("Already Captured", readonly=True)
    error_count = fields.Integer("Rows Rejected", readonly=True)
    result_html = fields.Html("Rejected Rows", readonly=True)
    error_file = fields.Binary("Rejected Rows (CSV)", readonly=True, attachment=True)
    error_file_name = fields.Char()
    lead_ids = fields.Many2many("crm.lead", string="Leads", readonly=True)

    @api.model
    def _default_source_id(self):
        return self.env["loan.lead.source"].search(
            [("kind", "=", "import"), ("company_id", "=", self.env.company.id)], limit=1
        )

    @api.depends("source_id")
    def _compute_campaign_id(self):
        for wizard in self:
            wizard.campaign_id = wizard.source_id.campaign_id

    # ---------------------------------------------------------------- actions
    def action_preview(self):
        """Read the file, guess the columns' fields (kept when the columns are the same),
        and check every row as the capture will, writing nothing. A mapping the import
        would refuse is said, for the user to correct in the columns."""
        self.ensure_one()
        header, rows = self._read()
        if [line.column for line in self.line_ids] != header:
            self._guess_lines(header, rows)
        vals = {
            "state": "preview",
            "row_count": len(rows),
            "problem_count": 0,
            "new_count": 0,
            "repeat_count": 0,
            "mapping_error": False,
            "preview_html": False,
        }
        try:
            mapping = self._mapping()
        except UserError as exc:
            vals["mapping_error"] = exc.args[0]
        else:
            checked = self._check_rows(rows, mapping)
            problems = [(number, error) for number, _row, error, _status in checked if error]
            vals.update(
                problem_count=len(problems),
                new_count=sum(1 for *_rest, status in checked if status == "new"),
                repeat_count=sum(1 for *_rest, status in checked if status == "repeat"),
                preview_html=self._preview_html(checked, mapping, problems),
            )
        self.write(vals)
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.line_ids.unlink()
        self.write({"state": "upload", "preview_html": False, "mapping_error": False})
        return self._reopen()

    def action_import(self):
        """Capture the rows through the source, in chunks; then the summary and the CSV of
        the rejected rows."""
        self.ensure_one()
        if self.state == "done":
            raise UserError(self.env._("This file was imported already."))
        header, rows = self._read()
        if not self.line_ids:
            self._guess_lines(header, rows)
        mapping = self._mapping()
        Lead = self.env["crm.lead"]
        counts = {"created": 0, "touch": 0, "duplicate": 0, "error": 0}
        rejected = []
        lead_ids = set()
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            results = Lead._loan_capture(
                self.source_id, [self._capture_row(values, mapping) for _n, values in chunk]
            )
            for (number, values), result in zip(chunk, results, strict=True):
                counts[result["status"]] += 1
                if result["status"] == "error":
                    rejected.append((number, values, result["error"]))
                elif result.get("lead_id"):
                    lead_ids.add(result["lead_id"])
        vals = {
            "state": "done",
            "created_count": counts["created"],
            "touch_count": counts["touch"],
            "duplicate_count": counts["duplicate"],
            "error_count": counts["error"],
            "lead_ids": [fields.Command.set(sorted(lead_ids))],
            "result_html": self._problems_html([(n, error) for n, _v, error in rejected]),
            "error_file": False,
            "error_file_name": False,
        }
        if rejected:
            vals["error_file"] = base64.b64encode(self._error_csv(header, rejected))
            stem = re.sub(r"\.\w+$", "", self.file_name or "leads")
            vals["error_file_name"] = "rejected-%s.csv" % stem
        self.write(vals)
        return self._reopen()

    def action_view_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Leads"),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.lead_ids.ids)],
        }

    # ---------------------------------------------------------------- helpers
    def _target_labels(self):
        Line = self.env["loan.lead.import.line"]
        return dict(Line._fields["target"]._description_selection(self.env))

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Leads"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def _read(self):
        """``(header, rows)`` of the uploaded file, or a UserError saying why not."""
        if not self.file:
            raise UserError(self.env._("Upload the CSV or XLSX file to import first."))
        try:
            return read_table(base64.b64decode(self.file), self.file_name)
        except ValueError:
            raise UserError(
                self.env._(
                    "The file %s cannot be read: save it as an XLSX workbook or as CSV UTF-8 "
                    "(comma or semicolon separated), with the column names on the first row.",
                    self.file_name or "",
                )
            ) from None

    def _guess_lines(self, header, rows):
        targets = guess_targets(header, LEAD_HEADERS)
        commands = [fields.Command.clear()]
        for index, column in enumerate(header):
            sample = next((cell_text(v[index]) for _n, v in rows if cell_text(v[index])), "")
            commands.append(
                fields.Command.create(
                    {
                        "column_index": index,
                        "column": column,
                        "sample": sample[:100],
                        "target": targets[index] or IGNORE,
                    }
                )
            )
        self.line_ids = commands

    def _mapping(self):
        """``{field: column index}`` of the mapped columns; a phone column and a
        data-processing consent column are required, and a field takes one column."""
        mapping = {}
        labels = self._target_labels()
        for line in self.line_ids.sorted("column_index"):
            if line.target == IGNORE:
                continue
            if line.target in mapping:
                raise UserError(
                    self.env._(
                        "Two columns are mapped to %(field)s: %(first)s and %(second)s.",
                        field=labels[line.target],
                        first=self.line_ids.filtered(lambda x, t=line.target: x.target == t)[
                            0
                        ].column,
                        second=line.column,
                    )
                )
            mapping[line.target] = line.column_index
        if "phone" not in mapping:
            raise UserError(self.env._("Map a column to the phone number: no lead without one."))
        if "consent_data" not in mapping:
            raise UserError(
                self.env._(
                    "Map the column of the consent to the processing of personal data: every "
                    "row must carry the person's own consent, a row without it is not imported."
                )
            )
        return mapping

    def _capture_row(self, values, mapping):
        """The capture's row of a file's ``values``: amounts read with local separators."""
        row = {target: cell_text(values[index]) for target, index in mapping.items()}
        decimals = self.source_id.company_id.currency_id.decimal_places
        for target in NUMERIC_TARGETS:
            # a value that is not a number goes as it came: the capture names it
            with contextlib.suppress(ValueError):
                if row.get(target):
                    row[target] = parse_number(row[target], decimals)
        for target in CONSENT_TARGETS:
            if target in row:
                row[target] = "yes" if is_yes(row[target]) else row[target]
        if self.campaign_id:
            row["campaign_id"] = self.campaign_id.id
        return row

    def _check_rows(self, rows, mapping):
        """``[(row number, capture row, error, status)]``: the capture's own checks, and
        whether a number is new or a repeat (of a lead or of a row above), without
        writing anything."""
        source = self.source_id.sudo()
        Lead = (
            self.env["crm.lead"]
            .sudo()
            .with_company(source.company_id)
            .with_context(tracking_disable=True)
        )
        keyring = self.env["loan.pii.mixin"]._loan_pii_keyring()
        checked = []
        for number, values in rows:
            row = self._capture_row(values, mapping)
            try:
                prepared = Lead._loan_capture_prepare(source, row, keyring)
            except UserError as exc:
                checked.append([number, row, exc.args[0], "error", None])
                continue
            checked.append([number, row, False, "new", prepared["bidx"]])
        bidxs = list({entry[4] for entry in checked if entry[4]})
        known = set(Lead._loan_open_leads_by_bidx(source.company_id, bidxs))
        for entry in checked:
            if entry[4] in known:
                entry[3] = "repeat"
            elif entry[4]:
                known.add(entry[4])
        return [tuple(entry[:4]) for entry in checked]

    def _preview_html(self, checked, mapping, problems):
        labels = self._target_labels()
        targets = [target for target, _label in TARGETS if target in mapping]
        outcome = {
            "new": self.env._("New lead"),
            "repeat": self.env._("Repeat: recorded as a touch"),
        }
        head = Markup("").join(Markup("<th>%s</th>") % labels[t] for t in targets)
        body = Markup("")
        for number, row, error, status in checked[:PREVIEW_ROWS]:
            cells = Markup("").join(Markup("<td>%s</td>") % (row.get(t) or "") for t in targets)
            result = (
                Markup('<td class="text-danger">%s</td>') % error
                if error
                else Markup("<td>%s</td>") % outcome[status]
            )
            body += Markup("<tr><td>%s</td>%s%s</tr>") % (number, cells, result)
        table = Markup(
            '<p class="fw-bold">%s</p><table class="table table-sm o_list_table">'
            "<thead><tr><th>%s</th>%s<th>%s</th></tr></thead><tbody>%s</tbody></table>"
        ) % (
            self.env._("First rows"),
            self.env._("Row"),
            head,
            self.env._("Outcome"),
            body,
        )
        return table + (self._problems_html(problems) or Markup(""))

    def _problems_html(self, problems):
        if not problems:
            return False
        items = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td></tr>") % (number, error)
            for number, error in problems[:LISTED_PROBLEMS]
        )
        more = (
            Markup("<p>%s</p>")
            % self.env._(
                "… and %s more rows: all are in the CSV of the rejected rows.",
                len(problems) - LISTED_PROBLEMS,
            )
            if len(problems) > LISTED_PROBLEMS
            else Markup("")
        )
        return Markup(
            '<p class="fw-bold text-danger">%s</p><table class="table table-sm">'
            "<thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>%s"
        ) % (
            self.env._("Rows not imported"),
            self.env._("Row"),
            self.env._("Reason"),
            items,
            more,
        )

    def _error_csv(self, header, rejected):
        """The rejected rows as they came, with their row number and reason, to correct
        and import again (UTF-8 with its mark, for spreadsheets)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([*header, self.env._("Row"), self.env._("Error")])
        for number, values, error in rejected:
            writer.writerow([*(cell_text(v) for v in values), number, error])
        return buffer.getvalue().encode("utf-8-sig")


class LoanLeadImportLine(models.TransientModel):
    """One column of the imported file: its header, an example value, and the lead field
    it fills (guessed from the header, editable)."""

    _name = "loan.lead.import.line"
    _description = "Import Leads: Column"
    _order = "wizard_id, column_index, id"

    wizard_id = fields.Many2one("loan.lead.import", required=True, ondelete="cascade")
    column_index = fields.Integer("Position", readonly=True)
    column = fields.Char(readonly=True)
    sample = fields.Char("Example", readonly=True)
    target = fields.Selection(
        [*TARGETS, (IGNORE, "Ignore")], "Lead Field", required=True, default=IGNORE
    )
