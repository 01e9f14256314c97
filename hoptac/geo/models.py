"""Administrative units with the dates they were valid and where they went.

A GSO code names different units in different eras (24 is Bắc Giang until 30/06/2025 and
the new Bắc Ninh after), so a unit is a code *with its validity*. When a unit is renamed,
reclassified, moved to another parent or merged, the old record is closed (``valid_to``)
and a ``UnitChange`` points to its successor; history is never rewritten.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoptac.core.text import normalize

# The 2025 reform: from this day there are 34 provinces and no district level.
REFORM_2025 = datetime.date(2025, 7, 1)


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    DISTRICT = 2, _("District")
    COMMUNE = 3, _("Commune")


class Kind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc TW")
    HUYEN = "huyen", _("Huyện")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố")
    QUAN = "quan", _("Quận")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    THI_TRAN = "thi_tran", _("Thị trấn")
    DAC_KHU = "dac_khu", _("Đặc khu")


# The unit words that prefix names ("Huyện Tân Yên"); matching ignores them.
UNIT_WORDS = [
    "thanh pho truc thuoc trung uong",
    "thanh pho",
    "thi xa",
    "thi tran",
    "huyen",
    "quan",
    "phuong",
    "xa",
    "tinh",
    "dac khu",
    "tp",
    "tt",
]


def bare_name(name: str) -> str:
    """Normalised name without its leading unit word: "Huyện Tân Yên" -> "tan yen"."""
    text = normalize(name)
    for word in UNIT_WORDS:
        if text.startswith(word + " "):
            return text[len(word) + 1 :]
    return text


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Units that existed on day."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class AdminUnit(models.Model):
    """A province, district or commune as it was between valid_from and valid_to."""

    code = models.CharField(_("GSO code"), max_length=10, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # None means "since before our records" / "still valid".
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Normalised name without the unit word, for matching imports and search.
    match_name = models.CharField(max_length=200, db_index=True, editable=False)
    # The unit of the current era this one lies in today, following every change.
    # Filled by geo.services.units_resolve_current after loading or editing units.
    current = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "code", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="geo_unit_code_era"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="geo_unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.match_name = bare_name(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.parent_id and self.parent.level >= self.level:
            raise ValidationError({"parent": _("The parent unit must be of a higher level.")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def validity(self) -> str:
        start = self.valid_from.strftime("%d/%m/%Y") if self.valid_from else "…"
        end = self.valid_to.strftime("%d/%m/%Y") if self.valid_to else "…"
        return f"{start} – {end}"


class ChangeKind(models.TextChoices):
    RENAMED = "renamed", _("Renamed")
    RECLASSIFIED = "reclassified", _("Reclassified")
    MOVED = "moved", _("Moved to another parent")
    MERGED = "merged", _("Merged into")
    SPLIT = "split", _("Split into")
    REFORM_2025 = "reform_2025", _("2025 reorganisation")


class UnitChange(models.Model):
    """predecessor stopped existing as such on the day before ``on``; successor took over."""

    predecessor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="predecessions")
    on = models.DateField(_("effective on"))
    kind = models.CharField(_("kind of change"), max_length=20, choices=ChangeKind.choices)
    # The main successor of a unit split in several; "as it is now" follows this one.
    primary = models.BooleanField(_("main successor"), default=True)
    resolution = models.CharField(_("resolution"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("unit change")
        verbose_name_plural = _("unit changes")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="geo_change_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.on:%d/%m/%Y})"
