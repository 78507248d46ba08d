"""Forms for registering an algorithm, its details, its phase and AI profile, and members.

The forms validate and normalise; saving happens in tracker.algorithms.actions.
"""

from django import forms
from django.contrib.auth import get_user_model

from tracker.accounts.names import display_name
from tracker.algorithms.models import Algorithm, Membership
from tracker.applicability import guardrails
from tracker.applicability.labels import DIMENSIONS
from tracker.applicability.profile import AIProfile
from tracker.catalog.models import ContentRelease
from tracker.catalog.phases import LIFECYCLE_CHOICES, Phase
from tracker.organisations.models import OrganisationMembership

# The AIProfile attribute (= Algorithm field) of every label dimension.
AI_FIELDS = tuple(dim.field for dim in DIMENSIONS)
PROFILE_FIELDS = ("phase", "stage", "is_ai_system", *AI_FIELDS, "impactful")
BLANK = ("", "—")


def value_help(dim) -> str:
    """What the values of a dimension mean, in the words of the beslishulp AI-verordening
    (its definitions where it has them), and when each applies."""
    return HELP.get(dim.slug, "")


# From the beslishulp's definitions (definitions.yaml) and its questions.
HELP = {
    "soort-toepassing": (
        "AI-systeem: een machinegebaseerd systeem dat met verschillende niveaus van autonomie "
        "werkt en uit de input die het ontvangt afleidt hoe output wordt gegenereerd, zoals "
        "voorspellingen, inhoud, aanbevelingen of besluiten. AI-systeem voor algemene "
        "doeleinden: gebaseerd op een AI-model voor algemene doeleinden en voor veel "
        "doeleinden te gebruiken. AI-model voor algemene doeleinden: een model (geen systeem) "
        "dat een breed scala aan taken kan uitvoeren en in andere systemen wordt ingebouwd."
    ),
    "risicogroep": (
        "Hoog-risico-AI-systeem: valt onder bijlage I of III van de AI-verordening (zoals "
        "toegang tot essentiële diensten en uitkeringen). Verboden AI-praktijk: valt onder "
        "artikel 5. Uitzondering van toepassing: een uitzonderingsgrond (zoals nationale "
        "veiligheid) haalt het buiten de verordening. Niet van toepassing: alleen voor een "
        "AI-model voor algemene doeleinden, dat geen risicogroep krijgt."
    ),
    "rol-ai-act": (
        "Aanbieder: ontwikkelt of laat een AI-systeem ontwikkelen en brengt het onder eigen "
        "naam in de handel of in gebruik. Gebruiksverantwoordelijke: gebruikt een AI-systeem "
        "onder eigen verantwoordelijkheid. Importeur: brengt een AI-systeem van buiten de EU "
        "in de handel. Distributeur: stelt een AI-systeem beschikbaar zonder aanbieder of "
        "importeur te zijn. Meer dan één rol is mogelijk."
    ),
    "transparantieverplichting": (
        "Transparantieverplichting: het systeem communiceert met mensen of maakt inhoud "
        "(zoals een chatbot of deepfake) en mensen moeten dat weten. Niet van toepassing: "
        "voor een AI-model voor algemene doeleinden, of als de beslishulp er niet naar vroeg."
    ),
    "systeemrisico": (
        "Systeemrisico: een risico van een AI-model voor algemene doeleinden met capaciteiten "
        "met een grote impact. Alleen zo'n model heeft systeemrisico of geen systeemrisico; "
        "voor elk AI-systeem is dit 'Niet van toepassing'."
    ),
    "open-source": (
        "Open source: gedeeld onder een vrije en open licentie, met openbare parameters. "
        "De beslishulp vraagt dit alleen aan aanbieders buiten hoog risico en bij een "
        "AI-model voor algemene doeleinden; anders 'Niet van toepassing'."
    ),
}


def _dimension_field(dim) -> forms.Field:
    if dim.multiple:
        return forms.MultipleChoiceField(
            label=dim.name,
            choices=dim.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ChoiceField(label=dim.name, choices=(BLANK, *dim.choices), required=False)


class VersionedForm(forms.Form):
    """Carries the version of the algorithm the form was built from (stale forms)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProfileForm(VersionedForm):
    """Phase, stage and AI profile. ``cleaned_data`` holds every field of PROFILE_FIELDS."""

    phase = forms.ChoiceField(
        label="Fase",
        choices=LIFECYCLE_CHOICES,
        help_text="De checklist bevat de items van deze fase en van alle eerdere fasen, en de "
        "organisatiebrede items (organisatieverantwoordelijkheden). Die laatste zijn geen fase "
        "waarin een algoritme zit.",
        error_messages={
            "invalid_choice": "Kies een fase van de levenscyclus. Organisatieverantwoordelijkheden "
            "is geen fase van een algoritme: die items staan altijd op de checklist."
        },
    )
    stage = forms.ChoiceField(
        label="Stap (alleen in de fase Implementatie)",
        choices=Algorithm.Stage.choices,
        required=False,
    )
    is_ai_system = forms.BooleanField(label="Het algoritme is een AI-systeem", required=False)
    impactful = forms.BooleanField(
        label="Impactvol algoritme (rechtsgevolg of aanmerkelijke gevolgen voor mensen)",
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for dim in DIMENSIONS:
            self.fields[dim.field] = _dimension_field(dim)
            self.fields[dim.field].help_text = value_help(dim)
        # Field order as on the page: phase, stage, AI system, its six dimensions, impactful.
        self.order_fields([*PROFILE_FIELDS, "version"])

    @classmethod
    def initial_for(cls, algorithm: Algorithm) -> dict:
        initial = {name: getattr(algorithm, name) for name in PROFILE_FIELDS}
        initial["rol_ai_act"] = list(algorithm.rol_ai_act or [])
        initial["version"] = algorithm.version
        return initial

    def clean(self) -> dict:
        data = super().clean()
        phase, stage = data.get("phase"), data.get("stage") or ""
        if phase == Phase.IMPLEMENTATIE and not stage:
            self.add_error("stage", "Kies in de fase Implementatie de stap: pilot of productie.")
        elif phase and phase != Phase.IMPLEMENTATIE and stage:
            self.add_error("stage", "Een stap (pilot of productie) hoort alleen bij Implementatie.")
        data["stage"] = stage
        if data.get("is_ai_system"):
            for dim in DIMENSIONS:
                if not data.get(dim.field):
                    self.add_error(dim.field, f"Kies voor een AI-systeem: {dim.name.lower()}.")
        for problem in guardrails.problems(data):
            if problem.field in self.fields and problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        if not data.get("is_ai_system"):
            for dim in DIMENSIONS:
                data[dim.field] = [] if dim.multiple else ""
        if not self.errors:
            try:
                self.profile = self.build_profile(data)
            except ValueError as error:
                raise forms.ValidationError(f"Ongeldig AI-profiel: {error}") from error
        return data

    @staticmethod
    def build_profile(data: dict) -> AIProfile:
        if not data.get("is_ai_system"):
            return AIProfile.not_ai(impactful=bool(data.get("impactful")))
        values = {dim.field: data.get(dim.field) for dim in DIMENSIONS}
        values["rol_ai_act"] = frozenset(values["rol_ai_act"] or ())
        return AIProfile(is_ai_system=True, impactful=bool(data.get("impactful")), **values)

    def profile_values(self) -> dict:
        """The cleaned values to store on the algorithm, sorted roles as a list."""
        values = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        values["rol_ai_act"] = sorted(values["rol_ai_act"] or [])
        return values


class AlgorithmCreateForm(ProfileForm):
    name = forms.CharField(label="Naam", max_length=200)
    description = forms.CharField(label="Omschrijving", widget=forms.Textarea, required=False)
    organisation = forms.ModelChoiceField(label="Organisatie", queryset=None, empty_label=None)
    release = forms.ModelChoiceField(
        label="Release van het Algoritmekader", queryset=None, empty_label=None
    )

    def __init__(self, *args, organisations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.fields["organisation"].queryset = organisations
        releases = ContentRelease.objects.filter(kind=ContentRelease.Source.ALGORITMEKADER)
        self.fields["release"].queryset = releases
        latest = ContentRelease.latest()
        if latest is not None:
            self.fields["release"].initial = latest.pk
        self.order_fields(["name", "description", "organisation", "release", *PROFILE_FIELDS])

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Geef het algoritme een naam.")
        return name

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()


class DetailsForm(VersionedForm):
    name = forms.CharField(label="Naam", max_length=200)
    description = forms.CharField(label="Omschrijving", widget=forms.Textarea, required=False)

    clean_name = AlgorithmCreateForm.clean_name
    clean_description = AlgorithmCreateForm.clean_description


class MemberAddForm(forms.Form):
    """Add a colleague chosen from the search results (by user id, never a typed name)."""

    user = forms.IntegerField(label="Medewerker", widget=forms.HiddenInput)
    role = forms.ChoiceField(label="Rol", choices=Membership.Role.choices)

    def __init__(self, *args, algorithm: Algorithm, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.algorithm = algorithm

    def clean_user(self):
        user = get_user_model().objects.filter(pk=self.cleaned_data["user"]).first()
        if user is None or not user.is_active:
            raise forms.ValidationError("Deze medewerker bestaat niet of is niet meer actief.")
        name = display_name(user)
        if not OrganisationMembership.objects.filter(
            organisation_id=self.algorithm.organisation_id, user=user
        ).exists():
            raise forms.ValidationError(
                f"{name} hoort niet bij {self.algorithm.organisation}; "
                "alleen medewerkers van de organisatie kunnen lid worden."
            )
        if self.algorithm.memberships.filter(user=user).exists():
            raise forms.ValidationError(f"{name} is al lid van dit algoritme.")
        self.user = user
        return user.pk


class MemberSearchForm(forms.Form):
    zoek = forms.CharField(
        label="Zoek een collega op naam of e-mailadres",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def query(self) -> str:
        return self.cleaned_data.get("zoek", "").strip() if self.is_valid() else ""


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Rol", choices=Membership.Role.choices)


WIDGET_CLASSES = {
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.TextInput: "utrecht-textbox utrecht-textbox--html-input",
    forms.HiddenInput: "",
}


def style(form: forms.Form) -> forms.Form:
    """Give every widget its NL Design System (utrecht) class."""
    for bound in form:
        widget = bound.field.widget
        css = next((c for kind, c in WIDGET_CLASSES.items() if type(widget) is kind), "")
        if css:
            widget.attrs["class"] = css
    return form
