/** The weekly chart as PNG bytes (pngjs: pure JavaScript, no native build). */
import { PNG } from "pngjs";
import type { Raster } from "./domain/review/chart.js";

export function toPng(r: Raster): Buffer {
  const png = new PNG({ width: r.width, height: r.height });
  png.data = Buffer.from(r.data);
  return PNG.sync.write(png);
}
