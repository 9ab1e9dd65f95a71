// Sample data for the timeline: a small C program that reads a config, forks a worker thread
// and crashes with SIGSEGV. Used by render-timeline.mjs and by the tests of the renderer.

export const sampleTimeline = {
  totalEvents: 18432,
  currentEvent: 13105,
  markers: [
    { kind: "start", event: 0, label: "exec ./inventory --config inventory.toml", detail: "pid 4711" },
    { kind: "checkpoint", event: 1, label: "Checkpoint 0", detail: "after exec · 2.1 MiB" },
    { kind: "output", event: 212, label: "inventory 1.4.2 starting", detail: "stdout" },
    { kind: "output", event: 1874, label: "loaded 312 items from inventory.toml", detail: "stdout" },
    { kind: "checkpoint", event: 4096, label: "Checkpoint 1", detail: "persisted · 640 KiB" },
    { kind: "thread", event: 5120, label: "Thread 4712 started", threadId: 4712, detail: "worker" },
    { kind: "output", event: 6990, label: "warning: item 207 has no price", detail: "stderr" },
    { kind: "checkpoint", event: 8192, label: "Checkpoint 2", detail: "persisted · 512 KiB" },
    { kind: "output", event: 11020, label: "restocking 14 items", detail: "stdout" },
    { kind: "checkpoint", event: 12288, label: "Checkpoint 3", detail: "persisted · 498 KiB" },
    { kind: "output", event: 15530, label: "writing report.csv", detail: "stdout" },
    { kind: "checkpoint", event: 16384, label: "Checkpoint 4", detail: "persisted · 531 KiB" },
    { kind: "signal", event: 18430, label: "SIGSEGV in update_stock", threadId: 4712, detail: "address 0x0 not mapped · report.c:88" },
    { kind: "exit", event: 18432, label: "Killed by SIGSEGV", detail: "core not dumped" },
  ],
};

export const samplePosition = { event: 13105, totalEvents: 18432, percent: (100 * 13105) / 18432, threadId: 4712 };

export const sampleBookmarks = [
  { id: "b1", event: 9010, label: "price table filled", created: "2025-01-01T00:00:00.000Z" },
  { id: "b2", event: 13105, label: "stock[207] becomes NULL", created: "2025-01-01T00:00:00.000Z" },
];
