import socket
import sqlite3
import subprocess
import sys

import pytest


def test_orders_persist_in_sqlite(tmp_path):
    conn = sqlite3.connect(tmp_path / "orders.db")
    try:
        conn.execute("create table orders (id integer primary key, cents integer)")
        conn.executemany("insert into orders (cents) values (?)", [(450,), (1200,)])
        (total,) = conn.execute("select sum(cents) from orders").fetchone()
    finally:
        conn.close()
    assert total == 1650


def test_inventory_service_refuses_when_down():
    # A port we hold bound but never listen on refuses every connection, and no
    # other process can take it meanwhile, so the refusal is certain offline too.
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    try:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(holder.getsockname(), timeout=2)
    finally:
        holder.close()


def test_export_runs_as_a_child_process():
    result = subprocess.run([sys.executable, "-c", "print(42)"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "42"
