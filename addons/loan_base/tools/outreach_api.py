"""HTTP clients of the outreach providers: SMS brandname gateways and Zalo ZNS.

Plain classes, no ORM: the ``loan.outreach.provider`` model builds one from its settings and
turns a :class:`OutreachApiError` into a failed, logged attempt. Every request has a timeout.
"""

import logging

import requests

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

ERROR_MESSAGES = {
    "timeout": _lt("The provider did not answer in time."),
    "connection": _lt("The provider could not be reached."),
    "http_error": _lt("The provider refused the message (HTTP status %(status)s)."),
    "bad_response": _lt("The provider's answer could not be read."),
    "rejected": _lt("The provider rejected the message: %(detail)s"),
    "not_configured": _lt("The provider has no endpoint configured."),
}


class OutreachApiError(Exception):
    """A provider call failed. ``code`` is a key of :data:`ERROR_MESSAGES`."""

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def message(self, env):
        """The user-readable message, in the language of ``env``."""
        text = env._(ERROR_MESSAGES[self.code])
        return text % self.params if self.params else text


class HttpProviderApi:
    """Common JSON-over-HTTP behaviour: timeout, status and error mapping."""

    def __init__(self, url, token=None, sender=None, timeout=10.0, session=None):
        self.url = url
        self.token = token
        self.sender = sender
        self.timeout = timeout
        self.session = session or requests

    def _headers(self):
        return {"Content-Type": "application/json"}

    def _post(self, payload):
        if not self.url:
            raise OutreachApiError("not_configured")
        try:
            response = self.session.post(
                self.url, json=payload, headers=self._headers(), timeout=self.timeout
            )
        except requests.Timeout as exc:
            raise OutreachApiError("timeout") from exc
        except requests.RequestException as exc:
            _logger.info("Outreach provider %s unreachable: %s", self.url, exc)
            raise OutreachApiError("connection") from exc
        if response.status_code >= 400:
            raise OutreachApiError("http_error", status=response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise OutreachApiError("bad_response") from exc


class SmsBrandnameApi(HttpProviderApi):
    """A generic SMS brandname gateway: ``POST {url}`` with the brandname, number and text.

    Vietnamese brandname gateways (and most Chinese ones) take this shape; the answer is
    expected as ``{"status": "ok"|"error", "id": "...", "message": "..."}``.
    """

    def _headers(self):
        headers = super()._headers()
        if self.token:
            headers["Authorization"] = "Bearer %s" % self.token
        return headers

    def send(self, number, text, reference):
        """Send one SMS; return the provider's message id."""
        answer = self._post(
            {"brandname": self.sender, "to": number, "text": text, "reference": reference}
        )
        if not isinstance(answer, dict) or answer.get("status") not in ("ok", "success"):
            detail = answer.get("message") if isinstance(answer, dict) else answer
            raise OutreachApiError("rejected", detail=detail or "?")
        return str(answer.get("id") or "")


class ZaloZnsApi(HttpProviderApi):
    """Zalo Notification Service: ``POST {url}`` with an ``access_token`` header, a phone
    number in international form without ``+``, a ZNS template id and its data."""

    def _headers(self):
        headers = super()._headers()
        if self.token:
            headers["access_token"] = self.token
        return headers

    def send(self, number, template_ref, data, reference):
        """Send one ZNS message; return the provider's message id."""
        answer = self._post(
            {
                "phone": number.lstrip("+"),
                "template_id": template_ref,
                "template_data": data,
                "tracking_id": reference,
            }
        )
        if not isinstance(answer, dict) or answer.get("error") not in (0, "0"):
            detail = answer.get("message") if isinstance(answer, dict) else answer
            raise OutreachApiError("rejected", detail=detail or "?")
        return str((answer.get("data") or {}).get("msg_id") or "")
