// The scale curve of scenario 7 as a hand-written SVG: three panels (related p50, related p95, bulk-link
// rate), store size on a log x axis, ours (solid) and the raw floor (dashed) for each database.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCALE_CHART = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'../../docs/images/scale-curve.svg',
);

const WIDTH = 1000;
const HEIGHT = 400;
const PANEL = { width: 240, height: 250, top: 84, left: [70, 405, 740] };
const COLOURS = { sqlite: '#1f6fb2', postgres: '#d9730d' };
const NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const size = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

/** A "nice" upper bound and step for a linear axis from 0. */
function niceAxis(max) {
	const raw = max / 4;
	const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
	const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
	return { top: step * Math.ceil(max / step), step };
}

const tick = (value, unit) =>
	unit === '/s'
		? value >= 1000
			? `${Number((value / 1000).toFixed(1))}k`
			: String(value)
		: String(Number(value.toFixed(2)));

function panel(index, title, unit, series, xs) {
	const x0 = PANEL.left[index];
	const y0 = PANEL.top;
	const { width, height } = PANEL;
	const values = series.flatMap((s) => s.points.map((p) => p[1]));
	const { top, step } = niceAxis(Math.max(...values, 0) * 1.05 || 1);
	const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
	const span = Math.log10(maxX) - Math.log10(minX) || 1;
	const px = (x) => x0 + ((Math.log10(x) - Math.log10(minX)) / span) * width;
	const py = (y) => y0 + height - (y / top) * height;
	const out = [
		`<text x="${x0 + width / 2}" y="${y0 - 14}" text-anchor="middle" font-weight="bold">${escape(title)}</text>`,
		`<rect x="${x0}" y="${y0}" width="${width}" height="${height}" fill="none" stroke="#999"/>`,
	];
	for (let v = 0; v <= top + step / 2; v += step) {
		out.push(
			`<line x1="${x0}" x2="${x0 + width}" y1="${py(v)}" y2="${py(v)}" stroke="#e5e5e5"/>`,
			`<text x="${x0 - 6}" y="${py(v) + 4}" text-anchor="end" font-size="11">${tick(v, unit)}</text>`,
		);
	}
	for (const x of xs) {
		out.push(
			`<line x1="${px(x)}" x2="${px(x)}" y1="${y0}" y2="${y0 + height}" stroke="#e5e5e5"/>`,
			`<text x="${px(x)}" y="${y0 + height + 16}" text-anchor="middle" font-size="11">${size(x)}</text>`,
		);
	}
	out.push(
		`<text x="${x0 + width / 2}" y="${y0 + height + 34}" text-anchor="middle" font-size="11">links in the store (log scale)</text>`,
		`<text x="${x0 - 48}" y="${y0 + height / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 ${x0 - 48} ${y0 + height / 2})">${unit === '/s' ? 'links/s' : 'ms'}</text>`,
	);
	for (const s of series) {
		const d = s.points.map(
			([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`,
		);
		out.push(
			`<path d="${d.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
			...s.points.map(
				([x, y]) =>
					`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${s.dashed ? '#fff' : s.colour}" stroke="${s.colour}"/>`,
			),
		);
	}
	return out;
}

/** `results`: scenario-7 entries of a results file (one per database). */
export function renderScaleChart(results, subtitle = '') {
	const xs = [...new Set(results.flatMap((r) => r.points.map((p) => p.storeLinks)))].sort(
		(a, b) => a - b,
	);
	const seriesOf = (pick) =>
		results.flatMap((r) =>
			['ours', 'floor'].map((side) => ({
				colour: COLOURS[r.dialect],
				dashed: side === 'floor',
				points: r.points.map((p) => [p.storeLinks, pick(p, side)]),
			})),
		);
	const body = [
		...panel(
			0,
			'related records, p50',
			'ms',
			seriesOf((p, side) => p.related[side].p50),
			xs,
		),
		...panel(
			1,
			'related records, p95',
			'ms',
			seriesOf((p, side) => p.related[side].p95),
			xs,
		),
		...panel(
			2,
			'bulk link rate',
			'/s',
			seriesOf((p, side) =>
				side === 'ours' ? p.bulk.ours.linksPerSecond : p.bulk.floor.rowsPerSecond,
			),
			xs,
		),
	];
	const legend = results.flatMap((r, i) =>
		['ours', 'raw floor'].map((side, j) => {
			const x = 70 + (i * 2 + j) * 230;
			return (
				`<line x1="${x}" x2="${x + 30}" y1="46" y2="46" stroke="${COLOURS[r.dialect]}" stroke-width="2"${j ? ' stroke-dasharray="6 4"' : ''}/>` +
				`<text x="${x + 36}" y="50" font-size="12">${NAMES[r.dialect]}, ${side}</text>`
			);
		}),
	);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="13">`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
		`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">Scale curve: cost against store size (issue 13, target 5)</text>`,
		...legend,
		...body,
		subtitle
			? `<text x="${WIDTH / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="11" fill="#555">${escape(subtitle)}</text>`
			: '',
		'</svg>',
		'',
	].join('\n');
}

export const chartSubtitle = (machine, date = new Date().toISOString()) =>
	`${date.slice(0, 10)}, ${machine.cpu} × ${machine.cores}; solid: ours, dashed: raw floor measured in the same run`;

/** Draws the scenario-7 entries of `results` into `file`; false when there are none. */
export function writeScaleChart(results, subtitle, file = SCALE_CHART) {
	const scale = results.filter((r) => r.scenario === 7 && r.points?.length);
	if (scale.length === 0) return false;
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, renderScaleChart(scale, subtitle));
	return true;
}

/** --chart-from FILE: redraws the chart from a results file. */
export function redrawScaleChart(file) {
	const { results, machine, date } = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (!writeScaleChart(results, chartSubtitle(machine, date)))
		throw new Error(`${file} has no scenario 7 results`);
	console.log(`Scale chart: ${path.relative(process.cwd(), SCALE_CHART)}`);
}
