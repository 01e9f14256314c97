"""A return's life: open, save, submit, send back, approve (locks), reopen; every change a revision, audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from conftest import make_org
from hoptac.core.audit import entries_for
from hoptac.registry.services import event_record
from hoptac.returns import services, validation
from hoptac.returns.models import FormField, FormVersion, Return, Status

from .conftest import VALID, approve, submit

D = datetime.date


# ---------------------------------------------------------------- opening


def test_a_return_opens_as_a_draft_on_the_version_in_force(annual, org_tan_yen, coop_user):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    assert ret.status == Status.DRAFT and ret.version == annual.version_for(2020)
    assert [r.revision for r in ret.revisions.all()] == [1]
    assert [e.action for e in entries_for(ret)] == ["returns.return.opened"]


def test_an_organisation_of_another_kind_does_not_file_the_form(annual, commune_tan_yen):
    fund = make_org(commune_tan_yen, kind="QTDND", sector="tin_dung", name="Quỹ tín dụng nhân dân Thử nghiệm")
    with pytest.raises(ValidationError, match="không phải nộp biểu này"):
        services.return_open(form=annual, organization=fund, year=2020, by=None)


def test_an_organisation_not_yet_founded_does_not_file(annual, commune_tan_yen):
    org = make_org(commune_tan_yen, founded_on=D(2021, 3, 1))
    with pytest.raises(ValidationError):
        services.return_open(form=annual, organization=org, year=2020, by=None)


def test_an_organisation_dissolved_before_the_year_does_not_file(annual, org_tan_yen):
    event_record(organization=org_tan_yen, kind="dissolved", on=D(2019, 6, 1))
    with pytest.raises(ValidationError):
        services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)


def test_an_organisation_dissolved_during_the_year_still_files_it(annual, org_tan_yen):
    event_record(organization=org_tan_yen, kind="dissolved", on=D(2020, 6, 1))
    assert services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None).pk


def test_a_return_is_opened_once(annual, org_tan_yen):
    services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)
    with pytest.raises(ValidationError):
        services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)


def test_a_future_period_cannot_be_opened(annual, org_tan_yen):
    with pytest.raises(ValidationError):
        services.return_open(form=annual, organization=org_tan_yen, year=datetime.date.today().year + 1, by=None)


def test_the_alliances_quarterly_return_has_no_organisation(quarterly, staff, org_tan_yen):
    ret = services.return_open(form=quarterly, organization=None, year=2021, quarter=1, by=staff)
    assert ret.organization is None and ret.quarter == 1
    with pytest.raises(ValidationError):
        services.return_open(form=quarterly, organization=org_tan_yen, year=2021, quarter=2, by=None)


# ---------------------------------------------------------------- saving


def test_a_save_keeps_a_revision_with_the_values_and_audits_the_changes(annual, org_tan_yen, coop_user):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    ret = services.return_save(ret=ret, values={"revenue": "2.500.000.000", "employees": "8"}, revision=1, by=coop_user)
    assert ret.revision == 2
    revision = ret.revisions.get(revision=2)
    assert revision.values == {"revenue": 2_500_000_000, "employees": 8} and revision.by == coop_user
    saved = entries_for(ret).get(action="returns.return.saved")
    assert saved.changes == {"revenue": [None, 2_500_000_000], "employees": [None, 8]}


def test_a_draft_may_be_incomplete_or_break_a_rule(annual, org_tan_yen):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)
    ret = services.return_save(ret=ret, values={"profit": "9.000.000.000", "revenue": "1"}, revision=1, by=None)
    assert validation.values_of(ret) == {"profit": 9_000_000_000, "revenue": 1}


def test_a_value_that_cannot_be_read_refuses_the_whole_save(annual, org_tan_yen):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)
    with pytest.raises(services.ReturnInvalid) as invalid:
        services.return_save(ret=ret, values={"revenue": "2.500.000.000", "employees": "tám"}, revision=1, by=None)
    assert list(invalid.value.errors) == ["employees"]
    ret.refresh_from_db()
    assert ret.revision == 1 and not ret.values.exists()


def test_a_blanked_value_is_removed_and_the_revision_says_so(annual, org_tan_yen):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)
    ret = services.return_save(ret=ret, values={"employees": "8"}, revision=1, by=None)
    ret = services.return_save(ret=ret, values={"employees": ""}, revision=2, by=None)
    assert validation.values_of(ret) == {} and ret.revisions.get(revision=3).values == {}


def test_saving_the_same_values_again_changes_nothing(annual, org_tan_yen):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)
    ret = services.return_save(ret=ret, values={"employees": "8"}, revision=1, by=None)
    ret = services.return_save(ret=ret, values={"employees": "8"}, revision=2, by=None)
    assert ret.revision == 2


def test_a_stale_save_is_refused_and_names_what_happened_since(annual, org_tan_yen, coop_user, officer):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    services.return_save(ret=ret, values={"employees": "8"}, revision=1, by=officer)
    with pytest.raises(services.StaleReturn) as stale:
        services.return_save(ret=ret, values={"employees": "9"}, revision=1, by=coop_user)
    assert [(r.revision, r.by) for r in stale.value.revisions] == [(2, officer)]
    assert validation.values_of(ret) == {"employees": 8}


# ---------------------------------------------------------------- submitting


def test_submitting_checks_required_fields_and_rules(annual, org_tan_yen, coop_user):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=coop_user)
    with pytest.raises(services.ReturnInvalid) as invalid:
        services.return_submit(ret=ret, values={**VALID, "revenue": "", "employees_members": "20"}, by=coop_user)
    assert set(invalid.value.errors) == {"revenue", "employees_members"}
    ret.refresh_from_db()
    assert ret.status == Status.DRAFT and not ret.values.exists()


def test_the_first_submission_date_is_kept_when_submitted_again(annual, org_tan_yen, staff):
    ret = submit(annual, org_tan_yen, 2020, on=D(2020, 12, 1))
    ret = services.return_send_back(ret=ret, comment="Sửa vốn điều lệ", by=staff)
    ret = services.return_submit(ret=ret, values={"charter_capital": "600.000.000"}, by=None, on=D(2021, 1, 5))
    assert ret.status == Status.SUBMITTED and ret.submitted_on == D(2020, 12, 1)


def test_a_submitted_return_waits_for_review_and_cannot_be_saved(annual, org_tan_yen, coop_user):
    ret = submit(annual, org_tan_yen, 2020)
    with pytest.raises(ValidationError, match="đang chờ duyệt"):
        services.return_save(ret=ret, values={"employees": "9"}, revision=ret.revision, by=coop_user)


# ---------------------------------------------------------------- review


def test_sending_back_needs_a_comment(annual, org_tan_yen, staff):
    ret = submit(annual, org_tan_yen, 2020)
    with pytest.raises(ValidationError):
        services.return_send_back(ret=ret, comment="  ", by=staff)
    ret = services.return_send_back(ret=ret, comment="Lợi nhuận chưa đúng", by=staff)
    assert ret.status == Status.RETURNED and ret.comment == "Lợi nhuận chưa đúng"
    assert ret.revisions.order_by("revision").last().comment == "Lợi nhuận chưa đúng"


def test_only_a_submitted_return_is_approved(annual, org_tan_yen, staff):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)
    with pytest.raises(ValidationError):
        services.return_approve(ret=ret, by=staff)


def test_approval_locks_the_return_for_the_cooperative(annual, org_tan_yen, staff, coop_user):
    ret = services.return_approve(ret=submit(annual, org_tan_yen, 2020), by=staff)
    assert ret.locked and ret.approved_by == staff and ret.approved_on
    with pytest.raises(ValidationError, match="đã được duyệt và khóa"):
        services.return_save(ret=ret, values={"employees": "9"}, revision=ret.revision, by=coop_user)
    with pytest.raises(ValidationError):
        services.return_submit(ret=ret, values={"employees": "9"}, by=coop_user)
    assert validation.values_of(ret)["employees"] == 8


def test_an_administrator_reopens_with_a_reason_audited(annual, org_tan_yen, admin, coop_user):
    ret = approve(submit(annual, org_tan_yen, 2020))
    with pytest.raises(ValidationError):
        services.return_reopen(ret=ret, reason="", by=admin)
    ret = services.return_reopen(ret=ret, reason="HTX báo sai doanh thu", by=admin)
    assert ret.status == Status.RETURNED and ret.comment == "HTX báo sai doanh thu" and ret.approved_on is None
    entry = entries_for(ret).get(action="returns.return.reopened")
    assert entry.user == admin and entry.changes["reason"] == "HTX báo sai doanh thu"
    # Back with the cooperative, which corrects and submits it again.
    ret = services.return_save(ret=ret, values={"revenue": "2.600.000.000"}, revision=ret.revision, by=coop_user)
    assert services.return_submit(ret=ret, by=coop_user).status == Status.SUBMITTED


def test_every_change_keeps_a_revision(annual, org_tan_yen, staff, admin):
    ret = submit(annual, org_tan_yen, 2020)
    ret = services.return_send_back(ret=ret, comment="Sửa", by=staff)
    ret = services.return_submit(ret=ret, by=None)
    ret = services.return_approve(ret=ret, by=staff)
    ret = services.return_reopen(ret=ret, reason="Sai", by=admin)
    statuses = list(ret.revisions.order_by("revision").values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "returned", "submitted", "approved", "returned"]
    assert ret.revision == len(statuses)


# ---------------------------------------------------------------- versions


def test_a_copied_version_keeps_fields_and_rules_and_old_returns_keep_theirs(annual, org_tan_yen, admin):
    old = annual.version_for(2020)
    ret = submit(annual, org_tan_yen, 2020)
    copy = services.form_version_copy(version=old, by=admin, valid_from_year=2021)
    assert copy.number == 2 and not copy.published
    assert copy.fields.count() == old.fields.count() and copy.rules.count() == old.rules.count()
    assert annual.version_for(2021) == old  # not published yet
    copy.published = True
    copy.save()
    FormField.objects.filter(version=copy, indicator__code="taxes").delete()
    assert annual.version_for(2021) == copy and annual.version_for(2020) == old
    ret.refresh_from_db()
    assert ret.version == old
    assert [e.action for e in entries_for(copy)] == ["returns.version.copied"]


def test_a_return_of_a_new_year_uses_the_new_version(annual, org_tan_yen, admin):
    copy = services.form_version_copy(version=annual.version_for(2020), by=admin, valid_from_year=2021)
    FormVersion.objects.filter(pk=copy.pk).update(published=True)
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2021, by=None)
    assert ret.version_id == copy.pk
    assert Return.objects.get(pk=ret.pk).version.number == 2


def test_an_unreadable_value_and_a_missing_one_are_reported_together(annual, org_tan_yen):
    ret = services.return_open(form=annual, organization=org_tan_yen, year=2020, by=None)
    with pytest.raises(services.ReturnInvalid) as invalid:
        services.return_submit(ret=ret, values={**VALID, "employees": "tám", "revenue": ""}, by=None)
    assert set(invalid.value.errors) == {"employees", "revenue"}
