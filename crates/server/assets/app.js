// annalist dashboard: plain JavaScript over the /v1 API, charts and map drawn as SVG.
// Views are chosen by the URL hash, so every view can be linked to:
//   #/dyad/RUS/CHN?by=month&period=2019-03   dyad timeline, the events of one bar
//   #/doc/ID?ev=START-END                     an article, one event's evidence highlighted
//   #/actor/RUSGOV                            names, offices with dates, top partners
//   #/search?q=words                          articles and actors
// Text from the store is always inserted as text nodes (never as HTML).
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const QUADS = [
  ['verbal_cooperation', 'q1', 'verbal cooperation'],
  ['material_cooperation', 'q2', 'material cooperation'],
  ['verbal_conflict', 'q3', 'verbal conflict'],
  ['material_conflict', 'q4', 'material conflict'],
];
const view = () => document.getElementById('view');

// ---- small DOM helpers -------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');
const fmt = (x, d = 1) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));
const docHref = (id, ev) => '#/doc/' + encodeURIComponent(id) + (ev ? '?ev=' + ev : '');

// ---- API -----------------------------------------------------------------------------------------

class ApiError extends Error {}

async function api(path) {
  const headers = { Accept: 'application/json' };
  const token = sessionStorage.getItem('annalist-token');
  if (token) headers.Authorization = 'Bearer ' + token;
  const r = await fetch(path, { headers });
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  if (r.status === 401 && !token) {
    const t = window.prompt('This server needs a token for reads (it does not listen on loopback). Token:');
    if (t) {
      sessionStorage.setItem('annalist-token', t);
      return api(path);
    }
  }
  if (!r.ok) {
    const msg = body && body.error ? body.error.message : r.status + ' ' + r.statusText;
    throw new ApiError(msg);
  }
  return body;
}

function showError(el, e) {
  el.append(h('p', { class: 'error', text: e instanceof ApiError ? e.message : 'Error: ' + e }));
}

// ---- routing -------------------------------------------------------------------------------------

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(qs || '') };
}

function setHashQuietly(hash) {
  history.replaceState(null, '', hash);
}

async function route() {
  const { parts, params } = parseHash();
  const v = clear(view());
  try {
    if (parts[0] === 'doc' && parts[1]) await docView(v, parts.slice(1).join('/'), params.get('ev'));
    else if (parts[0] === 'actor' && parts[1]) await actorView(v, parts[1]);
    else if (parts[0] === 'search') await searchView(v, params.get('q') || '');
    else if (parts[0] === 'dyad' && parts[1] && parts[2]) await homeView(v, parts[1], parts[2], params);
    else await homeView(v, null, null, params);
  } catch (e) {
    showError(v, e);
  }
}

// ---- home: dyad chart, its events, the map ------------------------------------------------------

async function homeView(v, a, b, params) {
  const by = ['week', 'month', 'year'].includes(params.get('by')) ? params.get('by') : 'month';
  const directed = params.get('directed') === 'true';
  const chartPanel = h('section', { class: 'panel', id: 'dyad-panel' });
  const eventsPanel = h('section', { class: 'panel', id: 'events-panel' });
  const mapPanel = h('section', { class: 'panel wide', id: 'map-panel' });
  v.append(chartPanel, eventsPanel, mapPanel);

  const dyads = (await api('/v1/dyads?limit=12')).items;
  if (!a || !b) {
    if (!dyads.length) {
      chartPanel.append(
        h('h2', { text: 'No events yet' }),
        h('p', { class: 'muted', text: 'Ingest articles (annalist ingest FILES, or POST /v1/documents) to see dyads here.' })
      );
      eventsPanel.append(h('h2', { text: 'Events' }), h('p', { class: 'muted', text: 'None.' }));
    } else {
      a = dyads[0].a;
      b = dyads[0].b;
    }
  }
  drawMapPanel(mapPanel, eventsPanel).catch((e) => showError(mapPanel, e));
  if (!a || !b) return;
  a = a.toUpperCase();
  b = b.toUpperCase();

  const form = h(
    'form',
    { class: 'dyad', 'aria-label': 'Dyad' },
    h('label', {}, 'Actor ', h('input', { type: 'text', name: 'a', value: a, list: 'actor-codes', 'aria-label': 'First actor' })),
    h('label', {}, 'and ', h('input', { type: 'text', name: 'b', value: b, list: 'actor-codes', 'aria-label': 'Second actor' })),
    h(
      'select',
      { name: 'by', 'aria-label': 'Period' },
      ['week', 'month', 'year'].map((p) => h('option', { value: p, selected: p === by }, 'per ' + p))
    ),
    h('label', {}, h('input', { type: 'checkbox', name: 'directed', checked: directed }), ' first → second only'),
    h('button', { type: 'submit' }, 'Show'),
    h('datalist', { id: 'actor-codes' })
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const na = String(f.get('a') || '').trim().toUpperCase();
    const nb = String(f.get('b') || '').trim().toUpperCase();
    if (!na || !nb) return;
    location.hash = '#/dyad/' + encodeURIComponent(na) + '/' + encodeURIComponent(nb) + '?by=' + f.get('by') + (f.get('directed') ? '&directed=true' : '');
  });
  api('/v1/actors?limit=300')
    .then((r) => {
      const dl = form.querySelector('#actor-codes');
      for (const x of r.items) dl.append(h('option', { value: x.code }, x.name ? x.name : x.code));
    })
    .catch(() => {});
  const chips = h(
    'div',
    { class: 'chips', 'aria-label': 'Most active dyads' },
    dyads.map((d) =>
      h('a', { href: '#/dyad/' + d.a + '/' + d.b + '?by=' + by, class: d.a === a && d.b === b ? 'on' : null, title: d.events + ' events' }, d.a + ' – ' + d.b)
    )
  );
  const title = h('h2', {}, h('a', { href: '#/actor/' + a, text: a }), directed ? ' → ' : ' – ', h('a', { href: '#/actor/' + b, text: b }), ': events per ' + by);
  const chart = h('div', { id: 'chart' });
  const legend = h(
    'div',
    { class: 'legend' },
    QUADS.map(([, c, label]) => h('span', {}, h('i', { class: c }), label)),
    h('span', {}, h('i', { class: 'gl' }), 'Goldstein mean (right axis, −10…+10)')
  );
  chartPanel.append(form, chips, title, chart, legend);

  const tl = await api('/v1/timeline?a=' + encodeURIComponent(a) + '&b=' + encodeURIComponent(b) + '&by=' + by + '&directed=' + directed);
  const rows = tl.rows;
  if (!rows.length) {
    chart.append(h('p', { class: 'muted', text: 'No dated events between ' + a + ' and ' + b + '.' }));
    eventsPanel.append(h('h2', { text: 'Events' }), h('p', { class: 'muted', text: 'None.' }));
    return;
  }
  let period = params.get('period');
  if (!period || !rows.some((r) => r.period === period)) period = rows[rows.length - 1].period;
  const filter = { source: a, target: b, both_directions: !directed, by, period };
  const select = (p) => {
    period = p;
    filter.period = p;
    setHashQuietly('#/dyad/' + encodeURIComponent(a) + '/' + encodeURIComponent(b) + '?by=' + by + (directed ? '&directed=true' : '') + '&period=' + encodeURIComponent(p));
    for (const g of chart.querySelectorAll('.bar')) g.classList.toggle('selected', g.dataset.period === p);
    listEvents(eventsPanel, 'Events in ' + p + ' (' + a + (directed ? ' → ' : ' – ') + b + ')', filter, 0);
  };
  drawChart(chart, rows, by, select);
  select(period);
}

// Every period between the first and the last row, labelled as the store labels them (SQLite
// strftime('%Y-W%W'), substr(date, 1, 7), …), so empty periods show as gaps.
function periodLabel(d, by) {
  const y = d.getUTCFullYear();
  const iso = d.toISOString().slice(0, 10);
  if (by === 'day') return iso;
  if (by === 'month') return iso.slice(0, 7);
  if (by === 'year') return String(y);
  const yday = Math.floor((d - Date.UTC(y, 0, 1)) / 86400000);
  const wdayMon = (d.getUTCDay() + 6) % 7; // Monday 0
  const w = Math.floor((yday + 7 - wdayMon) / 7);
  return y + '-W' + String(w).padStart(2, '0');
}

function periodStart(p, by) {
  if (by === 'day') return new Date(p + 'T00:00:00Z');
  if (by === 'month') return new Date(p + '-01T00:00:00Z');
  if (by === 'year') return new Date(p + '-01-01T00:00:00Z');
  const [y, w] = p.split('-W').map(Number);
  if (w === 0) return new Date(Date.UTC(y, 0, 1));
  const jan1 = new Date(Date.UTC(y, 0, 1));
  const toMonday = (8 - jan1.getUTCDay()) % 7; // days from Jan 1 to the first Monday
  return new Date(Date.UTC(y, 0, 1 + toMonday + 7 * (w - 1)));
}

function fillPeriods(rows, by) {
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  const first = rows[0].period;
  const last = rows[rows.length - 1].period;
  const out = [];
  const d = periodStart(first, by);
  if (isNaN(d)) return rows;
  let guard = 0;
  while (guard++ < 40000) {
    const p = periodLabel(d, by);
    if (p > last) break;
    if (!out.length || out[out.length - 1].period !== p) {
      out.push(byPeriod.get(p) || { period: p, events: 0, goldstein_mean: null, verbal_cooperation: 0, material_cooperation: 0, verbal_conflict: 0, material_conflict: 0 });
    }
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out.length > 2000 ? rows : out;
}

// A tick step of 1, 2 or 5 times a power of ten such that four steps cover `max`.
function niceStep(max) {
  const raw = Math.max(1, max / 4);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

// Stacked bars by quad class, Goldstein mean as a line on its own axis; a click on a bar selects it.
function drawChart(el, rawRows, by, onSelect) {
  const rows = fillPeriods(rawRows, by);
  const W = Math.max(480, el.clientWidth || 860);
  const H = 300;
  const m = { l: 44, r: 44, t: 12, b: 44 };
  const iw = W - m.l - m.r;
  const ih = H - m.t - m.b;
  const tick = niceStep(Math.max(...rows.map((r) => r.events)));
  const ymax = 4 * tick;
  const dense = rows.length > 120;
  const step = iw / rows.length;
  const bw = Math.max(1, Math.min(48, step * 0.78));
  const y = (v) => m.t + ih - (v / ymax) * ih;
  const gy = (g) => m.t + ih - ((g + 10) / 20) * ih;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Events per ' + by + ' by quad class, with the Goldstein mean' });

  const grid = s('g', { class: 'grid' });
  const axisL = s('g', { class: 'axis' });
  for (let i = 0; i <= 4; i++) {
    const v = tick * i;
    grid.append(s('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v) }));
    axisL.append(s('text', { x: m.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, v));
  }
  axisL.append(s('text', { x: 10, y: m.t + ih / 2, transform: `rotate(-90 10 ${m.t + ih / 2})`, 'text-anchor': 'middle' }, 'events'));
  const axisR = s('g', { class: 'axis' });
  for (const g of [-10, -5, 0, 5, 10]) axisR.append(s('text', { x: W - m.r + 6, y: gy(g) + 4 }, (g > 0 ? '+' : '') + g));
  svg.append(grid, axisL, axisR, s('line', { class: 'zero', x1: m.l, x2: W - m.r, y1: gy(0), y2: gy(0) }));

  const bars = s('g', { class: 'bars' });
  rows.forEach((r, i) => {
    const x = m.l + i * step + (step - bw) / 2;
    const g = s('g', { class: 'bar', 'data-period': r.period, tabindex: r.events ? 0 : null });
    g.dataset.period = r.period;
    g.append(s('rect', { class: 'hit', x: m.l + i * step, y: m.t, width: step, height: ih }));
    let acc = 0;
    for (const [key, cls] of QUADS) {
      const n = r[key] || 0;
      if (!n) continue;
      g.append(s('rect', { class: cls, x, y: y(acc + n), width: bw, height: Math.max(0.5, y(acc) - y(acc + n)) }));
      acc += n;
    }
    const tip = `${r.period}: ${r.events} events` + (r.events ? ` (${QUADS.map(([k, , l]) => `${r[k]} ${l}`).join(', ')}); Goldstein mean ${fmt(r.goldstein_mean)}` : '');
    g.append(s('title', {}, tip));
    if (r.events) {
      g.addEventListener('click', () => onSelect(r.period));
      g.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') onSelect(r.period);
      });
    }
    bars.append(g);
  });
  svg.append(bars);

  // Goldstein line, broken across empty periods.
  let d = '';
  let pen = false;
  const dots = s('g', {});
  rows.forEach((r, i) => {
    if (r.goldstein_mean === null || r.goldstein_mean === undefined || !r.events) {
      pen = false;
      return;
    }
    const cx = m.l + i * step + step / 2;
    const cy = gy(r.goldstein_mean);
    d += (pen ? 'L' : 'M') + cx.toFixed(1) + ' ' + cy.toFixed(1);
    pen = true;
    if (!dense) dots.append(s('circle', { class: 'gdot', cx, cy, r: 3 }, s('title', {}, `${r.period}: Goldstein mean ${fmt(r.goldstein_mean)}`)));
  });
  svg.append(s('path', { class: dense ? 'goldstein dense' : 'goldstein', d: d || 'M0 0' }), dots);

  // x labels, at least ~70 px apart.
  const axisB = s('g', { class: 'axis' });
  const every = Math.max(1, Math.ceil(70 / step));
  rows.forEach((r, i) => {
    if (i % every) return;
    const x = m.l + i * step + step / 2;
    axisB.append(s('text', { x, y: H - m.b + 16, 'text-anchor': 'middle' }, r.period));
  });
  svg.append(axisB);
  clear(el).append(svg);
}

async function listEvents(panel, heading, filter, offset) {
  const limit = 50;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== null && v !== undefined && v !== '') qs.set(k, String(v));
  qs.set('limit', limit);
  qs.set('offset', offset);
  clear(panel).append(h('h2', { text: heading }), h('p', { class: 'muted', text: 'Loading…' }));
  let page;
  try {
    page = await api('/v1/events?' + qs);
  } catch (e) {
    clear(panel).append(h('h2', { text: heading }));
    showError(panel, e);
    return;
  }
  const list = h('ol', { class: 'events', id: 'events' });
  for (const e of page.items) list.append(eventItem(e));
  clear(panel).append(h('h2', { text: heading }), page.items.length ? list : h('p', { class: 'muted', text: 'No events.' }));
  if (page.total > limit) {
    const pager = h('div', { class: 'pager' }, `${offset + 1}–${offset + page.items.length} of ${page.total}`);
    if (offset > 0) pager.append(h('button', { onclick: () => listEvents(panel, heading, filter, Math.max(0, offset - limit)) }, '← previous'));
    if (offset + limit < page.total) pager.append(h('button', { onclick: () => listEvents(panel, heading, filter, offset + limit) }, 'next →'));
    panel.append(pager);
  }
}

function eventItem(e) {
  const who = (code, name) => (code || '?') + (name ? ' (' + name + ')' : '');
  return h(
    'li',
    { class: 'event q' + e.quad_class },
    h(
      'a',
      { href: docHref(e.doc_id, e.evidence_start + '-' + e.evidence_end), title: 'Open the article with the evidence highlighted' },
      h(
        'span',
        { class: 'head' },
        h('span', { text: e.date || 'undated' }),
        h('b', { text: who(e.source, e.source_name) + ' → ' + (e.target ? who(e.target, e.target_name) : '–') }),
        h('span', { text: 'CAMEO ' + e.code + (e.plover ? ' · ' + e.plover : '') + ' · Goldstein ' + fmt(e.goldstein) }),
        e.place ? h('span', { text: '@ ' + e.place }) : null
      ),
      e.evidence || e.sentence_text ? h('q', { class: 'evidence', text: e.evidence || e.sentence_text }) : null,
      h('span', { class: 'head' }, h('span', { text: (e.doc_title || e.doc_id) + ` · ${plural(e.mentions, 'mention')} in ${plural(e.articles, 'article')}` }))
    )
  );
}

// ---- map ----------------------------------------------------------------------------------------

let topoCache = null;

// TopoJSON (quantised, delta-encoded arcs) to SVG path data in an equirectangular projection
// (x = longitude, y = −latitude).
function topoPaths(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, -(y * sy + ty)];
    });
  });
  const ringPoints = (ids) => {
    const pts = [];
    for (const id of ids) {
      const a = id >= 0 ? arcs[id] : arcs[~id].slice().reverse();
      pts.push(...(pts.length ? a.slice(1) : a));
    }
    return pts;
  };
  const path = (pts) => 'M' + pts.map(([x, y]) => x.toFixed(2) + ' ' + y.toFixed(2)).join('L') + 'Z';
  // A ring that crosses the antimeridian (Russia's east, Fiji) is drawn unwrapped east of 180° and
  // again shifted by −360°; the map's view box clips both, so no line runs across the world.
  const ring = (ids) => {
    const pts = ringPoints(ids);
    const crosses = pts.some((p, i) => i > 0 && Math.abs(p[0] - pts[i - 1][0]) > 180);
    if (!crosses) return path(pts);
    const east = pts.map(([x, y]) => [x < 0 ? x + 360 : x, y]);
    return path(east) + path(east.map(([x, y]) => [x - 360, y]));
  };
  const out = [];
  for (const g of topo.objects.countries.geometries) {
    const polys = g.type === 'Polygon' ? [g.arcs] : g.type === 'MultiPolygon' ? g.arcs : [];
    out.push({ name: g.properties && g.properties.name, d: polys.map((p) => p.map(ring).join('')).join('') });
  }
  return out;
}

async function drawMapPanel(panel, eventsPanel) {
  panel.append(h('h2', { text: 'Places: where events happened (red) and places mentioned (blue)' }));
  const box = h('div', { id: 'map' });
  panel.append(box);
  if (!topoCache) {
    const r = await fetch('/assets/countries-110m.json');
    topoCache = topoPaths(await r.json());
  }
  const places = (await api('/v1/places?limit=1000')).items.filter((p) => p.lat !== null && p.lon !== null);
  const svg = s('svg', { viewBox: '-180 -84 360 146', role: 'img', 'aria-label': 'World map of event places' });
  const land = s('g', {});
  for (const c of topoCache) land.append(s('path', { class: 'country', d: c.d }, s('title', {}, c.name || '')));
  svg.append(land);
  const dots = s('g', {});
  places.sort((x, y) => y.events + y.documents - (x.events + x.documents));
  for (const p of places) {
    const n = p.events || p.documents;
    const c = s('circle', { class: 'place ' + (p.events ? 'ev' : 'mention'), cx: p.lon, cy: -p.lat, r: Math.min(6, 1.2 + Math.sqrt(n) * 0.6) });
    c.append(s('title', {}, `${p.name}${p.country ? ' (' + p.country + ')' : ''}: ${p.events} event mentions, ${p.documents} documents`));
    if (p.events) c.addEventListener('click', () => listEvents(eventsPanel, 'Events at ' + p.name, { place: p.name }, 0));
    dots.append(c);
  }
  svg.append(dots);
  box.append(svg);
  if (!places.length) panel.append(h('p', { class: 'muted', text: 'No located places yet.' }));
}

// ---- article ------------------------------------------------------------------------------------

// Marks spans (code-point offsets) over the text: every boundary cuts the text, and each piece gets
// the classes of the spans covering it; pieces inside an actor mention link to the actor's page.
function highlighted(text, spans) {
  const chars = Array.from(text);
  const cuts = new Set([0, chars.length]);
  for (const sp of spans) {
    cuts.add(Math.max(0, Math.min(chars.length, sp.start)));
    cuts.add(Math.max(0, Math.min(chars.length, sp.end)));
  }
  const points = [...cuts].sort((x, y) => x - y);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = chars.slice(a, b).join('');
    const on = spans.filter((sp) => sp.start <= a && sp.end >= b && sp.end > sp.start);
    if (!on.length) {
      frag.append(piece);
      continue;
    }
    const classes = [...new Set(on.map((sp) => sp.cls))].join(' ');
    const titles = on.map((sp) => sp.title).filter(Boolean).join('\n');
    const actor = on.find((sp) => sp.actor);
    const el = actor ? h('a', { href: '#/actor/' + actor.actor, class: classes, title: titles }) : h('span', { class: classes, title: titles || null });
    for (const sp of on) if (sp.id) el.id = sp.id;
    el.textContent = piece;
    frag.append(el);
  }
  return frag;
}

async function docView(v, id, ev) {
  const rec = await api('/v1/documents/' + encodeURIComponent(id));
  const [es, ee] = (ev || '').split('-').map(Number);
  const events = rec.events || [];
  let sel = events.findIndex((e) => e.evidence.start === es && e.evidence.end === ee);
  if (sel < 0 && events.length && ev) sel = 0;
  const article = h('article', { class: 'panel doc' });
  const side = h('aside', { class: 'panel' });
  v.append(article, side);

  const render = () => {
    const spans = [];
    for (const q of rec.quotes || []) spans.push({ start: q.start, end: q.end, cls: 'quote', title: 'quote' + (q.speaker ? ' by ' + (q.speaker.name || q.speaker.text) : '') });
    for (const en of rec.entities || []) if (en.actor) spans.push({ start: en.start, end: en.end, cls: 'ent', actor: en.actor, title: (en.name || en.text) + ' → ' + en.actor });
    events.forEach((e, i) => {
      if (i === sel) return;
      spans.push({ start: e.evidence.start, end: e.evidence.end, cls: 'ev-other', title: 'event ' + e.code });
    });
    const e = events[sel];
    if (e) {
      spans.push({ start: e.evidence.start, end: e.evidence.end, cls: 'ev', id: 'evidence', title: `evidence of ${e.code} (rule ${e.rule})` });
      for (const a of [e.source, ...(e.sources || [])]) if (a && a.end > a.start) spans.push({ start: a.start, end: a.end, cls: 'src', title: 'source ' + (a.actor || '') });
      for (const a of [e.target, ...(e.targets || [])]) if (a && a.end > a.start) spans.push({ start: a.start, end: a.end, cls: 'tgt', title: 'target ' + (a.actor || '') });
    }
    const text = h('div', { class: 'text' });
    text.append(highlighted(rec.text || '', spans));
    clear(article).append(
      h('h1', { text: rec.title || rec.id }),
      h('p', { class: 'muted' }, [rec.date, rec.source, rec.id].filter(Boolean).join(' · '), rec.url ? h('span', {}, ' · ', h('a', { href: rec.url, rel: 'noopener noreferrer', text: 'original' })) : null),
      h(
        'div',
        { class: 'keys' },
        h('span', { class: 'text' }, h('span', { class: 'ev', text: 'evidence' })),
        h('span', { class: 'text' }, h('span', { class: 'src', text: 'source' })),
        h('span', { class: 'text' }, h('span', { class: 'tgt', text: 'target' })),
        h('span', { class: 'text' }, h('span', { class: 'ent', text: 'actor' })),
        h('span', { class: 'text' }, h('span', { class: 'quote', text: 'quote' })),
        h('span', { class: 'text' }, h('span', { class: 'ev-other', text: 'other events' }))
      ),
      text
    );
    const evList = h('ul', { class: 'plain', id: 'doc-events' });
    events.forEach((e, i) => {
      const li = h(
        'li',
        { class: i === sel ? 'on' : null },
        h(
          'a',
          {
            href: docHref(rec.id, e.evidence.start + '-' + e.evidence.end),
            onclick: (x) => {
              x.preventDefault();
              sel = i;
              setHashQuietly(docHref(rec.id, e.evidence.start + '-' + e.evidence.end));
              render();
            },
          },
          `${e.date || rec.date || ''} ${e.source.actor || '?'} → ${e.target ? e.target.actor || '?' : '–'} · CAMEO ${e.code} · Goldstein ${fmt(e.goldstein)}`
        )
      );
      evList.append(li);
    });
    const actors = h('ul', { class: 'plain' });
    for (const a of rec.actors || []) {
      actors.append(
        h(
          'li',
          {},
          a.actor ? h('a', { href: '#/actor/' + a.actor, text: a.name }) : a.name,
          h('span', { class: 'muted', text: ` ${a.type}${a.actor ? ' · ' + a.actor : ''}${a.office ? ' · ' + a.office : ''} · ${a.mentions.length}×` })
        )
      );
    }
    const quotes = h('ul', { class: 'plain' });
    for (const q of rec.quotes || []) {
      quotes.append(h('li', {}, h('b', { text: q.speaker ? q.speaker.name || q.speaker.text : 'unattributed' }), h('span', { class: 'muted', text: ` (${q.kind}): ` }), q.text));
    }
    clear(side).append(
      h('h2', { text: `Events (${events.length})` }),
      events.length ? evList : h('p', { class: 'muted', text: 'None coded.' }),
      h('h2', { text: `Actors (${(rec.actors || []).length})` }),
      actors,
      h('h2', { text: `Quotes (${(rec.quotes || []).length})` }),
      (rec.quotes || []).length ? quotes : h('p', { class: 'muted', text: 'None.' })
    );
    const mark = article.querySelector('#evidence');
    if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: 'center' });
  };
  render();
}

// ---- actor --------------------------------------------------------------------------------------

async function actorView(v, code) {
  const p = await api('/v1/actors/' + encodeURIComponent(code));
  const main = h('section', { class: 'panel' });
  const side = h('aside', { class: 'panel' });
  v.append(main, side);
  const table = (heads, rows) =>
    h('table', { class: 't' }, h('thead', {}, h('tr', {}, heads.map((x) => h('th', { text: x })))), h('tbody', {}, rows));
  main.append(
    h('h1', { text: p.code }),
    h('p', { class: 'muted', text: `${plural(p.events, 'event')} (${p.as_source} as source, ${p.as_target} as target)` + (p.first_date ? `, ${p.first_date} to ${p.last_date}` : '') }),
    h('h2', { text: 'Names' }),
    p.names.length
      ? table(['name', 'code', 'type', 'mentions', 'documents', 'first', 'last'], p.names.map((n) => h('tr', {}, h('td', { text: n.name }), h('td', {}, h('a', { href: '#/actor/' + n.code, text: n.code })), h('td', { text: n.type }), h('td', { class: 'num', text: n.mentions }), h('td', { class: 'num', text: n.documents }), h('td', { text: n.first_date || '' }), h('td', { text: n.last_date || '' }))))
      : h('p', { class: 'muted', text: 'No named mentions.' }),
    h('h2', { text: 'Offices (from the office-holder dictionaries)' }),
    p.offices.length
      ? table(['person', 'office', 'code', 'from', 'to'], p.offices.map((o) => h('tr', { class: o.under_this_code ? 'hl' : null }, h('td', { text: o.person }), h('td', { text: o.title }), h('td', {}, h('a', { href: '#/actor/' + o.code, text: o.code })), h('td', { text: o.start }), h('td', { text: o.end || 'in office' }))))
      : h('p', { class: 'muted', text: 'No office holders named under this code.' })
  );
  side.append(
    h('h2', { text: 'Top partners' }),
    p.partners.length
      ? table(['partner', 'events', 'out', 'in', 'Goldstein'], p.partners.map((x) => h('tr', {}, h('td', {}, h('a', { href: '#/dyad/' + p.code + '/' + x.code, title: 'timeline', text: x.code })), h('td', { class: 'num', text: x.events }), h('td', { class: 'num', text: x.as_source }), h('td', { class: 'num', text: x.as_target }), h('td', { class: 'num', text: fmt(x.goldstein_mean) }))))
      : h('p', { class: 'muted', text: 'No partners.' })
  );
}

// ---- search -------------------------------------------------------------------------------------

function snippet(text) {
  // The store marks matches with [brackets].
  const frag = h('span', { class: 'snippet' });
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    frag.append(text.slice(last, m.index), h('mark', { text: m[1] }));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

async function searchView(v, q) {
  document.getElementById('q').value = q;
  const main = h('section', { class: 'panel' });
  const side = h('aside', { class: 'panel' });
  v.append(main, side);
  if (!q.trim()) {
    main.append(h('p', { class: 'muted', text: 'Type words or "a phrase" in the search box.' }));
    return;
  }
  const [docs, actors] = await Promise.allSettled([api('/v1/search?q=' + encodeURIComponent(q) + '&limit=50'), api('/v1/actors?limit=30&q=' + encodeURIComponent(q))]);
  main.append(h('h2', { text: 'Articles' }));
  if (docs.status === 'rejected') showError(main, docs.reason);
  else if (!docs.value.hits.length) main.append(h('p', { class: 'muted', text: 'No articles match.' }));
  else {
    const ul = h('ul', { class: 'plain', id: 'hits' });
    for (const hit of docs.value.hits) ul.append(h('li', {}, h('a', { href: docHref(hit.doc_id), text: hit.title || hit.doc_id }), h('span', { class: 'muted', text: ' ' + [hit.date, hit.source].filter(Boolean).join(' · ') }), h('div', {}, snippet(hit.snippet))));
    main.append(ul);
  }
  side.append(h('h2', { text: 'Actors' }));
  if (actors.status === 'fulfilled' && actors.value.items.length) {
    const ul = h('ul', { class: 'plain' });
    for (const a of actors.value.items) ul.append(h('li', {}, h('a', { href: '#/actor/' + a.code, text: a.code }), h('span', { class: 'muted', text: (a.name ? ' ' + a.name : '') + ` · ${a.events} events, ${a.mentions} mentions` })));
    side.append(ul);
  } else side.append(h('p', { class: 'muted', text: 'No actors match.' }));
}

// ---- start --------------------------------------------------------------------------------------

document.getElementById('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  location.hash = '#/search?q=' + encodeURIComponent(document.getElementById('q').value);
});
window.addEventListener('hashchange', route);
api('/v1/stats')
  .then((st) => {
    document.getElementById('stats').textContent = `${st.documents} documents · ${st.events} events · ${st.quotes} quotes`;
  })
  .catch(() => {});
route();
