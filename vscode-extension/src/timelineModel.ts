// The timeline view's model: the adapter's markers, the user's bookmarks and the current
// position merged into rows in event order. No `vscode` import.

import type { Bookmark } from "./bookmarks";
import type { MarkerKind, PositionEventBody, TimelineResponseBody } from "./protocol";

export type RowKind = MarkerKind | "bookmark";

export interface TimelineRow {
  kind: RowKind;
  event: number;
  label: string;
  detail?: string;
  threadId?: number;
  /** Where the row sits in the trace, 0–100. */
  percent: number;
  /** Set on bookmarks, to remove them. */
  bookmarkId?: string;
}

export interface TimelineViewModel {
  traceName: string;
  totalEvents: number;
  currentEvent: number;
  currentPercent: number;
  rows: TimelineRow[];
  /** How many rows of each kind, for the filter chips. */
  counts: Partial<Record<RowKind, number>>;
  /** The index of the last row at or before the current event; -1 when none. */
  currentRow: number;
}

/** Rows of one kind sort after another at the same event in this order. */
const kindOrder: RowKind[] = ["start", "thread", "checkpoint", "syscall", "output", "bookmark", "signal", "exit"];

export function percentOf(event: number, totalEvents: number): number {
  if (totalEvents <= 0) return 0;
  return Math.min(100, Math.max(0, (100 * event) / totalEvents));
}

export function buildTimelineModel(
  traceName: string,
  timeline: TimelineResponseBody | undefined,
  bookmarks: readonly Bookmark[],
  position?: PositionEventBody,
): TimelineViewModel {
  const totalEvents = position?.totalEvents ?? timeline?.totalEvents ?? 0;
  const currentEvent = position?.event ?? timeline?.currentEvent ?? 0;
  const rows: TimelineRow[] = [];
  for (const m of timeline?.markers ?? []) {
    const row: TimelineRow = { kind: m.kind, event: m.event, label: m.label, percent: percentOf(m.event, totalEvents) };
    if (m.detail !== undefined) row.detail = m.detail;
    if (m.threadId !== undefined) row.threadId = m.threadId;
    rows.push(row);
  }
  for (const b of bookmarks) {
    rows.push({ kind: "bookmark", event: b.event, label: b.label, percent: percentOf(b.event, totalEvents), bookmarkId: b.id });
  }
  rows.sort((a, b) => a.event - b.event || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind));

  const counts: Partial<Record<RowKind, number>> = {};
  for (const r of rows) counts[r.kind] = (counts[r.kind] ?? 0) + 1;

  return {
    traceName,
    totalEvents,
    currentEvent,
    currentPercent: position?.percent ?? percentOf(currentEvent, totalEvents),
    rows,
    counts,
    currentRow: lastRowAtOrBefore(rows, currentEvent),
  };
}

/** Binary search over rows sorted by event. */
export function lastRowAtOrBefore(rows: readonly TimelineRow[], event: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].event <= event) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** The event at a fraction of the trace's width (a click on the track). */
export function eventAtFraction(fraction: number, totalEvents: number): number {
  const f = Math.min(1, Math.max(0, fraction));
  return Math.round(f * totalEvents);
}

/** A short name for a trace path: its file name. */
export function traceDisplayName(trace: string): string {
  const parts = trace.split(/[\\/]/);
  return parts[parts.length - 1] || trace;
}
