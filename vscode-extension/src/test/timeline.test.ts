import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BookmarkStore, type KeyValueStore } from "../bookmarks";
import { jsonForScript, makeNonce, renderTimelineHtml } from "../timelineHtml";
import { buildTimelineModel, eventAtFraction, lastRowAtOrBefore, percentOf, traceDisplayName } from "../timelineModel";
import type { TimelineResponseBody } from "../protocol";

const timeline: TimelineResponseBody = {
  totalEvents: 1000,
  currentEvent: 500,
  markers: [
    { kind: "exit", event: 1000, label: "exit 0" },
    { kind: "start", event: 0, label: "exec ./app" },
    { kind: "signal", event: 900, label: "SIGSEGV" },
    { kind: "output", event: 400, label: "hello" },
  ],
};

class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

describe("timeline model", () => {
  it("merges markers and bookmarks in event order and finds the current row", () => {
    const model = buildTimelineModel("app.rwd", timeline, [{ id: "b", event: 400, label: "mine", created: "" }], { event: 450, totalEvents: 1000, percent: 45 });
    assert.deepEqual(model.rows.map((r) => `${r.event}:${r.kind}`), ["0:start", "400:output", "400:bookmark", "900:signal", "1000:exit"]);
    assert.equal(model.currentEvent, 450);
    assert.equal(model.currentPercent, 45);
    assert.equal(model.currentRow, 2);
    assert.equal(model.rows[3].percent, 90);
    assert.equal(model.rows[2].bookmarkId, "b");
    assert.deepEqual(model.counts, { start: 1, output: 1, bookmark: 1, signal: 1, exit: 1 });
  });
  it("is empty but valid before a trace is open", () => {
    const model = buildTimelineModel("", undefined, []);
    assert.equal(model.rows.length, 0);
    assert.equal(model.currentRow, -1);
    assert.equal(model.currentPercent, 0);
  });
  it("maps between events and positions on the track", () => {
    assert.equal(percentOf(250, 1000), 25);
    assert.equal(percentOf(5, 0), 0);
    assert.equal(percentOf(2000, 1000), 100);
    assert.equal(eventAtFraction(0.5, 1001), 501);
    assert.equal(eventAtFraction(-1, 1000), 0);
    assert.equal(eventAtFraction(2, 1000), 1000);
  });
  it("binary-searches the last row at or before an event", () => {
    const rows = [0, 10, 10, 20].map((event) => ({ kind: "output" as const, event, label: "", percent: 0 }));
    assert.equal(lastRowAtOrBefore(rows, -1), -1);
    assert.equal(lastRowAtOrBefore(rows, 10), 2);
    assert.equal(lastRowAtOrBefore(rows, 15), 2);
    assert.equal(lastRowAtOrBefore(rows, 99), 3);
  });
  it("names a trace by its file name", () => {
    assert.equal(traceDisplayName("/home/me/traces/app.rwd"), "app.rwd");
    assert.equal(traceDisplayName("C:\\t\\app.rwd"), "app.rwd");
  });
});

describe("bookmarks", () => {
  it("are kept per trace, sorted, and removable", async () => {
    const store = new BookmarkStore(new MemoryStore(), () => new Date("2025-01-02T03:04:05Z"));
    await store.add("a.rwd", 30, "late");
    await store.add("a.rwd", 10, "  ");
    await store.add("b.rwd", 5, "other trace");
    assert.deepEqual(store.list("a.rwd").map((b) => [b.event, b.label]), [[10, "Event 10"], [30, "late"]]);
    assert.equal(store.list("c.rwd").length, 0);
    const [first] = store.list("a.rwd");
    assert.equal(await store.remove("a.rwd", first.id), true);
    assert.equal(await store.remove("a.rwd", "nope"), false);
    assert.deepEqual(store.list("a.rwd").map((b) => b.event), [30]);
  });
});

describe("timeline html", () => {
  const model = buildTimelineModel("app.rwd", { ...timeline, markers: [{ kind: "output", event: 1, label: "</script><script>alert(1)</script>" }] }, []);
  const html = renderTimelineHtml(model, { nonce: "n0nce", cspSource: "vscode-resource:" });

  it("locks scripts and styles to the nonce", () => {
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src 'nonce-n0nce' vscode-resource:; script-src 'nonce-n0nce'/);
    assert.match(html, /<script nonce="n0nce">/);
    assert.doesNotMatch(html, /<script>alert/);
  });
  it("embeds the model so trace data cannot close the script element", () => {
    assert.ok(html.includes("\\u003c/script\\u003e"));
    assert.equal(jsonForScript({ a: "<&>" }), '{"a":"\\u003c\\u0026\\u003e"}');
  });
  it("uses the theme's colours with fallbacks", () => {
    assert.match(html, /var\(--vscode-foreground, #cccccc\)/);
    assert.match(html, /var\(--vscode-sideBar-background, #181818\)/);
  });
  it("makes fresh nonces", () => {
    assert.equal(makeNonce().length, 32);
    assert.notEqual(makeNonce(), makeNonce());
  });
});
