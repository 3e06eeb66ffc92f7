/**
 * Incidents per week by priority as a stacked bar chart, written as SVG (pure text: the caller renders
 * it to PNG, src/report-chart.ts). A title, a y axis of incident counts with grid lines, one bar per
 * week labelled with its ISO week, one colour per priority in matrix order with the total above each
 * bar, and a legend naming the colours. A month without incidents gives a chart that says so.
 */
import { escapeHtml } from "../html.js";
export interface WeekCounts {
  week: string;
  /** Count per priority id. */
  counts: Record<string, number>;
}

export interface ChartSvg {
  width: number;
  height: number;
  svg: string;
}

/** Colours by priority rank: red, orange, blue, green, then grey. */
export const PRIORITY_COLOURS: [number, number, number][] = [[216, 60, 62], [240, 160, 50], [70, 120, 210], [80, 170, 90], [140, 140, 140]];
export const COLOUR_NAMES = ["red", "orange", "blue", "green", "grey"];

/** The font the renderer is given (shipped with the renderer, not looked up on the machine). */
export const CHART_FONT = "DejaVu Sans";

export const CHART_SIZE = { width: 880, height: 440 };
/** The plot area inside the axes, in pixels from the top-left corner. */
export const PLOT = { left: 70, top: 70, right: 700, bottom: 370 };

const esc = escapeHtml;
const rgb = ([r, g, b]: [number, number, number]) => `rgb(${r},${g},${b})`;
const colour = (rank: number) => PRIORITY_COLOURS[Math.min(rank, PRIORITY_COLOURS.length - 1)]!;

/** A y-axis step giving at most 8 ticks: 1, 2, 5, 10, 20, 50… */
function step(max: number): number {
  for (let s = 1; ; s *= 10) for (const k of [1, 2, 5]) if (max / (s * k) <= 8) return s * k;
}

const text = (x: number, y: number, t: string, attrs = "") => `<text x="${x}" y="${y}" ${attrs}>${esc(t)}</text>`;

/**
 * `labels` name the priorities in the legend ("P1 Critical"; views.priorityText), by id; `title` heads
 * the chart ("Incidents per week by priority, 2026-11").
 */
export function weeklyChart(weeks: WeekCounts[], priorities: string[], title = "Incidents per week by priority", labels: Record<string, string> = {}): ChartSvg {
  const { width, height } = CHART_SIZE;
  const { left, top, right, bottom } = PLOT;
  const total = (w: WeekCounts) => priorities.reduce((a, p) => a + (w.counts[p] ?? 0), 0);
  const max = Math.max(0, ...weeks.map(total));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${CHART_FONT}" font-size="14" fill="#333">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    text(width / 2, 34, title, `text-anchor="middle" font-size="20" font-weight="bold"`),
  ];
  const yMax = max === 0 ? 4 : Math.ceil(max / step(max)) * step(max);
  const yOf = (n: number) => bottom - (n / yMax) * (bottom - top);
  // Grid lines and y labels, then the axes over them.
  for (let n = 0; n <= yMax; n += max === 0 ? 1 : step(max)) {
    const y = yOf(n);
    if (n > 0) out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="#dddddd" stroke-width="1"/>`);
    out.push(text(left - 10, y + 5, String(n), `text-anchor="end"`));
  }
  out.push(text(22, (top + bottom) / 2, "Incidents", `text-anchor="middle" transform="rotate(-90 22 ${(top + bottom) / 2})"`));
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#333333" stroke-width="2"/>`);
  out.push(`<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#333333" stroke-width="2"/>`);
  out.push(text((left + right) / 2, height - 18, "ISO week", `text-anchor="middle"`));

  if (max === 0) {
    out.push(text((left + right) / 2, (top + bottom) / 2, "No incidents this month", `text-anchor="middle" font-size="24" font-weight="bold" fill="#555"`));
  } else {
    const slot = (right - left) / weeks.length;
    const bar = Math.min(80, slot * 0.6);
    weeks.forEach((w, i) => {
      const x = left + slot * i + (slot - bar) / 2;
      let y = bottom;
      priorities.forEach((p, rank) => {
        const n = w.counts[p] ?? 0;
        if (!n) return;
        const h = (n / yMax) * (bottom - top);
        y -= h;
        out.push(`<rect x="${x}" y="${y}" width="${bar}" height="${h}" fill="${rgb(colour(rank))}"/>`);
      });
      out.push(text(x + bar / 2, y - 8, String(total(w)), `text-anchor="middle" font-weight="bold"`));
      out.push(text(x + bar / 2, bottom + 22, w.week, `text-anchor="middle"`));
    });
  }

  // The legend: a colour square and the priority's name, top to bottom in matrix order.
  out.push(text(right + 30, top + 10, "Priority", `font-weight="bold"`));
  priorities.forEach((p, rank) => {
    const y = top + 30 + rank * 26;
    out.push(`<rect x="${right + 30}" y="${y}" width="16" height="16" fill="${rgb(colour(rank))}"/>`);
    out.push(text(right + 54, y + 13, labels[p] ?? p));
  });
  out.push("</svg>");
  return { width, height, svg: out.join("\n") };
}
