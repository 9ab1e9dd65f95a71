# Four threads compute and report under a lock: the order they finish in is the run's own.
import threading

lock = threading.Lock()
finished = []


def work(k):
    total = sum((i ^ k) % 7 for i in range(200_000))
    with lock:
        finished.append((k, total))


threads = [threading.Thread(target=work, args=(k,), name=f"worker-{k}") for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("finished in order", [k for k, _ in finished])
print("sum", sum(total for _, total in finished))
