"""Reading German official CSV files: encodings, separators, decimal commas, placeholders."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from data.german_csv import parse_german_number, read_german_csv


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- parse_german_number -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,5", 1234.5),
        ("1234,5", 1234.5),
        ("1.234", 1234.0),
        ("1.000.000", 1_000_000.0),
        ("12", 12.0),
        ("0", 0.0),
        ("0,25", 0.25),
        ("-3,5", -3.5),
        ("+7", 7.0),
        ("−1.000,75", -1000.75),  # Unicode minus
        ("  42 ", 42.0),
    ],
)
def test_parse_german_number(text: str, value: float) -> None:
    assert parse_german_number(text) == value


@pytest.mark.parametrize("text", ["", "-", ".", "x", "…", "/"])
def test_parse_german_number_placeholders_are_nan(text: str) -> None:
    assert math.isnan(parse_german_number(text))


@pytest.mark.parametrize("text", ["12.34", "1,2,3", "abc", "1.23,4", "1,234.5", "12 345", "0.500"])
def test_parse_german_number_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a number in German notation"):
        parse_german_number(text)


# --- dialects ------------------------------------------------------------------------------


def test_semicolon_latin1_decimal_comma(tmp_path: Path) -> None:
    text = (
        "Bezirk;Name;Einwohner;Fläche ha;Anteil 65+\r\n"
        "011;Süd;1.234;1.234,5;12,5\r\n"
        "012;Nörd;987;12,25;-\r\n"
        "013;Weiß;12.000;0,5;7\r\n"
    )
    frame = read_german_csv(write(tmp_path, text, "latin-1"))
    assert frame.attrs == {"encoding": "cp1252", "sep": ";"}
    assert list(frame.columns) == ["Bezirk", "Name", "Einwohner", "Fläche ha", "Anteil 65+"]
    assert frame["Bezirk"].tolist() == ["011", "012", "013"]  # leading zeros: kept as text
    assert frame["Name"].tolist() == ["Süd", "Nörd", "Weiß"]
    assert str(frame["Einwohner"].dtype) == "Int64"
    assert frame["Einwohner"].tolist() == [1234, 987, 12000]
    assert str(frame["Fläche ha"].dtype) == "Float64"
    assert frame["Fläche ha"].tolist() == [1234.5, 12.25, 0.5]
    assert frame["Anteil 65+"].iloc[0] == 12.5
    assert pd.isna(frame["Anteil 65+"].iloc[1])
    assert frame["Anteil 65+"].iloc[2] == 7.0


def test_utf8_bom_comma_plain_decimals(tmp_path: Path) -> None:
    text = "id,name,value,count\n1,Äpfel,1.5,1.234\n2,Öl,11447.58,2.000\n"
    frame = read_german_csv(write(tmp_path, text, "utf-8-sig"))
    assert frame.attrs == {"encoding": "utf-8", "sep": ","}
    assert list(frame.columns) == ["id", "name", "value", "count"]  # no BOM in the first name
    assert frame["id"].tolist() == [1, 2]
    assert frame["name"].tolist() == ["Äpfel", "Öl"]
    assert frame["value"].tolist() == [1.5, 11447.58]
    # "1.234" reads both ways; the file's other columns use a decimal point, so: 1.234
    assert frame["count"].tolist() == [1.234, 2.0]


def test_ambiguous_column_follows_decimal_comma_elsewhere(tmp_path: Path) -> None:
    text = 'a,b\n"1,5",1.234\n"2,25",5.000\n'
    frame = read_german_csv(write(tmp_path, text))
    assert frame["a"].tolist() == [1.5, 2.25]
    assert frame["b"].tolist() == [1234, 5000]


def test_ambiguous_semicolon_file_is_german(tmp_path: Path) -> None:
    frame = read_german_csv(write(tmp_path, "a;b\n1.234;x\n2.500;y\n"))
    assert frame["a"].tolist() == [1234, 2500]


def test_decimal_override(tmp_path: Path) -> None:
    path = write(tmp_path, "a;b\n1.234;1,5\n2.500;2\n")
    frame = read_german_csv(path, decimal=".")
    assert frame["a"].tolist() == [1.234, 2.5]
    assert frame["b"].tolist() == ["1,5", "2"]  # not numbers with a decimal point
    with pytest.raises(ValueError, match="decimal must be"):
        read_german_csv(path, decimal=";")


def test_utf8_without_bom_and_tab(tmp_path: Path) -> None:
    frame = read_german_csv(write(tmp_path, "Schlüssel\tWert\nA\t1,5\nB\t2\n"))
    assert frame.attrs == {"encoding": "utf-8", "sep": "\t"}
    assert frame["Schlüssel"].tolist() == ["A", "B"]
    assert frame["Wert"].tolist() == [1.5, 2.0]


def test_utf16_excel_export(tmp_path: Path) -> None:
    frame = read_german_csv(write(tmp_path, "a\tb\nÄ\t1,5\n", "utf-16"))
    assert frame["a"].tolist() == ["Ä"]
    assert frame["b"].tolist() == [1.5]


def test_placeholders_blank_lines_and_whitespace(tmp_path: Path) -> None:
    text = "k; v ;t\n1; 10 ; a \n\n2;-;.\n3;x;…\n4;…;\n5;1.000;/\n"
    frame = read_german_csv(write(tmp_path, text))
    assert list(frame.columns) == ["k", "v", "t"]
    assert frame["k"].tolist() == [1, 2, 3, 4, 5]
    assert str(frame["v"].dtype) == "Int64"
    assert frame["v"].iloc[0] == 10 and frame["v"].iloc[4] == 1000
    assert frame["v"].isna().tolist() == [False, True, True, True, False]
    assert frame["t"].iloc[0] == "a"
    assert frame["t"].isna().tolist() == [False, True, True, True, True]


def test_text_columns_stay_text(tmp_path: Path) -> None:
    frame = read_german_csv(write(tmp_path, "a;b\n1;12,5 %\n2;3\n"))
    assert frame["b"].tolist() == ["12,5 %", "3"]


def test_str_columns_and_explicit_arguments(tmp_path: Path) -> None:
    path = write(tmp_path, "Schluessel|Wert\n12|1,5\n", "cp1252")
    frame = read_german_csv(path, sep="|", encoding="cp1252", str_columns=["Schluessel"])
    assert frame["Schluessel"].tolist() == ["12"]
    assert frame["Wert"].tolist() == [1.5]
    with pytest.raises(ValueError, match=r"unknown column 'Schlussel'.*did you mean 'Schluessel'"):
        read_german_csv(path, sep="|", str_columns=["Schlussel"])


def test_quoted_separator_and_trailing_separators(tmp_path: Path) -> None:
    text = 'Name;Wert;\n"Süd; Ost";1,5;\n"Nord";2;\n'
    frame = read_german_csv(write(tmp_path, text))
    assert list(frame.columns) == ["Name", "Wert"]
    assert frame["Name"].tolist() == ["Süd; Ost", "Nord"]
    assert frame["Wert"].tolist() == [1.5, 2.0]


def test_trailing_separator_only_on_data_rows(tmp_path: Path) -> None:
    frame = read_german_csv(write(tmp_path, "a;b\n1;2;\n3;4;\n"))
    assert list(frame.columns) == ["a", "b"]
    assert frame["a"].tolist() == [1, 3]
    assert frame["b"].tolist() == [2, 4]


def test_header_only(tmp_path: Path) -> None:
    frame = read_german_csv(write(tmp_path, "a;b\n"))
    assert list(frame.columns) == ["a", "b"]
    assert len(frame) == 0


# --- malformed files -----------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"empty\.csv: the file is empty"):
        read_german_csv(write(tmp_path, "", name="empty.csv"))
    with pytest.raises(ValueError, match="the file is empty"):
        read_german_csv(write(tmp_path, " \n\r\n", name="blank.csv"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="file not found"):
        read_german_csv(tmp_path / "nope.csv")


def test_binary_files(tmp_path: Path) -> None:
    nul = tmp_path / "data.csv"
    nul.write_bytes(b"a;b\n\x00\x01\x02\x03;\xff\n")
    with pytest.raises(ValueError, match=r"data\.csv: this looks like a binary file"):
        read_german_csv(nul)
    xlsx = tmp_path / "table.csv"
    xlsx.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    with pytest.raises(ValueError, match=r"table\.csv: this is a binary file \(ZIP or Excel"):
        read_german_csv(xlsx)


def test_ragged_rows_name_the_line(tmp_path: Path) -> None:
    long_row = write(tmp_path, "a;b;c\n1;2;3\n4;5;6;7\n", name="long.csv")
    with pytest.raises(ValueError, match=r"long\.csv: line 3 has 4 fields but the header"):
        read_german_csv(long_row)
    short_row = write(tmp_path, "a;b;c\n1;2;3\n\n4;5\n", name="short.csv")
    with pytest.raises(ValueError, match=r"short\.csv: line 4 has 2 fields .* has 3"):
        read_german_csv(short_row)


def test_ragged_after_multiline_quoted_field(tmp_path: Path) -> None:
    path = write(tmp_path, 'a;b\n"x\ny";1\n2;3;4\n')
    with pytest.raises(ValueError, match="line 4 has 3 fields"):
        read_german_csv(path)


def test_duplicate_header(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"duplicate column name\(s\) 'a'"):
        read_german_csv(write(tmp_path, "a;b;a\n1;2;3\n"))


def test_undetectable_separator(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot detect the separator.*pass sep="):
        read_german_csv(write(tmp_path, "just one column\nvalue\n"))


def test_undecodable_with_given_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "a;b\nä;1\n", "latin-1")
    with pytest.raises(ValueError, match="cannot decode as utf-8"):
        read_german_csv(path, encoding="utf-8")


# --- real files ----------------------------------------------------------------------------


@pytest.mark.realdata
def test_real_jena_indicators(real_data) -> None:
    frame = read_german_csv(real_data("jena_statistics/jena_statbez_indicators_2007_2017.csv"))
    assert frame.attrs == {"encoding": "utf-8", "sep": ","}
    assert frame.shape == (484, 168)
    assert str(frame["statbez_id"].dtype) == "Int64"
    first = frame.iloc[0]
    assert first["statbez_id"] == 0 and first["year"] == 2007
    assert first["Einwohner (Hauptwohnung) insgesamt"] == 101406
    # a decimal point in a comma-separated file is a decimal point, not a thousands dot
    assert first["Katasterfläche insgesamt"] == 11447.58
    total_2017 = frame[(frame["statbez_id"] == 0) & (frame["year"] == 2017)]
    assert total_2017["Einwohner (Hauptwohnung) insgesamt"].tolist() == [108722]


@pytest.mark.realdata
def test_real_jena_households(real_data) -> None:
    frame = read_german_csv(real_data("jena_statistics/opendata_privathaushalte/hh_priv.csv"))
    assert len(frame) == 43
    assert frame["statistischer_Bezirk_Nr"].tolist()[:3] == [0, 11, 12]
    assert frame["31.12.2006"].iloc[0] == 56501
    assert frame["31.12.2017"].isna().all()  # published empty
