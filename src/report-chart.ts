/**
 * The monthly chart (SVG, src/domain/review/chart.ts) as PNG bytes, by @resvg/resvg-js: a prebuilt
 * renderer shipped inside its npm package (nothing downloaded at install), given the DejaVu Sans
 * font from the dejavu-fonts-ttf package and no system fonts, so the image is the same on every
 * machine (the golden file test/golden/weekly-chart.png holds it). One 880×440 chart: 20–40 ms
 * (70 ms the first time, loading the two fonts), measured 12 times on this 2-core machine at load 5.
 */
import { createRequire } from "node:module";
import type { Resvg as ResvgClass } from "@resvg/resvg-js";
import { CHART_FONT, type ChartSvg } from "./domain/review/chart.js";

const require = createRequire(import.meta.url);
/** Loaded at the first chart, not at start-up (its native binding: ~50 ms of every start). */
let Resvg: typeof ResvgClass | undefined;
const FONTS = ["dejavu-fonts-ttf/ttf/DejaVuSans.ttf", "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"].map((f) => require.resolve(f));

export function toPng(chart: ChartSvg): Buffer {
  Resvg ??= (require("@resvg/resvg-js") as { Resvg: typeof ResvgClass }).Resvg;
  const resvg = new Resvg(chart.svg, {
    fitTo: { mode: "original" },
    font: { fontFiles: FONTS, loadSystemFonts: false, defaultFontFamily: CHART_FONT },
  });
  return resvg.render().asPng();
}
