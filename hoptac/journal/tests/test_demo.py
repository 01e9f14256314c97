import pytest

from hoptac.journal import demo, selectors
from hoptac.journal.models import Area, Document, DocumentKind, DocumentStatus, JournalEntry

from .conftest import D

pytestmark = pytest.mark.django_db


def test_demo_creates_the_four_documents_of_the_seed_and_every_area():
    demo.load()
    proposals = Document.objects.filter(kind=DocumentKind.PROPOSAL)
    assert proposals.count() == 2 and all(p.status == DocumentStatus.DRAFT for p in proposals)
    assert any("công nghệ 4.0" in p.title for p in proposals)
    assert any("khởi nghiệp" in p.title for p in proposals)
    programmes = Document.objects.filter(kind=DocumentKind.COOPERATION, status=DocumentStatus.APPROVED)
    partners = " ".join(programmes.values_list("partner", flat=True))
    assert programmes.count() == 2 and "Ban Dân tộc" in partners and "HDBank" in partners
    assert all(D(2021, 1, 1) <= p.issued_on <= D(2021, 3, 31) for p in programmes)

    q1 = selectors.journal_entries(date_from=D(2021, 1, 1), date_to=D(2021, 3, 14))
    assert q1.count() == JournalEntry.objects.count()
    areas = set(q1.values_list("area", flat=True))
    assert set(Area.values) - {Area.OTHER} <= areas
    assert q1.filter(conference=True, attendance__gt=0).count() >= 3


def test_demo_loads_twice_without_duplicates():
    first = demo.load()
    assert demo.load() == first
