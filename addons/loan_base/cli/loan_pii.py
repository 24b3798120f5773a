"""``odoo-bin loan_pii``: manage the personal-data keyring of a database.

odoo-bin --addons-path=... loan_pii -c odoo.conf -d DB rotate
    add a new key to the key file, make it active and re-encrypt every value
odoo-bin --addons-path=... loan_pii -c odoo.conf -d DB reencrypt
    re-encrypt every value with the active key (after editing the key file by hand)
"""

import argparse
import sys

from odoo.cli.command import Command


class LoanPii(Command):
    """Rotate the personal-data encryption keys of the lending suite."""

    name = "loan_pii"

    def run(self, cmdargs):
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415
        from odoo.modules.registry import Registry  # noqa: PLC0415
        from odoo.tools import config  # noqa: PLC0415

        parser = argparse.ArgumentParser(prog=self.prog, description=self.__doc__)
        parser.add_argument("action", choices=["rotate", "reencrypt"])
        known = parser.parse_args(cmdargs[:1])
        odoo_args = cmdargs[1:]
        config.parse_config(odoo_args, setup_logging=True)
        dbnames = config["db_name"]
        if not dbnames or len(dbnames) != 1:
            sys.exit("loan_pii needs exactly one database (-d DB)")
        from odoo.addons.loan_base.engine.pii import Keyring  # noqa: PLC0415
        from odoo.addons.loan_base.tools import keyring as keyring_tools  # noqa: PLC0415

        path = keyring_tools.key_file_path()
        if not path:
            sys.exit("No pii_key_file in the [loan_base] section of the configuration file")
        if known.action == "rotate":
            ring = Keyring.load(path)
            kid = ring.add_key()
            ring.save(path)
            keyring_tools.clear_cache()
            sys.stdout.write("Added key %s to %s and made it active\n" % (kid, path))
        registry = Registry(dbnames[0])
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            total = env["loan.pii.mixin"]._loan_pii_reencrypt_models()
            sys.stdout.write("Re-encrypted %d values\n" % total)
