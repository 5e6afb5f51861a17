"""`detente serve`: refuses a missing store and a taken port with coded messages, before listening."""

from __future__ import annotations

import socket

import pytest
from typer.testing import CliRunner

from detente.cli import _register, app
from detente.cli.serve import _check_port
from detente.errors import DetenteError


def test_serve_refuses_missing_store(tmp_path):
    _register()
    missing = tmp_path / "none.duckdb"
    result = CliRunner().invoke(app, ["serve", "--db", str(missing), "--port", "1"])
    assert result.exit_code == 2
    assert "E204" in result.output
    assert not missing.exists()  # read-only: serving never creates a store


def test_port_in_use_is_e906():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(DetenteError) as exc:
            _check_port("127.0.0.1", port)
    assert exc.value.code == "E906" and str(port) in str(exc.value)
