"""Every engine module's doctests pass, and every public function documents examples."""

import doctest
import importlib
import inspect
import io
import pkgutil
import unittest

import engine
import pytest

MODULES = sorted(info.name for info in pkgutil.iter_modules(engine.__path__))


def _public_callables(module):
    for name, obj in sorted(vars(module).items()):
        if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj):
            yield name, obj
            for attr, member in sorted(vars(obj).items()):
                member = getattr(member, "__func__", member)
                if not attr.startswith("_") and inspect.isfunction(member):
                    yield f"{name}.{attr}", member


def test_all_modules_found():
    assert {"money", "daycount", "identity", "phone", "contact_policy", "pii"} <= set(MODULES)
    assert {"schedule", "rates", "allocation", "scorecard"} <= set(MODULES)
    assert {"exceptions"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(f"engine.{name}")
    suite = doctest.DocTestSuite(module)
    assert suite.countTestCases(), f"engine.{name} has no doctests"
    stream = io.StringIO()
    result = unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
    assert result.wasSuccessful(), stream.getvalue()


@pytest.mark.parametrize("name", MODULES)
def test_public_api_documented_with_examples(name):
    module = importlib.import_module(f"engine.{name}")
    assert module.__doc__, f"engine.{name} has no module docstring"
    for qualname, obj in _public_callables(module):
        assert obj.__doc__, f"engine.{name}.{qualname} has no docstring"
        if inspect.isfunction(obj):
            assert ">>>" in obj.__doc__, f"engine.{name}.{qualname} has no doctest example"
