# Loaded by every test file (`load test_helper`).
SRC="$(cd "$BATS_TEST_DIRNAME/../src" && pwd)"

# A port that was free a moment ago and that nothing listens on now.
closed_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
