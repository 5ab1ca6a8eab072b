"""Bundles found together are imported organisation → plan → work → review → receipt."""

from __future__ import annotations

from kpi_desktop.services.sync import bundle_order


def test_reviews_come_after_the_work_they_are_about():
    names = [
        "KPI_receipt_ct_to_agency_000001.kpib",
        "KPI_review_kt-tp_to_kt-cv1_000002.kpib",
        "KPI_review_kt-tp_to_kt-cv1_000001.kpib",
        "KPI_work_kt-cv1_to_kt-tp_000003.kpib",
        "KPI_plan_kt-tp_to_kt-cv1_000001.kpib",
        "KPI_organisation_XNL_v0004.kpib",
        "KPI_transfer_kt-cv2_XNL_000001.kpib",
        "notes.kpib",
    ]
    assert sorted(names, key=bundle_order) == [
        "KPI_organisation_XNL_v0004.kpib",
        "KPI_plan_kt-tp_to_kt-cv1_000001.kpib",
        "KPI_work_kt-cv1_to_kt-tp_000003.kpib",
        "KPI_review_kt-tp_to_kt-cv1_000001.kpib",
        "KPI_review_kt-tp_to_kt-cv1_000002.kpib",
        "KPI_receipt_ct_to_agency_000001.kpib",
        "KPI_transfer_kt-cv2_XNL_000001.kpib",
        "notes.kpib",
    ]
