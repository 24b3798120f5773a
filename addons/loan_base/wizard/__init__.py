from . import loan_outreach_send, loan_pii_reveal
