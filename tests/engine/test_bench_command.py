"""The bench command refuses what it cannot run with one line and status 2 (it is a command scripts call)."""
from bench.suite import main


def test_an_unknown_section_is_one_line_and_status_2(capsys):
    assert main(["--only", "forward,nonsense"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "--only: no section 'nonsense'; sections: forward, memory, lens, params, window, induction"
