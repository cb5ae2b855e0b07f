/**
 * A uPlot line chart of one or more series over time buckets. The canvas is drawn for sighted
 * users; the same numbers are in a table below it for screen readers and keyboard users.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import { html } from "../html.js";

const COLORS = ["#1d4ed8", "#b45309", "#047857"];
const HEIGHT = 200;

/** Bucket start "YYYY-MM-DD" → uPlot's x (seconds), at UTC midnight so the axis shows that same date. */
const xOf = (start) => Date.parse(`${start}T00:00:00Z`) / 1000;

/**
 * @param {{
 *   title: string,
 *   points: any[],
 *   series: { label: string, value: (p: any) => number, format: (n: number) => string, tick?: (n: number) => string }[],
 * }} props
 */
export function Chart({ title, points, series }) {
  const box = useRef(null);
  useEffect(() => {
    const element = box.current;
    if (!element || points.length === 0) return;
    const data = [points.map((p) => xOf(p.start)), ...series.map((s) => points.map(s.value))];
    const plot = new uPlot(
      {
        width: Math.max(240, element.clientWidth),
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [
          {},
          { values: (_u, ticks) => ticks.map((tick) => (series[0].tick ?? series[0].format)(tick)), size: 64 },
        ],
        series: [
          { label: "Date" },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            points: { show: points.length < 40 },
            value: (_u, v) => (v === null || v === undefined ? "—" : s.format(v)),
          })),
        ],
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(240, element.clientWidth), height: HEIGHT }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points, series]);

  return html`<figure class="chart">
    <figcaption>${title}</figcaption>
    <div ref=${box} class="chart-canvas" aria-hidden="true"></div>
    <details>
      <summary>${title} as a table</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Period from</th>
            ${series.map((s) => html`<th scope="col">${s.label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${points.map(
            (p) => html`<tr>
              <th scope="row">${p.start}</th>
              ${series.map((s) => html`<td>${s.format(s.value(p))}</td>`)}
            </tr>`,
          )}
        </tbody>
      </table>
    </details>
  </figure>`;
}
