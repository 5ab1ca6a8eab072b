"""The unit of work: one session, one transaction, every repository bound to it.

Services open one per user action (``with db.unit_of_work() as uow: …``). A clean exit
commits; any exception rolls everything back. Database errors leave as domain errors:

* a broken reference, a duplicate key or a missing required value → :class:`RefusedValue`
  (``reference_unknown``, ``duplicate_record``, ``value_missing``, ``integrity_violation``);
* an attempt to rewrite the audit log → :class:`InvalidState` (``audit_append_only``);
* a locked, full or damaged database → :class:`StorageProblem` (see ``engine.translate_db_error``);
* a refused value inside a column type (e.g. a malformed period) → that ``KpiError`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError
from sqlalchemy.orm import Session

from kpi_desktop.domain import model
from kpi_desktop.domain.errors import InvalidState, KpiError, RefusedValue, StorageProblem
from kpi_desktop.storage import orm
from kpi_desktop.storage.repositories import (
    AppealRepository,
    AssignmentRepository,
    AuditRepository,
    CalendarRepository,
    CatalogRepository,
    DisciplineRepository,
    EvaluationRepository,
    LeaveRepository,
    OrganisationRepository,
    OrgResultRepository,
    PolicyRepository,
    ProposalRepository,
    ReviewRepository,
    SettingsRepository,
    WorkLogRepository,
)
from kpi_desktop.storage.repositories._base import Repository, field_names, table_of, to_row
from kpi_desktop.storage.repositories.appeal_history import ReplacedEvaluationRepository
from kpi_desktop.storage.repositories.catalog import item_row
from kpi_desktop.storage.repositories.everyday import FavouriteRepository, SignInRepository
from kpi_desktop.storage.repositories.integrity import IntegrityRepository
from kpi_desktop.storage.repositories.sync import SyncRepository
from kpi_desktop.storage.repositories.transfers import TransferRepository

__all__ = ["UnitOfWork", "unit_of_work"]

# Domain type → (table, row builder) for :meth:`UnitOfWork.bulk_insert`.
_BULK: dict[type, tuple[Any, Callable[[Any], dict[str, Any]]]] = {
    model.Organisation: (table_of(orm.OrganisationRow), to_row),
    model.Unit: (table_of(orm.UnitRow), to_row),
    model.JobPosition: (table_of(orm.JobPositionRow), to_row),
    model.Person: (table_of(orm.PersonRow), to_row),
    model.PersonKey: (table_of(orm.PersonKeyRow), to_row),
    model.UnitMembership: (table_of(orm.UnitMembershipRow), to_row),
    model.EvaluatorRelation: (table_of(orm.EvaluatorRelationRow), to_row),
    model.CatalogVersion: (table_of(orm.CatalogVersionRow), to_row),
    model.CatalogItem: (table_of(orm.CatalogItemRow), item_row),
    model.JobPositionItem: (table_of(orm.JobPositionItemRow), to_row),
    model.Assignment: (table_of(orm.AssignmentRow), to_row),
    model.WorkLogEntry: (table_of(orm.WorkLogEntryRow), to_row),
    model.EntryRevision: (table_of(orm.EntryRevisionRow), to_row),
    model.ReviewStatement: (table_of(orm.ReviewStatementRow), to_row),
    model.MonthlyEvaluation: (table_of(orm.MonthlyEvaluationRow), to_row),
    model.AnnualClassification: (table_of(orm.AnnualClassificationRow), to_row),
    model.DisciplineEvent: (table_of(orm.DisciplineEventRow), to_row),
    model.LeaveRecord: (table_of(orm.LeaveRecordRow), to_row),
    model.Appeal: (table_of(orm.AppealRow), to_row),
    model.OrgIndicator: (table_of(orm.OrgIndicatorRow), to_row),
    model.OrgEvaluation: (table_of(orm.OrgEvaluationRow), to_row),
    model.CalendarDay: (table_of(orm.CalendarDayRow), to_row),
    model.PolicyVersion: (table_of(orm.PolicyVersionRow), to_row),
}


class UnitOfWork:
    """Every repository, bound to one session (one transaction).

    Attributes:
        org: organisations, units, job positions, people, keys, memberships, evaluators.
        catalog: catalog versions and items, permissions, search, usage counts.
        assignments: assignments per person and period.
        worklog: work-log entries and revisions.
        reviews: review statements and their tallies.
        evaluations: monthly evaluations and annual classifications.
        audit: the append-only audit log.
        discipline, appeals, org_results, calendar, policies, settings: the rest.
        sync: keys, trust, bundle log, sequence numbers, outbox and inbox (revision 0002).
        proposals: officials' proposals of new catalog items (revision 0003).
        transfers: months received from another agency, memberships on a day (0006).
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self.org = OrganisationRepository(session)
        self.catalog = CatalogRepository(session)
        self.assignments = AssignmentRepository(session)
        self.worklog = WorkLogRepository(session)
        self.reviews = ReviewRepository(session)
        self.evaluations = EvaluationRepository(session)
        self.audit = AuditRepository(session)
        self.discipline = DisciplineRepository(session)
        self.leave = LeaveRepository(session)  # revision 0014
        self.appeals = AppealRepository(session)
        self.org_results = OrgResultRepository(session)
        self.calendar = CalendarRepository(session)
        self.policies = PolicyRepository(session)
        self.settings = SettingsRepository(session)
        self.sync = SyncRepository(session)
        self.proposals = ProposalRepository(session)
        self.transfers = TransferRepository(session)  # revision 0006
        self.replaced_evaluations = ReplacedEvaluationRepository(session)  # revision 0005
        self.sign_ins = SignInRepository(session)  # revision 0015
        self.favourites = FavouriteRepository(session)  # revision 0015
        self.integrity = IntegrityRepository(session)  # whole-table reads for `check`

    def bulk_insert(self, objects: Iterable[object]) -> int:
        """Insert many domain objects of any stored type with Core executemany.

        Objects are written in the order given, in runs of the same type, so pass parents
        before children (units before people, entries before their revisions). Audit events
        go through ``uow.audit.append_many``. Returns how many rows were written.
        """
        writer = Repository(self._session)
        total = 0
        run: list[Any] = []
        run_type: type | None = None
        for obj in objects:
            kind = type(obj)
            if kind is not run_type:
                if run_type is not None:
                    total += self._write_run(writer, run_type, run)
                if kind not in _BULK:
                    raise TypeError(f"bulk_insert cannot store {kind.__name__}")
                run, run_type = [], kind
            run.append(obj)
        if run_type is not None:
            total += self._write_run(writer, run_type, run)
        return total

    @staticmethod
    def _write_run(writer: Repository, kind: type, objects: list[Any]) -> int:
        """Insert objects of one type: fields read straight into the driver's rows where the
        table's columns are the dataclass's fields (``to_row``), else through its builder."""
        table, build = _BULK[kind]
        if build is to_row:
            names = field_names(kind)
            plan = writer._insert_plan(table, names)
            if plan is not None:
                read = attrgetter(*names)
                return writer._insert_values(plan, [read(obj) for obj in objects])
        return writer._insert_many(table, [build(obj) for obj in objects])


def _integrity_error(exc: IntegrityError) -> KpiError:
    message = str(exc.orig)
    lowered = message.lower()
    if "append-only" in lowered:
        return InvalidState("audit_append_only")
    if "foreign key" in lowered:
        return RefusedValue("reference_unknown", detail=message)
    if "unique" in lowered or "primary key" in lowered:
        return RefusedValue("duplicate_record", detail=message)
    if "not null" in lowered:
        return RefusedValue("value_missing", detail=message)
    return RefusedValue("integrity_violation", detail=message)


@contextmanager
def unit_of_work(
    session_factory: Callable[[], Session], *, commit: bool = True,
    translate: Callable[[DBAPIError], StorageProblem] | None = None,
) -> Iterator[UnitOfWork]:
    """A :class:`UnitOfWork` whose transaction commits on a clean exit and rolls back on error.

    Args:
        session_factory: Makes the session (``Database`` passes its sessionmaker).
        commit: ``False`` rolls back even on a clean exit (read-only work).
        translate: Turns operational database errors into :class:`StorageProblem`.
    """
    session = session_factory()
    try:
        yield UnitOfWork(session)
        if commit:
            session.commit()
        else:
            session.rollback()
    except IntegrityError as exc:
        session.rollback()
        raise _integrity_error(exc) from exc
    except DBAPIError as exc:
        session.rollback()
        if translate is None:
            raise
        raise translate(exc) from exc
    except StatementError as exc:
        session.rollback()
        # A column type refused a value while binding it: surface the original error.
        if isinstance(exc.orig, Exception):
            raise exc.orig from None
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
