"""The forms of Decree 335/2025/NĐ-CP, Phụ lục II (Mẫu số 01, Mẫu số 02) and the unit summary.

Each ``render_*`` function takes plain data (:mod:`kpi_desktop.reports.data`), the footer's
:class:`~kpi_desktop.reports.data.ReportMeta` and a language ("vi" or "en"), and returns the
PDF as bytes. It never reads the database and never changes the interface's language.
"""

from __future__ import annotations

from fractions import Fraction

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from kpi_desktop.domain.scores import Level
from kpi_desktop.reports import _text as tx
from kpi_desktop.reports._layout import (
    BOLD,
    HEAD_FILL,
    WIDTH,
    CheckBox,
    FootRule,
    Styles,
    build_pdf,
    dotted_lines,
    esc,
    field_line,
    fill_line,
    grid_table,
    letterhead,
    para,
    register_fonts,
    signatures,
)
from kpi_desktop.reports._text import translate
from kpi_desktop.reports.data import (
    Form01Data,
    Form02Data,
    MonthScore,
    ReportMeta,
    UnitSummaryData,
)
from kpi_desktop.runtime.i18n import language_override

LEVELS = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE)


def _person_lines(person) -> list[Flowable]:  # noqa: ANN001
    return [
        field_line(translate("Report", "Full name:"), person.full_name),
        field_line(translate("Report", "Position, title:"), person.position),
        field_line(translate("Report", "Work unit:"), person.unit),
    ]


def _text_of(vi: str, en: str) -> str:
    return vi if tx.language() == "vi" or not en else en


# -- Mẫu số 01 ---------------------------------------------------------------------------------


def render_form01(data: Form01Data, meta: ReportMeta, language: str | None = None) -> bytes:
    """Mẫu số 01: the monthly or quarterly monitoring and evaluation form."""
    register_fonts()
    with language_override(language):
        story = _form01_story(data)
        return build_pdf(
            story,
            title=translate("Report", "Civil servant monitoring and evaluation form"),
            form_label=translate("Report", "Form No. 01"),
            meta=meta,
            author=data.person.full_name,
        )


def _form01_story(data: Form01Data) -> list[Flowable]:
    story: list[Flowable] = letterhead(data.letterhead, translate("Report", "Form No. 01"))
    story += [
        para(esc(translate("Report", "CIVIL SERVANT MONITORING AND EVALUATION FORM")),
             Styles.title),
        para(esc(translate("Report", "(Monitoring and evaluation period: {period})").format(
            period=tx.period_label(data.period))), Styles.subtitle),
    ]
    story += _person_lines(data.person)
    story.append(para(esc(translate(
        "Report", "I. RESULTS OF MONITORING AND EVALUATION AGAINST THE GENERAL CRITERIA")),
        Styles.section))
    story.append(_criteria_table(data))
    if data.is_quarter and data.general_confirmed is not None:
        story.append(para(esc(translate(
            "Report", "For a quarter the points are the mean of its months (Article 17.3)."
        )), Styles.footnote))
    story.append(para(esc(translate(
        "Report", "II. SUMMARY OF THE MONITORING AND EVALUATION RESULTS")), Styles.section))
    story += _summary(data)
    story.append(signatures(
        translate("Report", "SELF-ASSESSING CIVIL SERVANT"),
        translate("Report", "COMPETENT AUTHORITY\nFOR MONITORING AND EVALUATION"),
        data.person.full_name,
        data.evaluator_name,
    ))
    return story


def _criteria_table(data: Form01Data) -> Table:
    head = [
        para(esc(translate("Report", "No.")), Styles.cell_cb),
        para(esc(translate("Report", "Scoring criteria")), Styles.cell_cb),
        para(esc(translate("Report", "Maximum points")), Styles.cell_cb),
        para(esc(translate("Report", "Self-assessed points")), Styles.cell_cb),
        para(esc(translate("Report", "Points confirmed by the evaluator")), Styles.cell_cb),
    ]
    numbers = [para(f"({i})", Styles.cell_ci) for i in range(1, 6)]
    rows: list[list] = [head, numbers]
    extra: list[tuple] = [("BACKGROUND", (0, 1), (-1, 1), HEAD_FILL)]
    for row in data.criteria:
        text = _text_of(row.text_vi, row.text_en)
        bold = row.is_group
        cell = Styles.cell_b if bold else Styles.cell
        center = Styles.cell_cb if bold else Styles.cell_c
        rows.append([
            para(esc(row.number), center),
            para(esc(text), cell),
            para(esc(tx.points(row.max_points)), center),
            para(esc(tx.points(row.self_points)), center),
            para(esc(tx.points(row.confirmed_points)), center),
        ])
    rows.append([
        para(esc(translate("Report", "Total")), Styles.cell_cb),
        "",
        para("30", Styles.cell_cb),
        para(esc(tx.points(data.general_self)), Styles.cell_cb),
        para(esc(tx.points(data.general_confirmed)), Styles.cell_cb),
    ])
    last = len(rows) - 1
    extra.append(("SPAN", (0, last), (1, last)))
    widths = [10 * mm, 90 * mm, 18 * mm, 26 * mm, 26 * mm]
    return grid_table(rows, widths, header_rows=2, extra=extra)


def _summary(data: Form01Data) -> list[Flowable]:
    out: list[Flowable] = []
    general = data.general_points
    out.append(para(esc(translate("Report", "1. General criteria points: {value}").format(
        value=tx.number(general))), Styles.body))
    out.append(para(esc(translate(
        "Report", "2. Task-performance criteria points: {value}").format(
        value=tx.number(data.task_points))), Styles.body_keep))
    if data.insufficient:
        out.append(para(esc(translate(
            "Report", "Insufficient data: nothing was assigned in this period.")), Styles.body))
    elif not data.is_quarter:
        parts = translate(
            "Report", "Quantity a = {a} %; quality b = {b} %; timeliness c = {c} %"
        ).format(a=tx.number(data.a), b=tx.number(data.b), c=tx.number(data.c))
        if data.leader_factors:
            d, dd, e = data.leader_factors
            parts += translate("Report", "; d = {d} %; đ = {dd} %; e = {e} %").format(
                d=d, dd=dd, e=e)
        parts += translate("Report", "; task result {ratio} % × 70").format(
            ratio=tx.number(data.task_ratio))
        out.append(para(esc(parts), Styles.body_keep))
    if data.products:
        out.append(Spacer(1, 1.5 * mm))
        out.append(_products_table(data))
        out += _objective_causes(data)
        out.append(Spacer(1, 2 * mm))
    if data.months:
        out.append(_months_table(data.months))
        out.append(Spacer(1, 2 * mm))
    total = tx.number(data.total)
    level = "" if data.insufficient else f" — {tx.level_label(data.level)}"
    out.append(para(
        esc(translate("Report", "3. Total monitoring and evaluation points:")) +
        f" <b>{esc(total)}{esc(level)}</b>", Styles.body))
    out.append(fill_line(esc(translate("Report", "4. Strengths:"))))
    out += dotted_lines(1)
    out.append(fill_line(esc(translate("Report", "5. Limitations and shortcomings:"))))
    out += dotted_lines(1)
    label = esc(translate("Report", "6. Comments of the competent authority for monitoring "
                                    "and evaluation:"))
    if data.comment:
        out.append(para(f"{label} <i>{esc(data.comment)}</i>", Styles.body))
        out += dotted_lines(1)
    else:
        out.append(fill_line(label))
        out += dotted_lines(2)
    return out


def _objective_causes(data: Form01Data) -> list[Flowable]:
    """The objective causes the leader confirmed, each for its own deduction (Điều 14.2b for
    the quality errors, 14.2c for the delays), with the reason."""
    out: list[Flowable] = []
    for p in data.products:
        for reason in p.quality_causes:
            out.append(para(esc(translate(
                "Report", "{code}: objective cause of the quality errors confirmed "
                "(Article 14.2(b)), not deducted: {reason}").format(code=p.code, reason=reason)),
                Styles.footnote))
        for reason in p.timeliness_causes:
            out.append(para(esc(translate(
                "Report", "{code}: objective cause of the delays confirmed (Article 14.2(c)), "
                "not deducted: {reason}").format(code=p.code, reason=reason)), Styles.footnote))
    return out


def _products_table(data: Form01Data) -> Table:
    head = [
        translate("Report", "No."),
        translate("Report", "Code"),
        translate("Report", "Product / task"),
        translate("Report", "Coeff."),
        translate("Report", "Assigned"),
        translate("Report", "Completed"),
        translate("Report", "Unplanned"),
        translate("Report", "Quality errors"),
        translate("Report", "Late"),
    ]
    rows: list[list] = [[para(esc(h), Styles.cell_h) for h in head]]
    for i, p in enumerate(data.products, start=1):
        rows.append([
            para(str(i), Styles.cell_c),
            para(esc(p.code), Styles.cell),
            para(esc(_text_of(p.name_vi, p.name_en)), Styles.cell),
            para(esc(tx.points(p.coefficient)), Styles.cell_c),
            para(esc(tx.quantity(p.assigned)), Styles.cell_c),
            para(esc(tx.quantity(p.completed)), Styles.cell_c),
            para(esc(tx.quantity(p.extra)), Styles.cell_c),
            para(str(p.failed_reviews or ""), Styles.cell_c),
            para(str(p.delays or ""), Styles.cell_c),
        ])
    widths = [8 * mm, 19 * mm, 51 * mm, 12 * mm, 16 * mm, 19 * mm, 18 * mm, 14 * mm, 13 * mm]
    return grid_table(rows, widths)


def _months_table(months: tuple[MonthScore, ...]) -> Table:
    head = [
        translate("Report", "Month"),
        translate("Report", "General criteria points"),
        translate("Report", "Task-performance points"),
        translate("Report", "Total points"),
        translate("Report", "Notes"),
    ]
    rows: list[list] = [[para(esc(h), Styles.cell_h) for h in head]]
    for m in months:
        rows.append([
            para(esc(tx.period_label(m.period)), Styles.cell),
            para(esc(tx.number(m.general_points)), Styles.cell_c),
            para(esc(tx.number(m.task_points)), Styles.cell_c),
            para(esc(tx.number(m.total)), Styles.cell_c),
            para(esc(tx.note_label(m.note)), Styles.cell),
        ])
    return grid_table(rows, [38 * mm, 30 * mm, 38 * mm, 26 * mm, 38 * mm])


# -- Mẫu số 02 ---------------------------------------------------------------------------------


def render_form02(data: Form02Data, meta: ReportMeta, language: str | None = None) -> bytes:
    """Mẫu số 02: the annual quality classification form."""
    register_fonts()
    with language_override(language):
        story = _form02_story(data)
        return build_pdf(
            story,
            title=translate("Report", "Civil servant quality classification form"),
            form_label=translate("Report", "Form No. 02"),
            meta=meta,
            author=data.person.full_name,
        )


def _form02_story(data: Form02Data) -> list[Flowable]:
    story: list[Flowable] = letterhead(data.letterhead, translate("Report", "Form No. 02"))
    story += [
        para(esc(translate("Report", "CIVIL SERVANT QUALITY CLASSIFICATION FORM")),
             Styles.title),
        para(esc(translate("Report", "Year {year}").format(year=data.year)),
             Styles.subtitle),
    ]
    story += _person_lines(data.person)
    story.append(para(esc(translate(
        "Report", "I. SUMMARY OF THE MONITORING AND EVALUATION RESULTS")), Styles.section))
    head = [
        translate("Report", "Month"),
        translate("Report", "Total monitoring and evaluation points"),
        translate("Report", "Notes"),
    ]
    rows: list[list] = [[para(esc(h), Styles.cell_cb) for h in head]]
    for i, m in enumerate(data.months, start=1):
        rows.append([
            para(str(i), Styles.cell_c),
            para(esc(tx.number(m.total) if m.total is not None else ""), Styles.cell_c),
            para(esc(tx.note_label(m.note)), Styles.cell),
        ])
    note = translate("Report", "mean of {count} months").format(count=data.months_counted)
    rows.append([
        para(esc(translate("Report", "Mean total points for the year")), Styles.cell_b),
        para(esc(tx.number(data.mean)), Styles.cell_cb),
        para(esc(note), Styles.cell),
    ])
    last = len(rows) - 1
    story.append(grid_table(rows, [58 * mm, 56 * mm, 56 * mm],
                            extra=[("TOPPADDING", (0, 1), (-1, -1), 0.6),
                                   ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2),
                                   ("FONTNAME", (0, last), (-1, last), BOLD)]))
    for kind, first, last, number in data.leave:  # Điều 11.2
        story.append(para(esc(translate(
            "Report", "Leave: {kind} from {start} to {end} ({decision})").format(
            kind=tx.leave_label(kind), start=tx.date_text(first), end=tx.date_text(last),
            decision=number)), Styles.footnote))
    computed = translate("Report", "Level from the scores (computed): {level}").format(
        level=tx.level_label(data.computed_level))
    if data.disciplined:
        computed += " — " + tx.note_label("disciplined")
    elif data.reason in ("too_few_months", "no_months"):
        computed += " — " + tx.note_label("too_few_months")
    elif data.reason == "classified_on_leave":
        computed += " — " + tx.note_label("classified_on_leave")
    elif data.reason == "capped_by_org":
        computed += " — " + tx.note_label("capped_by_org")
    story.append(Spacer(1, 1.5 * mm))
    story.append(para(f"<i>{esc(computed)}</i>", Styles.body))
    story.append(para(esc(translate(
        "Report", "II. SELF-ASSESSMENT AND QUALITY CLASSIFICATION BY THE CIVIL SERVANT")),
        Styles.section))
    story.append(_level_boxes(data.self_level))
    story.append(para(esc(translate(
        "Report", "III. QUALITY CLASSIFICATION BY THE COMPETENT AUTHORITY")) + "<super>1</super>",
        Styles.section))
    story.append(_level_boxes(data.decided_level))
    if data.decision_no:
        story.append(para(esc(translate("Report", "Decision No. {number} of {date}").format(
            number=data.decision_no, date=tx.date_text(data.decision_date))), Styles.body))
    story.append(para(esc(translate("Report", "IV. PROPOSED MEASURES")), Styles.section))
    story += dotted_lines(2)
    story.append(signatures(
        translate("Report", "SELF-CLASSIFYING CIVIL SERVANT"),
        translate("Report", "COMPETENT AUTHORITY\nFOR CLASSIFICATION"),
        data.person.full_name,
        room=17 * mm,
    ))
    story.append(Spacer(1, 2 * mm))
    story.append(FootRule())
    story.append(para("<super>1</super> " + esc(translate(
        "Report", "The quality classification follows Article 20 of Decree 335/2025/NĐ-CP.")),
        Styles.footnote))
    return story


def _level_boxes(chosen: Level | None) -> Table:
    """The four levels with tick boxes, two per line."""
    cells = []
    for level in LEVELS:
        text = esc(tx.level_label(level))
        cells += [CheckBox(level is chosen),
                  para(f"<b>{text}</b>" if level is chosen else text, Styles.body)]
    rows = [cells[:4], cells[4:]]
    half = WIDTH / 2
    table = Table(rows, colWidths=[8 * mm, half - 8 * mm, 8 * mm, half - 8 * mm])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


# -- Unit summary ------------------------------------------------------------------------------


def render_unit_summary(data: UnitSummaryData, meta: ReportMeta,
                        language: str | None = None) -> bytes:
    """Everyone of a unit for a period, the distribution of levels, the quota, review delays."""
    register_fonts()
    with language_override(language):
        story = _unit_story(data)
        return build_pdf(
            story,
            title=translate("Report", "Summary of monitoring and evaluation results"),
            form_label=translate("Report", "Unit summary"),
            meta=meta,
            author=data.unit_name,
        )


def _unit_story(data: UnitSummaryData) -> list[Flowable]:
    yearly = "-" not in data.period
    story: list[Flowable] = letterhead(data.letterhead)
    title = (translate("Report", "SUMMARY OF CIVIL SERVANT QUALITY CLASSIFICATION RESULTS")
             if yearly else
             translate("Report", "SUMMARY OF CIVIL SERVANT MONITORING AND EVALUATION RESULTS"))
    story += [
        para(esc(title), Styles.title),
        para(esc(translate("Report", "{unit} — {period}").format(
            unit=data.unit_name, period=tx.period_label(data.period))), Styles.subtitle),
    ]
    story.append(para(esc(translate("Report", "I. RESULTS BY PERSON")), Styles.section))
    story.append(_people_table(data, yearly))
    story.append(para(esc(translate("Report", "II. DISTRIBUTION BY LEVEL")), Styles.section))
    story.append(_distribution_table(data))
    if data.quota is not None:
        q = data.quota
        text = translate(
            "Report",
            "“Excellent” quota (Article 20.5): {excellent} rated Excellent; at most {limit} "
            "allowed ({share} % of {good} rated Good).",
        ).format(excellent=q.excellent, limit=q.limit, share=q.share_percent, good=q.good)
        if q.excess > 0:
            text += " " + translate(
                "Report", "Over the quota by {excess}: the approver must decide who is moved "
                "down.").format(excess=q.excess)
        else:
            text += " " + translate("Report", "Within the quota.")
        story.append(Spacer(1, 1.5 * mm))
        story.append(para(esc(text), Styles.body))
    story.append(para(esc(translate("Report", "III. LEADERS' REVIEW OF THE WORK LOG")),
                      Styles.section))
    if data.reviewers:
        story.append(_reviewers_table(data))
        story.append(para(esc(translate(
            "Report", "Late: a verdict given more than {days} working days after submission."
        ).format(days=data.review_deadline_days)), Styles.footnote))
    else:
        story.append(para(esc(translate("Report", "No work-log entries were reviewed.")),
                          Styles.body))
    story.append(signatures(translate("Report", "PREPARED BY"),
                            translate("Report", "HEAD OF THE UNIT")))
    return story


def _people_table(data: UnitSummaryData, yearly: bool) -> Table:
    """One line per person, grouped under a heading line per unit."""
    if yearly:
        head = [
            translate("Report", "No."),
            translate("Report", "Full name"),
            translate("Report", "Position"),
            translate("Report", "Months"),
            translate("Report", "Mean points"),
            translate("Report", "Level"),
        ]
        widths = [9 * mm, 35 * mm, 44 * mm, 13 * mm, 17 * mm, 52 * mm]
    else:
        head = [
            translate("Report", "No."),
            translate("Report", "Full name"),
            translate("Report", "Position"),
            translate("Report", "General"),
            translate("Report", "Tasks"),
            translate("Report", "Total"),
            translate("Report", "Level"),
        ]
        widths = [9 * mm, 33 * mm, 34 * mm, 14 * mm, 14 * mm, 16 * mm, 50 * mm]
    rows: list[list] = [[para(esc(h), Styles.cell_h) for h in head]]
    extra: list[tuple] = []
    current_unit = None
    for i, r in enumerate(data.rows, start=1):
        if r.unit != current_unit:
            current_unit = r.unit
            rows.append([para(esc(r.unit), Styles.cell_b)] + [""] * (len(head) - 1))
            line = len(rows) - 1
            extra += [("SPAN", (0, line), (-1, line)),
                      ("BACKGROUND", (0, line), (-1, line), colors.HexColor("#F6F6F6"))]
        level = tx.level_short(r.level)
        if r.note:
            level = f"{level} — {tx.note_label(r.note)}" if r.level else tx.note_label(r.note)
        cells = [
            para(str(i), Styles.cell_c),
            para(esc(r.full_name), Styles.cell),
            para(esc(r.position), Styles.cell),
        ]
        if yearly:
            cells += [para(str(r.months_counted), Styles.cell_c),
                      para(esc(tx.number(r.total)), Styles.cell_c)]
        else:
            cells += [para(esc(tx.number(r.general_points)), Styles.cell_c),
                      para(esc(tx.number(r.task_points)), Styles.cell_c),
                      para(esc(tx.number(r.total)), Styles.cell_c)]
        cells.append(para(esc(level), Styles.cell))
        rows.append(cells)
    return grid_table(rows, widths, extra=extra)


def _distribution_table(data: UnitSummaryData) -> Table:
    total = sum(data.distribution.values()) or 1
    rows: list[list] = [[para(esc(h), Styles.cell_cb) for h in (
        translate("Report", "Level"), translate("Report", "People"), translate("Report", "Share"))]]
    for key in [lv.value for lv in LEVELS] + ["not_classified"]:
        count = data.distribution.get(key, 0)
        rows.append([
            para(esc(tx.level_label(None if key == "not_classified" else key)), Styles.cell),
            para(str(count), Styles.cell_c),
            para(esc(tx.number(Fraction(count * 100, total), 1)) + " %", Styles.cell_c),
        ])
    rows.append([para(esc(translate("Report", "Total")), Styles.cell_b),
                 para(str(sum(data.distribution.values())), Styles.cell_cb), ""])
    return grid_table(rows, [100 * mm, 35 * mm, 35 * mm])


def _reviewers_table(data: UnitSummaryData) -> KeepTogether:
    head = [
        translate("Report", "Reviewer"),
        translate("Report", "Entries reviewed"),
        translate("Report", "Reviewed late"),
        translate("Report", "Still waiting"),
        translate("Report", "Mean working days"),
    ]
    rows: list[list] = [[para(esc(h), Styles.cell_cb) for h in head]]
    for r in data.reviewers:
        rows.append([
            para(esc(r.full_name or translate("Report", "(no evaluator assigned)")),
                 Styles.cell),
            para(str(r.reviewed), Styles.cell_c),
            para(str(r.late), Styles.cell_c),
            para(str(r.pending), Styles.cell_c),
            para(esc(tx.number(r.mean_days, 1)), Styles.cell_c),
        ])
    return KeepTogether(grid_table(rows, [62 * mm, 27 * mm, 27 * mm, 27 * mm, 27 * mm]))
