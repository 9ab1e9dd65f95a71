// A node job paced by a timer on libuv's loop (epoll, eventfds, V8's threads, a heap marked
// MADV_DONTFORK): resumed, the loop goes on and the digest is that of an uninterrupted run.
let step = 0, digest = 0;
const timer = setInterval(() => {
  digest = (digest * 31 + step) % 1000000007;
  console.log("step", step);
  if (++step === 150) {
    clearInterval(timer);
    console.log("digest", digest);
  }
}, 20);
