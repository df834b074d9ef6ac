"""HTML forms for the counter. They only collect input; the rules live in services.py
(applicant_clean, dossier_intake), so the browser and the API refuse the same things."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from loket.dossiers.models import Applicant


class ApplicantForm(forms.Form):
    nik = forms.CharField(label="NIK", max_length=20, widget=forms.TextInput(attrs={
        "inputmode": "numeric", "autocomplete": "off", "autofocus": True, "pattern": "[0-9 ]*"}))
    kk_number = forms.CharField(label=_("Nomor KK (boleh kosong)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    birth_date = forms.CharField(label=_("Tanggal lahir"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", "—")] + Applicant.Sex.choices)
    marital_status = forms.ChoiceField(label=_("Status perkawinan (bila perlu)"), choices=[("", "—")] + Applicant.MaritalStatus.choices)
    address = forms.CharField(label=_("Alamat"), max_length=250)
    rt = forms.CharField(label="RT", max_length=3, widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}))
    rw = forms.CharField(label="RW", max_length=3, widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 3}))
    kelurahan = forms.ChoiceField(label="Kelurahan", required=False)
    # Optional (services.applicant_clean): asked only of a citizen who wants to be contacted.
    phone = forms.CharField(label=_("Telepon/WhatsApp (boleh kosong, bila ingin dihubungi)"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    email = forms.CharField(label=_("Email (boleh kosong)"), required=False, max_length=254)

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— luar kecamatan —"))]
        if office is not None:
            choices += [(k.code, f"{k.name} ({k.code})") for k in office.kelurahan.all()]
        self.fields["kelurahan"].choices = choices
        # Validation is the service's job; the form keeps the values for re-display.
        for field in self.fields.values():
            field.required = False

    def add_service_errors(self, errors: dict[str, list[str]]):
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class IntakeForm(ApplicantForm):
    """Penerimaan berkas. Birth date and sex are read from the NIK (services.applicant_clean): the
    screen shows them derived, and they are typed only under "Data NIK tidak sesuai", with the
    reason. RT/RW is one field typed as on the KTP ("003/005"; services.applicant_clean splits it,
    the API and the register keep them apart). The KK number and the marital status are not asked
    for (the KK is a paper of the checklist; the marital status decides only KTP-el under 17, where
    the checklist asks for it), and the telephone only of a citizen who wants to be contacted
    (UU 27/2022 Pasal 16 ayat (2) huruf a). The NIK field asks
    the server, once typed, what the NIK tells (derived data, the citizen's last data at this
    office, a possible duplicate): hx-post to the intake itself, answered with #from-nik."""

    # typed under "Data NIK tidak sesuai" only; empty = read from the NIK
    OVERRIDE_FIELDS = ("birth_date", "sex", "nik_override_reason")

    nik_override_reason = forms.CharField(
        label=_("Alasan data NIK tidak sesuai"), max_length=300,
        help_text=_("Misalnya: NIK terbit sebelum tanggal lahir dikoreksi di Dukcapil."),
        widget=forms.TextInput(attrs={"size": 50}))
    proxy_name = forms.CharField(label=_("Nama penerima kuasa"), max_length=150)
    note = forms.CharField(label=_("Catatan (boleh kosong)"), max_length=500)

    rt_rw = forms.CharField(label="RT/RW", max_length=9, help_text=_("Seperti pada KTP, mis. 003/005."),
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 9, "autocomplete": "off"}))

    field_order = ["nik", "name", "address", "rt_rw", "kelurahan", "phone", "email", "kk_number", "marital_status",
                   "birth_date", "sex", "nik_override_reason", "proxy_name", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["rt"], self.fields["rw"]
        self.fields["birth_date"].label = _("Tanggal lahir yang benar")
        self.fields["sex"].label = _("Jenis kelamin yang benar")
        for name in ("marital_status", "birth_date", "sex"):  # they decide lines of the checklist
            self.fields[name].widget.attrs["class"] = "decides"
        self.fields["nik"].widget.attrs.update({
            "hx-post": reverse("dossiers:intake"), "hx-trigger": "change", "hx-target": "#from-nik",
            "hx-select": "#from-nik", "hx-swap": "outerHTML", "hx-include": "closest form",  # (not the form's #checklist)
            "aria-describedby": "from-nik",
        })

    def add_service_errors(self, errors: dict[str, list[str]]):
        """RT and RW are typed in the one RT/RW field: their messages are shown there."""
        merged: dict[str, list[str]] = {}
        for field, messages in errors.items():
            merged.setdefault("rt_rw" if field in ("rt", "rw") else field, []).extend(messages)
        super().add_service_errors(merged)

    @property
    def applicant_fields(self):
        """The applicant's fields shown always (the derived birth date and sex aside)."""
        return [self[n] for n in self.fields if n not in (*self.OVERRIDE_FIELDS, "proxy_name", "note")]

    @property
    def override_fields(self):
        return [self[n] for n in self.OVERRIDE_FIELDS]

    @property
    def override_open(self) -> bool:
        """The "Data NIK tidak sesuai" part is open when something was typed in it or it has an error."""
        if not self.is_bound:
            return False
        return any((self.data.get(n) or "").strip() for n in self.OVERRIDE_FIELDS) or any(
            n in self.errors for n in self.OVERRIDE_FIELDS)


class CorrectionForm(ApplicantForm):
    """Koreksi data pemohon on the dossier page: the dossier's data prefilled, and the reason.
    Its ids carry a prefix of their own (the return form beside it also has a "reason")."""

    reason = forms.CharField(label=_("Alasan koreksi (wajib)"), max_length=500, widget=forms.TextInput(attrs={"size": 50}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "koreksi-%s")
        super().__init__(*args, **kwargs)
        self.fields["nik"].widget.attrs.pop("autofocus", None)  # the page's own action has the focus

    @classmethod
    def initial_of(cls, dossier) -> dict:
        """The dossier's applicant data as the form shows them."""
        from loket.dossiers.services import snapshot_of

        data = snapshot_of(dossier)
        data["birth_date"] = data["birth_date"].isoformat() if data["birth_date"] else ""
        return data
