"""Watch rules: validation, state, webhook retries against a loopback server, and the CLI commands."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from _linkdata import story
from typer.testing import CliRunner

from detente.analyze import Alert, parse_rules, post_alerts, run_rules, watch
from detente.analyze.watch import load_rules, load_state, save_state
from detente.errors import DetenteError
from detente.link import link_events, link_store
from detente.schema import Article, CodedArticle
from detente.store import open_store

RULES = {"rules": [{"name": "pak-irn", "dyads": ["PAK-IRN"]}]}


def _fill(store) -> None:
    evs = story()
    for art in sorted({e.article_id for e in evs}):
        mine = [e for e in evs if e.article_id == art]
        store.write(CodedArticle(article=Article(id=art, text="x" * 400), events=mine))


# --- rules ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "needle"),
    [
        ({"rules": [{"name": "x", "windwo": 3}]}, "rules[0].windwo: unknown key. Allowed keys here: name, dyads"),
        ({"rules": [{"name": "x", "escalation": {"treshold": 3}}]}, "escalation.treshold: unknown key. Allowed keys "
                                                                   "here: method, baseline_days"),
        ({"rule": [{"name": "x"}]}, "rule: unknown key"),
        ({"rules": [{"name": "x", "dyads": ["PAKIRN"]}]}, "must look like PAK-IRN"),
        ({"rules": [{"name": "x", "types": ["BOMB"]}]}, "unknown PLOVER type(s) BOMB"),
        ({"rules": [{"name": "x", "countries": ["Pakistan"]}]}, "is not a country code"),
        ({"rules": [{"name": "x", "kinds": ["panic"]}]}, "rules[0].kinds[0]"),
        ({"rules": []}, "rules"),
    ],
)
def test_rules_validation_names_the_field(rules, needle):
    with pytest.raises(DetenteError) as exc:
        parse_rules(rules, source="r.yaml")
    assert exc.value.code == "E702"
    assert needle in str(exc.value)


def test_rules_files(tmp_path):
    with pytest.raises(DetenteError, match="E700"):
        load_rules(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [name: x\n")
    with pytest.raises(DetenteError, match="E701"):
        load_rules(bad)
    from importlib import resources

    example = resources.files("detente").joinpath("data", "watch", "rules.example.yaml")
    spec = load_rules(str(example))
    assert spec.rules[0].dyads == [("PAK", "IRN")]
    assert spec.rules[0].de_escalation.types == ["CONSULT", "AGREE"]


def test_run_rules_story_and_dyad_filter():
    canon = link_events(story()).canonical
    alerts = run_rules(canon, parse_rules(RULES))
    assert [(a.kind, a.date.day) for a in alerts] == [("escalation", 16), ("tit_for_tat", 18), ("de_escalation", 19)]
    other = run_rules(canon, parse_rules({"rules": [{"name": "x", "dyads": [["FRA", "MLI"]]}]}))
    assert other == []
    only_tft = run_rules(canon, parse_rules({"rules": [{"name": "x", "countries": ["IRN"], "kinds": ["tit_for_tat"]}]}))
    assert [a.kind for a in only_tft] == ["tit_for_tat"]


def test_two_rules_on_one_dyad_give_each_alert_once():
    canon = link_events(story()).canonical
    one = run_rules(canon, parse_rules(RULES))
    both = run_rules(canon, parse_rules({"rules": [{"name": "pak-irn", "dyads": ["PAK-IRN"]},
                                                   {"name": "iran", "countries": ["IRN"]}]}))
    assert [(a.kind, a.date) for a in both] == [(a.kind, a.date) for a in one]
    assert {a.rule for a in both} == {"pak-irn, iran"}
    assert [a.id for a in both] == [a.id for a in one]  # the first rule's alert: same id as that rule alone


def test_watch_emits_once_and_keeps_state(tmp_path):
    with open_store(":memory:") as store:
        _fill(store)
        link_store(store)
        spec = parse_rules(RULES)
        alerts, state = watch(store, spec)
        assert len(alerts) == 3 and str(state.watermark) == "2024-01-19"
        path = tmp_path / "state.json"
        save_state(path, state)
        again, _ = watch(store, spec, state=load_state(path))
        assert again == []
    (tmp_path / "broken.json").write_text("{")
    with pytest.raises(DetenteError, match="E706"):
        load_state(tmp_path / "broken.json")


# --- webhook -------------------------------------------------------------------------------------------------------


class _Server:
    """A loopback HTTP server answering with the given statuses in turn (the last one repeats)."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses, self.bodies = list(statuses), []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                n = int(self.headers.get("Content-Length", 0))
                outer.bodies.append(json.loads(self.rfile.read(n)))
                status = outer.statuses.pop(0) if len(outer.statuses) > 1 else outer.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _alerts() -> list[Alert]:
    return run_rules(link_events(story()).canonical, parse_rules(RULES))


def test_webhook_retries_then_succeeds():
    with _Server([503, 502, 200]) as srv:
        assert post_alerts(srv.url, _alerts(), tries=4, backoff=0.01) == 200
    assert len(srv.bodies) == 3
    assert srv.bodies[-1]["count"] == 3 and srv.bodies[-1]["alerts"][1]["kind"] == "tit_for_tat"


def test_webhook_gives_up_with_clear_error():
    with _Server([500]) as srv:
        with pytest.raises(DetenteError) as exc:
            post_alerts(srv.url, _alerts(), tries=3, backoff=0.01)
    assert exc.value.code == "E703" and "after 3 tries" in str(exc.value) and "HTTP 500" in str(exc.value)
    assert len(srv.bodies) == 3


def test_webhook_client_error_is_not_retried():
    with _Server([404]) as srv:
        with pytest.raises(DetenteError, match="after 1 tries"):
            post_alerts(srv.url, _alerts(), tries=3, backoff=0.01)
    assert len(srv.bodies) == 1


def test_webhook_connection_refused():
    srv = _Server([200])  # bound, then closed without serving: the port refuses connections
    url = srv.url
    srv.httpd.server_close()
    with pytest.raises(DetenteError, match="E703"):
        post_alerts(url, _alerts(), tries=2, backoff=0.01)


# --- CLI -----------------------------------------------------------------------------------------------------------


def test_cli_link_dyads_dyad_watch(tmp_path):
    from detente.cli import _register, app

    _register()
    db = str(tmp_path / "t.duckdb")
    with open_store(db) as store:
        _fill(store)
    run = CliRunner().invoke
    r = run(app, ["link", "--db", db])
    assert r.exit_code == 0, r.output
    assert "multi-source 1" in r.output and "responses 1" in r.output
    r = run(app, ["dyads", "--db", db, "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert (rows[0]["a"], rows[0]["b"], rows[0]["events"]) == ("IRN", "PAK", 4)
    r = run(app, ["dyad", "pak", "IRN", "--db", db, "--out", str(tmp_path / "c" / "pak-irn")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "c" / "pak-irn.png").exists() and (tmp_path / "c" / "pak-irn.html").exists()
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: pak-irn\n    dyads: [PAK-IRN]\n")
    args = ["watch", "--rules", str(rules), "--db", db, "--state", str(tmp_path / "st.json"), "--format", "jsonl",
            "--out", str(tmp_path / "alerts.jsonl")]
    r = run(app, args)
    assert r.exit_code == 0, r.output
    kinds = [json.loads(line)["kind"] for line in r.output.splitlines()]
    assert kinds == ["escalation", "tit_for_tat", "de_escalation"]
    assert len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 3
    r = run(app, args)
    assert r.exit_code == 0 and r.output == ""  # nothing new
