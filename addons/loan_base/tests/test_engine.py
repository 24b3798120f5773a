import doctest
import unittest

from odoo.tests import BaseCase, tagged

from ..engine import (
    allocation,
    contact_policy,
    daycount,
    fees,
    identity,
    money,
    phone,
    pii,
    rates,
    schedule,
    settlement,
)

ENGINE_MODULES = (
    money,
    daycount,
    identity,
    phone,
    contact_policy,
    pii,
    schedule,
    rates,
    fees,
    allocation,
    settlement,
)


@tagged("at_install")
class TestEngineInOdoo(BaseCase):
    def test_engine_modules_have_examples(self):
        finder = doctest.DocTestFinder()
        for module in ENGINE_MODULES:
            examples = sum(len(t.examples) for t in finder.find(module))
            self.assertGreater(examples, 0, module.__name__)

    def test_doctests_pass(self):
        suite = unittest.TestSuite()
        for module in ENGINE_MODULES:
            suite.addTests(doctest.DocTestSuite(module))
        result = unittest.TestResult()
        suite.run(result)
        self.assertTrue(result.testsRun > 0)
        self.assertEqual(result.failures + result.errors, [])
