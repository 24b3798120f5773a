from lxml import etree

from odoo.tests import HttpCase
from odoo.tools import mute_logger

# what the chatter of a form asks when the form opens (mail/static/src/chatter/web/chatter_patch.js)
CHATTER_REQUEST_LIST = [
    "activities",
    "attachments",
    "contact_fields",
    "followers",
    "scheduledMessages",
    "suggestedRecipients",
]


class WebClientCase(HttpCase):
    """Call the server as the web client does, as a logged-in user: the requests a form and
    its chatter make when they open, and object buttons. Errors come back as assertion
    failures carrying the server's message."""

    def _login(self, user):
        self.authenticate(user.login, user.login)
        self.web_user = user

    def _jsonrpc(self, route, params):
        """The result of a JSON-RPC request, or ``{"error": {...}}`` with the server's
        exception name and message."""
        response = self.url_open(
            route, json={"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
        )
        response.raise_for_status()
        decoded = response.json()
        if "error" in decoded:
            data = decoded["error"].get("data", {})
            return {"error": {"name": data.get("name"), "message": data.get("message")}}
        return decoded.get("result")

    def _ok(self, route, params):
        result = self._jsonrpc(route, params)
        if isinstance(result, dict) and set(result) == {"error"}:
            self.fail(
                "%s as %s: %s: %s"
                % (route, self.web_user.login, result["error"]["name"], result["error"]["message"])
            )
        return result

    def _refused(self, route, params):
        # the server logs the refusal as a warning: expected here
        with mute_logger("odoo.http"):
            result = self._jsonrpc(route, params)
        self.assertIsInstance(result, dict)
        self.assertEqual(
            result.get("error", {}).get("name"),
            "odoo.exceptions.AccessError",
            "%s as %s should be refused" % (route, self.web_user.login),
        )
        return result["error"]["message"]

    def _call_kw_params(self, model, method, args, kwargs=None):
        return {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}

    def call_kw(self, model, method, args, kwargs=None):
        return self._ok(
            "/web/dataset/call_kw/%s/%s" % (model, method),
            self._call_kw_params(model, method, args, kwargs),
        )

    def call_kw_refused(self, model, method, args, kwargs=None):
        return self._refused(
            "/web/dataset/call_kw/%s/%s" % (model, method),
            self._call_kw_params(model, method, args, kwargs),
        )

    def form_spec(self, model, view=None):
        """The fields a form view reads (``web_read`` specification) as the logged-in user
        gets the view (fields of other groups left out): like the web client, x2many fields
        read the columns of their list, many2one fields their display name."""
        Model = self.env[model].with_user(self.web_user)
        view_id = self.env.ref(view).id if isinstance(view, str) else view or False
        views = Model.get_views([(view_id, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        return self._fields_spec(arch, model, views["models"])

    def _fields_spec(self, node, model, models_info):
        fields_info = models_info[model]["fields"]
        spec = {}
        for field in node.iter("field"):
            # only this level's fields: those of a subview belong to its model
            parent = field.getparent()
            while parent is not None and parent is not node and parent.tag != "field":
                parent = parent.getparent()
            if parent is not None and parent is not node:
                continue
            name = field.get("name")
            info = fields_info.get(name)
            if info is None or name in spec:
                continue
            if info["type"] in ("one2many", "many2many"):
                subview = next(iter(field.iterchildren("list", "kanban")), None)
                spec[name] = {
                    "fields": self._fields_spec(subview, info["relation"], models_info)
                    if subview is not None
                    else {"display_name": {}}
                }
            elif info["type"] == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    def open_form(self, record, view=None, context=None):
        """``web_read`` of ``record`` with the fields of its form view."""
        kwargs = {"specification": self.form_spec(record._name, view)}
        if context:
            kwargs["context"] = context
        return self.call_kw(record._name, "web_read", [record.ids], kwargs)

    def open_form_refused(self, record, view=None):
        kwargs = {"specification": self.form_spec(record._name, view)}
        return self.call_kw_refused(record._name, "web_read", [record.ids], kwargs)

    def open_chatter(self, record):
        """The requests the chatter of ``record``'s form makes when the form opens: thread
        data (followers, suggested recipients, attachments, activities...) and messages."""
        data = self._ok(
            "/mail/data",
            {
                "fetch_params": [
                    [
                        "mail.thread",
                        {
                            "access_params": {},
                            "request_list": CHATTER_REQUEST_LIST,
                            "thread_id": record.id,
                            "thread_model": record._name,
                        },
                    ]
                ]
            },
        )
        messages = self._ok(
            "/mail/thread/messages",
            {
                "thread_model": record._name,
                "thread_id": record.id,
                "fetch_params": {"limit": 30},
            },
        )
        return data, messages
