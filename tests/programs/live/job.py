# A python job with a thread waiting on a condition and the main thread computing between
# sleeps: resumed, both go on, and the digest is that of an uninterrupted run.
import hashlib
import threading
import time

ready = threading.Condition()
state = {"step": 0, "done": False}


def watcher():
    with ready:
        while not state["done"]:
            ready.wait()
    print("watcher saw", state["step"], "steps", flush=True)


thread = threading.Thread(target=watcher)
thread.start()
digest = hashlib.sha256()
for step in range(150):
    digest.update(str(step).encode())
    print("step", step, flush=True)
    time.sleep(0.02)
with ready:
    state["step"], state["done"] = 150, True
    ready.notify()
thread.join()
print("digest", digest.hexdigest()[:16])
