// FieldOps reports view. Plain JS and Chart.js (lib/chart.umd.js, built into the bundle from its
// WebJar). Everything from the server is put in the page as text (textContent) or drawn on the
// chart's canvas, never as HTML. The reports, their columns and groupings come from the API:
// GET /api/v1/reports lists the ones the caller may run, GET /api/v1/reports/{name} runs one.
'use strict';

(function () {
  // from the origin: the browser reuses the page's login (HTTP Basic, realm FieldOps) for the API
  const API = location.origin + '/api/v1';
  const state = {
    definitions: [], // GET /reports: what the caller may run
    zone: null, // the business time zone, from the first report
    report: null, // the report shown
    chart: null, // the Chart.js chart shown
    seq: 0, // the newest run asked for; older answers are dropped
  };

  const GROUPS = {
    day: 'Day',
    technician: 'Technician',
    customer: 'Customer',
    jobType: 'Job type',
    job: 'Job',
    sku: 'Part',
    invoice: 'Invoice',
    reason: 'Reason',
  };

  // the board's status colours, a shade darker for bars
  const STATUS_COLOURS = {
    NEW: '#a9aeb6',
    SCHEDULED: '#9fb7e0',
    DISPATCHED: '#4f86d9',
    EN_ROUTE: '#f2c230',
    ON_SITE: '#f28c28',
    PAUSED: '#a57fd6',
    COMPLETED: '#3fae5a',
    INVOICED: '#2b8a45',
    CLOSED: '#7d8b7d',
    ON_HOLD: '#e07f8f',
    CANCELLED: '#c9ced6',
  };
  const PALETTE = ['#3b6fc4', '#e08a2e', '#2e8b57', '#8e5cc7', '#c44e52', '#5f9ea0', '#b8860b', '#7a8494'];
  const OUTCOME_COLOURS = { applied: '#3fae5a', duplicates: '#a9aeb6', inReview: '#f28c28', rejected: '#c44e52' };

  /**
   * What each report's chart shows: bars (columns, stacked or side by side) and lines (RATIO
   * columns, in % on a right-hand axis). A report not named here gets bars of its numeric columns.
   */
  const CHARTS = {
    'job-status': { stacked: true, bars: 'statuses', colours: STATUS_COLOURS, hideZero: true },
    completions: { bars: ['completed', 'firstTimeFixed'], lines: ['firstTimeFixRate'] },
    'job-times': { bars: ['avgTravelMinutes', 'avgOnSiteMinutes'], lines: ['adherenceRate'], unit: 'minutes' },
    parts: { bars: ['value'], unit: 'value' },
    labor: { bars: ['loggedHours', 'billedHours'], lines: ['billedRatio'], unit: 'hours' },
    revenue: { bars: ['invoiced', 'approved', 'sent'], unit: 'total' },
    drafts: { bars: ['total'], unit: 'total' },
    'sync-health': { stacked: true, bars: ['applied', 'duplicates', 'inReview', 'rejected'], colours: OUTCOME_COLOURS, unit: 'events' },
    'rejection-reasons': { bars: ['rejected'], unit: 'events' },
  };

  const NUMERIC = new Set(['COUNT', 'NUMBER', 'RATIO', 'MONEY']);
  const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  const PERCENT = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

  const $ = (id) => document.getElementById(id);

  /** An element with text children only: strings become text nodes, never markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  /** An API failure as one line: the problem's detail and its field errors. */
  function problemText(res, json) {
    let text = json && (json.detail || json.title) ? json.detail || json.title : 'HTTP ' + res.status;
    const fields = json && Array.isArray(json.errors) ? json.errors : [];
    if (fields.length) text = fields.map((e) => (e.field ? e.field + ': ' : '') + e.message).join('; ');
    return text;
  }

  async function api(path) {
    const res = await fetch(API + path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const err = new Error(problemText(res, json));
      err.status = res.status;
      throw err;
    }
    return json;
  }

  function say(text, isError) {
    const m = $('message');
    m.textContent = text || '';
    m.className = isError ? 'error' : '';
  }

  // ---------------------------------------------------------------- days

  /** Today in the business time zone (the browser's until the first report told it), YYYY-MM-DD. */
  function today() {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: state.zone || undefined, year: 'numeric', month: '2-digit', day: '2-digit',
    }).formatToParts(new Date());
    const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return p.year + '-' + p.month + '-' + p.day;
  }

  function addDays(day, n) {
    const d = new Date(Date.parse(day + 'T00:00:00Z') + n * 86400000);
    return d.toISOString().slice(0, 10);
  }

  function quickRange(kind) {
    const t = today();
    switch (kind) {
      case 'last7': return [addDays(t, -6), t];
      case 'last30': return [addDays(t, -29), t];
      case 'month': return [t.slice(0, 8) + '01', t];
      default: return [t, t];
    }
  }

  function instant(iso) {
    const d = new Date(iso);
    if (isNaN(d)) return String(iso);
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: state.zone || 'UTC', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).format(d).replace(',', '');
  }

  // ---------------------------------------------------------------- controls

  function definition() {
    return state.definitions.find((d) => d.name === $('report').value) || null;
  }

  function fillReports(wanted) {
    const sel = $('report');
    sel.replaceChildren();
    const groups = { OPERATIONS: el('optgroup', { label: 'Operations' }), FINANCE: el('optgroup', { label: 'Finance' }) };
    for (const d of state.definitions) {
      const g = groups[d.audience] || groups.OPERATIONS;
      g.append(el('option', { value: d.name, 'data-audience': d.audience, title: d.description, text: d.title }));
    }
    for (const g of Object.values(groups)) if (g.children.length) sel.append(g);
    if (wanted && state.definitions.some((d) => d.name === wanted)) sel.value = wanted;
  }

  function fillGroupBy(wanted) {
    const d = definition();
    const sel = $('group-by');
    sel.replaceChildren();
    for (const g of d ? d.groupBy : []) sel.append(el('option', { value: g, text: GROUPS[g] || g }));
    if (wanted && d && d.groupBy.includes(wanted)) sel.value = wanted;
  }

  /** The query of the controls: from, to and groupBy (left out while empty: the API's defaults). */
  function query() {
    const q = new URLSearchParams();
    if ($('from').value) q.set('from', $('from').value);
    if ($('to').value) q.set('to', $('to').value);
    if ($('group-by').value) q.set('groupBy', $('group-by').value);
    return q;
  }

  function rememberInUrl() {
    const q = query();
    q.set('report', $('report').value);
    history.replaceState(null, '', location.pathname + '?' + q);
  }

  // ---------------------------------------------------------------- running a report

  async function run() {
    const d = definition();
    if (!d) return;
    const from = $('from').value;
    const to = $('to').value;
    if (from && to && from > to) {
      showError('The range ends before it starts (from ' + from + ' to ' + to + ').');
      return;
    }
    const seq = ++state.seq;
    const main = $('main');
    main.setAttribute('data-state', 'loading');
    main.setAttribute('data-report', d.name);
    say('Loading…');
    try {
      const report = await api('/reports/' + encodeURIComponent(d.name) + '?' + query());
      if (seq !== state.seq) return;
      state.report = report;
      if (!state.zone) state.zone = report.zone;
      if (!from) $('from').value = report.from;
      if (!to) $('to').value = report.to;
      rememberInUrl();
      render(d, report);
      say('');
      main.setAttribute('data-report', report.name);
      main.setAttribute('data-from', report.from);
      main.setAttribute('data-to', report.to);
      main.setAttribute('data-group-by', report.groupBy || '');
      main.setAttribute('data-state', 'ready');
    } catch (e) {
      if (seq !== state.seq) return;
      showError(e.message);
    }
  }

  function showError(text) {
    clear();
    $('error').textContent = 'Report not run: ' + text;
    $('error').hidden = false;
    $('main').setAttribute('data-state', 'error');
    say('');
  }

  function clear() {
    if (state.chart) {
      state.chart.destroy();
      state.chart = null;
    }
    $('chart-box').hidden = true;
    $('empty').hidden = true;
    $('error').hidden = true;
    for (const part of ['thead', 'tbody', 'tfoot']) $('table').querySelector(part).replaceChildren();
  }

  function render(d, report) {
    clear();
    $('title').textContent = report.title;
    $('description').textContent = d.description || '';
    $('range').textContent = (report.from === report.to ? report.from : report.from + ' to ' + report.to) +
      ' · by ' + (GROUPS[report.groupBy] || report.groupBy) + ' · ' + report.zone +
      ' · generated ' + instant(report.generatedAt);
    renderTable(report);
    if (!report.rows.length) {
      $('empty').hidden = false;
      $('empty').textContent = 'No data in this range (' + report.from + ' to ' + report.to + ').';
      return;
    }
    renderChart(report);
  }

  // ---------------------------------------------------------------- the table

  function shown(columns) {
    // the group is an id (technician, customer…) or a day; the label names it
    return columns.filter((c) => c.name !== 'group');
  }

  function text(value, column) {
    if (value === null || value === undefined || value === '') return '–';
    switch (column.type) {
      case 'COUNT': return COUNT.format(value);
      case 'NUMBER': return NUMBER.format(value);
      case 'RATIO': return PERCENT.format(value);
      case 'MONEY': return String(value); // the API's decimal string, exact
      case 'FLAG': return value ? 'yes' : 'no';
      case 'INSTANT': return instant(value);
      default: return String(value);
    }
  }

  function cells(tag, row, columns, labelFallback) {
    const tr = el('tr', { 'data-group': row.group === undefined || row.group === null ? '' : String(row.group) });
    for (const c of columns) {
      let v = row[c.name];
      if (c.name === 'label' && (v === null || v === undefined || v === '')) v = labelFallback(row);
      tr.append(el(tag, {
        class: 'type-' + c.type,
        'data-col': c.name,
        'data-value': v === null || v === undefined ? '' : String(v),
        text: text(v, c),
      }));
    }
    return tr;
  }

  function renderTable(report) {
    const columns = shown(report.columns);
    const table = $('table');
    table.querySelector('thead').append(el('tr', {}, ...columns.map((c) =>
      el('th', { class: 'type-' + c.type, 'data-col': c.name, scope: 'col', text: c.label }))));
    const body = table.querySelector('tbody');
    for (const row of report.rows) body.append(cells('td', row, columns, (r) => r.group));
    if (!report.rows.length) {
      body.append(el('tr', {}, el('td', { colspan: String(columns.length), class: 'none', text: 'No rows.' })));
    }
    if (report.totals && report.rows.length) {
      table.querySelector('tfoot').append(cells('td', report.totals, columns, () => 'Total'));
    }
  }

  // ---------------------------------------------------------------- the chart

  function number(value, column) {
    if (value === null || value === undefined || value === '') return null;
    const n = typeof value === 'number' ? value : Number(value); // MONEY is a decimal string
    if (!isFinite(n)) return null;
    return column.type === 'RATIO' ? Math.round(n * 1000) / 10 : n;
  }

  function renderChart(report) {
    if (typeof Chart === 'undefined') {
      say('Charts are unavailable (lib/chart.umd.js did not load); the table is complete.', true);
      return;
    }
    const byName = new Map(report.columns.map((c) => [c.name, c]));
    const spec = CHARTS[report.name] || {};
    let bars;
    if (spec.bars === 'statuses') {
      bars = report.columns.filter((c) => c.type === 'COUNT' && c.name !== 'total');
    } else if (spec.bars) {
      bars = spec.bars.map((n) => byName.get(n)).filter(Boolean);
    } else {
      bars = report.columns.filter((c) => NUMERIC.has(c.type) && c.type !== 'RATIO' && c.name !== 'total');
    }
    let lines = spec.lines ? spec.lines.map((n) => byName.get(n)).filter(Boolean)
      : spec.bars ? [] : report.columns.filter((c) => c.type === 'RATIO');
    const currencies = new Set(report.rows.map((r) => r.currency).filter(Boolean));
    const labels = report.rows.map((r) => {
      const name = r.label === null || r.label === undefined || r.label === '' ? String(r.group) : String(r.label);
      return currencies.size > 1 && r.currency ? name + ' (' + r.currency + ')' : name;
    });
    const datasets = [];
    bars.forEach((c, i) => {
      const data = report.rows.map((r) => number(r[c.name], c));
      if (spec.hideZero && data.every((v) => !v)) return; // a status nobody is in
      const colour = (spec.colours && spec.colours[c.name]) || PALETTE[i % PALETTE.length];
      datasets.push({ type: 'bar', label: c.label, data, backgroundColor: colour, borderColor: colour, yAxisID: 'y', order: 2, maxBarThickness: 90 });
    });
    lines.forEach((c, i) => {
      const colour = PALETTE[(bars.length + i) % PALETTE.length];
      datasets.push({
        type: 'line', label: c.label + ' (%)', data: report.rows.map((r) => number(r[c.name], c)),
        borderColor: colour, backgroundColor: colour, yAxisID: 'y1', order: 1, pointRadius: 4, spanGaps: true,
      });
    });
    if (datasets.every((d) => d.data.every((v) => !v))) {
      // rows, but nothing to draw (e.g. technicians listed with no upload): say so, keep the table
      $('empty').hidden = false;
      $('empty').textContent = 'Nothing to chart in this range: every figure is zero or empty.';
      return;
    }
    const unit = spec.unit === 'value' || spec.unit === 'total'
      ? (currencies.size === 1 ? [...currencies][0] : 'amount')
      : spec.unit || (spec.bars === 'statuses' ? 'jobs' : '');
    const scales = {
      x: { stacked: !!spec.stacked, ticks: { autoSkip: true, maxRotation: 45 } },
      y: {
        stacked: !!spec.stacked,
        beginAtZero: true,
        title: { display: !!unit, text: unit },
        ticks: bars.every((c) => c.type === 'COUNT') ? { precision: 0 } : {},
      },
    };
    if (datasets.some((d) => d.yAxisID === 'y1')) {
      scales.y1 = { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: '%' } };
    }
    $('chart-box').hidden = false;
    const canvas = $('chart');
    canvas.setAttribute('aria-label', report.title + ' (chart; the table below has the figures)');
    state.chart = new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales,
        plugins: { legend: { position: 'bottom', labels: { sort: (a, b) => a.datasetIndex - b.datasetIndex } } },
      },
    });
    canvas.setAttribute('data-report', report.name);
    canvas.setAttribute('data-datasets', String(datasets.length));
  }

  // ---------------------------------------------------------------- CSV

  /** The report as CSV from the API (the browser's login goes with it), saved as a file. */
  async function download() {
    const d = definition();
    if (!d) return;
    const q = query();
    q.set('format', 'csv');
    const path = '/reports/' + encodeURIComponent(d.name) + '?' + q;
    const button = $('download');
    button.disabled = true;
    try {
      const res = await fetch(API + path, { headers: { Accept: 'text/csv' }, credentials: 'same-origin' });
      if (!res.ok) {
        let json = null;
        try { json = await res.json(); } catch (e) { json = null; }
        throw new Error(problemText(res, json));
      }
      const blob = await res.blob();
      const match = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
      const file = match ? match[1] : d.name + '.csv';
      const url = URL.createObjectURL(blob);
      const a = el('a', { href: url, download: file, hidden: 'hidden' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      button.setAttribute('data-path', '/api/v1' + path);
      button.setAttribute('data-file', file);
      say('Downloaded ' + file);
    } catch (e) {
      say('CSV not downloaded: ' + e.message, true);
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener('DOMContentLoaded', async () => {
    const params = new URLSearchParams(location.search);
    if (params.get('from')) $('from').value = params.get('from');
    if (params.get('to')) $('to').value = params.get('to');
    try {
      state.definitions = (await api('/reports')).items || [];
    } catch (e) {
      showError(e.message);
      return;
    }
    if (!state.definitions.length) {
      showError('no report is open to this account.');
      return;
    }
    fillReports(params.get('report'));
    fillGroupBy(params.get('groupBy'));
    $('report').addEventListener('change', () => { fillGroupBy(null); run(); });
    $('group-by').addEventListener('change', run);
    $('from').addEventListener('change', run);
    $('to').addEventListener('change', run);
    $('refresh').addEventListener('click', run);
    $('download').addEventListener('click', download);
    for (const b of document.querySelectorAll('[data-range]')) {
      b.addEventListener('click', () => {
        const [from, to] = quickRange(b.getAttribute('data-range'));
        $('from').value = from;
        $('to').value = to;
        run();
      });
    }
    run();
  });
})();
