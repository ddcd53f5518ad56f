# Helpers for the distributed cases, in NATS' own text protocol (no
# client library needed; $NATS_TOKEN: a token to connect with):
#   events PORT STREAM         the messages STREAM holds on STREAM.ev.*
#   stop-at PORT STREAM N PID  wait (30 s at most) until it holds N or
#                              more, then send PID SIGSTOP; print how many
#   port                       a free loopback TCP port
import json, os, signal, socket, sys, time

def conn(port):
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    f = s.makefile("rb")
    f.readline()
    c = {"verbose": False}
    if os.environ.get("NATS_TOKEN"):
        c["auth_token"] = os.environ["NATS_TOKEN"]
    s.sendall(b"CONNECT " + json.dumps(c).encode() + b"\r\nSUB in 1\r\n")
    return s, f

def count(s, f, stream):
    req = json.dumps({"subjects_filter": stream + ".ev.*"}).encode()
    s.sendall(b"PUB $JS.API.STREAM.INFO." + stream.encode() + b" in " +
        str(len(req)).encode() + b"\r\n" + req + b"\r\n")
    while True:
        w = f.readline().split()
        if not w:
            raise SystemExit("connection closed")
        if w[0] == b"PING":
            s.sendall(b"PONG\r\n")
        elif w[0] == b"MSG":
            r = json.loads(f.read(int(w[-1]) + 2))
            if "error" in r:
                return 0
            return sum(r["state"].get("subjects", {}).values())

cmd = sys.argv[1]
if cmd == "port":
    t = socket.socket()
    t.bind(("127.0.0.1", 0))
    print(t.getsockname()[1])
elif cmd == "events":
    s, f = conn(sys.argv[2])
    print(count(s, f, sys.argv[3]))
elif cmd == "stop-at":
    s, f = conn(sys.argv[2])
    n, pid = int(sys.argv[4]), int(sys.argv[5])
    end = time.time() + 30
    while time.time() < end:
        c = count(s, f, sys.argv[3])
        if c >= n:
            os.kill(pid, signal.SIGSTOP)
            print(c)
            break
        time.sleep(0.002)
    else:
        print("never reached %d" % n)
