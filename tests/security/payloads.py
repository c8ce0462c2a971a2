"""Bad input: query strings, form values, files — fixed lists and hypothesis strategies."""

from __future__ import annotations

import io
import re
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

LONG = "长" * 5000
#: Values a form field should refuse politely (or accept as text), never crash on.
JUNK_VALUES = [
    "", " ", "\x00", "a\x00b", LONG, "' OR 1=1--", '"; DROP TABLE accounts_user;--', "<script>alert(1)</script>",
    "{{7*7}}{% debug %}", "-1", "0", "1e309", "NaN", "Infinity", "-0.0", "９９", "²", "1/0", "2024-13-45",
    "99999-01-01", "9" * 40, "[]", "{}", "济南市", "\u202eevil", "..\\..\\boot.ini", "../../etc/passwd",
    "%00", "%s%s%s%n", "true", "on",
]

#: Junk query strings; every GET of a good URL is tried with each (the keys are the ones the
#: platform's pages read: page, year, city, format, q, from, next, filters, admin's o/p/e/q).
JUNK_QUERIES = [
    {"page": "-1", "year": "99999", "city": "'", "format": "xlsx", "q": "<script>alert(1)</script>", "from": "²",
     "next": "//evil.example/", "date_from": "99999-01-01", "role": "zz", "o": "abc", "p": "-1", "action": "drop",
     "track": "LIFE", "expired": "1"},
    {"page": "abc", "year": "abc", "city": "370100", "format": "csv", "q": "' OR 1=1--", "from": "-1",
     "next": "javascript:alert(1)", "date_from": "2024-13-45", "date_to": "2020-01-01", "result": "zz", "o": "99",
     "e": "1", "all": "", "_changelist_filters": "a=b", "logged_out": "1"},
    {"page": "9" * 25, "year": "-1", "city": "中文", "format": "../../etc/passwd", "q": "\x00", "from": "9" * 25,
     "next": "http://testserver/admin/", "actor": "x" * 300, "object_type": "\x00", "action": "a\x00b",
     "is_active__exact": "maybe", "role__exact": "'", "o": "-0.1.a", "p": "9" * 25, "date_to": "2024-02-30"},
    {"page": ["1", "2", "0"], "year": ["2022", "2023"], "city": "\x00", "format": "", "q": LONG, "from": "1",
     "date_from": "", "app_label": "accounts", "model_name": "user", "field_name": "division", "term": "济",
     "division__id__exact": "abc", "id__in": "1,2,x", "language": "xx", "__proto__": "1", "q[]": "1"},
    {"page": "1.5", "year": "２０２２", "city": "370100 ", "format": "XLSX", "from": "0", "q": "%", "o": "1.2.3.4",
     "app_label": "divisions", "model_name": "division", "field_name": "parent", "term": "' OR 1=1--",
     "date_from": "2020-01-01", "date_to": "2019-01-01", "division__code__exact": "\x00", "all": "1"},
]

#: Raw request bodies with a content type that does not match them.
RAW_BODIES = [
    ("application/json", b'{"a": [1, 2, {"b": null}]}'),
    ("application/json", b"\xff\xfe not json at all"),
    ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n"),
    ("multipart/form-data", b"no boundary"),
    ("application/x-www-form-urlencoded", b"a=%FF%FE&b=%&c=%zz&&=&" + b"k=v&" * 10),
    ("application/x-www-form-urlencoded; charset=gb2312", "label=中文&next=%D6%D0".encode("gbk")),
    ("application/x-www-form-urlencoded; charset=no-such-charset", b"label=x"),
    ("text/plain", b"\x00" * 64),
]


def field_names(html: str) -> list[str]:
    """Names of the form fields on a page (CSRF token left out)."""
    names = re.findall(r"<(?:input|select|textarea|button)\b[^>]*?\bname=\"([^\"]+)\"", html)
    return [n for n in dict.fromkeys(names) if n != "csrfmiddlewaretoken"]


def junk_forms(names: list[str], count: int = 3) -> list[dict]:
    """``count`` forms over ``names``, each field with a different junk value in each form."""
    forms = []
    for k in range(count):
        forms.append({name: JUNK_VALUES[(k * 7 + i * 3) % len(JUNK_VALUES)] for i, name in enumerate(names)})
    return forms


# --- files -------------------------------------------------------------------------------------

STATISTICS_HEADER = "城市代码,城市名称,年份,指标代码,数值,单位,数据来源,来源说明\r\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx(rows) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def statistics_files() -> list[tuple[str, bytes]]:
    """Bad or hostile statistics uploads: (filename, bytes)."""
    header = STATISTICS_HEADER.strip().split(",")
    return [
        ("random.xlsx", bytes(range(256)) * 8),
        ("empty.xlsx", b""),
        ("empty.csv", b""),
        ("bomb.xlsx", _zip({"xl/worksheets/sheet1.xml": b"<row>" + b"0" * 5_000_000})),  # ~5 MB in ~5 kB
        ("not-a-workbook.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<<<"})),
        ("gbk.csv", (STATISTICS_HEADER + "370100,济南市,2022,D1.1,12.5,亿元,国家统计局,测试\r\n").encode("gbk")),
        ("gbk-junk.csv", (STATISTICS_HEADER + "370100,济南市,二〇二二,D1.1,一百,亿元,统计局,\r\n").encode("gbk")),
        ("undecodable.csv", b"\x80\x81\xfe\xff" * 100),
        ("nul.csv", STATISTICS_HEADER.encode() + b"370100,\x00,2022,D1.1,1,,,\r\n"),
        ("huge-field.csv", STATISTICS_HEADER.encode() + b'"' + b"x" * 200_000 + b'"\r\n'),
        ("quotes.csv", STATISTICS_HEADER.encode() + b'"unterminated,370100\r\n'),
        ("formula.csv", (STATISTICS_HEADER + "=1+1,@SUM(A1),-2,+D1.1,=HYPERLINK(\"x\"),1e999999,NaN,\r\n").encode()),
        ("values.csv", (STATISTICS_HEADER + "370100,济南市,99999,D1.1,-Infinity,亿元,国家统计局,\r\n"
                        "370100,济南市,2022,' OR 1=1--,1e-999999,x,其他,\r\n"
                        "999999,x,1999,D1.1,1,,,\r\n370000,山东省,2022,D1.1,1,,,\r\n").encode()),
        ("only-header.csv", STATISTICS_HEADER.encode("utf-8-sig")),
        ("wrong-header.xlsx", _xlsx([["a", "b"], [1, 2]])),
        ("typed-cells.xlsx", _xlsx([header, [370100, "济南市", 2022.5, "D1.1", True, None, "国家统计局", None],
                                    ["370100", "济南市", "2022", "D1.1", "=1/0", "亿元", "国家统计局", "x" * 40000],
                                    [1e300, None, -1, None, float("inf"), 3, 4, 5]])),
        ("no-suffix", b"a,b\r\n"),
        ("double.csv.exe", b"MZ\x90\x00"),
        ("../../evil.csv", STATISTICS_HEADER.encode()),
        ("名称很长" * 60 + ".csv", STATISTICS_HEADER.encode()),
    ]


#: The statistics files that pass the form (name and size) and are refused by the reader,
#: with a 422 and the report; the others are refused by the form itself.
PARSED_STATISTICS = {
    "random.xlsx", "bomb.xlsx", "not-a-workbook.xlsx", "gbk.csv", "gbk-junk.csv", "undecodable.csv", "nul.csv",
    "huge-field.csv", "quotes.csv", "formula.csv", "values.csv", "only-header.csv", "wrong-header.xlsx",
    "typed-cells.xlsx", "../../evil.csv", "名称很长" * 60 + ".csv",
}


def yaml_files() -> list[tuple[str, bytes]]:
    """Bad or hostile indicator-set uploads."""
    return [
        ("random.yaml", bytes(range(256)) * 8),
        ("empty.yaml", b""),
        ("scalar.yaml", b"42"),
        ("list.yaml", b"- 1\n- 2\n"),
        ("gbk.yaml", "version: 测试\nsystems: []\n".encode("gbk")),
        ("aliases.yaml", b"a: &a [1, 2]\nb: [*a, *a]\n"),
        ("laughs.yaml", b"a: &a ['lol','lol']\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\n"),
        ("python.yaml", b"!!python/object/apply:os.system ['echo pwned']\n"),
        ("tags.yaml", b"version: !!binary AAAA\nsystems: !!set {a, b}\n"),
        ("dates.yaml", b"version: 2020-01-01\nsystems: []\nnotes: 2020-01-01\n"),
        ("types.yaml", b"version: [1]\nsystems: [5, {code: [1], dimensions: {a: 1}}, null]\ndomains: 7\n"),
        ("unhashable.yaml", b"? [1]\n: 2\n"),
        ("deep-list.yaml", b"[" * 5000 + b"]" * 5000),
        ("deep-map.yaml", b"{a: " * 3000 + b"1" + b"}" * 3000),
        ("deep-block.yaml", b"".join(b"  " * i + b"- \n" for i in range(2000))),
        ("long-key.yaml", b"version: " + b"x" * 100_000 + b"\nsystems: []\n"),
        ("nul.yaml", b"version: a\x00b\nsystems: []\n"),
        ("bom.yaml", b"\xef\xbb\xbfversion: ok\n"),
        ("bad-suffix.txt", b"version: x\n"),
        ("too-big.yaml", b"#" * (1024 * 1024 + 1)),
    ]


def uploads(files, field="file"):
    return [{field: SimpleUploadedFile(name, content)} for name, content in files]


# --- hypothesis ----------------------------------------------------------------------------------

junk_text = st.one_of(
    st.sampled_from(JUNK_VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.builds(lambda text, n: text * n, st.text(min_size=1, max_size=5), st.integers(1, 2000)),  # long
)


def form_data(names):
    """A dictionary of fields: mostly the page's own names, some invented, each a value or list."""
    keys = st.one_of(st.sampled_from(names), st.text(max_size=20)) if names else st.text(max_size=20)
    values = st.one_of(junk_text, st.lists(junk_text, min_size=0, max_size=3))
    return st.dictionaries(keys, values, max_size=10)
