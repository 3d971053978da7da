"""make bench's CPU profile summary: py-spy's raw stacks read and attributed to packages and Rasa's steps."""
from __future__ import annotations

from tools.bench_profile import load, summarise

LOOP = "serve (sanic/server/runners.py:155)"
TURN = "handle_request (handle_request:83);log_message (rasa/core/processor.py:460)"
RAW = f"""\
{LOOP} 60
{TURN};_parse_message_with_graph (rasa/core/processor.py:770);_call (tensorflow/python/eager/def_function.py:900) 20
{TURN};_parse_message_with_graph (rasa/core/processor.py:770);process (bot/triage/assessor.py:40) 5
{TURN};_run_action (rasa/core/processor.py:990);_validate_action_result (rasa/core/actions/action.py:700);iter_errors (jsonschema/validators.py:301);match (re.py:190) 10
{TURN};save_tracker (rasa/core/processor.py:1090);execute (sqlalchemy/engine/base.py:1400) 5
"""


def test_busy_time_is_split_by_innermost_package_and_by_rasa_step(tmp_path):
    path = tmp_path / "rasa-1.txt"
    path.write_text(RAW)
    lines = summarise("rasa", [load(path)])
    text = "\n".join(lines)
    assert "40 samples busy, 60 in an event loop waiting for I/O" in text
    assert "| tensorflow | 50.0 % |" in text and "| front door (triage/) | 12.5 % |" in text
    assert "| jsonschema | 25.0 % |" in text  # the standard library's re counts for its caller
    assert "| sqlalchemy | 12.5 % |" in text
    assert "| NLU pipeline (tokenise, featurise, DIET, RHRT recogniser) | 62.5 % |" in text
    assert "| the turn: load the tracker, NLU, save | 100.0 % |" in text
    assert "| tracker store: save | 12.5 % |" in text


def test_a_missing_or_garbled_recording_counts_nothing(tmp_path):
    path = tmp_path / "rasa-2.txt"
    path.write_text("not a stack line\n\n")
    assert load(path) == []
