from . import dpd_bands, engine_messages, keyring, outreach_api
