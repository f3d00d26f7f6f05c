"""Gunicorn's control socket lives in ctpat's data directory (or is off), never in ~/.gunicorn."""

from __future__ import annotations

import pytest

from ctpat.config.cli import control_socket_args, gunicorn_argv


def _socket(argv: list[str]) -> str | None:
    if "--no-control-socket" in argv:
        return None
    return argv[argv.index("--control-socket") + 1]


def test_the_control_socket_goes_under_the_data_directory(tmp_path):
    argv = gunicorn_argv("127.0.0.1:8000", 2, data_dir=tmp_path)
    assert _socket(argv) == str(tmp_path / "gunicorn.ctl")
    assert argv[:2] == ["gunicorn", "ctpat.config.wsgi:application"]
    assert ".gunicorn" not in " ".join(argv)


def test_a_missing_data_directory_is_created_for_it(tmp_path):
    data_dir = tmp_path / "not" / "yet"
    assert _socket(control_socket_args(data_dir)) == str(data_dir / "gunicorn.ctl")
    assert data_dir.is_dir()


@pytest.mark.parametrize("value", ["off", "OFF", "false", "no", "0"])
def test_the_setting_turns_it_off(value, tmp_path):
    assert control_socket_args(tmp_path, value) == ["--no-control-socket"]


def test_the_setting_can_name_another_path(tmp_path):
    path = tmp_path / "run" / "ctpat.ctl"
    assert control_socket_args(tmp_path / "data", str(path)) == ["--control-socket", str(path)]


def test_a_data_directory_too_deep_for_a_socket_path_turns_it_off(tmp_path):
    deep = tmp_path / ("d" * 120)
    assert control_socket_args(deep) == ["--no-control-socket"]


def test_gunicorn_accepts_the_command_line(tmp_path):
    """The options exist in the pinned gunicorn and parse to what we meant."""
    from gunicorn.config import Config

    parser = Config("%(prog)s [OPTIONS] [APP_MODULE]").parser()
    on = parser.parse_args(gunicorn_argv("127.0.0.1:8000", 2, data_dir=tmp_path)[1:])
    assert on.control_socket == str(tmp_path / "gunicorn.ctl")
    off = parser.parse_args(
        gunicorn_argv("127.0.0.1:8000", 2, data_dir=tmp_path, control_socket="off")[1:]
    )
    assert off.control_socket_disable is True
