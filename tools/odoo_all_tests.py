#!/usr/bin/env python3
"""Run Odoo's server command with every selected test run once the whole registry is loaded.

Odoo runs a module's ``at_install`` tests while it loads that module, with a registry holding
only the modules loaded so far: the ``crm`` tests would then never see the fields and
overrides that the loan modules add to ``res.partner`` or ``crm.lead``. Installed in a
company, those modules are always loaded, so this runner checks Odoo's own suites the way
they would behave there: it takes the arguments of ``python3 -m odoo`` (with
``--test-enable --test-tags ... --stop-after-init`` and no ``-i``/``-u``) and runs the
selected ``at_install`` tests together with the ``post_install`` ones, after every module
is loaded.

Used by ``./dev test`` (the platform suites step); run it with the Python that has Odoo.
"""

import odoo
import odoo.cli.command
from odoo.tests import loader

_make_suite = loader.make_suite


def make_suite(module_names, position="at_install"):
    """No test while modules load; every selected test, at_install first, afterwards."""
    if position == "at_install":
        return loader.OdooSuite([])
    tests = {}
    for position_ in ("at_install", "post_install"):
        for test in _make_suite(module_names, position_):
            tests.setdefault(test.id(), test)
    return loader.OdooSuite(list(tests.values()))


loader.make_suite = make_suite

if __name__ == "__main__":
    odoo.cli.command.main()
