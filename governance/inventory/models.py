"""The declared data inventory: what the business says it collects, why, from whom, for how long, shared with whom.

Written by users in ``policies/*.yaml``; read by the rule engine, the policy
generator and the data-subject request code. Data categories, data uses and data
subjects are fideslang keys. The JSON Schema of this model ships as
``governance/schemas/inventory.schema.json``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from governance.inventory.localized import LocalText
from governance.taxonomy import data_categories, data_subjects, data_uses

_ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


def _known(table_fn, what: str):
    def check(value: str) -> str:
        if value not in table_fn():
            raise ValueError(f"'{value}' is not a fideslang {what}; see `governance taxonomy {what.replace(' ', '-')}s`")
        return value

    return check


Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=100)]
DataCategory = Annotated[str, AfterValidator(_known(data_categories, "data category"))]
DataUse = Annotated[str, AfterValidator(_known(data_uses, "data use"))]
DataSubject = Annotated[str, AfterValidator(_known(data_subjects, "data subject"))]

LegalBasis = Literal[
    "consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"
]
Source = Literal["direct", "third_party", "purchased_list", "public", "inferred", "harvested", "observed"]
Deidentification = Literal["none", "pseudonymised", "safe_harbor", "expert_determination", "aggregated"]
ErasureStrategy = Literal["delete_row", "null", "hash", "redact", "keep"]
RecipientType = Literal["processor", "service_provider", "contractor", "third_party", "government", "affiliate"]
Disclosure = Literal["business_purpose", "sale", "sharing", "none"]
HipaaRole = Literal["none", "covered_entity", "business_associate"]
EnterpriseSize = Literal["household_business", "micro", "small", "startup", "medium", "large"]
Generalisation = Literal["zip3", "year", "age_band"]
SpecialCategoryCondition = Literal[
    "9(2)(a)", "9(2)(b)", "9(2)(c)", "9(2)(d)", "9(2)(e)", "9(2)(f)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)"
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Retention(Strict):
    """How long data is kept: an ISO 8601 duration (``P3Y``) and/or a stated criterion."""

    period: str | None = Field(None, description="ISO 8601 duration, e.g. P3Y, P90D")
    criterion: LocalText | None = Field(None, description="plain-language criterion when no fixed period applies")
    indefinite: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> Retention:
        if self.period is not None and not _ISO_DURATION.match(self.period):
            raise ValueError(f"period '{self.period}' is not an ISO 8601 duration such as P3Y or P90D")
        if self.period is None and self.criterion is None and not self.indefinite:
            raise ValueError("give a period (ISO 8601 duration), a criterion, or indefinite: true")
        return self


def _coerce_retention(value):
    if isinstance(value, str):
        return {"period": value} if value.startswith("P") else {"criterion": value}
    return value


class Contact(Strict):
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    postal_address: str | None = None
    name: str | None = None


class Notices(Strict):
    """Statements the published privacy policy must make (CalOPPA, CCPA, GDPR)."""

    effective_date: date | None = None
    version: str | None = None
    do_not_track: LocalText | None = Field(None, description="how the service responds to Do Not Track signals")
    global_privacy_control: LocalText | None = Field(None, description="how opt-out preference signals are handled")
    third_party_tracking: LocalText | None = Field(
        None, description="whether other parties collect information about users' activities across sites"
    )
    change_notification: LocalText | None = Field(None, description="how users are told of material changes")
    review_and_correction: LocalText | None = Field(None, description="how users review and request changes")
    complaint_authority: LocalText | None = Field(None, description="supervisory authority users may complain to")
    statutory_or_contractual: LocalText | None = Field(
        None, description="whether providing data is required, and what happens if it is not"
    )
    do_not_sell_or_share_link: str | None = Field(
        None, description='URL of the "Do Not Sell or Share My Personal Information" link (Cal. Civ. Code 1798.135(a)(1))'
    )
    limit_sensitive_pi_link: str | None = Field(
        None, description='URL of the "Limit the Use of My Sensitive Personal Information" link (Cal. Civ. Code 1798.135(a)(2))'
    )
    retention_criteria: LocalText | None = Field(
        None, description="general retention criterion for data without a stated period (GDPR Art. 13(2)(a))"
    )
    international_transfers: LocalText | None = Field(
        None, description="transfers outside the EEA: the safeguards and how to obtain a copy (GDPR Art. 13(1)(f))"
    )
    sensitive_personal_information: LocalText | None = Field(
        None, description="whether sensitive PI is used beyond the purposes of 11 CCR 7027(m) (11 CCR 7011(e)(1)(K))"
    )
    minors_opt_in: LocalText | None = Field(
        None, description="opt-in process for selling data of consumers under 16 (11 CCR 7011(e)(3)(I), 7070-7071)"
    )
    hipaa_notice: LocalText | None = Field(
        None, description="where the HIPAA Notice of Privacy Practices is posted (45 CFR 164.520(c)(3)(i))"
    )


class Organization(Strict):
    """Who the controller is."""

    name: str
    legal_name: str | None = None
    postal_address: str = Field(description="valid physical postal address (also the CAN-SPAM sender address)")
    website: str | None = None
    privacy_contact: Contact
    dpo: Contact | None = None
    eu_representative: Contact | None = None
    jurisdictions: list[str] = Field(default_factory=list, description="e.g. US, US-CA, EU, UK, VN")
    hipaa_role: HipaaRole = "none"
    directed_to_children: bool = False
    actual_knowledge_under_13: bool = False
    sells_personal_information_of_under_16: bool = False
    eu_establishment: bool = Field(
        False, description="the organisation has an establishment in the EU (without one, GDPR Art. 27 requires a representative)"
    )
    own_names: list[str] = Field(
        default_factory=list,
        description="the organisation's own names that appear in its data (brands, sender names, mailing-list names); "
        "a column holding only these and the organisation's name, address and website is not personal data",
    )
    enterprise_size: EnterpriseSize | None = Field(
        None,
        description="size class of the business where the law exempts small ones "
        "(e.g. Vietnam Law 91/2025/QH15 Art. 38(2)-(3): household, micro, small and startup businesses)",
    )


class OptOut(Strict):
    """The opt-out or consent-withdrawal mechanism of a purpose."""

    mechanism: LocalText
    honoured_within_business_days: int | None = Field(None, ge=0)
    works_for_days_after_send: int | None = Field(None, ge=0)
    requires_only_email_and_preferences: bool = True
    fee: bool = False


class Purpose(Strict):
    """Why data is processed."""

    id: Identifier
    data_use: DataUse
    description: LocalText
    legal_basis: LegalBasis | None = Field(
        None, description="GDPR Art. 6(1) lawful basis; a missing one is reported by `governance check` (GDPR-LAWFUL-BASIS)"
    )
    legitimate_interest: LocalText | None = None
    consent_mechanism: LocalText | None = None
    opt_out: OptOut | None = None
    commercial_email: bool = False
    email_identifies_as_advertisement: bool | None = None
    email_sender_identified: bool | None = None
    email_subject_lines_reviewed: bool | None = None
    automated_decision_making: LocalText | None = Field(None, description="logic involved, when decisions are automated")
    special_category_condition: SpecialCategoryCondition | None = Field(
        None, description="GDPR Art. 9(2) condition relied on when the purpose processes special-category data"
    )
    consent_per_purpose: bool | None = Field(
        None, description="consent to this purpose is asked on its own and can be given or refused without consenting to other purposes"
    )
    consent_affirmative: bool | None = Field(
        None, description="consent needs an affirmative act: silence, no response, pre-ticked boxes or default settings never count as consent"
    )
    sensitive_data_notice: bool | None = Field(
        None, description="data subjects are told that the data processed for this purpose is sensitive personal data"
    )
    joint_controller: Contact | None = Field(
        None, description="the joint controller of this processing, where there is one (GDPR Art. 26, Art. 30(1)(a))"
    )


class Reference(Strict):
    """A link from this dataset's field to another dataset's field (customer_id -> customers.id)."""

    field: str
    dataset: Identifier
    to_field: str
    confirmed: bool = True


class FieldDecl(Strict):
    """One declared field (column or JSON path) of a dataset."""

    name: str
    category: DataCategory | None = Field(None, description="fideslang data category; omit only when personal: false")
    personal: bool = True
    purposes: list[Identifier] = Field(default_factory=list)
    legal_basis: LegalBasis | None = None
    source: Source = "direct"
    encrypted: bool | None = None
    hashed: bool = False
    retention: Retention | None = None
    deidentified: Deidentification | None = None
    generalised: Generalisation | None = Field(
        None, description="the values are reduced to a form 45 CFR 164.514(b)(2)(i) allows: zip3 (first three ZIP digits), "
        "year (year only), age_band (ages or bands, over 89 as one 90+ band); the scan checks the values"
    )
    erasure: ErasureStrategy | None = None
    identity: bool = False
    disclose_on_access: bool = True

    @model_validator(mode="before")
    @classmethod
    def _retention_shorthand(cls, data):
        if isinstance(data, dict) and "retention" in data:
            data = {**data, "retention": _coerce_retention(data["retention"])}
        return data

    @model_validator(mode="after")
    def _category_when_personal(self) -> FieldDecl:
        if self.personal and self.category is None:
            raise ValueError("a personal field needs a category (or set personal: false)")
        return self


class Location(Strict):
    """Where a dataset lives: a file path (relative to the inventory file) or a database URL and table."""

    path: str | None = None
    url: str | None = None
    table: str | None = None
    schema_: str | None = Field(None, alias="schema")

    @model_validator(mode="after")
    def _one(self) -> Location:
        if (self.path is None) == (self.url is None):
            raise ValueError("give exactly one of path or url")
        if self.url is not None and not self.table:
            raise ValueError("a database location needs a table")
        return self


class CampaignLog(Strict):
    """A dataset that logs the commercial e-mails sent, one row per campaign or message (CAN-SPAM evidence)."""

    footer: str = Field(description="the column holding the footer text, which must show the sender's postal address")
    opt_out: str = Field(description="the column holding the unsubscribe link or reply address of the message")


class LegalHold(Strict):
    """Records exempt from deletion, with the basis stated in letters."""

    reason: str
    basis: str = Field(description="citation, e.g. '26 U.S.C. 6001' or 'HIPAA 45 CFR 164.530(j)'")
    fields: list[str] = Field(default_factory=list, description="fields kept; empty = the whole record")
    until: str | None = None


class Dataset(Strict):
    """A table or file of personal data."""

    id: Identifier
    description: LocalText = ""
    location: Location
    data_subjects: list[DataSubject] = Field(default_factory=lambda: ["customer"])
    identity_fields: list[str] = Field(default_factory=list)
    primary_key: list[str] = Field(default_factory=list)
    retention: Retention | None = None
    deidentified: Deidentification = "none"
    quasi_identifiers: list[str] = Field(
        default_factory=list, description="columns that single people out in combination (ZIP code, birth date, sex, ...)"
    )
    min_k: int = Field(
        5, ge=2, description="fewest records a class of equal quasi-identifiers may hold in a de-identified dataset (k-anonymity)"
    )
    encrypted_at_rest: bool = False
    contains_children_data: bool = False
    campaign_log: CampaignLog | None = Field(
        None, description="the dataset logs sent commercial e-mails; its footers and opt-out links are checked"
    )
    references: list[Reference] = Field(default_factory=list)
    legal_holds: list[LegalHold] = Field(default_factory=list)
    fields: list[FieldDecl] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _retention_shorthand(cls, data):
        if isinstance(data, dict) and "retention" in data:
            data = {**data, "retention": _coerce_retention(data["retention"])}
        return data

    def field(self, name: str) -> FieldDecl | None:
        return next((f for f in self.fields if f.name == name), None)


class Recipient(Strict):
    """Someone personal data is disclosed to."""

    id: Identifier
    name: str
    type: RecipientType
    disclosure: Disclosure = "business_purpose"
    purposes: list[Identifier] = Field(default_factory=list)
    categories: list[DataCategory] = Field(default_factory=list)
    country: str = Field(description="ISO 3166 country code, e.g. US, DE")
    transfer_safeguard: str | None = Field(None, description="e.g. adequacy decision, standard contractual clauses")
    contract: list[Literal["dpa", "baa", "scc", "service_provider_terms", "none"]] = Field(default_factory=list)
    sends_email_on_our_behalf: bool = False
    email_compliance_terms: bool = Field(
        False, description="the contract binds the vendor to CAN-SPAM duties (opt-out handling, suppression, sender identification)"
    )
    opt_out_available: bool | None = None
    compelling_legitimate_interests: bool = Field(
        False, description="transfers to this recipient rely on the compelling legitimate interests of GDPR Art. 49(1) second subparagraph"
    )
    safeguards_documentation: str | None = Field(
        None, description="the assessment and the suitable safeguards of an Art. 49(1) second-subparagraph transfer (Art. 30(1)(e), 49(6))"
    )
    transfer_impact_assessment: bool = Field(
        False, description="a cross-border transfer impact assessment covers the transfers to this recipient"
    )
    transfer_impact_assessment_filed: date | None = Field(
        None, description="date the transfer impact assessment was sent to the data protection authority"
    )


class Security(Strict):
    """Security controls the business claims."""

    encryption_at_rest: bool = False
    encryption_in_transit: bool = False
    access_control: bool = False
    backups: bool = False
    written_security_program: bool = False
    written_retention_policy: bool = False
    retention_policy_published: bool = False
    breach_response_plan: bool = False
    measures: list[LocalText] = Field(default_factory=list, description="plain-language measures for the policy")
    processing_impact_assessment: bool = Field(
        False, description="a written data processing impact assessment is kept"
    )
    processing_impact_assessment_filed: date | None = Field(
        None, description="date the processing impact assessment was sent to the data protection authority"
    )
    breach_notification_hours: int | None = Field(
        None, ge=0, description="hours after detecting a breach within which the breach response plan notifies the data protection authority"
    )
    breach_subject_notification_hours: int | None = Field(
        None, ge=0, description="hours after detecting a breach within which the breach response plan notifies affected data subjects"
    )


class Children(Strict):
    """COPPA arrangements, when children's data is collected."""

    verifiable_parental_consent: LocalText | None = Field(None, description="the consent method used")
    direct_notice_to_parents: bool = False
    separate_consent_for_third_party_disclosure: bool = False
    parental_review_and_deletion: bool = False
    retention_policy: LocalText | None = None
    gdpr_parental_consent: str | None = Field(
        None, description="how consent is given or authorised by the holder of parental responsibility for children "
        "below the member state's age of digital consent (GDPR Art. 8(1)-(2))"
    )


class RequestDeadlines(Strict):
    """The organisation's own deadlines, in days from receipt, for carrying out each kind of request."""

    access: int | None = Field(None, ge=0, description="view or receive a copy of one's personal data")
    correct: int | None = Field(None, ge=0, description="correct personal data")
    delete: int | None = Field(None, ge=0, description="delete personal data")
    opt_out: int | None = Field(None, ge=0, description="withdraw consent, restrict or object to processing")


class Requests(Strict):
    """How data-subject requests are received and verified."""

    methods: list[LocalText] = Field(default_factory=list, description="e.g. web form URL, toll-free number, e-mail")
    verification: LocalText | None = None
    authorised_agents: LocalText | None = None
    suppression_list: str | None = Field(None, description="path of the marketing suppression list (CSV)")
    acknowledge_within_working_days: int | None = Field(
        None, ge=0, description="working days after receipt within which a request is answered with the procedure that follows"
    )
    completed_within_days: RequestDeadlines = Field(
        default_factory=RequestDeadlines, description="days after receipt within which each kind of request is carried out"
    )


class Transfer(Strict):
    """A transfer to a third country or international organisation made on a controller's instructions."""

    country: str = Field(description="ISO 3166 country code, or the name of the international organisation")
    safeguard: str | None = Field(None, description="adequacy decision, standard contractual clauses, ...")
    safeguards_documentation: str | None = Field(
        None, description="documentation of suitable safeguards for an Art. 49(1) second-subparagraph transfer"
    )


class ProcessingOnBehalf(Strict):
    """Processing the organisation carries out as a processor for a controller (GDPR Art. 30(2))."""

    id: Identifier
    controller: Contact = Field(description="the controller on whose behalf the organisation acts")
    controller_representative: Contact | None = None
    categories_of_processing: list[str] = Field(default_factory=list, description="what is done with the data")
    transfers: list[Transfer] = Field(default_factory=list)


class Inventory(Strict):
    """The whole declaration."""

    organization: Organization
    notices: Notices = Notices()
    purposes: list[Purpose] = Field(default_factory=list)
    datasets: list[Dataset] = Field(default_factory=list)
    recipients: list[Recipient] = Field(default_factory=list)
    security: Security = Security()
    children: Children | None = None
    requests: Requests = Requests()
    processing_on_behalf: list[ProcessingOnBehalf] = Field(
        default_factory=list, description="processing carried out as a processor for other controllers (GDPR Art. 30(2))"
    )

    def purpose(self, purpose_id: str) -> Purpose | None:
        return next((p for p in self.purposes if p.id == purpose_id), None)

    def dataset(self, dataset_id: str) -> Dataset | None:
        return next((d for d in self.datasets if d.id == dataset_id), None)

    def recipient(self, recipient_id: str) -> Recipient | None:
        return next((r for r in self.recipients if r.id == recipient_id), None)
