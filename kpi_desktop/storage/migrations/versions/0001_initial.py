"""Initial schema: organisation, catalog, assignments, work log, reviews, evaluations,
audit log (append-only triggers), discipline, appeals, organisation results, calendar,
policy versions and settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Hand-checked after autogeneration: types are the plain SQL types under the custom column
types of ``orm.py`` (decimals, fractions, periods and UTC times are TEXT), index creation
outside batch blocks (new tables need no table rebuild), audit triggers added by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Kept here, not imported from orm.py: a revision must not change when orm.py does.
AUDIT_TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
)


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("object_type", sa.String(), nullable=False),
        sa.Column("object_id", sa.String(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index(
        op.f("ix_audit_events_object_type_object_id"),
        "audit_events",
        ["object_type", "object_id"],
        unique=False,
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_days")),
    )
    op.create_table(
        "catalog_versions",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("standard_unit_points", sa.String(), nullable=False),
        sa.Column("published_at", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_versions")),
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name_vi", sa.String(), nullable=False),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("org_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "policy_versions",
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("policy_json", sa.Text(), nullable=False),
        sa.Column("active_from", sa.Date(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_policy_versions")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "catalog_items",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("catalog_version_id", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name_vi", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("detail_vi", sa.Text(), nullable=False),
        sa.Column("detail_en", sa.Text(), nullable=False),
        sa.Column("output_vi", sa.Text(), nullable=False),
        sa.Column("output_en", sa.Text(), nullable=False),
        sa.Column("unit_of_output", sa.String(), nullable=False),
        sa.Column("group", sa.String(), nullable=False),
        sa.Column("points", sa.String(), nullable=False),
        sa.Column("coefficient", sa.String(), nullable=False),
        sa.Column("time_norm_minutes", sa.String(), nullable=True),
        sa.Column("complexity_level", sa.Integer(), nullable=True),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("field_code", sa.String(), nullable=True),
        sa.Column("kpi_kind", sa.String(), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_version_id"],
            ["catalog_versions.id"],
            name=op.f("fk_catalog_items_catalog_version_id_catalog_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_items")),
        sa.UniqueConstraint(
            "catalog_version_id", "code", name=op.f("uq_catalog_items_catalog_version_id_code")
        ),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("organisation_id", sa.String(), nullable=False),
        sa.Column("name_vi", sa.String(), nullable=False),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("parent_id", sa.String(), nullable=True),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("merged_into_id", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["units.id"], name=op.f("fk_units_merged_into_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_units_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["units.id"], name=op.f("fk_units_parent_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
    )
    op.create_index(op.f("ix_units_parent_id"), "units", ["parent_id"], unique=False)
    op.create_table(
        "job_positions",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("name_vi", sa.String(), nullable=False),
        sa.Column("name_en", sa.String(), nullable=False),
        sa.Column("description_vi", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("competency_framework_vi", sa.Text(), nullable=False),
        sa.Column("competency_framework_en", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=True),
        sa.Column("field_codes", sa.Text(), nullable=False),
        sa.Column("leadership", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_job_positions_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_positions")),
    )
    op.create_table(
        "org_indicators",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("policy_version", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_org_indicators_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_indicators")),
        sa.UniqueConstraint(
            "unit_id", "period", "code", name=op.f("uq_org_indicators_unit_id_period_code")
        ),
    )
    op.create_table(
        "job_position_items",
        sa.Column("job_position_id", sa.String(), nullable=False),
        sa.Column("catalog_item_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_item_id"],
            ["catalog_items.id"],
            name=op.f("fk_job_position_items_catalog_item_id_catalog_items"),
        ),
        sa.ForeignKeyConstraint(
            ["job_position_id"],
            ["job_positions.id"],
            name=op.f("fk_job_position_items_job_position_id_job_positions"),
        ),
        sa.PrimaryKeyConstraint(
            "job_position_id", "catalog_item_id", name=op.f("pk_job_position_items")
        ),
    )
    op.create_index(
        op.f("ix_job_position_items_catalog_item_id"),
        "job_position_items",
        ["catalog_item_id"],
        unique=False,
    )
    op.create_table(
        "people",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("full_name", sa.String(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("job_position_id", sa.String(), nullable=True),
        sa.Column("leader_fields", sa.Text(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_position_id"],
            ["job_positions.id"],
            name=op.f("fk_people_job_position_id_job_positions"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_people_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_index(op.f("ix_people_unit_id"), "people", ["unit_id"], unique=False)
    op.create_table(
        "annual_classifications",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=True),
        sa.Column("months_counted", sa.Integer(), nullable=False),
        sa.Column("mean", sa.String(), nullable=True),
        sa.Column("computed_level", sa.String(), nullable=True),
        sa.Column("self_level", sa.String(), nullable=True),
        sa.Column("decided_level", sa.String(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("quota_note", sa.Text(), nullable=False),
        sa.Column("minutes_ref", sa.String(), nullable=False),
        sa.Column("decision_no", sa.String(), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.String(), nullable=True),
        sa.Column("supersedes_id", sa.String(), nullable=True),
        sa.Column("policy_version", sa.String(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["people.id"], name=op.f("fk_annual_classifications_decided_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_annual_classifications_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["annual_classifications.id"],
            name=op.f("fk_annual_classifications_supersedes_id_annual_classifications"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_annual_classifications_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_classifications")),
    )
    op.create_index(
        op.f("ix_annual_classifications_person_id_year"),
        "annual_classifications",
        ["person_id", "year"],
        unique=False,
    )
    op.create_index(
        op.f("ix_annual_classifications_year_unit_id"),
        "annual_classifications",
        ["year", "unit_id"],
        unique=False,
    )
    op.create_table(
        "appeals",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.String(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.Column("decision_signature", sa.LargeBinary(), nullable=True),
        sa.Column("decision_key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["people.id"], name=op.f("fk_appeals_decided_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_appeals_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
    )
    op.create_index(
        op.f("ix_appeals_person_id_period"), "appeals", ["person_id", "period"], unique=False
    )
    op.create_index(op.f("ix_appeals_status"), "appeals", ["status"], unique=False)
    op.create_table(
        "assignments",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("assigner_id", sa.String(), nullable=False),
        sa.Column("catalog_item_id", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("quantity", sa.String(), nullable=False),
        sa.Column("coefficient", sa.String(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("kpi_kind", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigner_id"], ["people.id"], name=op.f("fk_assignments_assigner_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["catalog_item_id"],
            ["catalog_items.id"],
            name=op.f("fk_assignments_catalog_item_id_catalog_items"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_assignments_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    op.create_index(
        op.f("ix_assignments_assigner_id_period"),
        "assignments",
        ["assigner_id", "period"],
        unique=False,
    )
    op.create_index(
        "ix_assignments_person_period", "assignments", ["person_id", "period"], unique=False
    )
    op.create_table(
        "discipline_events",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("effective_year", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("authority", sa.String(), nullable=False),
        sa.Column("decision_no", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("related_event_id", sa.String(), nullable=True),
        sa.Column("recorded_by", sa.String(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_discipline_events_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["people.id"], name=op.f("fk_discipline_events_recorded_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["related_event_id"],
            ["discipline_events.id"],
            name=op.f("fk_discipline_events_related_event_id_discipline_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discipline_events")),
    )
    op.create_index(
        op.f("ix_discipline_events_person_id_effective_year"),
        "discipline_events",
        ["person_id", "effective_year"],
        unique=False,
    )
    op.create_table(
        "evaluator_relations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("evaluator_id", sa.String(), nullable=False),
        sa.Column("evaluatee_id", sa.String(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("delegated_by_id", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delegated_by_id"],
            ["people.id"],
            name=op.f("fk_evaluator_relations_delegated_by_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["evaluatee_id"], ["people.id"], name=op.f("fk_evaluator_relations_evaluatee_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["evaluator_id"], ["people.id"], name=op.f("fk_evaluator_relations_evaluator_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluator_relations")),
    )
    op.create_index(
        op.f("ix_evaluator_relations_evaluatee_id"),
        "evaluator_relations",
        ["evaluatee_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_evaluator_relations_evaluator_id"),
        "evaluator_relations",
        ["evaluator_id"],
        unique=False,
    )
    op.create_table(
        "monthly_evaluations",
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=True),
        sa.Column("self_criteria", sa.Text(), nullable=False),
        sa.Column("confirmed_criteria", sa.Text(), nullable=False),
        sa.Column("evaluator_id", sa.String(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("d", sa.String(), nullable=True),
        sa.Column("dd", sa.String(), nullable=True),
        sa.Column("e", sa.String(), nullable=True),
        sa.Column("a", sa.String(), nullable=True),
        sa.Column("b", sa.String(), nullable=True),
        sa.Column("c", sa.String(), nullable=True),
        sa.Column("task_ratio", sa.String(), nullable=True),
        sa.Column("task_points", sa.String(), nullable=True),
        sa.Column("general_points", sa.String(), nullable=True),
        sa.Column("total", sa.String(), nullable=True),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("insufficient", sa.Boolean(), nullable=False),
        sa.Column("policy_version", sa.String(), nullable=True),
        sa.Column("submitted_at", sa.String(), nullable=True),
        sa.Column("confirmed_at", sa.String(), nullable=True),
        sa.Column("locked_at", sa.String(), nullable=True),
        sa.Column("updated_at", sa.String(), nullable=True),
        sa.Column("self_signature", sa.LargeBinary(), nullable=True),
        sa.Column("self_key_fingerprint", sa.String(), nullable=True),
        sa.Column("evaluator_signature", sa.LargeBinary(), nullable=True),
        sa.Column("evaluator_key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["evaluator_id"], ["people.id"], name=op.f("fk_monthly_evaluations_evaluator_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_monthly_evaluations_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_monthly_evaluations_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("person_id", "period", name=op.f("pk_monthly_evaluations")),
    )
    op.create_index(
        op.f("ix_monthly_evaluations_evaluator_id"),
        "monthly_evaluations",
        ["evaluator_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_monthly_evaluations_period_unit_id"),
        "monthly_evaluations",
        ["period", "unit_id"],
        unique=False,
    )
    op.create_table(
        "org_evaluations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(), nullable=True),
        sa.Column("score", sa.String(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decision_no", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", sa.String(), nullable=True),
        sa.Column("policy_version", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["people.id"], name=op.f("fk_org_evaluations_decided_by_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_org_evaluations_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_evaluations")),
        sa.UniqueConstraint("unit_id", "year", name=op.f("uq_org_evaluations_unit_id_year")),
    )
    op.create_table(
        "person_keys",
        sa.Column("fingerprint", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("valid_from", sa.String(), nullable=False),
        sa.Column("revoked_at", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_keys_person_id_people")
        ),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_person_keys")),
    )
    op.create_index(op.f("ix_person_keys_person_id"), "person_keys", ["person_id"], unique=False)
    op.create_table(
        "unit_memberships",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("unit_id", sa.String(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_unit_memberships_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_memberships_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_memberships")),
    )
    op.create_index(
        op.f("ix_unit_memberships_person_id_start_on"),
        "unit_memberships",
        ["person_id", "start_on"],
        unique=False,
    )
    op.create_index(
        op.f("ix_unit_memberships_unit_id"), "unit_memberships", ["unit_id"], unique=False
    )
    op.create_table(
        "work_log_entries",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("catalog_item_id", sa.String(), nullable=False),
        sa.Column("quantity", sa.String(), nullable=False),
        sa.Column("coefficient", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("updated_at", sa.String(), nullable=False),
        sa.Column("assignment_id", sa.String(), nullable=True),
        sa.Column("extra_kind", sa.String(), nullable=False),
        sa.Column("taken_over_from_id", sa.String(), nullable=True),
        sa.Column("time_norm_minutes", sa.String(), nullable=True),
        sa.Column("complexity_level", sa.Integer(), nullable=True),
        sa.Column("output_doc_number", sa.String(), nullable=False),
        sa.Column("output_description", sa.Text(), nullable=False),
        sa.Column("attachment_sha256", sa.String(), nullable=True),
        sa.Column("attachment_name", sa.String(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("current_revision", sa.Integer(), nullable=False),
        sa.Column("confirmed_revision", sa.Integer(), nullable=True),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_work_log_entries_assignment_id_assignments"),
        ),
        sa.ForeignKeyConstraint(
            ["catalog_item_id"],
            ["catalog_items.id"],
            name=op.f("fk_work_log_entries_catalog_item_id_catalog_items"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_work_log_entries_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["taken_over_from_id"],
            ["people.id"],
            name=op.f("fk_work_log_entries_taken_over_from_id_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_log_entries")),
    )
    op.create_index(
        op.f("ix_work_log_entries_assignment_id"),
        "work_log_entries",
        ["assignment_id"],
        unique=False,
    )
    op.create_index(
        "ix_work_log_entries_person_date",
        "work_log_entries",
        ["person_id", "work_date"],
        unique=False,
    )
    op.create_index("ix_work_log_entries_status", "work_log_entries", ["status"], unique=False)
    op.create_table(
        "entry_revisions",
        sa.Column("entry_id", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("snapshot_json", sa.Text(), nullable=False),
        sa.Column("snapshot_sha256", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("author_id", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["people.id"], name=op.f("fk_entry_revisions_author_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["work_log_entries.id"],
            name=op.f("fk_entry_revisions_entry_id_work_log_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_id", "revision", name=op.f("pk_entry_revisions")),
    )
    op.create_table(
        "review_statements",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("entry_id", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("key_fingerprint", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id", "revision"],
            ["entry_revisions.entry_id", "entry_revisions.revision"],
            name=op.f("fk_review_statements_entry_id_entry_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["people.id"], name=op.f("fk_review_statements_reviewer_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_statements")),
    )
    op.create_index("ix_review_statements_entry", "review_statements", ["entry_id"], unique=False)
    op.create_index(
        op.f("ix_review_statements_reviewer_id_created_at"),
        "review_statements",
        ["reviewer_id", "created_at"],
        unique=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in AUDIT_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
    op.drop_index(
        op.f("ix_review_statements_reviewer_id_created_at"), table_name="review_statements"
    )
    op.drop_index("ix_review_statements_entry", table_name="review_statements")
    op.drop_table("review_statements")
    op.drop_table("entry_revisions")
    op.drop_index("ix_work_log_entries_status", table_name="work_log_entries")
    op.drop_index("ix_work_log_entries_person_date", table_name="work_log_entries")
    op.drop_index(op.f("ix_work_log_entries_assignment_id"), table_name="work_log_entries")
    op.drop_table("work_log_entries")
    op.drop_index(op.f("ix_unit_memberships_unit_id"), table_name="unit_memberships")
    op.drop_index(op.f("ix_unit_memberships_person_id_start_on"), table_name="unit_memberships")
    op.drop_table("unit_memberships")
    op.drop_index(op.f("ix_person_keys_person_id"), table_name="person_keys")
    op.drop_table("person_keys")
    op.drop_table("org_evaluations")
    op.drop_index(op.f("ix_monthly_evaluations_period_unit_id"), table_name="monthly_evaluations")
    op.drop_index(op.f("ix_monthly_evaluations_evaluator_id"), table_name="monthly_evaluations")
    op.drop_table("monthly_evaluations")
    op.drop_index(op.f("ix_evaluator_relations_evaluator_id"), table_name="evaluator_relations")
    op.drop_index(op.f("ix_evaluator_relations_evaluatee_id"), table_name="evaluator_relations")
    op.drop_table("evaluator_relations")
    op.drop_index(
        op.f("ix_discipline_events_person_id_effective_year"), table_name="discipline_events"
    )
    op.drop_table("discipline_events")
    op.drop_index("ix_assignments_person_period", table_name="assignments")
    op.drop_index(op.f("ix_assignments_assigner_id_period"), table_name="assignments")
    op.drop_table("assignments")
    op.drop_index(op.f("ix_appeals_status"), table_name="appeals")
    op.drop_index(op.f("ix_appeals_person_id_period"), table_name="appeals")
    op.drop_table("appeals")
    op.drop_index(
        op.f("ix_annual_classifications_year_unit_id"), table_name="annual_classifications"
    )
    op.drop_index(
        op.f("ix_annual_classifications_person_id_year"), table_name="annual_classifications"
    )
    op.drop_table("annual_classifications")
    op.drop_index(op.f("ix_people_unit_id"), table_name="people")
    op.drop_table("people")
    op.drop_index(op.f("ix_job_position_items_catalog_item_id"), table_name="job_position_items")
    op.drop_table("job_position_items")
    op.drop_table("org_indicators")
    op.drop_table("job_positions")
    op.drop_index(op.f("ix_units_parent_id"), table_name="units")
    op.drop_table("units")
    op.drop_table("catalog_items")
    op.drop_table("settings")
    op.drop_table("policy_versions")
    op.drop_table("organisations")
    op.drop_table("catalog_versions")
    op.drop_table("calendar_days")
    op.drop_index(op.f("ix_audit_events_object_type_object_id"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
