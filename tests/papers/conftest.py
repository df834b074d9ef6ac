"""The papers tests' demo CA: one per module, in a folder of its own (settings.DATA_DIR), and no
other trust roots than it."""

import pytest


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("signing-data")


@pytest.fixture(autouse=True)
def _data_dir(settings, data_dir):
    # One demo CA per module: ca_ensure makes it on first use and loads it afterwards.
    settings.DATA_DIR = data_dir
    settings.LOKET_SIGNING_TRUST_ROOTS = []
