/**
 * Incidents per week by priority as a stacked bar chart, drawn into an RGBA raster (pure: the PNG
 * encoding is done by the caller). One bar per week, one colour per priority in matrix order, the
 * count above each bar in a 3×5 pixel font; the legend (colour squares in priority order) is at the
 * bottom, and the report's table names the weeks and colours.
 */
export interface WeekCounts {
  week: string;
  /** Count per priority id. */
  counts: Record<string, number>;
}

export interface Raster {
  width: number;
  height: number;
  /** RGBA, row-major. */
  data: Uint8Array;
}

/** Colours by priority rank: red, orange, blue, green, then grey. */
export const PRIORITY_COLOURS: [number, number, number][] = [[216, 60, 62], [240, 160, 50], [70, 120, 210], [80, 170, 90], [140, 140, 140]];
export const COLOUR_NAMES = ["red", "orange", "blue", "green", "grey"];

const DIGITS = ["111101101101111", "010110010010111", "111001111100111", "111001111001111", "101101111001001", "111100111001111", "111100111101111", "111001001001001", "111101111101111", "111101111001111"];

export function weeklyChart(weeks: WeekCounts[], priorities: string[]): Raster {
  const bar = 36;
  const gap = 20;
  const plot = 160;
  const width = gap + weeks.length * (bar + gap);
  const height = plot + 60;
  const data = new Uint8Array(width * height * 4).fill(255);
  const fill = (x0: number, y0: number, w: number, h: number, [r, g, b]: [number, number, number]) => {
    for (let y = Math.max(0, y0); y < Math.min(height, y0 + h); y++)
      for (let x = Math.max(0, x0); x < Math.min(width, x0 + w); x++) data.set([r, g, b, 255], (y * width + x) * 4);
  };
  const digits = (text: string, x: number, y: number) => {
    [...text].forEach((ch, n) => DIGITS[Number(ch)]!.split("").forEach((on, k) => on === "1" && fill(x + n * 8 + (k % 3) * 2, y + Math.floor(k / 3) * 2, 2, 2, [40, 40, 40])));
  };
  const max = Math.max(1, ...weeks.map((w) => Object.values(w.counts).reduce((a, b) => a + b, 0)));
  const base = plot + 20;
  fill(gap / 2, base, width - gap, 1, [60, 60, 60]);
  weeks.forEach((w, i) => {
    const x = gap + i * (bar + gap);
    let top = base;
    priorities.forEach((p, rank) => {
      const h = Math.round(((w.counts[p] ?? 0) / max) * plot);
      top -= h;
      fill(x, top, bar, h, PRIORITY_COLOURS[Math.min(rank, PRIORITY_COLOURS.length - 1)]!);
    });
    const total = Object.values(w.counts).reduce((a, b) => a + b, 0);
    digits(String(total), x + 4, top - 14);
  });
  priorities.slice(0, PRIORITY_COLOURS.length).forEach((_, rank) => fill(gap + rank * 24, base + 16, 14, 14, PRIORITY_COLOURS[rank]!));
  return { width, height, data };
}
