"""Tests for the series corpus builder on tiny inline sources (npm and apt never run).

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import pathlib
import sys
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_series_corpus as build  # noqa: E402


class ParseTest(unittest.TestCase):
    def test_co2(self):
        rows = build.parse_co2("Date,CO2,adjusted CO2\n1958-03-01,315.70,314.44\n"
                               "1958-04-01,317.46,315.16\n")
        self.assertEqual(rows, [("time", "co2", "co2_adjusted"),
                                ("1958-03-01", "315.70", "314.44"),
                                ("1958-04-01", "317.46", "315.16")])

    def test_missing_months_become_empty_rows(self):
        rows = build.parse_co2("Date,CO2,adjusted CO2\n1958-11-01,1,2\n1959-02-01,3,4\n")
        self.assertEqual(rows[1:], [("1958-11-01", "1", "2"), ("1958-12-01", "", ""),
                                    ("1959-01-01", "", ""), ("1959-02-01", "3", "4")])
        with self.assertRaisesRegex(build.DataError, "not the first day of a month"):
            build.parse_co2("Date,CO2,adjusted CO2\n1958-11-15,1,2\n")

    def test_sunspots_years_are_whole(self):
        rows = build.parse_sunspots('"YEAR","SUNACTIVITY"\n1700.0,5\n1701,11.5\n')
        self.assertEqual(rows, [("time", "sunspots"), ("1700", "5"), ("1701", "11.5")])
        with self.assertRaisesRegex(build.DataError, "sunspots.csv:2:YEAR"):
            build.parse_sunspots('"YEAR","SUNACTIVITY"\n1700.5,5\n')

    def test_macro_quarters_become_first_days(self):
        text = ("year,quarter,realgdp,realcons,realinv,x,unemp\n"
                "1959,1,2710.349,1707.4,286.898,9,5.8\n1959,4,2800,1800,300,9,5.3\n")
        self.assertEqual(build.parse_macro(text),
                         [("time", "realgdp", "realcons", "realinv", "unemp"),
                          ("1959-01-01", "2710.349", "1707.4", "286.898", "5.8"),
                          ("1959-10-01", "2800", "1800", "300", "5.3")])
        with self.assertRaisesRegex(build.DataError, "macrodata.csv:2:quarter"):
            build.parse_macro("year,quarter,realgdp,realcons,realinv,unemp\n1959,5,1,1,1,1\n")

    def test_bad_values_name_row_and_column(self):
        with self.assertRaisesRegex(build.DataError, "co2-concentration.csv:3:CO2: 'n/a'"):
            build.parse_co2("Date,CO2,adjusted CO2\n1958-03-01,1,1\n1958-04-01,n/a,1\n")
        with self.assertRaisesRegex(build.DataError, "co2-concentration.csv:2:adjusted CO2: missing"):
            build.parse_co2("Date,CO2,adjusted CO2\n1958-03-01,1,nan\n")
        with self.assertRaisesRegex(build.DataError, "unexpected header"):
            build.parse_co2("date,co2\n")


class FetchTest(unittest.TestCase):
    def test_cached_deb_with_the_pin_is_used_without_apt(self):
        with tempfile.TemporaryDirectory() as d:
            cache = pathlib.Path(d)
            deb = cache / build.STATSMODELS_DEB
            deb.write_bytes(b"deb")
            with mock.patch.object(build, "STATSMODELS_SHA256", build.sha256(deb)), \
                    mock.patch.object(build.subprocess, "run") as run:
                self.assertEqual(build.fetch_deb(cache), deb)
                run.assert_not_called()

    def test_wrong_bytes_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            cache = pathlib.Path(d)
            (cache / build.STATSMODELS_DEB).write_bytes(b"tampered")
            done = mock.Mock(returncode=0)
            with mock.patch.object(build.subprocess, "run", return_value=done) as run, \
                    self.assertRaisesRegex(SystemExit, "pinned"):
                build.fetch_deb(cache)
            self.assertEqual(run.call_args[0][0], ["apt-get", "download", "-q", build.STATSMODELS_PIN])

    def test_write_csv_is_plain(self):
        with tempfile.TemporaryDirectory() as d:
            path = pathlib.Path(d) / "a" / "s.csv"
            build.write_csv(path, [("time", "v"), ("2000", "1.5")])
            self.assertEqual(path.read_text(), "time,v\n2000,1.5\n")


if __name__ == "__main__":
    unittest.main()
