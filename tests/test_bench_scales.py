"""`make bench-scales` (bench/scales.py) and the rounds it shares with `make bench`
(bench/rounds.py): which database holds the tenth, the 10 % rule, the table, and the
order of the runs. No server is started and nothing is timed: the load is replaced by a
recorder."""

from __future__ import annotations

import pytest

from bench import database, rounds, scales
from bench.load import Measured
from bench.servers import Server
from bench.settings import Settings


def run(requests: int, cpu_seconds: float, *, not_ok: int = 0) -> Measured:
    return Measured(
        requests=requests,
        seconds=10.0,
        p99_ms=50.0,
        cpu_seconds=cpu_seconds,
        not_ok=not_ok,
        socket_errors=0,
        workers_changed=False,
    )


def test_the_tenth_of_a_postgresql_database_is_a_database_beside_it():
    url = "postgresql+psycopg://bench:secret@127.0.0.1:5432/bench_1"
    assert scales.tenth_url(url) == "postgresql+psycopg://bench:secret@127.0.0.1:5432/bench_1_tenth"
    assert scales.tenth_url(None) is None  # SQLite: the file of each scale
    longest = "bench_" + "x" * (63 - len("bench_") - len("_tenth"))  # 63 bytes with _tenth
    assert scales.tenth_url(f"postgresql+psycopg://h/{longest}").endswith(f"/{longest}_tenth")
    with pytest.raises(database.Refused, match="longer than PostgreSQL's 63 bytes"):
        scales.tenth_url(f"postgresql+psycopg://h/{longest}x")


@pytest.mark.parametrize(
    ("large", "small", "holds"),
    [
        (5.0, 5.0, True),
        (5.0, 5.5, True),  # 10 % more: still within
        (5.0, 4.5, True),  # 10 % less
        (5.0, 5.51, False),
        (5.0, 4.49, False),
        (2.0, 1.0, False),
    ],
)
def test_within_ten_percent_of_the_large_data_figure(large, small, holds):
    assert scales.within(large, small) is holds


def test_the_table_gives_each_size_its_cpu_the_ratio_and_the_verdict():
    runs = {
        ("stories", "at 1"): [run(100, 0.5), run(100, 0.5)],  # 5 ms a request
        ("stories", "at 0.1"): [run(200, 0.8)],  # 4 ms
        ("home", "at 1"): [run(400, 0.8)],  # 2 ms
        ("home", "at 0.1"): [run(400, 0.8, not_ok=3)],
    }
    text = scales.table(["home", "stories"], runs, ("at 1", "at 0.1"))
    lines = text.splitlines()
    assert lines[0].startswith("| page | address | as | CPU ms/req at 1 | at 0.1 | × |")
    assert lines[2] == "| home ! | `/` | visitor | 2 | 2 | 1.00 | yes | 40 | 40 |"
    assert lines[3] == "| stories | `/stories` | member | 5 | 4 | 1.25 | no | 10 | 20 |"


class Recorder:
    """Stands in for wrk: records (server, path, cookie) and answers one request."""

    def __init__(self):
        self.calls = []

    def __call__(self, server, path, *, cookie, **_settings):
        self.calls.append((server.name, path, cookie))
        return run(1, 0.001)


def server(name: str) -> Server:
    return Server(name, process=None, url="", output=None, ready_path="/", listener=None)


def test_rounds_read_each_page_on_every_server_the_order_reversed_each_round(monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(rounds, "run_wrk", recorder)
    asked = []

    def cookies(name):
        asked.append(name)
        return {"a": f"{name}-a", "b": f"{name}-b"}

    targets = [
        rounds.Target(server("a"), {"home": "/", "story": "/stories/7"}),
        rounds.Target(server("b"), {"home": "/", "story": "/stories/9"}),
    ]
    runs = rounds.alternate(Settings(rounds=2, seconds=1), ["home", "story"], targets, cookies)
    assert recorder.calls == [
        ("a", "/", "home-a"),
        ("b", "/", "home-b"),
        ("a", "/stories/7", "story-a"),
        ("b", "/stories/9", "story-b"),
        ("b", "/", "home-b"),  # the second round: the other server first
        ("a", "/", "home-a"),
        ("b", "/stories/9", "story-b"),
        ("a", "/stories/7", "story-a"),
    ]
    assert asked == ["home", "story", "home", "story"]  # a fresh session per page and round
    assert {key: len(value) for key, value in runs.items()} == {
        ("home", "a"): 2,
        ("home", "b"): 2,
        ("story", "a"): 2,
        ("story", "b"): 2,
    }


def test_the_command_names_its_make_target_and_what_differs():
    settings = Settings(scale=0.1, rounds=1)
    assert settings.command("make bench-scales") == (
        "make bench-scales BENCH_SCALE=0.1 BENCH_ROUNDS=1"
    )
    assert settings.command() == "make bench BENCH_SCALE=0.1 BENCH_ROUNDS=1"


class FakeServer:
    """Stands in for a started gunicorn: says its last words, records being stopped."""

    def __init__(self, name: str):
        self.name, self.stopped = name, False

    def log(self) -> str:
        return f"{self.name} booted"

    def stop(self) -> None:
        self.stopped = True


def test_servers_are_stopped_whatever_the_work_did(capsys):
    from bench.servers import ServerFailed

    started: list[FakeServer] = []

    def starter(name):
        def start(folder):
            assert folder.is_dir()  # for the servers' logs
            started.append(FakeServer(name))
            return started[-1]

        return start

    def refused(_folder):
        raise ServerFailed("the second server did not start")

    assert rounds.with_servers([starter("a"), starter("b")], lambda s: [x.name for x in s]) == [
        "a",
        "b",
    ]
    assert rounds.with_servers([starter("c"), refused], lambda s: "never") == 1
    said = capsys.readouterr().out
    assert "the second server did not start" in said
    assert "--- c said:\nc booted" in said

    def stopped_by_hand(_servers):
        raise KeyboardInterrupt

    assert rounds.with_servers([starter("d")], stopped_by_hand) == 130
    assert [(server.name, server.stopped) for server in started] == [
        ("a", True),
        ("b", True),
        ("c", True),
        ("d", True),
    ]


def test_a_setting_that_cannot_be_used_is_said_and_ends_the_run(monkeypatch, capsys):
    monkeypatch.setenv("BENCH_ROUNDS", "many")
    assert rounds.settings_or_status() == 2
    assert "BENCH_ROUNDS='many' is not a number" in capsys.readouterr().out
    monkeypatch.delenv("BENCH_ROUNDS")
    monkeypatch.setattr(rounds, "wrk_path", lambda: None)
    assert rounds.settings_or_status() == 1
    assert "wrk is not installed" in capsys.readouterr().out


def test_a_short_run_says_its_verdict_cannot_decide(monkeypatch):
    monkeypatch.setattr(scales, "revision", lambda: "commit abc")
    monkeypatch.setattr(scales, "gunicorn_settings", lambda: "1 worker × 4 threads (gthread)")
    warning = "A short run: on a machine doing anything else, noise can pass 10 %"
    assert warning in scales.report(Settings(rounds=1, seconds=2), "| table |", 0.1)
    assert warning in scales.report(Settings(rounds=2, seconds=10), "| table |", 0.1)
    assert warning not in scales.report(Settings(), "| table |", 0.1)  # 3 × 10 s
    assert warning not in scales.report(Settings(rounds=1, seconds=30), "| table |", 0.1)
