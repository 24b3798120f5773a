"""The data requests the web client makes to show a spreadsheet dashboard: one
``formatted_read_group`` per Odoo chart and one ``formatted_read_grouping_sets`` per
pivot, with the chart's or pivot's domain, the period filter's domain, its groupbys and
its measures, as the client builds them. The tests run them as a role to prove that the
role can load its dashboard; the dashboard bench times them."""

import json
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta


def period_range(value, today):
    """(first day, last day) of a date filter's value, as the client computes them: the
    relative periods the dashboards use by default, or ``{"type": "month", "year": ...,
    "month": ...}``."""
    if isinstance(value, dict) and value.get("type") == "month":
        first = date(value["year"], value["month"], 1)
        return first, first + relativedelta(months=1, days=-1)
    if value == "last_12_months":
        tomorrow = today + timedelta(days=1)
        last = tomorrow - relativedelta(months=1)
        return (
            (tomorrow - relativedelta(months=12)).replace(day=1),
            last.replace(day=1) + relativedelta(months=1, days=-1),
        )
    if value == "year_to_date":
        return today.replace(month=1, day=1), today
    return None


def _period_domain(matching, periods):
    domain = []
    for filter_id, match in (matching or {}).items():
        period = periods.get(filter_id)
        if not period or not match.get("chain"):
            continue
        first, last = period
        if match.get("type") == "datetime":
            first, last = datetime.combine(first, time.min), datetime.combine(last, time.max)
            first, last = first.strftime("%Y-%m-%d %H:%M:%S"), last.strftime("%Y-%m-%d %H:%M:%S")
        else:
            first, last = first.isoformat(), last.isoformat()
        domain += [(match["chain"], ">=", first), (match["chain"], "<=", last)]
    return domain


def _aggregate(env, model, measure, aggregator=None):
    if measure == "__count":
        return ["__count"]
    field = env[model]._fields[measure]
    specs = []
    if field.type == "monetary" and field.currency_field:
        # the client asks the currencies and the amounts converted, next to the sum
        specs += ["%s:array_agg_distinct" % field.currency_field, "%s:sum_currency" % measure]
    return [*specs, "%s:%s" % (measure, aggregator or field.aggregator)]


def dashboard_requests(dashboard, today, values=None):
    """[(label, model, method, args, kwargs)] of every data request of ``dashboard``'s
    charts and pivots, its date filters at their default values (or at ``values``, by
    filter id), for the day ``today``."""
    env = dashboard.env
    data = json.loads(dashboard.spreadsheet_data)
    values = values or {}
    periods = {}
    for spec in data.get("globalFilters", []):
        if spec.get("type") == "date":
            periods[spec["id"]] = period_range(
                values.get(spec["id"], spec.get("defaultValue")), today
            )
    requests = []
    for sheet in data.get("sheets", []):
        for figure in sheet.get("figures", []):
            chart = figure.get("data", {})
            if figure.get("tag") != "chart" or not chart.get("type", "").startswith("odoo_"):
                continue
            meta = chart["metaData"]
            model = meta["resModel"]
            domain = list(chart["searchParams"]["domain"])
            domain += _period_domain(chart.get("fieldMatching"), periods)
            measures = ["__count"]
            if meta["measure"] != "__count":
                measures += _aggregate(env, model, meta["measure"])
            requests.append(
                (
                    chart["title"]["text"],
                    model,
                    "formatted_read_group",
                    [domain, meta["groupBy"], measures],
                    {},
                )
            )
    for pivot in data.get("pivots", {}).values():
        model = pivot["model"]
        domain = list(pivot["domain"]) + _period_domain(pivot.get("fieldMatching"), periods)
        rows = [row["fieldName"] for row in pivot["rows"]]
        cols = [col["fieldName"] for col in pivot["columns"]]
        sets = [rows[:r] + cols[:c] for r in range(len(rows) + 1) for c in range(len(cols) + 1)]
        measures = []
        for measure in pivot["measures"]:
            measures.append(
                _aggregate(env, model, measure["fieldName"], measure.get("aggregator"))[-1]
            )
        requests.append(
            (pivot["name"], model, "formatted_read_grouping_sets", [domain, sets, measures], {})
        )
    return requests
