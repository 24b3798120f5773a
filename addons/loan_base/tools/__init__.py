from . import engine_messages, keyring, outreach_api
