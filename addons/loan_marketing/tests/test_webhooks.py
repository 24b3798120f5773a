import hashlib
import hmac
import json
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from unittest.mock import MagicMock, patch

import requests

from odoo import fields
from odoo.addons.loan_marketing.models.loan_lead_source import hash_key
from odoo.addons.queue_job.job import Job
from odoo.tests import HttpCase, tagged

FB_SECRET = "fb-app-secret"
FB_VERIFY = "fb-verify-token"
ZALO_APP = "zalo-app-1"
ZALO_SECRET = "zalo-oa-secret"
API_KEY = "lls_t-api_Zm9vYmFyYmF6cXV4"


class LoanCaptureHttpCase(HttpCase):
    """A Vietnamese lender with a VND product offered by a campaign, and one lead source of
    each kind with known credentials; the gate's clock at 10:00 in Ho Chi Minh City."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company.country_id = cls.env.ref("base.vn")
        vnd = cls.env.ref("base.VND")
        vnd.active = True
        cls.product = cls.env["loan.product"].create(
            {
                "name": "Test landing cash",
                "code": "T-LND",
                "currency_id": vnd.id,
                "min_amount": 5_000_000,
                "max_amount": 70_000_000,
                "min_term": 6,
                "max_term": 36,
                "rate": 28.0,
            }
        )
        cls.campaign = cls.env["utm.campaign"].create(
            {
                "name": "Test capture campaign",
                "loan_is_lending": True,
                "loan_product_ids": [fields.Command.set(cls.product.ids)],
            }
        )
        cls.channel = cls.env["loan.marketing.channel"].create(
            {"name": "Test capture channel", "code": "t_capture"}
        )
        Source = cls.env["loan.lead.source"]
        # the landing page without a code shows the company's first landing source: ours
        Source.search([("kind", "=", "landing")]).active = False
        common = {
            "channel_id": cls.channel.id,
            "campaign_id": cls.campaign.id,
            "consent_text_version": "T-1",
        }
        cls.landing = Source.create(
            {
                **common,
                "name": "Test landing",
                "code": "t-landing",
                "kind": "landing",
                "sequence": 0,
                "consent_text": "<p>We process your data to answer your request.</p>",
            }
        )
        cls.fb = Source.create(
            {
                **common,
                "name": "Test Facebook",
                "code": "t-fb",
                "kind": "facebook",
                "fb_app_secret": FB_SECRET,
                "fb_verify_token": FB_VERIFY,
                "fb_page_token": "page-token",
                "replay_window": 300,
            }
        )
        cls.zalo = Source.create(
            {
                **common,
                "name": "Test Zalo",
                "code": "t-zalo",
                "kind": "zalo",
                "zalo_app_id": ZALO_APP,
                "zalo_secret": ZALO_SECRET,
                "replay_window": 300,
            }
        )
        cls.api = Source.create(
            {
                **common,
                "name": "Test partner API",
                "code": "t-api",
                "kind": "api",
                "api_key_hash": hash_key(API_KEY),
            }
        )

    def setUp(self):
        super().setUp()
        morning = datetime.combine(fields.Date.today(), dtime(3, 0))  # 10:00 UTC+7
        self.patch(type(self.env["loan.outreach.attempt"]), "_gate_now", lambda _self: morning)

    def _jsonrpc(self, route, params):
        response = self.url_open(
            route, json={"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
        )
        self.assertEqual(response.status_code, 200)
        decoded = response.json()
        self.assertNotIn("error", decoded, "public routes answer with a message, never a trace")
        return decoded["result"]

    def _intakes(self, source=None, **domain):
        return self.env["loan.lead.intake"].search(
            [("source_id", "=", source.id if source else False)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    def _consents(self, lead):
        """The consents given through our sources (a demo person may have older ones)."""
        return self.env["loan.consent"].search(
            [("partner_id", "=", lead.partner_id.id), ("text_version", "=", "T-1")]
        )

    def _leads(self, source):
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("loan_source_id", "=", source.id)])
        )


@tagged("post_install", "-at_install")
class TestWebhooks(LoanCaptureHttpCase):
    # ---------------------------------------------------------------- Facebook
    def _fb_body(self, leadgen_id, created_time=None):
        change = {
            "field": "leadgen",
            "value": {
                "leadgen_id": leadgen_id,
                "page_id": "1234",
                "form_id": "5678",
                "created_time": int(created_time or time.time()),
            },
        }
        body = {"object": "page", "entry": [{"id": "1234", "time": 1, "changes": [change]}]}
        return json.dumps(body).encode()

    def _fb_post(self, body, signature=None, secret=FB_SECRET):
        if signature is None:
            signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json"}
        if signature:
            headers["X-Hub-Signature-256"] = signature
        return self.url_open("/loan/webhook/facebook/t-fb", data=body, headers=headers)

    def test_facebook_challenge(self):
        url = "/loan/webhook/facebook/t-fb"
        ok = self.url_open(
            url,
            params={"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "42"},
        )
        self.assertEqual((ok.status_code, ok.text), (200, "42"))
        wrong = self.url_open(
            url,
            params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "42"},
        )
        self.assertEqual(wrong.status_code, 403)
        self.assertNotIn("42", wrong.text)
        self.assertEqual(self._intakes(self.fb, kind="facebook").state, "refused")

    def test_facebook_lead_queued_fetched_then_repeat_is_duplicate(self):
        response = self._fb_post(self._fb_body("L-1001"))
        self.assertEqual(response.status_code, 200)
        intake = self._intakes(self.fb, external_id="L-1001")
        self.assertEqual(intake.state, "queued")
        self.assertEqual(intake.remote_addr, "127.0.0.1")
        job = self.env["queue.job"].search([("identity_key", "=", "fb-fetch-%s" % self.fb.id)])
        self.assertEqual(len(job), 1, "the Graph API is called by a job, not in the request")
        self.assertEqual(job.method_name, "_fetch_facebook_leads")
        self.assertEqual(job.records, self.fb)
        self.assertFalse(self._leads(self.fb))
        # the job fetches the answers from the Graph API
        graph = {
            "id": "L-1001",
            "created_time": "2026-01-01T10:00:00+0000",
            "field_data": [
                {"name": "full_name", "values": ["Lê Văn Facebook"]},
                {"name": "phone_number", "values": ["0901234567"]},
            ],
        }
        reply = MagicMock(status_code=200)
        reply.json.return_value = graph
        self.fb.write(
            {
                "field_ids": [
                    fields.Command.create({"external": "full_name", "target": "name"}),
                    fields.Command.create({"external": "phone_number", "target": "phone"}),
                ]
            }
        )
        target = "odoo.addons.loan_marketing.models.loan_lead_intake.requests.get"
        with patch(target, return_value=reply) as get:
            Job.load(self.env, job.uuid).perform()
        self.assertEqual(get.call_args.args[0], "https://graph.facebook.com/v19.0/L-1001")
        self.assertEqual(get.call_args.kwargs["params"], {"access_token": "page-token"})
        lead = self._leads(self.fb)
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual(lead.loan_channel_id, self.channel)
        self.assertEqual(lead.loan_phone_mask, "090****567")
        self.assertEqual(lead.loan_touch_ids.external_id, "L-1001")
        self.assertEqual((intake.state, intake.lead_id), ("done", lead))
        # Facebook sends the same lead again
        response = self._fb_post(self._fb_body("L-1001"))
        self.assertEqual(response.status_code, 200)
        repeat = self._intakes(self.fb, external_id="L-1001") - intake
        self.assertEqual(repeat.state, "duplicate")
        self.assertEqual(len(self._leads(self.fb)), 1)
        self.assertEqual(
            self.env["queue.job"].search_count([("identity_key", "like", "fb-fetch-%")]), 1
        )

    def test_facebook_one_job_for_many_leads_and_retries(self):
        """Notifications that arrive before the job starts share it; a Graph API call that
        fails is retried later, then the intake fails with the reason."""
        for lead_id in ("L-3001", "L-3002", "L-3003"):
            self.assertEqual(self._fb_post(self._fb_body(lead_id)).status_code, 200)
        jobs = self.env["queue.job"].search([("identity_key", "=", "fb-fetch-%s" % self.fb.id)])
        self.assertEqual(len(jobs), 1, "one waiting job serves every notification")
        self.assertEqual(len(self._intakes(self.fb, state="queued")), 3)
        reply = MagicMock(status_code=200)
        reply.json.return_value = {  # without a field map: the targets' own names
            "field_data": [
                {"name": "name", "values": ["Lê Văn Facebook"]},
                {"name": "phone", "values": ["0901234570"]},
            ]
        }
        down = MagicMock(side_effect=requests.ConnectionError("graph.facebook.com is down"))

        def graph(url, **_kw):
            return down() if url.endswith("L-3002") else reply

        target = "odoo.addons.loan_marketing.models.loan_lead_intake.requests.get"
        with patch(target, side_effect=graph):
            result = Job.load(self.env, jobs.uuid).perform()
        self.assertEqual(result, {"fetched": 3, "errors": 1})
        failed = self._intakes(self.fb, external_id="L-3002")
        self.assertEqual((failed.state, failed.attempts), ("queued", 1))
        self.assertIn("down", failed.reason)
        self.assertGreater(failed.next_try_at, fields.Datetime.now())
        done = self._intakes(self.fb, state="done")
        self.assertEqual(len(done), 2, "the others were captured, the failure rolled back alone")
        self.assertEqual(len(done.lead_id), 1, "the same number: a lead and a touch")
        # not due yet: a job fetches nothing; due: the sweep queues one and it retries
        self.assertEqual(self.fb._fetch_facebook_leads(), {"fetched": 0, "errors": 0})
        jobs.unlink()
        failed.next_try_at = fields.Datetime.now() - timedelta(minutes=1)
        failed.received_at = fields.Datetime.now() - timedelta(minutes=5)
        self.assertEqual(self.env["loan.lead.intake"]._cron_fetch_queued(), 1)
        retry = self.env["queue.job"].search([("identity_key", "=", "fb-fetch-%s" % self.fb.id)])
        self.assertEqual(len(retry), 1)
        with patch(target, side_effect=requests.Timeout("read timed out")):
            for _attempt in range(4):
                failed.next_try_at = fields.Datetime.now() - timedelta(minutes=1)
                self.fb._fetch_facebook_leads()
        self.assertEqual((failed.state, failed.attempts), ("failed", 5))
        self.assertIn("timed out", failed.reason)
        self.assertFalse(failed.next_try_at)

    def test_facebook_forged_missing_and_replayed(self):
        body = self._fb_body("L-2001")
        forged = self._fb_post(body, secret="not-the-secret")
        self.assertEqual(forged.status_code, 403)
        missing = self._fb_post(body, signature="")
        self.assertEqual(missing.status_code, 403)
        refused = self._intakes(self.fb, state="refused")
        self.assertEqual(sorted(refused.mapped("reason")), ["Missing signature", "Wrong signature"])
        self.assertEqual(set(refused.mapped("remote_addr")), {"127.0.0.1"})
        # a genuine notification sent again an hour later
        old = self._fb_post(self._fb_body("L-2002", created_time=time.time() - 3600))
        self.assertEqual(old.status_code, 200)
        replay = self._intakes(self.fb, external_id="L-2002")
        self.assertEqual(replay.state, "refused")
        self.assertIn("Replay", replay.reason)
        self.assertFalse(self.env["queue.job"].search([("identity_key", "like", "fb-fetch-%")]))
        # a source that does not exist
        unknown = self.url_open(
            "/loan/webhook/facebook/nope", data=body, headers={"X-Hub-Signature-256": "x"}
        )
        self.assertEqual(unknown.status_code, 404)
        self.assertEqual(self._intakes(None, kind="facebook").state, "refused")

    # ---------------------------------------------------------------- Zalo
    def _zalo_post(self, event, secret=ZALO_SECRET):
        body = json.dumps(event).encode()
        mac = hashlib.sha256(
            ZALO_APP.encode() + body + str(event["timestamp"]).encode() + secret.encode()
        ).hexdigest()
        return self.url_open(
            "/loan/webhook/zalo/t-zalo",
            data=body,
            headers={"Content-Type": "application/json", "X-ZEvent-Signature": "mac=" + mac},
        )

    def _zalo_event(self, name, uid="zuid-1", **extra):
        return {
            "app_id": ZALO_APP,
            "event_name": name,
            "sender": {"id": uid},
            "recipient": {"id": "oa-1"},
            "timestamp": str(int(time.time() * 1000)),
            **extra,
        }

    def test_zalo_submit_info_text_and_refusal(self):
        event = self._zalo_event(
            "user_submit_info", info={"name": "Phạm Zalo", "phone": "84901234568"}
        )
        response = self._zalo_post(event)
        self.assertEqual(response.status_code, 200)
        lead = self._leads(self.zalo)
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.partner_id.loan_zalo_uid, "zuid-1")
        self.assertEqual(lead.loan_touch_ids.external_id, "zuid-1-%s" % event["timestamp"])
        intake = self._intakes(self.zalo)
        self.assertEqual((intake.state, intake.lead_id), ("done", lead))
        consents = self._consents(lead)
        self.assertEqual(consents.mapped("purpose"), ["data_processing"])
        self.assertEqual(consents.channel, "zalo")
        # another follower writes their number in a message
        text = self._zalo_event(
            "user_send_text",
            uid="zuid-2",
            message={"msg_id": "msg-77", "text": "Vay 20.000.000, gọi tôi số 0912 000 111 nhé"},
        )
        self.assertEqual(self._zalo_post(text).status_code, 200)
        second = self._leads(self.zalo) - lead
        self.assertEqual(second.loan_phone_mask, "091****111")
        self.assertEqual(second.loan_touch_ids.external_id, "msg-77")
        self.assertEqual(second.partner_id.loan_zalo_uid, "zuid-2")
        # the first follower refuses marketing by message
        marketing = self.env["loan.consent"].create(
            {
                "partner_id": lead.partner_id.id,
                "company_id": self.company.id,
                "purpose": "marketing",
                "text_version": "T-1",
                "channel": "zalo",
            }
        )
        stop = self._zalo_event("user_send_text", message={"msg_id": "m-9", "text": "Từ chối"})
        self.assertEqual(self._zalo_post(stop).status_code, 200)
        self.assertTrue(marketing.withdrawn_at)
        self.assertEqual(marketing.withdrawal_channel, "zalo")
        inbound = self.env["loan.outreach.attempt"].search(
            [("partner_id", "=", lead.partner_id.id), ("direction", "=", "inbound")]
        )
        self.assertEqual(inbound.channel, "zalo")
        self.assertEqual(len(self._leads(self.zalo)), 2)

    def test_zalo_forged_and_replayed(self):
        event = self._zalo_event("user_submit_info", info={"name": "X", "phone": "0901234569"})
        forged = self._zalo_post(event, secret="guess")
        self.assertEqual(forged.status_code, 403)
        old = self._zalo_event("user_submit_info", info={"name": "X", "phone": "0901234569"})
        old["timestamp"] = str(int((time.time() - 3600) * 1000))
        self.assertEqual(self._zalo_post(old).status_code, 403)
        refused = self._intakes(self.zalo)
        self.assertEqual(set(refused.mapped("state")), {"refused"})
        self.assertEqual(len(refused), 2)
        self.assertTrue(any("Replay" in reason for reason in refused.mapped("reason")))
        self.assertFalse(self._leads(self.zalo))

    # ---------------------------------------------------------------- partner API
    def _api_post(self, body, key=API_KEY):
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = "Bearer " + key
        return self.url_open("/loan/api/leads", data=json.dumps(body), headers=headers)

    def test_api_key_rows_and_limits(self):
        rows = [
            {
                "name": "Đỗ API",
                "phone": "0903 111 222",
                "consent_data": True,
                "product": "T-LND",
                "amount": 20_000_000,
                "term": 12,
                "external_id": "P-1",
                "campaign_id": 999999,  # not the partner's to choose
            },
            {"name": "No consent", "phone": "0903 111 333"},
        ]
        response = self._api_post({"leads": rows})
        self.assertEqual(response.status_code, 200)
        results = response.json()["results"]
        self.assertEqual([r["status"] for r in results], ["created", "error"])
        self.assertIn("consent", results[1]["error"])
        lead = self.env["crm.lead"].browse(results[0]["lead_id"])
        self.assertEqual(lead.loan_source_id, self.api)
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual((lead.loan_product_id, lead.loan_amount), (self.product, 20_000_000))
        self.assertEqual(lead.loan_touch_ids.external_id, "P-1")
        self.assertEqual(self._intakes(self.api).state, "done")
        # the same row again is a repeat of the platform id
        again = self._api_post({"leads": rows[:1]}).json()["results"]
        self.assertEqual(again[0]["status"], "duplicate")
        # wrong or no key
        for key in ("lls_t-api_wrong", None):
            refused = self._api_post({"leads": rows}, key=key)
            self.assertEqual(refused.status_code, 401)
        self.assertEqual(len(self._intakes(None, kind="api", state="refused")), 2)
        # too many rows in one call
        big = self._api_post({"leads": [rows[1]] * 501})
        self.assertEqual(big.status_code, 413)
        self.assertEqual(self._intakes(self.api, state="refused").reason, "501 rows: too many")
        self.assertEqual(len(self._leads(self.api)), 1)

    def test_api_bad_body(self):
        response = self._api_post({"rows": []})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._intakes(self.api).state, "refused")
