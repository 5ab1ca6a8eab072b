"""Records named as people know them (issue 16 item 4): a record this PC does not hold is
named by its kind, never by its key (records it holds: tests/sync/test_registry.py, every
kind's round trip)."""

from __future__ import annotations

import pytest

from kpi_desktop.runtime.paths import app_paths
from kpi_desktop.services.context import AppServices
from kpi_desktop.services.sync.channels import record_text


@pytest.fixture(scope="module")
def services(demo_master):
    opened = AppServices.open(app_paths(demo_master))
    yield opened
    opened.close()


@pytest.mark.parametrize("prefix", ["rev", "stmt", "plan", "prop", "leave", "disc", "annual",
                                    "appeal-filing", "appeal-decision"])
def test_a_record_not_on_this_pc_is_named_by_its_kind(services, prefix):
    key = f"{prefix}:0b7c2d4e-1111-4222-8333-944455556666:ab12cd34"
    with services.db.unit_of_work(read_only=True) as uow:
        text = record_text(uow, key)
    assert "0b7c2d4e" not in text and key not in text
    assert text.endswith("not on this PC"), text
