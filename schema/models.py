"""The records report-inbox extracts: the contract between extraction, storage and publishing.

Field descriptions here are the single source for the column descriptions Datasette shows
(see ``schema/metadata.py``). Offsets are Python string indices: a report's ``start``/``end``
index the document's repaired text; every other record's offsets index its report's ``text``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# China's administrative tiers: province includes 直辖市 and 自治区; city is 地级市, 自治州, 地区, 盟;
# county is 县, 区, 县级市, 旗, 自治县.
Level = Literal["national", "province", "city", "county", "township"]
# The kind of body whose work a report covers; only 人大 bodies get 人大 indicators.
OrganKind = Literal[
    "standing_committee",  # 人大常委会
    "congress",  # 人民代表大会 / 人代会
    "presidium",  # 乡镇人大主席团
    "government",  # 人民政府
    "court",  # 人民法院
    "procuratorate",  # 人民检察院
    "cppcc",  # 政协
    "other",
]
IngestStatus = Literal["ingested", "duplicate", "replaced", "failed"]


class Person(BaseModel):
    """Someone named in a report: a byline, or a person the text names with a role."""

    name: str = Field(description="Personal name as written (姓名)")
    role: str | None = Field(
        None, description="Role the text gives the person: 本报记者, 通讯员, 人大代表, a job title…"
    )
    source: Literal["byline", "text", "caption"] = Field(
        "byline", description="Where the name was found: byline, body text, or a photo caption"
    )
    start: int | None = Field(None, description="Offset of the name in the report's text")
    end: int | None = Field(None, description="End offset of the name in the report's text")


class Section(BaseModel):
    """A headed part of a report; photo captions at the end form a section of their own."""

    seq: int = Field(description="Position of the section within its report, from 0")
    heading: str | None = Field(None, description="Heading text (NULL for the untitled opening part)")
    kind: Literal["body", "captions"] = Field("body", description="body, or captions (photo captions)")
    start: int = Field(description="Offset where the section starts in the report's text")
    end: int = Field(description="Offset where the section ends in the report's text")


class Sentence(BaseModel):
    seq: int = Field(description="Position of the sentence within its report, from 0")
    section_seq: int | None = Field(None, description="seq of the section holding the sentence")
    text: str = Field(description="The sentence, exactly as in the report's text")
    start: int = Field(description="Offset where the sentence starts in the report's text")
    end: int = Field(description="Offset where the sentence ends in the report's text")


class Fact(BaseModel):
    """One quantity the text states, with what it counts and where it was said."""

    sentence_seq: int | None = Field(None, description="seq of the sentence stating the fact")
    indicator: str | None = Field(
        None, description="Key of the indicator (see the indicators table) when the meaning is certain"
    )
    subject: str | None = Field(None, description="The phrase the number counts, e.g. 召开党组会议")
    value: float = Field(description="The number; percentages as the number (92.8), money in yuan")
    unit: str | None = Field(None, description="Unit as written or normalised: 次, 件, 人次, %, 元…")
    approx: bool = Field(False, description="1 when the text marks the number as approximate (余, 近, 约, 多)")
    rule: str | None = Field(None, description="Which vocabulary rule labelled the fact with its indicator")
    raw: str = Field(description="The number with its unit exactly as in the text")
    start: int = Field(description="Offset of raw in the report's text")
    end: int = Field(description="End offset of raw in the report's text")


class Citation(BaseModel):
    """A title in 《》: a law, regulation, plan, publication…"""

    sentence_seq: int | None = Field(None, description="seq of the sentence that cites it")
    title: str = Field(description="Title inside 《》, line breaks repaired")
    kind: Literal[
        "law", "regulation", "rules", "decision", "plan", "publication", "book/film", "other"
    ] = Field("other", description="law, regulation, rules, decision, plan, publication, book/film, other")
    level: Literal["national", "provincial", "municipal", "district"] | None = Field(
        None, description="Issuing level, from the place name at the head of the title"
    )
    action: str | None = Field(
        None, description="What the organ did with it, when the sentence says: 执法检查, 审议, 制定, 修订…"
    )
    start: int | None = Field(None, description="Offset of 《 in the report's text")
    end: int | None = Field(None, description="Offset after 》 in the report's text")


class Phrase(BaseModel):
    phrase: str = Field(description="A quoted slogan or formula, e.g. 四个机关")
    count: int = Field(description="How many times the report uses it")


class Keyword(BaseModel):
    keyword: str = Field(description="A top term of the report")
    weight: float = Field(description="TF-IDF weight")
    rank: int = Field(description="1 for the report's strongest term")


class Signature(BaseModel):
    """A report's similarity signature: MinHash over its character shingles (watcher/dedupe.py)."""

    shingles: int = Field(description="How many distinct 5-character shingles the text has")
    minhash: list[int] = Field(description="The MinHash values, one per permutation")
    bands: list[int] = Field(default=[], description="One key per band of the MinHash, for finding candidate copies")


class Extraction(BaseModel):
    """Everything read out of one report's text beyond its metadata."""

    sections: list[Section] = []
    sentences: list[Sentence] = []
    facts: list[Fact] = []
    citations: list[Citation] = []
    phrases: list[Phrase] = []
    people: list[Person] = []
    keywords: list[Keyword] = []
    signature: Signature | None = None
    # Candidate keyword terms with their counts: the store ranks the keywords from these against
    # the corpus's document frequencies when it writes the report (not a table of its own).
    terms: dict[str, int] = {}


class Report(BaseModel):
    """One article of a document: a 工作综述, 工作报告, 履职纪实… or a nameless fragment."""

    seq: int = Field(description="Position of the report within its document, from 0")
    title: str | None = Field(None, description="Main title (NULL for a fragment whose title is elsewhere)")
    subtitle: str | None = Field(None, description="Subtitle, usually ——…年工作综述")
    genre: str | None = Field(None, description="工作综述, 工作报告, 履职纪实…, from the title block")
    organ: str | None = Field(None, description="The body reported on, e.g. 城西区人大常委会")
    organ_kind: OrganKind | None = Field(
        None,
        description="Kind of organ: standing_committee (人大常委会), congress (人大), presidium (乡镇人大主席团), "
        "government, court, procuratorate, cppcc (政协), other",
    )
    level: Level | None = Field(
        None,
        description="Tier of the organ: national, province (省, 自治区, 直辖市), city (地级市, 自治州, 地区, 盟), "
        "county (县, 区, 县级市, 旗, 自治县), township (乡, 镇, 街道)",
    )
    district: str | None = Field(None, description="区/县 (NULL when not established by the text)")
    city: str | None = Field(None, description="地级市")
    province: str | None = Field(None, description="省/自治区/直辖市")
    year: int | None = Field(None, description="The one year the report covers")
    period_start: int | None = Field(None, description="First year covered")
    period_end: int | None = Field(None, description="Last year covered")
    delivered_on: str | None = Field(None, description="Date the report was delivered, ISO-8601, when the text gives it")
    text: str = Field(description="The report's repaired text")
    start: int = Field(description="Offset where the report starts in its document's text")
    end: int = Field(description="Offset where the report ends in its document's text")
    people: list[Person] = Field(default_factory=list, description="Bylines")


class Document(BaseModel):
    """One file as received."""

    id: str = Field(description="sha256 of the file's bytes, hex")
    filename: str = Field(description="File name as dropped")
    path: str = Field(description="Where the file was read")
    size: int = Field(description="Size in bytes")
    encoding: str | None = Field(None, description="Encoding the bytes were decoded from (formats read as text)")
    format: str = Field(description="What the bytes are, from their content: txt, html, mhtml, pdf, docx, image")
    received_at: str = Field(description="When it was ingested, ISO-8601 UTC")
    text: str = Field(
        description="Decoded and repaired text; report offsets index it. Stored NULL when the reports hold it "
        "(with text_outside_reports)"
    )
    extractor_version: str = Field(description="Version of the extractor that produced the rows")
    converter: str | None = Field(None, description="Library that turned the bytes into text (trafilatura, pdfminer.six …)")
    converter_version: str | None = Field(None, description="Version of that library")
    title: str | None = Field(None, description="Title the file itself states (a web page's or Word document's)")
    published_on: str | None = Field(None, description="Date a web page states it was published, ISO-8601")


class Correction(BaseModel):
    """A person's fix of one fact or of one report field, kept apart from extraction and applied
    on top of it every time the document's rows are derived. The fact is found again by its
    stable identity: the document's sha256, the report's seq, the offsets and raw text of the
    number; a report field by the document's sha256 and the report's seq."""

    document_id: str = Field(description="sha256 of the document holding the fact")
    report_seq: int = Field(description="seq of the report within the document")
    start: int = Field(description="Offset of the number in the report's text (a field: of the report in the document)")
    end: int = Field(description="End offset of the number in the report's text (a field: of the report)")
    raw: str = Field(description="The number with its unit exactly as in the text (a field: the report's title)")
    context: str | None = Field(None, description="The words before the number, for people and for export")
    was_indicator: str | None = Field(None, description="Indicator as extracted before the correction")
    was_value: float | None = Field(None, description="Value as extracted before the correction")
    was_unit: str | None = Field(None, description="Unit as extracted before the correction")
    not_a_fact: bool = Field(False, description="1 when the number is not a fact at all: it is removed from facts")
    indicator: str | None = Field(None, description="Corrected indicator key (NULL: unchanged)")
    clear_indicator: bool = Field(False, description="1 when the fact keeps no indicator (the label was wrong)")
    value: float | None = Field(None, description="Corrected value (NULL: unchanged)")
    unit: str | None = Field(None, description="Corrected unit (NULL: unchanged)")
    field: str | None = Field(None, description="A report field corrected: organ, year, district… (NULL: a fact)")
    was_field_value: str | None = Field(None, description="The field's value as extracted")
    field_value: str | None = Field(None, description="The field's corrected value")
    author: str = Field(description="Who made the correction")
    reason: str | None = Field(None, description="Why, in the corrector's words")
    created_at: str = Field(description="When the correction was made, ISO-8601 UTC")
    status: Literal["applied", "fact not found", "report not found", "unknown indicator"] = Field(
        "applied", description="applied, or why the correction could not be applied at the last derivation"
    )
    fact_id: int | None = Field(None, description="The fact the correction applies to now (NULL when not found)")
    report_id: int | None = Field(None, description="The report whose field it corrects now (NULL for a fact)")
    checked_at: str | None = Field(None, description="When the correction was last applied or checked")


class IngestLogEntry(BaseModel):
    filename: str = Field(description="File name")
    path: str = Field(description="Where the file was when it was taken")
    sha256: str | None = Field(None, description="sha256 of the bytes (NULL when unreadable)")
    status: IngestStatus = Field(description="ingested, duplicate, replaced or failed")
    detail: str | None = Field(None, description="What happened, in plain words (the reason for a failure)")
    started_at: str = Field(description="When ingest of the file started, ISO-8601 UTC")
    duration_ms: float = Field(description="Time taken, milliseconds")


class Indicator(BaseModel):
    """A kind of numeric fact worth comparing across reports, from ``schema/indicators.yaml``."""

    key: str = Field(description="Stable key, e.g. standing_committee_meetings")
    label_zh: str = Field(description="Chinese label")
    label_en: str = Field(description="English label")
    unit: str | None = Field(None, description="Expected unit")
    category: str | None = Field(None, description="Group: party, supervision, deputies, legislation…")
    description: str | None = Field(None, description="What counts")
