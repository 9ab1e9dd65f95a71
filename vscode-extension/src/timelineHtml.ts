// The timeline webview's document: HTML, CSS and the script that draws the model. No
// `vscode` import, so scripts/render-timeline.mjs can render it from sample data outside
// VS Code. Colours come from VS Code's theme variables, with its Dark Modern values as
// fallbacks.

import type { TimelineViewModel } from "./timelineModel";

export interface RenderOptions {
  /** A fresh random value per document: only scripts and styles carrying it may run. */
  nonce: string;
  /** The webview's `cspSource`; empty outside VS Code. */
  cspSource: string;
}

/** Messages from the webview to the extension. */
export type TimelineMessage =
  | { type: "gotoEvent"; event: number }
  | { type: "gotoPrompt" }
  | { type: "addBookmark" }
  | { type: "removeBookmark"; id: string }
  | { type: "ready" };

export function renderTimelineHtml(model: TimelineViewModel, options: RenderOptions): string {
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${options.nonce}'${options.cspSource ? " " + options.cspSource : ""}`,
    `script-src 'nonce-${options.nonce}'`,
    "img-src data:",
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Rewind Timeline</title>
<style nonce="${options.nonce}">${styles}</style>
</head>
<body>
<header class="head">
  <div class="title-row"><span class="trace" id="trace"></span><span class="badge">REPLAY</span></div>
  <div class="position" id="position"></div>
</header>
<section class="track-wrap" aria-label="Trace timeline">
  <div class="track" id="track" role="slider" tabindex="0" aria-label="Position in the trace"></div>
  <div class="scale"><span>0</span><span id="scale-end"></span></div>
</section>
<nav class="chips" id="chips" aria-label="Filter events"></nav>
<main class="list" id="list" role="list"></main>
<footer class="actions">
  <button id="add-bookmark" class="primary" type="button">${icon("bookmark")}<span>Bookmark</span></button>
  <button id="goto" class="secondary" type="button">${icon("goto")}<span>Go to Event…</span></button>
</footer>
<script type="application/json" id="rewind-model">${jsonForScript(model)}</script>
<script type="application/json" id="rewind-icons">${jsonForScript(icons)}</script>
<script nonce="${options.nonce}">(${timelineClient.toString()})();</script>
</body>
</html>
`;
}

/** JSON that cannot close its script element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

/** A random nonce for the Content-Security-Policy. */
export function makeNonce(random: () => number = Math.random): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let nonce = "";
  for (let i = 0; i < 32; i++) nonce += chars.charAt(Math.floor(random() * chars.length));
  return nonce;
}

// 16×16 outline icons in the spirit of VS Code's codicons, drawn with currentColor.
const icons: Record<string, string> = {
  start: '<path d="M5 3.5v9l7-4.5z" fill="currentColor"/>',
  exit: '<rect x="4" y="4" width="8" height="8" rx="1" fill="currentColor"/>',
  checkpoint: '<path d="M4 2v12M4 3h7l-1.5 2.5L11 8H4" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"/>',
  signal: '<path d="M8 2l6.5 11.5h-13z" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"/><path d="M8 6.5v3.2M8 11.2v.6" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"/>',
  output: '<rect x="1.5" y="3" width="13" height="10" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.3"/><path d="M4 6.5l2 1.5-2 1.5M7.5 10h4" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>',
  thread: '<circle cx="5" cy="4" r="1.6" fill="none" stroke="currentColor" stroke-width="1.3"/><circle cx="5" cy="12" r="1.6" fill="none" stroke="currentColor" stroke-width="1.3"/><circle cx="11" cy="7" r="1.6" fill="none" stroke="currentColor" stroke-width="1.3"/><path d="M5 5.6v4.8M11 8.6c0 2-2.5 2.2-4.6 2.8" fill="none" stroke="currentColor" stroke-width="1.3"/>',
  syscall: '<path d="M2.5 8h3M10.5 8h3M8 2.5v3M8 10.5v3" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/><circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" stroke-width="1.3"/>',
  bookmark: '<path d="M4.5 2h7v12L8 11l-3.5 3z" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linejoin="round"/>',
  goto: '<circle cx="8" cy="8" r="5.8" fill="none" stroke="currentColor" stroke-width="1.3"/><path d="M8 4.5V8l2.5 1.6" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>',
  here: '<path d="M3 3.5l10 4.5-10 4.5z" fill="currentColor"/>',
  close: '<path d="M4.5 4.5l7 7M11.5 4.5l-7 7" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>',
};

function icon(name: string): string {
  return `<svg class="icon" viewBox="0 0 16 16" aria-hidden="true">${icons[name]}</svg>`;
}

const styles = `
:root {
  --fg: var(--vscode-foreground, #cccccc);
  --muted: var(--vscode-descriptionForeground, #9d9d9d);
  --bg: var(--vscode-sideBar-background, #181818);
  --panel: var(--vscode-editorWidget-background, #202020);
  --border: var(--vscode-panel-border, #2b2b2b);
  --track: var(--vscode-input-background, #313131);
  --hover: var(--vscode-list-hoverBackground, #2a2d2e);
  --selected: var(--vscode-list-inactiveSelectionBackground, #37373d);
  --focus: var(--vscode-focusBorder, #0078d4);
  --here: var(--vscode-debugIcon-breakpointCurrentStackframeForeground, #ffcc00);
  --here-bg: var(--vscode-editor-stackFrameHighlightBackground, rgba(255, 204, 0, 0.13));
  --btn-bg: var(--vscode-button-background, #0078d4);
  --btn-fg: var(--vscode-button-foreground, #ffffff);
  --btn-hover: var(--vscode-button-hoverBackground, #026ec1);
  --btn2-bg: var(--vscode-button-secondaryBackground, #313131);
  --btn2-fg: var(--vscode-button-secondaryForeground, #cccccc);
  --btn2-hover: var(--vscode-button-secondaryHoverBackground, #3c3c3c);
  --badge-bg: var(--vscode-badge-background, #616161);
  --badge-fg: var(--vscode-badge-foreground, #f8f8f8);
  --k-start: var(--vscode-charts-green, #89d185);
  --k-exit: var(--vscode-charts-purple, #b180d7);
  --k-checkpoint: var(--vscode-charts-blue, #3794ff);
  --k-signal: var(--vscode-charts-red, #f14c4c);
  --k-output: var(--vscode-terminal-ansiCyan, #29b8db);
  --k-thread: var(--vscode-charts-orange, #d18616);
  --k-syscall: var(--vscode-descriptionForeground, #9d9d9d);
  --k-bookmark: var(--vscode-charts-yellow, #cca700);
}
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body {
  color: var(--fg); background: var(--bg);
  font-family: var(--vscode-font-family, -apple-system, "Segoe UI", system-ui, Ubuntu, "Droid Sans", sans-serif);
  font-size: var(--vscode-font-size, 13px); line-height: 1.4;
  display: flex; flex-direction: column; height: 100vh; overflow: hidden;
}
.icon { width: 16px; height: 16px; flex: none; display: block; }
.head { padding: 12px 14px 8px; }
.title-row { display: flex; align-items: center; gap: 8px; }
.trace { font-weight: 600; font-size: 1.05em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.badge {
  font-size: 10px; font-weight: 600; letter-spacing: .06em; padding: 1px 6px; border-radius: 8px;
  background: var(--badge-bg); color: var(--badge-fg);
}
.position { color: var(--muted); margin-top: 2px; font-variant-numeric: tabular-nums; }
.position b { color: var(--fg); font-weight: 600; }
.track-wrap { padding: 4px 14px 6px; }
.track {
  position: relative; height: 34px; border-radius: 4px; background: var(--track); cursor: pointer;
  outline: none; overflow: hidden; border: 1px solid var(--border);
}
.track:focus-visible { border-color: var(--focus); }
.track .past {
  position: absolute; top: 0; bottom: 0; left: 0;
  background: linear-gradient(90deg, rgba(255, 204, 0, 0.04), rgba(255, 204, 0, 0.14));
}
.track .tick { position: absolute; width: 2px; margin-left: -1px; border-radius: 1px; opacity: .9; }
.track .tick.signal, .track .tick.exit, .track .tick.start { top: 4px; bottom: 4px; width: 3px; }
.track .tick.signal { z-index: 2; box-shadow: 0 0 6px var(--k-signal); }
.track .tick.checkpoint { top: 9px; bottom: 9px; }
.track .tick.output, .track .tick.thread, .track .tick.syscall { top: 13px; bottom: 13px; opacity: .75; }
.track .tick.bookmark { top: 0; height: 0; width: 0; margin-left: -5px; background: none !important;
  border-left: 5px solid transparent; border-right: 5px solid transparent; border-top: 7px solid var(--k-bookmark); }
.track .cursor { position: absolute; top: 0; bottom: 0; width: 2px; margin-left: -1px; background: var(--here);
  box-shadow: 0 0 0 1px rgba(0, 0, 0, .35); }
.track .cursor::after { content: ""; position: absolute; left: -4px; bottom: -1px; border: 5px solid transparent;
  border-bottom: 7px solid var(--here); }
.scale { display: flex; justify-content: space-between; color: var(--muted); font-size: 11px; margin-top: 3px;
  font-variant-numeric: tabular-nums; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; padding: 6px 14px 8px; border-bottom: 1px solid var(--border); }
.chip {
  display: inline-flex; align-items: center; gap: 5px; padding: 2px 9px 2px 7px; border-radius: 11px;
  border: 1px solid var(--border); background: transparent; color: var(--muted); font: inherit; font-size: 12px;
  cursor: pointer;
}
.chip .dot { width: 7px; height: 7px; border-radius: 50%; }
.chip .n { font-variant-numeric: tabular-nums; opacity: .8; }
.chip[aria-pressed="true"] { color: var(--fg); background: var(--selected); border-color: transparent; }
.chip:hover { background: var(--hover); }
.list { flex: 1; overflow-y: auto; padding: 4px 0; }
.row {
  display: grid; grid-template-columns: 22px 1fr auto; align-items: center; column-gap: 6px;
  padding: 3px 10px 3px 12px; cursor: pointer; border-left: 2px solid transparent; min-height: 26px;
}
.row:hover { background: var(--hover); }
.row:focus-visible { outline: 1px solid var(--focus); outline-offset: -1px; }
.row .kind { display: flex; align-items: center; justify-content: center; }
.row .text { min-width: 0; }
.row .label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.row .detail { color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.row .label code { font-family: var(--vscode-editor-font-family, "Cascadia Code", Menlo, Consolas, monospace); font-size: 12px; }
.row .meta { display: flex; align-items: center; gap: 4px; color: var(--muted); font-size: 12px; font-variant-numeric: tabular-nums; }
.row .remove { display: none; background: none; border: 0; color: var(--muted); padding: 1px; cursor: pointer; border-radius: 3px; }
.row:hover .remove, .row:focus-within .remove { display: inline-flex; }
.row .remove:hover { color: var(--fg); background: var(--btn2-hover); }
.row.past .label { opacity: .82; }
.row.current { background: var(--here-bg); border-left-color: var(--here); }
.row.signal .label { color: var(--k-signal); font-weight: 600; }
.here {
  display: flex; align-items: center; gap: 6px; margin: 3px 12px; padding: 2px 0; color: var(--here); font-size: 12px;
  font-weight: 600;
}
.here::before, .here::after { content: ""; flex: 1; height: 1px; background: var(--here); opacity: .45; }
.here .icon { width: 12px; height: 12px; }
.empty { color: var(--muted); padding: 18px 14px; text-align: center; }
.actions { display: flex; gap: 8px; padding: 10px 14px 12px; border-top: 1px solid var(--border); }
.actions button {
  display: inline-flex; align-items: center; justify-content: center; gap: 6px; flex: 1; padding: 5px 10px;
  border: 1px solid transparent; border-radius: 2px; font: inherit; cursor: pointer;
}
.actions .primary { background: var(--btn-bg); color: var(--btn-fg); }
.actions .primary:hover { background: var(--btn-hover); }
.actions .secondary { background: var(--btn2-bg); color: var(--btn2-fg); }
.actions .secondary:hover { background: var(--btn2-hover); }
.k-start { color: var(--k-start); } .k-exit { color: var(--k-exit); } .k-checkpoint { color: var(--k-checkpoint); }
.k-signal { color: var(--k-signal); } .k-output { color: var(--k-output); } .k-thread { color: var(--k-thread); }
.k-syscall { color: var(--k-syscall); } .k-bookmark { color: var(--k-bookmark); }
.bg-start { background: var(--k-start); } .bg-exit { background: var(--k-exit); } .bg-checkpoint { background: var(--k-checkpoint); }
.bg-signal { background: var(--k-signal); } .bg-output { background: var(--k-output); } .bg-thread { background: var(--k-thread); }
.bg-syscall { background: var(--k-syscall); } .bg-bookmark { background: var(--k-bookmark); }
`;

interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare const acquireVsCodeApi: (() => WebviewApi) | undefined;

/**
 * The webview's script. It is serialized with Function.prototype.toString into the page, so
 * it must stay self-contained: no imports, no closures over this module.
 */
function timelineClient(): void {
  const api: WebviewApi = typeof acquireVsCodeApi === "function"
    ? acquireVsCodeApi()
    : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  const modelElement = document.getElementById("rewind-model");
  const iconsElement = document.getElementById("rewind-icons");
  let model = JSON.parse(modelElement?.textContent ?? "{}") as TimelineViewModel;
  const iconPaths = JSON.parse(iconsElement?.textContent ?? "{}") as Record<string, string>;
  const kindNames: Record<string, string> = {
    signal: "Signals", output: "Output", checkpoint: "Checkpoints", bookmark: "Bookmarks",
    thread: "Threads", syscall: "Syscalls", start: "Start", exit: "Exit",
  };
  const saved = api.getState() as { hidden?: string[] } | undefined;
  const hidden = new Set<string>(saved?.hidden ?? ["syscall"]);

  const count = (n: number): string => Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const svg = (name: string, cls = "icon"): SVGSVGElement => {
    const el = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    el.setAttribute("viewBox", "0 0 16 16");
    el.setAttribute("class", cls);
    el.setAttribute("aria-hidden", "true");
    // The icon paths are this extension's own constants, never data from the trace.
    el.innerHTML = iconPaths[name] ?? "";
    return el;
  };
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const gotoEvent = (event: number): void => api.postMessage({ type: "gotoEvent", event });

  function renderHeader(): void {
    const trace = document.getElementById("trace");
    if (trace) trace.textContent = model.traceName || "No trace";
    const position = document.getElementById("position");
    if (position) {
      position.replaceChildren();
      const pct = model.currentPercent;
      const pctText = model.currentEvent >= model.totalEvents && model.totalEvents > 0
        ? "100%" : pct > 0 && pct < 10 ? pct.toFixed(1) + "%" : Math.min(99, Math.round(pct)) + "%";
      position.append("Event ", el("b", undefined, count(model.currentEvent)), " of " + count(model.totalEvents) + " · " + pctText);
    }
    const end = document.getElementById("scale-end");
    if (end) end.textContent = count(model.totalEvents);
  }

  function renderTrack(): void {
    const track = document.getElementById("track");
    if (!track) return;
    track.replaceChildren();
    const past = el("div", "past");
    past.style.width = model.currentPercent + "%";
    track.append(past);
    for (const row of model.rows) {
      if (hidden.has(row.kind)) continue;
      const tick = el("div", "tick " + row.kind + " bg-" + row.kind);
      tick.style.left = row.percent + "%";
      tick.title = row.label + " — event " + count(row.event);
      track.append(tick);
    }
    const cursor = el("div", "cursor");
    cursor.style.left = model.currentPercent + "%";
    track.append(cursor);
    track.setAttribute("aria-valuemin", "0");
    track.setAttribute("aria-valuemax", String(model.totalEvents));
    track.setAttribute("aria-valuenow", String(model.currentEvent));
  }

  function renderChips(): void {
    const chips = document.getElementById("chips");
    if (!chips) return;
    chips.replaceChildren();
    for (const kind of ["signal", "output", "checkpoint", "bookmark", "thread", "syscall"]) {
      const n = model.counts[kind as keyof typeof model.counts] ?? 0;
      if (n === 0) continue;
      const chip = el("button", "chip");
      chip.type = "button";
      chip.setAttribute("aria-pressed", String(!hidden.has(kind)));
      chip.append(el("span", "dot bg-" + kind), el("span", undefined, kindNames[kind] ?? kind), el("span", "n", count(n)));
      chip.addEventListener("click", () => {
        if (hidden.has(kind)) hidden.delete(kind); else hidden.add(kind);
        api.setState({ hidden: [...hidden] });
        render();
      });
      chips.append(chip);
    }
  }

  function renderList(): void {
    const list = document.getElementById("list");
    if (!list) return;
    list.replaceChildren();
    const visible = model.rows.map((row, index) => ({ row, index })).filter((r) => !hidden.has(r.row.kind));
    if (visible.length === 0) {
      list.append(el("div", "empty", model.rows.length === 0 ? "The timeline fills in once a trace is open." : "Every kind is filtered out."));
      return;
    }
    let hereShown = false;
    const here = (): HTMLElement => {
      const marker = el("div", "here");
      marker.append(svg("here"), "You are here · event " + count(model.currentEvent));
      return marker;
    };
    for (const { row, index } of visible) {
      if (!hereShown && row.event > model.currentEvent) {
        list.append(here());
        hereShown = true;
      }
      const item = el("div", "row " + row.kind + (row.event <= model.currentEvent ? " past" : "") + (index === model.currentRow && row.event === model.currentEvent ? " current" : ""));
      item.setAttribute("role", "listitem");
      item.tabIndex = 0;
      item.title = "Go to event " + count(row.event);
      const kind = el("span", "kind k-" + row.kind);
      kind.append(svg(row.kind));
      const text = el("span", "text");
      text.append(el("div", "label", row.label));
      if (row.detail) text.append(el("div", "detail", row.detail));
      const meta = el("span", "meta", "#" + count(row.event));
      if (row.bookmarkId) {
        const remove = el("button", "remove");
        remove.type = "button";
        remove.title = "Remove bookmark";
        remove.append(svg("close"));
        const id = row.bookmarkId;
        remove.addEventListener("click", (e) => {
          e.stopPropagation();
          api.postMessage({ type: "removeBookmark", id });
        });
        meta.append(remove);
      }
      item.append(kind, text, meta);
      item.addEventListener("click", () => gotoEvent(row.event));
      item.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") gotoEvent(row.event); });
      list.append(item);
    }
    if (!hereShown) list.append(here());
  }

  function render(): void {
    renderHeader();
    renderTrack();
    renderChips();
    renderList();
  }

  document.getElementById("track")?.addEventListener("click", (e) => {
    const track = e.currentTarget as HTMLElement;
    const rect = track.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    gotoEvent(Math.round(fraction * model.totalEvents));
  });
  document.getElementById("add-bookmark")?.addEventListener("click", () => api.postMessage({ type: "addBookmark" }));
  document.getElementById("goto")?.addEventListener("click", () => api.postMessage({ type: "gotoPrompt" }));
  window.addEventListener("message", (e: MessageEvent<{ type?: string; model?: TimelineViewModel }>) => {
    if (e.data?.type === "update" && e.data.model) {
      model = e.data.model;
      render();
    }
  });
  render();
  api.postMessage({ type: "ready" });
}
