"""Headless commands of keys, the organisation file, bundles and the hub (issue 5).

``kpi_desktop.cli`` adds these to its parser and dispatches to :data:`HANDLERS`. Passphrases
never appear on the command line: they are read from ``KPI_DESKTOP_PASSPHRASE`` (and
``KPI_DESKTOP_NEW_PASSPHRASE`` for a change), or asked for when a terminal is attached.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kpi_desktop.domain.errors import RefusedValue
from kpi_desktop.runtime.i18n import translate

EXIT_OK, EXIT_REFUSED = 0, 3
PASSPHRASE_ENV = "KPI_DESKTOP_PASSPHRASE"
NEW_PASSPHRASE_ENV = "KPI_DESKTOP_NEW_PASSPHRASE"


def add_commands(commands: Any) -> None:
    """Add ``keys``, ``org``, ``import``, ``sync`` and ``hub`` to the command parser."""
    as_help = translate("Cli", "whose key signs and opens the bundles (a person id or agency)")

    keys = commands.add_parser("keys", help=translate("Cli", "personal keys on this PC"))
    key_sub = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    create = key_sub.add_parser("create", help=translate("Cli", "create a person's key"))
    create.add_argument("--person", required=True, metavar="ID",
                        help=translate("Cli", "person identifier"))
    create.add_argument("--request", metavar="FILE",
                        help=translate("Cli", "write the enrolment request for the agency here"))
    key_sub.add_parser("list", help=translate("Cli", "list the keys on this PC"))
    passwd = key_sub.add_parser("passwd", help=translate("Cli", "change a key's passphrase"))
    passwd.add_argument("--person", required=True, metavar="ID",
                        help=translate("Cli", "person identifier (or agency)"))
    enrol = key_sub.add_parser("enrol", help=translate(
        "Cli", "agency: publish the key of an enrolment request"))
    enrol.add_argument("file", metavar="FILE", help=translate("Cli", "the enrolment request"))
    revoke = key_sub.add_parser("revoke", help=translate("Cli", "agency: revoke a key"))
    revoke.add_argument("fingerprint", metavar="FINGERPRINT",
                        help=translate("Cli", "the key's fingerprint"))
    agency_init = key_sub.add_parser("agency-init", help=translate(
        "Cli", "agency: create the agency's signing key on this PC"))
    agency_init.add_argument("--replace", action="store_true", help=translate(
        "Cli", "the agency key is lost: make a new one (every PC must then import the next "
        "organisation file with --new-agency-key)"))
    key_sub.add_parser("agency-rotate", help=translate(
        "Cli", "agency: replace the agency's key; the next organisation file announces it"))

    org = commands.add_parser("org", help=translate("Cli", "the organisation file"))
    org_sub = org.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    org_import = org_sub.add_parser("import", help=translate(
        "Cli", "set up or update this PC from the agency's organisation file"))
    org_import.add_argument("file", metavar="FILE", help=translate("Cli", "organisation file"))
    org_import.add_argument("--new-agency-key", metavar="FINGERPRINT", help=translate(
        "Cli", "after the agency lost its key: trust the new agency key with this "
        "fingerprint (check it with the agency by phone)"))
    create = org_sub.add_parser("create", help=translate(
        "Cli", "agency: start the organisation on an empty agency PC"))
    create.add_argument("--id", required=True, metavar="ID",
                        help=translate("Cli", "organisation identifier"))
    create.add_argument("--name", required=True, help=translate("Cli", "name (Vietnamese)"))
    create.add_argument("--code", default="", help=translate("Cli", "short code"))
    support = org_sub.add_parser("support", help=translate(
        "Cli", "agency: who helps your users (unit, phone, e-mail), shown in Help"))
    support.add_argument("contact", metavar="TEXT", help=translate(
        "Cli", "the support contact, for example \"Bộ phận tổ chức cán bộ — 0238 …\""))
    catalog = org_sub.add_parser("catalog", help=translate(
        "Cli", "agency: import a catalog workbook (layout of QĐ 283) as the active version"))
    catalog.add_argument("file", metavar="FILE.xlsx", help=translate("Cli", "catalog workbook"))
    catalog.add_argument("--version", required=True, metavar="ID",
                         help=translate("Cli", "catalog version identifier"))
    catalog.add_argument("--label", default="", help=translate("Cli", "catalog version label"))
    staff = org_sub.add_parser("staff", help=translate(
        "Cli", "agency: import a staff list (CSV or XLSX)"))
    staff.add_argument("file", metavar="FILE", help=translate("Cli", "staff list"))
    policy = org_sub.add_parser("policy", help=translate(
        "Cli", "agency: add a scoring policy version (JSON file)"))
    policy.add_argument("file", metavar="FILE.json", help=translate("Cli", "policy file"))
    policy.add_argument("--from", dest="active_from", required=True, metavar="YYYY-MM-DD",
                        help=translate("Cli", "the day the policy takes effect"))
    proposals = org_sub.add_parser("proposals", help=translate(
        "Cli", "agency: list the officials' proposals of new catalog items"))
    proposals.add_argument("--json", action="store_true",
                           help=translate("Cli", "print the result as JSON"))
    accept = org_sub.add_parser("accept-proposal", help=translate(
        "Cli", "agency: add a proposed item to a new active catalog version"))
    accept.add_argument("proposal", metavar="ID", help=translate("Cli", "proposal identifier"))
    accept.add_argument("--code", required=True, help=translate(
        "Cli", "code of the new catalog item (for example HCC.99)"))
    accept.add_argument("--points", help=translate(
        "Cli", "points of the new item (default: the proposed points)"))
    accept.add_argument("--note", default="", help=translate("Cli", "note for the official"))
    reject = org_sub.add_parser("reject-proposal", help=translate(
        "Cli", "agency: reject a proposal of a new catalog item"))
    reject.add_argument("proposal", metavar="ID", help=translate("Cli", "proposal identifier"))
    reject.add_argument("--note", required=True, help=translate(
        "Cli", "why it is rejected (for the official)"))
    limits = org_sub.add_parser("hub-limits", help=translate(
        "Cli", "agency: how many bundles and megabytes each member may send to the hub a "
        "day (without options: show them)"))
    limits.add_argument("--bundles-per-day", type=int, metavar="N",
                        help=translate("Cli", "bundles per member in any 24 hours"))
    limits.add_argument("--megabytes-per-day", type=int, metavar="MB",
                        help=translate("Cli", "megabytes per member in any 24 hours"))
    publish = org_sub.add_parser("publish", help=translate(
        "Cli", "agency: sign and write the next version of the organisation file"))
    publish.add_argument("--out", required=True, metavar="DIR",
                         help=translate("Cli", "folder to write the file to"))

    propose = commands.add_parser("propose", help=translate(
        "Cli", "propose a new product or task for the catalog (Article 13.3)"))
    propose.add_argument("--as", dest="as_id", required=True, metavar="ID",
                         help=translate("Cli", "person identifier"))
    propose.add_argument("--name", required=True, help=translate(
        "Cli", "name of the product or task (Vietnamese)"))
    propose.add_argument("--output", default="", help=translate("Cli", "its output"))
    propose.add_argument("--group", required=True, metavar="N1-N5", help=translate(
        "Cli", "suggested complexity group"))
    propose.add_argument("--points", required=True, help=translate("Cli", "suggested points"))
    propose.add_argument("--reason", required=True, help=translate(
        "Cli", "why the catalog should include it"))

    imp = commands.add_parser("import", help=translate(
        "Cli", "import bundles (files, or every bundle in a folder)"))
    imp.add_argument("paths", nargs="+", metavar="PATH",
                     help=translate("Cli", "bundle file or folder"))
    imp.add_argument("--as", dest="as_ids", action="append", metavar="ID", default=[],
                     help=as_help)

    sync = commands.add_parser("sync", help=translate("Cli", "send and receive bundles"))
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    export = sync_sub.add_parser("export", help=translate(
        "Cli", "write everything not yet acknowledged to a folder (USB stick)"))
    export.add_argument("--to", required=True, metavar="DIR",
                        help=translate("Cli", "folder to write the bundles to"))
    export.add_argument("--as", dest="as_id", required=True, metavar="ID", help=as_help)
    now = sync_sub.add_parser("now", help=translate(
        "Cli", "send the outbox to the hub and fetch what is addressed to this PC"))
    now.add_argument("--hub", required=True, metavar="URL", help=translate("Cli", "hub address"))
    now.add_argument("--as", dest="as_id", required=True, metavar="ID", help=as_help)
    sync_sub.add_parser("status", help=translate(
        "Cli", "bundles that did not arrive, bundles held, records refused or flagged"))
    release = sync_sub.add_parser("release", help=translate(
        "Cli", "import a bundle held for a reused number, after checking it with its sender"))
    release.add_argument("bundle", metavar="ID", help=translate("Cli", "bundle identifier"))
    release.add_argument("--as", dest="as_ids", action="append", metavar="ID", default=[],
                         help=as_help)
    discard = sync_sub.add_parser("discard", help=translate(
        "Cli", "drop a bundle held for a reused number without importing it"))
    discard.add_argument("bundle", metavar="ID", help=translate("Cli", "bundle identifier"))

    hub = commands.add_parser("hub", help=translate("Cli", "the agency hub"))
    hub_sub = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    serve = hub_sub.add_parser("serve", help=translate("Cli", "run the hub (HTTP)"))
    serve.add_argument("--host", default="127.0.0.1", help=translate("Cli", "address to listen on"))
    serve.add_argument("--port", type=int, default=8335, help=translate("Cli", "port"))
    serve.add_argument("--db", metavar="URL", help=translate(
        "Cli", "where the hub stores bundles: sqlite:///FILE or "
        "postgresql+psycopg://USER:PASSWORD@HOST/DATABASE (default: this data folder's "
        "database)"))
    serve.add_argument("--certfile", metavar="FILE.pem", help=translate(
        "Cli", "serve HTTPS with this certificate (PEM, with its chain)"))
    serve.add_argument("--keyfile", metavar="FILE.pem", help=translate(
        "Cli", "the private key of the certificate (PEM)"))
    serve.add_argument("--behind-proxy", metavar="ADDRESS", dest="behind_proxy", help=translate(
        "Cli", "the address of the reverse proxy in front of the hub: its X-Forwarded-For "
        "header then names each client"))


def _say(text: str, *, err: bool = False) -> None:
    """One line for the person at the terminal (stderr for refusals)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def _passphrase(owner: str, *, env: str = PASSPHRASE_ENV, new: bool = False) -> str:
    """The passphrase from ``env``, else typed at the terminal, else one line of standard
    input.

    Raises:
        RefusedValue: ``passphrase_missing`` when none was given at all (no terminal, no
            variable, an empty line): that is not a wrong passphrase.
    """
    value = os.environ.get(env)
    if value is None:
        if new:
            prompt = translate("Cli", "New passphrase for {owner}: ").format(owner=owner)
        else:
            prompt = translate("Cli", "Passphrase for {owner}: ").format(owner=owner)
        if sys.stdin is not None and sys.stdin.isatty():
            value = getpass.getpass(prompt)
        else:
            line = sys.stdin.readline() if sys.stdin is not None else ""
            value = line.rstrip("\r\n")
    if not value:
        raise RefusedValue("passphrase_missing", owner=owner, variable=env)
    return value


def _unlock(services: Any, owner: str) -> None:
    services.keys.unlock(owner, _passphrase(owner))


def _keys(services: Any, args: argparse.Namespace) -> int:
    keys = services.keys
    action = args.keys_command
    if action == "create":
        info = keys.create(args.person, _passphrase(args.person, new=True))
        _say(translate("Cli", "Key of {owner} created; fingerprint {fingerprint}.").format(
            owner=info.owner_id, fingerprint=info.readable))
        if not info.enrolled:
            target = Path(args.request or f"KPI_enrolment_{args.person}.json")
            target.write_bytes(keys.enrolment_request(args.person))
            _say(translate("Cli", "Give {path} to the agency so that it publishes the key.")
                  .format(path=target))
    elif action == "list":
        for owner in keys.owners():
            info = keys.info(owner)
            state = (translate("Cli", "published") if info.enrolled
                     else translate("Cli", "waiting for the agency"))
            _say(f"{owner:<12} {info.readable}  {state}")
    elif action == "passwd":
        keys.change_passphrase(args.person, _passphrase(args.person),
                               _passphrase(args.person, env=NEW_PASSPHRASE_ENV, new=True))
        _say(translate("Cli", "Passphrase of {owner} changed.").format(owner=args.person))
    elif action == "enrol":
        _unlock(services, "agency")
        info = keys.enrol(Path(args.file).read_bytes())
        _say(translate("Cli", "Key {fingerprint} of {owner} enrolled; publish the organisation "
                        "file to send it out.").format(fingerprint=info.readable,
                                                       owner=info.owner_id))
    elif action == "revoke":
        keys.revoke(args.fingerprint.replace(" ", "").lower())
        _say(translate("Cli", "Key revoked; publish the organisation file to send it out."))
    elif action == "agency-rotate":
        _unlock(services, "agency")
        fingerprint = services.sync.rotate_agency_key(
            _passphrase("agency", env=NEW_PASSPHRASE_ENV, new=True))
        from kpi_desktop.sync.keys import readable_fingerprint

        _say(translate("Cli", "New agency key {fingerprint}; publish the organisation file to "
                       "announce it.").format(fingerprint=readable_fingerprint(fingerprint)))
    elif action == "agency-init":
        fingerprint = services.sync.create_agency_key(_passphrase("agency", new=True),
                                                      replace=args.replace)
        from kpi_desktop.sync.keys import readable_fingerprint

        _say(translate("Cli", "Agency key created; fingerprint {fingerprint}.").format(
            fingerprint=readable_fingerprint(fingerprint)))
    return EXIT_OK


def _org(services: Any, args: argparse.Namespace) -> int:
    from kpi_desktop.services.agency_setup import AgencySetupService

    setup = AgencySetupService(services.db)
    if args.org_command == "create":
        org = setup.create_organisation(args.id, args.name, code=args.code)
        _say(translate("Cli", "Organisation “{name}” created.").format(name=org.name_vi))
        return EXIT_OK
    if args.org_command == "support":
        contact = services.agency.set_support_contact(args.contact)
        _say(translate("Cli", "Support contact set to “{contact}”; publish the organisation "
                       "file to send it to every PC.").format(contact=contact))
        return EXIT_OK
    if args.org_command == "catalog":
        count = setup.import_catalog(args.file, version_id=args.version, label=args.label)
        _say(translate("Cli", "Catalog version {version}: {count} items imported.").format(
            version=args.version, count=count))
        return EXIT_OK
    if args.org_command == "staff":
        summary = setup.import_staff(args.file)
        _say(translate("Cli", "Staff list imported: {added} people added, {updated} updated, "
                       "{units} units and {positions} job positions added, {relations} "
                       "evaluator relations set.").format(
            added=summary.people_added, updated=summary.people_updated,
            units=summary.units_added, positions=summary.positions_added,
            relations=summary.relations_added))
        return EXIT_OK
    if args.org_command == "policy":
        import datetime as dt

        try:
            active_from = dt.date.fromisoformat(args.active_from)
        except ValueError:
            raise RefusedValue("date_malformed", value=args.active_from) from None
        version = setup.import_policy(args.file, active_from=active_from)
        _say(translate("Cli", "Scoring policy {version} stored; publish the organisation file "
                       "to send it out.").format(version=version))
        return EXIT_OK
    if args.org_command == "hub-limits":
        return _hub_limits(services, args)
    if args.org_command in ("proposals", "accept-proposal", "reject-proposal"):
        return _org_proposals(services, args)
    if args.org_command == "publish":
        _unlock(services, "agency")
        result = services.sync.publish_organisation(Path(args.out))
        _say(translate("Cli", "Organisation version {version} written to {path}.").format(
            version=result.seq, path=result.path))
        return EXIT_OK
    if args.new_agency_key:
        result = services.sync.repin_agency_key(Path(args.file), args.new_agency_key)
        return _report_imports(services, [result], show_agency=True)
    return _report_imports(services, services.sync.import_paths([Path(args.file)]),
                           show_agency=True)


def _hub_limits(services: Any, args: argparse.Namespace) -> int:
    from kpi_desktop.services.hub_limits import (
        HubLimits,
        agency_hub_limits,
        set_agency_hub_limits,
    )

    current = agency_hub_limits(services.db)
    if args.bundles_per_day is not None or args.megabytes_per_day is not None:
        current = HubLimits(
            bundles_per_day=current.bundles_per_day if args.bundles_per_day is None
            else args.bundles_per_day,
            megabytes_per_day=current.megabytes_per_day if args.megabytes_per_day is None
            else args.megabytes_per_day)
        set_agency_hub_limits(services.db, current)
        _say(translate("Cli", "Hub limits set; publish the organisation file to send them to "
                       "the hub."))
    _say(translate("Cli", "Each member may send {bundles} bundles and {megabytes} MB to the hub "
                   "in any 24 hours.").format(bundles=current.bundles_per_day,
                                              megabytes=current.megabytes_per_day))
    return EXIT_OK


def _proposal_service(services: Any) -> Any:
    from kpi_desktop.services.proposals import ProposalService

    return ProposalService(services.db, services.keys)


def _org_proposals(services: Any, args: argparse.Namespace) -> int:
    from kpi_desktop.services.messages import proposal_status_label

    proposals = _proposal_service(services)
    if args.org_command == "accept-proposal":
        proposal, version = proposals.accept(args.proposal, code=args.code, points=args.points,
                                             note=args.note)
        _say(translate("Cli", "Proposal accepted as item {code} of the new active catalog "
                       "version {version}; publish the organisation file to send it out.")
             .format(code=proposal.accepted_item_code, version=version.id))
        return EXIT_OK
    if args.org_command == "reject-proposal":
        proposals.reject(args.proposal, note=args.note)
        _say(translate("Cli", "Proposal {id} rejected.").format(id=args.proposal))
        return EXIT_OK
    found = proposals.proposals()
    if args.json:
        import json

        from kpi_desktop.sync.records import to_json

        rows = [{k: v for k, v in to_json(p).items() if k != "signature"} for p in found]
        _say(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        _say(translate("Cli", "No proposals."))
    for p in found:
        _say(f"{p.id}  {p.proposed_at:%Y-%m-%d}  {p.person_id}  {p.group.value} {p.points}  "
             f"{p.name_vi}  [{proposal_status_label(p.status)}"
             + (f" {p.accepted_item_code}" if p.accepted_item_code else "") + "]")
    return EXIT_OK


def _propose(services: Any, args: argparse.Namespace) -> int:
    if args.as_id in services.keys.owners():
        _unlock(services, args.as_id)
    proposal = _proposal_service(services).propose(
        person_id=args.as_id, name_vi=args.name, output_vi=args.output, group=args.group,
        points=args.points, reason=args.reason)
    _say(translate("Cli", "Proposal {id} filed; it goes to the agency with your next export.")
         .format(id=proposal.id))
    return EXIT_OK


def _import(services: Any, args: argparse.Namespace) -> int:
    """Import every bundle found; one summary in names and plain counts. Exit 3 only when
    something addressed to the people signed in (``--as``) was refused: bundles for other
    people on a shared stick are left in place."""
    for owner in args.as_ids:
        _unlock(services, owner)
    from kpi_desktop.services.sync import BUNDLE_SUFFIX

    paths = [Path(p) for p in args.paths]
    empty = [p for p in paths if p.is_dir() and not any(
        f.suffix == BUNDLE_SUFFIX and not f.name.startswith(".") for f in p.iterdir())]
    for folder in empty:
        _say(translate("Cli", "No bundle file (*.kpib) was found in {folder}: nothing was "
                       "imported from it.").format(folder=folder), err=True)
    results, summary = services.sync_summary.import_paths(services.sync, paths,
                                                          list(args.as_ids))
    if not results:
        return EXIT_REFUSED
    for line in summary.lines():
        _say(line)
    for refusal in summary.refused:
        if refusal.mine:
            _say(translate("Cli", "Refused for {recipient}: {file}. {reason}").format(
                recipient=refusal.recipient_name, file=refusal.file, reason=refusal.reason),
                err=True)
    return EXIT_REFUSED if summary.failed else EXIT_OK


def _person_name(services: Any, person_id: str) -> str:
    """A person's name for messages (the agency as "the agency")."""
    if person_id == "agency":
        return translate("Cli", "the agency")
    found = next((r for r in services.organisation.people_overview() if r["id"] == person_id),
                 None)
    return found["full_name"] if found else person_id


def _report_imports(services: Any, results: list[Any], *, show_agency: bool = False) -> int:
    refused = False
    for result in results:
        line = services.sync.describe_result(result)
        if result.ok:
            _say(line)
        else:
            refused = True
            _say(line, err=True)
    if show_agency and not refused:
        from kpi_desktop.sync.keys import readable_fingerprint

        fingerprint = services.sync.agency_fingerprint()
        if fingerprint:
            _say(translate("Cli", "Agency key: {fingerprint}").format(
                fingerprint=readable_fingerprint(fingerprint)))
    return EXIT_REFUSED if refused else EXIT_OK


def _sync_status(services: Any) -> int:
    """What a person should know about the channels of this PC (issue 13)."""
    lines = services.sync.attention_lines()
    for line in lines or [translate("Cli", "Nothing missing, held, refused or flagged.")]:
        _say(line)
    return EXIT_OK


def _sync(services: Any, args: argparse.Namespace) -> int:
    if args.sync_command == "status":
        return _sync_status(services)
    if args.sync_command == "discard":
        services.sync.discard_held(args.bundle)
        _say(translate("Cli", "Held bundle {bundle} discarded.").format(bundle=args.bundle))
        return EXIT_OK
    if args.sync_command == "release":
        for owner in args.as_ids:
            _unlock(services, owner)
        return _report_imports(services, [services.sync.release_held(args.bundle)])
    _unlock(services, args.as_id)
    if args.sync_command == "export":
        results = services.sync.export(args.as_id, Path(args.to))
        for result in results:
            _say(translate("Cli", "Written {path} for {recipient} (number {seq}).").format(
                path=result.path, recipient=_person_name(services, result.recipient_id),
                seq=result.seq))
        if not results:
            _say(translate("Cli", "Nothing to send: everything was acknowledged."))
        return EXIT_OK
    from kpi_desktop.services.hub_client import sync_now

    summary = services.sync_summary
    before = summary.snapshot(summary.concerned([args.as_id]))
    outcome = sync_now(services, args.hub, args.as_id)
    _say((translate("Cli", "Sent {sent} bundle to the hub.") if outcome.sent == 1 else
          translate("Cli", "Sent {sent} bundles to the hub.")).format(sent=outcome.sent))
    from kpi_desktop.services.hub_client import describe_set_aside

    for name, error in outcome.refused:
        _say(describe_set_aside(name, error), err=True)
    # What arrived, in names and plain counts (issue 16 item 4).
    told = summary.summarise(outcome.received, before, [args.as_id])
    for line in told.lines() if outcome.received else []:
        _say(line)
    for refusal in told.refused:
        if refusal.mine:
            _say(translate("Cli", "Refused for {recipient}: {file}. {reason}").format(
                recipient=refusal.recipient_name, file=refusal.file, reason=refusal.reason),
                err=True)
    return EXIT_REFUSED if outcome.refused or told.failed else EXIT_OK


def _hub(services: Any, args: argparse.Namespace) -> int:
    from kpi_desktop.hub.server import serve

    serve(services, host=args.host, port=args.port, db_url=args.db, certfile=args.certfile,
          keyfile=args.keyfile, forwarded_allow_ips=args.behind_proxy)
    return EXIT_OK


HANDLERS: dict[str, Callable[[Any, argparse.Namespace], int]] = {
    "keys": _keys,
    "org": _org,
    "import": _import,
    "propose": _propose,
    "sync": _sync,
    "hub": _hub,
}


