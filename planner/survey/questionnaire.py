"""The survey questionnaire (Perpusnas TGM reading-habit items plus mobile-library needs)."""

from dataclasses import dataclass
from typing import Literal

from planner.core import DAY_NAMES, ENGLISH_DAY_NAMES, WEEKDAYS, current_language

QuestionType = Literal["integer", "select_one", "select_multiple", "text"]


@dataclass(frozen=True)
class Choice:
    """One answer option: the code stored in exports, labels, and the internal value."""

    name: str
    label_id: str
    label_en: str
    value: str

    def label(self) -> str:
        """The label shown to the reader, in the current language."""
        return self.label_en if current_language() == "en" else self.label_id


@dataclass(frozen=True)
class Question:
    """One question of the form, grouped as KoboToolbox/ODK groups it."""

    name: str
    group: str
    type: QuestionType
    label_id: str
    label_en: str
    required: bool = True
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    list_name: str | None = None

    def label(self) -> str:
        """The question as the reader sees it, in the current language."""
        return self.label_en if current_language() == "en" else self.label_id

    def choice_list(self) -> str:
        """The XLSForm list name for this question's choices."""
        return self.list_name or self.name


def _choices(*rows: tuple[str, str, str] | tuple[str, str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(r[0], r[1], r[2], r[3] if len(r) == 4 else r[0]) for r in rows)


AGE_GROUPS = _choices(
    ("anak", "Anak (≤12 tahun)", "Child (≤12)"),
    ("remaja", "Remaja (13–18 tahun)", "Teenager (13–18)"),
    ("dewasa", "Dewasa (19–59 tahun)", "Adult (19–59)"),
    ("lansia", "Lansia (≥60 tahun)", "Elderly (≥60)"),
)
GENDERS = _choices(("L", "Laki-laki", "Male"), ("P", "Perempuan", "Female"))
OCCUPATIONS = _choices(
    ("pelajar", "Pelajar/mahasiswa", "Student"),
    ("petani", "Petani/peternak", "Farmer/livestock"),
    ("pedagang", "Pedagang/pelaku UMKM", "Trader/small business"),
    ("irt", "Ibu rumah tangga", "Homemaker"),
    ("guru_pns", "Guru/PNS", "Teacher/civil servant"),
    ("karyawan", "Karyawan/buruh", "Employee/labourer"),
    ("tidak_bekerja", "Tidak bekerja", "Not working"),
    ("lainnya", "Lainnya", "Other"),
)
YES_NO = _choices(("ya", "Ya", "Yes"), ("tidak", "Tidak", "No"))
INTEREST = _choices(
    ("1", "1 – Sangat tidak berminat", "1 – Not at all interested"),
    ("2", "2 – Tidak berminat", "2 – Not interested"),
    ("3", "3 – Ragu-ragu", "3 – Unsure"),
    ("4", "4 – Berminat", "4 – Interested"),
    ("5", "5 – Sangat berminat", "5 – Very interested"),
)
# Answer names are the Indonesian day names in lower case; stored as the weekday keys.
DAYS = _choices(
    *((DAY_NAMES[key].lower(), DAY_NAMES[key], ENGLISH_DAY_NAMES[key], key) for key in WEEKDAYS)
)
SLOTS = _choices(
    ("pagi", "Pagi (07.30–11.00)", "Morning (07:30–11:00)"),
    ("siang", "Siang (11.00–14.00)", "Midday (11:00–14:00)"),
    ("sore", "Sore, setelah sekolah/Ashar (14.00–17.00)", "Afternoon (14:00–17:00)"),
)
TOPICS = _choices(
    ("anak", "Buku anak", "Children's books"),
    ("agama", "Agama", "Religion"),
    ("pertanian", "Pertanian/peternakan", "Agriculture/livestock"),
    ("kesehatan", "Kesehatan", "Health"),
    ("usaha", "Usaha/UMKM", "Business/small enterprise"),
    ("pelajaran", "Pelajaran sekolah", "School lessons"),
    ("fiksi", "Fiksi/novel", "Fiction"),
    ("teknologi", "Teknologi", "Technology"),
    ("sejarah", "Sejarah/budaya", "History/culture"),
    ("keterampilan", "Keterampilan/resep", "Crafts/cooking"),
)

QUESTIONS: tuple[Question, ...] = (
    Question("desa", "identitas", "select_one", "Desa/kelurahan tempat tinggal", "Village"),
    Question("usia", "identitas", "select_one", "Kelompok usia", "Age group", choices=AGE_GROUPS),
    Question(
        "jenis_kelamin", "identitas", "select_one", "Jenis kelamin", "Gender", choices=GENDERS
    ),
    Question(
        "pekerjaan",
        "identitas",
        "select_one",
        "Pekerjaan",
        "Occupation",
        required=False,
        choices=OCCUPATIONS,
    ),
    Question(
        "fm",
        "kebiasaan_membaca",
        "integer",
        "Berapa kali membaca dalam seminggu?",
        "Reading sessions per week",
        minimum=0,
        maximum=50,
    ),
    Question(
        "dm",
        "kebiasaan_membaca",
        "integer",
        "Berapa menit membaca per hari?",
        "Reading minutes per day",
        minimum=0,
        maximum=1440,
    ),
    Question(
        "jb",
        "kebiasaan_membaca",
        "integer",
        "Berapa buku dibaca dalam 3 bulan terakhir?",
        "Books read in the last 3 months",
        minimum=0,
        maximum=500,
    ),
    Question(
        "fai",
        "kebiasaan_membaca",
        "integer",
        "Berapa kali mengakses internet seminggu?",
        "Internet sessions per week",
        minimum=0,
        maximum=100,
    ),
    Question(
        "dai",
        "kebiasaan_membaca",
        "integer",
        "Berapa menit mengakses internet per hari?",
        "Internet minutes per day",
        minimum=0,
        maximum=1440,
    ),
    Question(
        "anggota_perpustakaan",
        "layanan",
        "select_one",
        "Apakah Anda anggota perpustakaan?",
        "Are you a library member?",
        required=False,
        choices=YES_NO,
        list_name="ya_tidak",
    ),
    Question(
        "waktu_tempuh",
        "layanan",
        "integer",
        "Berapa menit perjalanan ke perpustakaan terdekat?",
        "Travel minutes to the nearest library",
        required=False,
        minimum=0,
        maximum=600,
    ),
    Question(
        "minat",
        "layanan",
        "select_one",
        "Seberapa berminat Anda dikunjungi perpustakaan keliling?",
        "Interest in the mobile library",
        choices=INTEREST,
    ),
    Question(
        "hari",
        "layanan",
        "select_multiple",
        "Hari kunjungan yang cocok",
        "Preferred days",
        required=False,
        choices=DAYS,
    ),
    Question(
        "waktu",
        "layanan",
        "select_multiple",
        "Waktu kunjungan yang cocok",
        "Preferred time of day",
        required=False,
        choices=SLOTS,
    ),
    Question(
        "topik",
        "layanan",
        "select_multiple",
        "Bacaan yang diinginkan",
        "Topics wanted",
        required=False,
        choices=TOPICS,
    ),
    Question(
        "kebutuhan_informasi",
        "layanan",
        "text",
        "Informasi apa yang Anda butuhkan?",
        "Information needs",
        required=False,
    ),
)
QUESTION_BY_NAME = {q.name: q for q in QUESTIONS}
GROUP_LABELS = {
    "identitas": ("Identitas responden", "Respondent"),
    "kebiasaan_membaca": ("Kebiasaan membaca (TGM)", "Reading habits (TGM)"),
    "layanan": ("Kebutuhan layanan perpustakaan keliling", "Mobile library needs"),
}
# An export that carries this note in its `catatan_data` column is synthetic demo data.
SYNTHETIC_NOTE_COLUMN = "catatan_data"
SYNTHETIC_NOTE = "DATA SINTETIS - bukan survei nyata"


def choice_label(question: str, value: str, *, short: bool = False) -> str:
    """The reader's label of one stored answer value (e.g. "pagi" of "waktu"), else the value;
    `short` leaves out a trailing explanation in brackets ("Pagi", not "Pagi (07.30–11.00)")."""
    for choice in QUESTION_BY_NAME[question].choices:
        if choice.value == value:
            label = choice.label()
            return label.split(" (", 1)[0] if short else label
    return value
