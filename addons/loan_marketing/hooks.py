def post_init_hook(env):
    """Leads typed before this module: their plain numbers move to the encrypted field."""
    env["crm.lead"]._loan_encrypt_plain_phones()
