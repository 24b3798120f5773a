from odoo import http
from odoo.addons.web.controllers.dataset import DataSet
from odoo.http import request


class LoanDataSet(DataSet):
    """The web client's calls are checked before any model code runs: values of the wrong
    type, out of range or unknown, and ids that are not ids, get a clear error naming the
    field (see ``base._loan_check_rpc``)."""

    @http.route()
    def call_kw(self, model, method, args, kwargs, path=None):
        request.env[model]._loan_check_rpc(method, args, kwargs)
        return super().call_kw(model, method, args, kwargs, path=path)

    @http.route()
    def call_button(self, model, method, args, kwargs, path=None):
        request.env[model]._loan_check_rpc(method, args, kwargs)
        return super().call_button(model, method, args, kwargs, path=path)
