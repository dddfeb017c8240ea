"""The CLI's whole output on a few representative inputs, byte for byte.

The expected files in tests/cli_golden/ were first written by the CLI before it was
split into modules (issue 11), to prove the split changed no output; they were
regenerated on purpose for the compact output of issue 14 (each diff reviewed). Any
change to them is a change of the CLI's output: regenerate deliberately, review the
diff. Each case is the exit status, stdout and stderr of one run of ``main(argv)``;
``{dir}`` stands for the folder of the inputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wwwauth.cli import main

GOLDEN = Path(__file__).resolve().parent / "cli_golden"

# (expected file, arguments); "{dir}/" is replaced by the inputs' folder.
CASES: list[tuple[str, list[str]]] = [
    ("curl-si.out.expected", ["-f", "{dir}/curl-si.txt"]),
    ("curl-si.json.expected", ["--json", "-f", "{dir}/curl-si.txt"]),
    ("curl-v-digest.out.expected", ["-f", "{dir}/curl-v-digest.txt"]),
    ("curl-v-digest.lenient.out.expected", ["--lenient", "-f", "{dir}/curl-v-digest.txt"]),
    ("curl-v-digest.json.expected", ["--json", "-f", "{dir}/curl-v-digest.txt"]),
    ("har.out.expected", ["-f", "{dir}/har.json"]),
    ("har.json.expected", ["--json", "-f", "{dir}/har.json"]),
    ("bad-header.out.expected", ["-f", "{dir}/bad-header.txt"]),
    ("bad-header.json.expected", ["--json", "-f", "{dir}/bad-header.txt"]),
    ("bare-values.out.expected", ["--field", "proxy-authenticate", "Basic realm=x", "Digest , ,"]),
    ("not-a-header.out.expected", ["Basic realm=x"]),
    ("nothing.out.expected", ["X-Other: 1"]),
]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    # argparse wraps its usage line at the terminal's width.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "80")
        return _run_main(capsys, argv)


def _run_main(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main([argument.replace("{dir}", str(GOLDEN)) for argument in argv])
    captured = capsys.readouterr()
    return f"exit {code}\n--- stdout\n{captured.out}--- stderr\n{captured.err}"


@pytest.mark.parametrize(
    ("expected", "argv"), CASES, ids=[case[0].removesuffix(".expected") for case in CASES]
)
def test_output_is_unchanged(
    capsys: pytest.CaptureFixture[str], expected: str, argv: list[str]
) -> None:
    output = _run(capsys, argv).replace(str(GOLDEN), "{dir}")
    assert output == (GOLDEN / expected).read_bytes().decode("utf-8")
