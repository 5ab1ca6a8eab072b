"""The forms of Decree 335/2025/NĐ-CP, Phụ lục II (Mẫu số 01, Mẫu số 02) and the unit summary.

Each ``*_document`` function turns plain data (:mod:`kpi_desktop.reports.data`) into a
:class:`~kpi_desktop.reports.document.Document` in the report's language; ``render_*`` lays it
out as a PDF, ``render_*_docx`` as an editable Word file with the same text. Nothing here reads
the database or changes the interface's language.

The decree's forms are reproduced to the letter: their headings, items, dotted lines, tick
boxes, signature blocks and footnotes. What the application adds is marked as such:

* Mẫu số 01: column (5) "points confirmed by the competent authority" carries a note that it is
  an addition (khoản 2 Điều 17); the total of a month or quarter shows the level only as
  "tương ứng mức …" (a level is decided once a year, Điều 19–20); the figures behind item 2
  (a, b, c, the products, a quarter's months) are an annex on a page of its own, after the
  signatures ("Bảng chi tiết kết quả thực hiện nhiệm vụ").
* Mẫu số 02: months outside the person's service read "chưa công tác"; the level the scores
  give is marked "(tham khảo)" — the competent authority decides (section III).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from kpi_desktop.domain.scores import Level
from kpi_desktop.reports import _text as tx
from kpi_desktop.reports._text import translate
from kpi_desktop.reports.data import (
    Form01Data,
    Form02Data,
    MonthScore,
    PersonHeading,
    ReportMeta,
    UnitSummaryData,
)
from kpi_desktop.reports.document import (
    Block,
    Cell,
    CheckList,
    Document,
    DottedLines,
    FillLine,
    Footer,
    FootRule,
    Keep,
    LetterheadBlock,
    PageBreak,
    Run,
    Signatures,
    Table,
    cell,
    para,
    runs,
    typeset,
)
from kpi_desktop.runtime.i18n import language_override

LEVELS = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE)


def _footer(form_label: str, meta: ReportMeta) -> Footer:
    policy = translate("Report", "Scoring policy {version}").format(version=meta.policy_version)
    code = translate("Report", "Verification code {code}").format(code=meta.code)
    printed = ""
    if meta.generated_on:
        printed = translate("Report", "Printed by KPI Desktop on {date}").format(
            date=tx.date_text(meta.generated_on))
    return Footer(left=tx.nfc("  ·  ".join(x for x in (form_label, policy, code) if x)),
                  page_pattern=translate("Report", "Page {page}/{pages}"), printed=printed)


def _letterhead(data: Any, form_no: str = "") -> LetterheadBlock:
    return LetterheadBlock(data.letterhead, form_no,
                           translate("Report", "SOCIALIST REPUBLIC OF VIET NAM"),
                           translate("Report", "Independence - Freedom - Happiness"))


def _signatures(left: str, right: str, left_name: str = "", right_name: str = "",
                room_mm: float = 20) -> Signatures:
    return Signatures(left, right, left_name, right_name, room_mm,
                      translate("Report", "......, day .... month .... year ......"),
                      translate("Report", "(Signature and full name)"))


def _person_lines(person: PersonHeading) -> list[Block]:
    return [
        FillLine(translate("Report", "Full name:"), person.full_name),
        FillLine(translate("Report", "Position, title:"), person.position),
        FillLine(translate("Report", "Work unit:"), person.unit),
    ]


def _text_of(vi: str, en: str) -> str:
    return vi if tx.language() == "vi" or not en else en


def _corresponding(level: Level | None) -> str:
    """ "(tương ứng mức Hoàn thành tốt nhiệm vụ)": a month's or quarter's level is only
    indicative; the decree classifies once a year."""
    if level is None:
        return ""
    return translate("Report", "(corresponding to the level {level})").format(
        level=tx.level_label(level))


def _with_language(language: str | None, build: Callable[[], Document]) -> Document:
    with language_override(language):
        return build()


# -- Mẫu số 01 ---------------------------------------------------------------------------------


def form01_document(data: Form01Data, meta: ReportMeta, language: str | None = None
                    ) -> Document:
    """Mẫu số 01: the monthly or quarterly monitoring and evaluation form, and its annex."""

    def build() -> Document:
        label = translate("Report", "Form No. 01")
        blocks: list[Block] = [_letterhead(data, label)]
        blocks += [
            para(translate("Report", "CIVIL SERVANT MONITORING AND EVALUATION FORM"), "title",
                 align="center"),
            para(translate("Report", "(Monitoring and evaluation period: {period})").format(
                period=tx.period_label(data.period)), "subtitle", align="center"),
        ]
        blocks += _person_lines(data.person)
        blocks.append(para(translate(
            "Report", "I. RESULTS OF MONITORING AND EVALUATION AGAINST THE GENERAL CRITERIA"),
            "section", keep_with_next=True))
        blocks.append(_criteria_table(data))
        blocks.append(runs(Run("(*) ", italic=True), Run(typeset(translate(
            "Report", "Column (5) is not part of Form No. 01: it holds the points confirmed by "
            "the competent authority (Article 17.2)."
        )), italic=True), kind="note"))
        if data.is_quarter:
            blocks.append(para(translate(
                "Report", "For a quarter the points are the mean of its months (Article 17.3)."
            ), "note", italic=True))
        blocks.append(_summary(data))
        blocks.append(_signatures(
            translate("Report", "SELF-ASSESSING CIVIL SERVANT"),
            translate("Report", "COMPETENT AUTHORITY\nFOR MONITORING AND EVALUATION"),
            data.person.full_name,
            data.evaluator_name,
        ))
        blocks += _form01_annex(data)
        return Document(tuple(blocks),
                        title=translate("Report", "Civil servant monitoring and evaluation form"),
                        author=data.person.full_name, meta=meta, footer=_footer(label, meta),
                        language=tx.language())

    return _with_language(language, build)


def _criteria_table(data: Form01Data) -> Table:
    head = (
        cell(translate("Report", "No."), bold=True, align="center"),
        cell(translate("Report", "Scoring criteria"), bold=True, align="center"),
        cell(translate("Report", "Maximum points"), bold=True, align="center", compound=True),
        cell(translate("Report", "Self-assessed points"), bold=True, align="center",
             compound=True),
        cell(translate("Report", "Points confirmed by the evaluator") + " (*)", bold=True,
             align="center", compound=True),
    )
    numbers = tuple(cell(f"({i})", italic=True, align="center", small=True) for i in range(1, 6))
    rows: list[tuple[Cell, ...]] = [head, numbers]
    for row in data.criteria:
        bold = row.is_group
        rows.append((
            cell(row.number, bold=bold, align="center"),
            cell(_text_of(row.text_vi, row.text_en), bold=bold),
            cell(tx.points(row.max_points), bold=bold, align="center"),
            cell(_score(row.self_points), bold=bold, align="center"),
            cell(_score(row.confirmed_points), bold=bold, align="center"),
        ))
    rows.append((
        cell(translate("Report", "Total"), bold=True, align="center"),
        cell(""),
        cell("30", bold=True, align="center"),
        cell(_score(data.general_self), bold=True, align="center"),
        cell(_score(data.general_confirmed), bold=True, align="center"),
    ))
    last = len(rows) - 1
    return Table(tuple(rows), (10, 86, 20, 27, 27), header_rows=2,
                 spans=(((0, last), (1, last)),), shaded=(1,))


def _score(value: Any) -> str:
    """A scored figure of the table: the same text as the summary prints for it."""
    return "" if value is None else tx.number(value)


def _summary(data: Form01Data) -> Keep:
    """Section II, kept on one page with its heading."""
    blocks: list[Block] = [para(translate(
        "Report", "II. SUMMARY OF THE MONITORING AND EVALUATION RESULTS"), "section",
        keep_with_next=True)]
    blocks.append(FillLine(translate("Report", "1. General criteria points:"),
                           tx.number(data.general_points)))
    task = (translate("Report", "insufficient data") if data.insufficient
            else tx.number(data.task_points))
    blocks.append(FillLine(translate("Report", "2. Task-performance criteria points:"), task))
    total_label = translate("Report", "3. Total monitoring and evaluation points:")
    if data.insufficient or data.total is None:
        blocks.append(FillLine(total_label, translate("Report", "insufficient data")))
    else:
        blocks.append(runs(Run(typeset(total_label) + " "),
                           Run(tx.number(data.total), bold=True),
                           Run(" " + typeset(_corresponding(data.level)))))
    blocks.append(FillLine(translate("Report", "4. Strengths:")))
    blocks.append(DottedLines(1))
    blocks.append(FillLine(translate("Report", "5. Limitations and shortcomings:")))
    blocks.append(DottedLines(2))
    label = translate("Report", "6. Comments of the competent authority for monitoring and "
                                "evaluation:")
    if data.comment:
        blocks.append(FillLine(label, data.comment, value_italic=True))
        blocks.append(DottedLines(1))
    else:
        blocks.append(FillLine(label))
        blocks.append(DottedLines(2))
    return Keep(tuple(blocks))


def _form01_annex(data: Form01Data) -> list[Block]:
    """The figures behind item 2, on a page of their own after the signatures."""
    blocks: list[Block] = [
        PageBreak(),
        para(translate("Report", "DETAILED TABLE OF THE TASK-PERFORMANCE RESULTS"),
             "annex_title", align="center"),
        para(translate("Report", "(Annex to the monitoring and evaluation form of {name}, "
                                 "{period})").format(name=data.person.full_name,
                                                     period=tx.period_label(data.period)),
             "subtitle", align="center"),
    ]
    if data.insufficient:
        blocks.append(para(translate(
            "Report", "Insufficient data: nothing was assigned in this period.")))
    elif not data.is_quarter:
        parts = translate(
            "Report", "Quantity a = {a}%; quality b = {b}%; timeliness c = {c}%"
        ).format(a=tx.number(data.a), b=tx.number(data.b), c=tx.number(data.c))
        if data.leader_factors:
            d, dd, e = data.leader_factors
            parts += translate("Report", "; d = {d}%; đ = {dd}%; e = {e}%").format(
                d=d, dd=dd, e=e)
        blocks.append(para(parts + "."))
        blocks.append(para(translate(
            "Report", "Task-performance points = {ratio}% × 70, at most 70 = {points}."
        ).format(ratio=tx.number(data.task_ratio), points=tx.number(data.task_points))))
    if data.products:
        blocks.append(para(translate("Report", "Products and tasks of the period"), "section",
                           keep_with_next=True))
        blocks.append(_products_table(data))
        blocks += _objective_causes(data)
    if data.months:
        blocks.append(para(translate("Report", "Months of the quarter"), "section",
                           keep_with_next=True))
        blocks.append(_months_table(data.months))
    return blocks


def _objective_causes(data: Form01Data) -> list[Block]:
    """The objective causes the leader confirmed, each for its own deduction (Điều 14.2b for
    the quality errors, 14.2c for the delays), with the reason."""
    out: list[Block] = []
    for p in data.products:
        for reason in p.quality_causes:
            out.append(para(translate(
                "Report", "{code}: objective cause of the quality errors confirmed "
                "(Article 14.2(b)), not deducted: {reason}").format(code=p.code, reason=reason),
                "note", italic=True))
        for reason in p.timeliness_causes:
            out.append(para(translate(
                "Report", "{code}: objective cause of the delays confirmed (Article 14.2(c)), "
                "not deducted: {reason}").format(code=p.code, reason=reason),
                "note", italic=True))
    return out


def _products_table(data: Form01Data) -> Table:
    head = tuple(cell(h, bold=True, align="center", small=True, compound=True) for h in (
        translate("Report", "No."),
        translate("Report", "Code"),
        translate("Report", "Product / task"),
        translate("Report", "Coeff."),
        translate("Report", "Assigned"),
        translate("Report", "Completed"),
        translate("Report", "Unplanned"),
        translate("Report", "Quality errors"),
        translate("Report", "Late"),
    ))
    rows: list[tuple[Cell, ...]] = [head]
    for i, p in enumerate(data.products, start=1):
        rows.append((
            cell(str(i), align="center"),
            cell(p.code),
            cell(_text_of(p.name_vi, p.name_en)),
            cell(tx.points(p.coefficient), align="center"),
            cell(tx.quantity(p.assigned), align="center"),
            cell(tx.quantity(p.completed), align="center"),
            cell(tx.quantity(p.extra), align="center"),
            cell(str(p.failed_reviews or ""), align="center"),
            cell(str(p.delays or ""), align="center"),
        ))
    return Table(tuple(rows), (8, 19, 46, 15, 17, 19, 18, 14, 14))


def _months_table(months: tuple[MonthScore, ...]) -> Table:
    head = tuple(cell(h, bold=True, align="center", small=True, compound=True) for h in (
        translate("Report", "Month"),
        translate("Report", "General criteria points"),
        translate("Report", "Task-performance points"),
        translate("Report", "Total points"),
        translate("Report", "Notes"),
    ))
    rows: list[tuple[Cell, ...]] = [head]
    for m in months:
        rows.append((
            cell(tx.period_label(m.period)),
            cell(tx.number(m.general_points), align="center"),
            cell(tx.number(m.task_points), align="center"),
            cell(tx.number(m.total), align="center"),
            cell(tx.note_label(m.note)),
        ))
    return Table(tuple(rows), (40, 30, 38, 26, 36))


# -- Mẫu số 02 ---------------------------------------------------------------------------------


def form02_document(data: Form02Data, meta: ReportMeta, language: str | None = None
                    ) -> Document:
    """Mẫu số 02: the annual quality classification form."""

    def build() -> Document:
        label = translate("Report", "Form No. 02")
        blocks: list[Block] = [_letterhead(data, label)]
        blocks += [
            para(translate("Report", "CIVIL SERVANT QUALITY CLASSIFICATION FORM"), "title",
                 align="center"),
            para(translate("Report", "Year {year}").format(year=data.year), "subtitle_bold",
                 align="center"),
        ]
        blocks += _person_lines(data.person)
        blocks.append(para(translate(
            "Report", "I. SUMMARY OF THE MONITORING AND EVALUATION RESULTS"), "section",
            keep_with_next=True))
        head = tuple(cell(h, bold=True, align="center") for h in (
            translate("Report", "Month"),
            translate("Report", "Total monitoring and evaluation points"),
            translate("Report", "Notes"),
        ))
        rows: list[tuple[Cell, ...]] = [head]
        for i, m in enumerate(data.months, start=1):
            rows.append((cell(str(i), align="center"),
                         cell(tx.number(m.total) if m.total is not None else "",
                              align="center"),
                         cell(tx.note_label(m.note))))
        rows.append((
            cell(translate("Report", "Mean total points for the year"), bold=True),
            cell(tx.number(data.mean), bold=True, align="center"),
            cell(translate("Report", "mean of {count} months").format(
                count=data.months_counted)),
        ))
        blocks.append(Table(tuple(rows), (50, 58, 62), compact=True, keep_together=True))
        for kind, first, last, number in data.leave:  # Điều 11.2
            blocks.append(para(translate(
                "Report", "Leave: {kind} from {start} to {end} ({decision})").format(
                kind=tx.leave_label(kind), start=tx.date_text(first), end=tx.date_text(last),
                decision=number), "note", italic=True))
        computed = translate(
            "Report", "Level corresponding to the scores (for reference): {level}").format(
            level=tx.level_label(data.computed_level))
        reason = ""
        if data.disciplined:
            reason = tx.note_label("disciplined")
        elif data.reason in ("too_few_months", "no_months"):
            reason = tx.note_label("too_few_months")
        elif data.reason == "capped_by_org":
            reason = tx.note_label("capped_by_org")
        elif data.reason == "classified_on_leave":
            reason = tx.note_label("classified_on_leave")
        if reason:
            computed += f"; {reason}"
        blocks.append(para(computed + ".", "note", italic=True))
        blocks.append(para(translate(
            "Report", "II. SELF-ASSESSMENT AND QUALITY CLASSIFICATION BY THE CIVIL SERVANT"),
            "section", keep_with_next=True))
        blocks.append(_level_boxes(data.self_level))
        blocks.append(runs(Run(typeset(translate(
            "Report", "III. QUALITY CLASSIFICATION BY THE COMPETENT AUTHORITY"))),
            Run("1", superscript=True), kind="section", keep_with_next=True))
        blocks.append(_level_boxes(data.decided_level))
        if data.decision_no:
            blocks.append(para(translate("Report", "Decision No. {number} of {date}").format(
                number=data.decision_no, date=tx.date_text(data.decision_date))))
        blocks.append(Keep((
            runs(Run(translate("Report", "IV. PROPOSED MEASURES")), Run("2", superscript=True),
                 kind="section", keep_with_next=True),
            DottedLines(2),
        )))
        blocks.append(_signatures(
            translate("Report", "SELF-CLASSIFYING CIVIL SERVANT"),
            translate("Report", "CLASSIFYING AUTHORITY"),
            data.person.full_name,
            room_mm=14,
        ))
        blocks.append(Keep((
            FootRule(),
            runs(Run("1", superscript=True), Run(" " + typeset(translate(
                "Report", "The quality classification follows Article 20 of Decree "
                "335/2025/NĐ-CP."))), kind="footnote"),
            runs(Run("2", superscript=True), Run(" " + typeset(translate(
                "Report", "The proposed measures follow Article 23 of Decree 335/2025/NĐ-CP."
            ))), kind="footnote"),
        )))
        return Document(tuple(blocks),
                        title=translate("Report", "Civil servant quality classification form"),
                        author=data.person.full_name, meta=meta, footer=_footer(label, meta),
                        language=tx.language())

    return _with_language(language, build)


def _level_boxes(chosen: Level | None) -> CheckList:
    """The four levels with tick boxes, one under another as in the decree."""
    return CheckList(tuple((level is chosen, tx.level_label(level)) for level in LEVELS))


# -- Unit summary ------------------------------------------------------------------------------


def unit_summary_document(data: UnitSummaryData, meta: ReportMeta,
                          language: str | None = None) -> Document:
    """Everyone of a unit for a period, the distribution of levels, the quota, review delays."""

    def build() -> Document:
        yearly = "-" not in data.period
        label = translate("Report", "Unit summary")
        blocks: list[Block] = [_letterhead(data)]
        title = (translate("Report", "SUMMARY OF CIVIL SERVANT QUALITY CLASSIFICATION RESULTS")
                 if yearly else
                 translate("Report", "SUMMARY OF CIVIL SERVANT MONITORING AND EVALUATION "
                                     "RESULTS"))
        period = tx.period_label(data.period)
        blocks += [
            para(title, "title", align="center"),
            para(data.unit_name, "subtitle_bold", align="center"),
            para(period[:1].upper() + period[1:], "subtitle", align="center"),
            para(translate("Report", "I. RESULTS BY PERSON"), "section", keep_with_next=True),
            _people_table(data, yearly),
            para(translate("Report", "II. DISTRIBUTION BY LEVEL"), "section",
                 keep_with_next=True),
            _distribution_table(data),
        ]
        if data.quota is not None:
            q = data.quota
            text = translate(
                "Report",
                "“Excellent” quota (Article 20.5): {excellent} rated Excellent; at most {limit} "
                "allowed ({share}% of {good} rated Good).",
            ).format(excellent=q.excellent, limit=q.limit, share=q.share_percent, good=q.good)
            if q.excess > 0:
                text += " " + translate(
                    "Report", "Over the quota by {excess}: the approver must decide who is moved "
                    "down.").format(excess=q.excess)
            else:
                text += " " + translate("Report", "Within the quota.")
            blocks.append(para(text))
        blocks.append(para(translate("Report", "III. LEADERS' REVIEW OF THE WORK LOG"),
                           "section", keep_with_next=True))
        if data.reviewers:
            blocks.append(_reviewers_table(data))
            blocks.append(para(translate(
                "Report", "Late: a verdict given more than {days} working days after submission."
            ).format(days=data.review_deadline_days), "note", italic=True))
        else:
            blocks.append(para(translate("Report", "No work-log entries were reviewed.")))
        blocks.append(_signatures(translate("Report", "PREPARED BY"),
                                 translate("Report", "HEAD OF THE UNIT")))
        return Document(tuple(blocks),
                        title=translate("Report", "Summary of monitoring and evaluation results"),
                        author=data.unit_name, meta=meta, footer=_footer(label, meta),
                        language=tx.language())

    return _with_language(language, build)


def _level_with_note(level: Level | None, note: str) -> str:
    text = tx.level_label(level)
    if note:
        return f"{text}; {tx.note_label(note)}" if level is not None else tx.note_label(note)
    return text


def _people_table(data: UnitSummaryData, yearly: bool) -> Table:
    """One line per person, grouped under a heading line per unit."""
    if yearly:
        head = (translate("Report", "No."), translate("Report", "Full name"),
                translate("Report", "Position"), translate("Report", "Months"),
                translate("Report", "Mean points"), translate("Report", "Level"))
        widths: tuple[float, ...] = (9, 37, 40, 16, 18, 50)
    else:
        head = (translate("Report", "No."), translate("Report", "Full name"),
                translate("Report", "Position"), translate("Report", "General"),
                translate("Report", "Tasks"), translate("Report", "Total"),
                translate("Report", "Corresponding level"))
        widths = (9, 34, 36, 16, 17, 15, 43)
    rows: list[tuple[Cell, ...]] = [tuple(cell(h, bold=True, align="center", small=True,
                                               compound=True) for h in head)]
    spans = []
    shaded = []
    current_unit = None
    for i, r in enumerate(data.rows, start=1):
        if r.unit != current_unit:
            current_unit = r.unit
            rows.append((cell(r.unit, bold=True),) + tuple(cell("") for _ in head[1:]))
            line = len(rows) - 1
            spans.append(((0, line), (len(head) - 1, line)))
            shaded.append(line)
        cells = [cell(str(i), align="center"), cell(r.full_name, compound=True),
                 cell(r.position, compound=True)]
        if yearly:
            cells += [cell(str(r.months_counted), align="center"),
                      cell(tx.number(r.total), align="center")]
        else:
            cells += [cell(tx.number(r.general_points), align="center"),
                      cell(tx.number(r.task_points), align="center"),
                      cell(tx.number(r.total), align="center")]
        cells.append(cell(_level_with_note(r.level, r.note)))
        rows.append(tuple(cells))
    return Table(tuple(rows), widths, spans=tuple(spans), shaded=tuple(shaded),
                 keep_with_next=tuple(shaded))


def _distribution_table(data: UnitSummaryData) -> Table:
    total = sum(data.distribution.values()) or 1
    rows: list[tuple[Cell, ...]] = [tuple(cell(h, bold=True, align="center") for h in (
        translate("Report", "Level"), translate("Report", "People"), translate("Report", "Share"))
    )]
    for key in [lv.value for lv in LEVELS] + ["not_classified"]:
        count = data.distribution.get(key, 0)
        rows.append((
            cell(tx.level_label(None if key == "not_classified" else key)),
            cell(str(count), align="center"),
            cell(tx.number(Fraction(count * 100, total), 1) + "%", align="center"),
        ))
    rows.append((cell(translate("Report", "Total"), bold=True),
                 cell(str(sum(data.distribution.values())), bold=True, align="center"),
                 cell("")))
    return Table(tuple(rows), (100, 35, 35), keep_together=True)


def _reviewers_table(data: UnitSummaryData) -> Table:
    head = tuple(cell(h, bold=True, align="center", compound=True) for h in (
        translate("Report", "Reviewer"),
        translate("Report", "Entries reviewed"),
        translate("Report", "Reviewed late"),
        translate("Report", "Still waiting"),
        translate("Report", "Mean working days"),
    ))
    rows: list[tuple[Cell, ...]] = [head]
    for r in data.reviewers:
        rows.append((
            cell(r.full_name or translate("Report", "(no evaluator assigned)")),
            cell(str(r.reviewed), align="center"),
            cell(str(r.late), align="center"),
            cell(str(r.pending), align="center"),
            cell(tx.number(r.mean_days, 1), align="center"),
        ))
    return Table(tuple(rows), (62, 27, 27, 27, 27), keep_together=True)


# -- the writers -------------------------------------------------------------------------------


def render_form01(data: Form01Data, meta: ReportMeta, language: str | None = None) -> bytes:
    """Mẫu số 01 as a PDF."""
    from kpi_desktop.reports._layout import build_pdf

    return build_pdf(form01_document(data, meta, language))


def render_form02(data: Form02Data, meta: ReportMeta, language: str | None = None) -> bytes:
    """Mẫu số 02 as a PDF."""
    from kpi_desktop.reports._layout import build_pdf

    return build_pdf(form02_document(data, meta, language))


def render_unit_summary(data: UnitSummaryData, meta: ReportMeta,
                        language: str | None = None) -> bytes:
    """The unit summary as a PDF."""
    from kpi_desktop.reports._layout import build_pdf

    return build_pdf(unit_summary_document(data, meta, language))


def render_form01_docx(data: Form01Data, meta: ReportMeta, language: str | None = None
                       ) -> bytes:
    """Mẫu số 01 as an editable Word document."""
    from kpi_desktop.reports.docx_writer import build_docx

    return build_docx(form01_document(data, meta, language))


def render_form02_docx(data: Form02Data, meta: ReportMeta, language: str | None = None
                       ) -> bytes:
    """Mẫu số 02 as an editable Word document."""
    from kpi_desktop.reports.docx_writer import build_docx

    return build_docx(form02_document(data, meta, language))


def render_unit_summary_docx(data: UnitSummaryData, meta: ReportMeta,
                             language: str | None = None) -> bytes:
    """The unit summary as an editable Word document."""
    from kpi_desktop.reports.docx_writer import build_docx

    return build_docx(unit_summary_document(data, meta, language))
