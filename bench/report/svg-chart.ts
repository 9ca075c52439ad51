/** A small hand-written SVG line chart: enough for two series over a handful of points. */

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog: boolean;
  series: Series[];
  /** Formats a y tick value. */
  formatY: (value: number) => string;
}

const WIDTH = 640;
const HEIGHT = 360;
const LEFT = 72;
const RIGHT = 150;
const TOP = 40;
const BOTTOM = 56;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Round tick values from 0 to just above `max`. */
function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? rough;
  const ticks: number[] = [];
  for (let value = 0; value <= max + step * 0.999; value += step) ticks.push(value);
  return ticks;
}

export function lineChart(spec: ChartSpec): string {
  const xs = [...new Set(spec.series.flatMap((series) => series.points.map((point) => point.x)))].sort((a, b) => a - b);
  const maxY = Math.max(0, ...spec.series.flatMap((series) => series.points.map((point) => point.y)).filter(Number.isFinite));
  const yTicks = niceTicks(maxY);
  const yTop = yTicks[yTicks.length - 1]!;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const tx = (x: number) => {
    const lo = xs[0] ?? 0;
    const hi = xs[xs.length - 1] ?? 1;
    const f = spec.xLog ? (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo) || 1) : (x - lo) / (hi - lo || 1);
    return LEFT + f * plotW;
  };
  const ty = (y: number) => TOP + plotH - (y / (yTop || 1)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2 - RIGHT / 2 + LEFT / 2}" y="22" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(spec.title)}</text>`,
  ];
  for (const tick of yTicks) {
    const y = ty(tick).toFixed(1);
    out.push(`<line x1="${LEFT}" y1="${y}" x2="${LEFT + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${LEFT - 8}" y="${y}" dy="4" text-anchor="end" fill="#444">${escapeXml(spec.formatY(tick))}</text>`);
  }
  for (const x of xs) {
    const px = tx(x).toFixed(1);
    out.push(`<line x1="${px}" y1="${TOP + plotH}" x2="${px}" y2="${TOP + plotH + 5}" stroke="#444"/>`);
    out.push(`<text x="${px}" y="${TOP + plotH + 19}" text-anchor="middle" fill="#444">${x}</text>`);
  }
  out.push(`<line x1="${LEFT}" y1="${TOP + plotH}" x2="${LEFT + plotW}" y2="${TOP + plotH}" stroke="#444"/>`);
  out.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" stroke="#444"/>`);
  out.push(`<text x="${LEFT + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`);
  spec.series.forEach((series, index) => {
    const points = series.points.filter((point) => Number.isFinite(point.y)).sort((a, b) => a.x - b.x);
    const path = points.map((point, i) => `${i === 0 ? 'M' : 'L'}${tx(point.x).toFixed(1)},${ty(point.y).toFixed(1)}`).join(' ');
    if (points.length > 1) out.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2.5"/>`);
    for (const point of points) out.push(`<circle cx="${tx(point.x).toFixed(1)}" cy="${ty(point.y).toFixed(1)}" r="4" fill="${series.color}"/>`);
    const legendY = TOP + 10 + index * 22;
    out.push(`<line x1="${LEFT + plotW + 16}" y1="${legendY}" x2="${LEFT + plotW + 40}" y2="${legendY}" stroke="${series.color}" stroke-width="3"/>`);
    out.push(`<text x="${LEFT + plotW + 46}" y="${legendY}" dy="4">${escapeXml(series.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
