// The status bar's text for a position in the trace. No `vscode` import.

import type { PositionEventBody } from "./protocol";

/** Formats a count with thin grouping ("1,234,567"), independent of the machine's locale. */
export function formatCount(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "12.5%", "0%", "100%": one decimal below 10%, none above, never "100%" before the end. */
export function formatPercent(percent: number, atEnd: boolean): string {
  const p = Math.min(100, Math.max(0, percent));
  if (atEnd) return "100%";
  if (p >= 99.5) return "99%"; // Rounding must not claim the end before it is reached.
  return p < 10 && p > 0 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/** The status bar text: "event 1,500 of 20,000 (7.5%)". */
export function positionText(position: PositionEventBody): string {
  const atEnd = position.event >= position.totalEvents;
  return `event ${formatCount(position.event)} of ${formatCount(position.totalEvents)} (${formatPercent(position.percent, atEnd)})`;
}

/** The status bar item's full text, with the codicon the extension shows before it. */
export function statusBarText(position: PositionEventBody | undefined): string {
  return position ? `$(history) ${positionText(position)}` : "$(history) Rewind";
}

export function statusBarTooltip(position: PositionEventBody | undefined): string {
  if (!position) return "Rewind: no position yet";
  return `Rewind: ${positionText(position)}. Click to go to another event.`;
}
