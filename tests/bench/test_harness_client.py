"""The benches' HTTP client retries a request only where a browser would: on a kept-alive
connection that the server closed while it was idle. A fresh connection that fails is
the site's failure and is reported, so a POST is never sent twice behind the bench's back."""

import http.client
import socket
import threading

import pytest

from bench.harness import Client

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"


class LoopbackServer:
    """Answers each connection's requests by a script: True answers, False closes."""

    def __init__(self, *scripts: list[bool]):
        self.scripts = list(scripts)
        self.requests_seen: list[tuple[int, bytes]] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        for number, script in enumerate(self.scripts):
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return  # closed by the test while waiting for a connection that never came
            with connection:
                for answer in script:
                    request = b""
                    while b"\r\n\r\n" not in request:
                        chunk = connection.recv(65536)
                        if not chunk:
                            return
                        request += chunk
                    self.requests_seen.append((number, request.split(b" ", 1)[0]))
                    if not answer:
                        break
                    connection.sendall(OK)

    def close(self):
        self.listener.close()


@pytest.fixture
def server_factory():
    servers = []

    def make(*scripts):
        server = LoopbackServer(*scripts)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


def test_a_post_on_a_fresh_connection_is_not_retried(server_factory):
    server = server_factory([False], [True])
    client = Client(f"http://127.0.0.1:{server.port}")

    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        client.request("POST", "/anmeldung/", body=b"email=a%40example.org")
    client.close()

    assert server.requests_seen == [(0, b"POST")]


def test_an_idle_kept_alive_connection_closed_by_the_server_is_retried_once(server_factory):
    server = server_factory([True, False], [True])
    client = Client(f"http://127.0.0.1:{server.port}")

    assert client.request("GET", "/anmeldung/").status == 200
    response = client.request("POST", "/anmeldung/", body=b"email=a%40example.org")

    client.close()

    assert response.status == 200
    assert server.requests_seen[-1] == (1, b"POST")
