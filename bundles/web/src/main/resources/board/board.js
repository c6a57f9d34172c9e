// FieldOps dispatch board. Plain JS, no framework. Everything from the server is put in the page
// as text (textContent), never as HTML. Live updates come from GET /api/v1/board/changes (SSE).
'use strict';

(function () {
  // from the origin: a page opened as http://user:password@host/board/ must not pass its
  // credentials on in URLs (fetch refuses them); the browser reuses the login for the same realm
  const API = location.origin + '/api/v1';
  const FIRST_HOUR = 6;
  const HOURS = 14;
  const state = {
    board: null,
    jobs: new Map(), // jobId -> board job (with the newest status and version seen)
    cursor: null, // last change cursor seen on the stream
    source: null,
    retry: 1000,
    refreshTimer: null,
    selected: null,
  };

  const $ = (id) => document.getElementById(id);

  /** An element with text children only: strings become text nodes, never markup. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('data-')) node.setAttribute(k, v);
      else if (k === 'style') Object.assign(node.style, v);
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return node;
  }

  async function api(method, path, body) {
    const init = { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(API + path, init);
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const detail = json && (json.detail || json.title) ? (json.detail || json.title) : res.status + '';
      const err = new Error(detail);
      err.status = res.status;
      err.problem = json;
      throw err;
    }
    return json;
  }

  function say(text, isError) {
    const m = $('message');
    m.textContent = text || '';
    m.className = isError ? 'error' : '';
  }

  // ---------------------------------------------------------------- time

  function zone() { return state.board ? state.board.zone : 'UTC'; }

  function hhmm(iso) {
    if (!iso) return '';
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone(), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(iso));
  }

  /** An instant on the board's day from "HH:MM" (minutes after the business day's midnight). */
  function onDay(time) {
    const [h, m] = time.split(':').map(Number);
    return new Date(Date.parse(state.board.dayStart) + (h * 60 + m) * 60000).toISOString();
  }

  function ago(iso) {
    if (!iso) return 'never';
    const min = Math.round((Date.now() - Date.parse(iso)) / 60000);
    if (min < 1) return 'just now';
    if (min < 60) return min + ' min ago';
    const h = Math.floor(min / 60);
    return h < 48 ? h + ' h ago' : Math.floor(h / 24) + ' days ago';
  }

  // ---------------------------------------------------------------- board

  async function loadBoard() {
    const date = $('date').value;
    try {
      const board = await api('GET', '/board' + (date ? '?date=' + encodeURIComponent(date) : ''));
      state.board = board;
      if (!date) $('date').value = board.date;
      render();
      if (state.cursor === null) {
        state.cursor = board.cursor;
        connect();
      }
      say('');
    } catch (e) {
      say('Board not loaded: ' + e.message, true);
    }
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    state.refreshTimer = setTimeout(loadBoard, 400);
  }

  function render() {
    const b = state.board;
    state.jobs.clear();
    const hours = $('hours');
    hours.replaceChildren();
    for (let i = 0; i < HOURS; i++) {
      const at = new Date(Date.parse(b.dayStart) + (FIRST_HOUR + i) * 3600000).toISOString();
      hours.append(el('div', { class: 'hour', style: { left: 'calc(var(--hour) * ' + i + ')' }, text: hhmm(at) }));
    }
    const rows = $('rows');
    rows.replaceChildren();
    for (const t of b.technicians) {
      rows.append(technicianRow(t));
    }
    const un = $('unassigned');
    un.replaceChildren();
    for (const j of b.unassigned) {
      state.jobs.set(j.id, j);
      un.append(el('li', {}, card(j, null)));
    }
    if (!b.unassigned.length) un.append(el('li', { class: 'meta', text: 'None' }));
  }

  function technicianRow(t) {
    const stale = isStale(t);
    const badges = el('div', { class: 'badges' });
    const reviews = el('button', { type: 'button', class: t.openReviews ? 'hot' : '', 'data-kind': 'reviews', text: t.openReviews + ' reviews' });
    reviews.addEventListener('click', () => showReviews(t));
    const rejections = el('button', { type: 'button', class: t.openRejections ? 'hot' : '', 'data-kind': 'rejections', text: t.openRejections + ' rejections' });
    rejections.addEventListener('click', () => showRejections(t));
    badges.append(reviews, rejections);
    const who = el('div', { class: 'who' },
      el('div', { class: 'name', text: t.name }),
      el('div', { class: 'meta' },
        stale ? el('span', { class: 'stale-mark', title: 'No sync for over ' + state.board.staleAfterMinutes + ' minutes', text: '⚠ stale · ' }) : null,
        'last sync ' + ago(t.lastSyncAt)),
      badges);
    const lane = el('div', { class: 'lane' });
    for (const j of t.jobs) {
      state.jobs.set(j.id, j);
      lane.append(card(j, t.id));
    }
    return el('div', { class: 'row' + (stale ? ' stale' : ''), 'data-technician': t.id, 'data-stale': String(stale) }, who, lane);
  }

  function isStale(t) {
    if (!t.lastSyncAt) return true;
    return Date.now() - Date.parse(t.lastSyncAt) > state.board.staleAfterMinutes * 60000;
  }

  function card(j, technicianId) {
    const attrs = { class: 'job status-' + j.status, 'data-job': j.id, 'data-status': j.status, 'data-version': String(j.version), title: j.title };
    if (technicianId && j.slotStart) {
      const start = (Date.parse(j.slotStart) - Date.parse(state.board.dayStart)) / 3600000 - FIRST_HOUR;
      const len = (Date.parse(j.slotEnd) - Date.parse(j.slotStart)) / 3600000;
      const left = Math.max(0, start);
      const width = Math.max(0.25, Math.min(HOURS - left, len - (left - start)));
      attrs.style = { left: 'calc(var(--hour) * ' + left + ')', width: 'calc(var(--hour) * ' + width + ')' };
    }
    const node = el('div', attrs,
      el('div', { class: 't', text: j.title }),
      el('div', { class: 's', text: (j.slotStart ? hhmm(j.slotStart) + '–' + hhmm(j.slotEnd) + ' · ' : '') + j.status }),
      el('div', { class: 'c', text: [j.customerName, j.siteAddress].filter(Boolean).join(' · ') }),
      j.lastNote ? el('div', { class: 'n', text: j.lastNote }) : null);
    node.addEventListener('click', () => openJob(j.id));
    return node;
  }

  /** Applies one change from the stream to the cards at once, then re-reads the board. */
  function applyChange(change) {
    const known = state.jobs.get(change.jobId);
    if (known && change.version < known.version) return;
    if (known) {
      known.status = change.status;
      known.version = change.version;
    }
    for (const node of document.querySelectorAll('[data-job="' + CSS.escape(change.jobId) + '"]')) {
      node.className = node.className.replace(/status-[A-Z_]+/, 'status-' + change.status);
      node.setAttribute('data-status', change.status);
      node.setAttribute('data-version', String(change.version));
      const s = node.querySelector('.s');
      if (s) s.textContent = s.textContent.replace(/[A-Z_]+$/, change.status);
    }
    if (state.selected === change.jobId) {
      // the open panel follows the status; the form and its warnings stay as they are
      $('d-status').textContent = change.status;
      $('d-status').className = 'status status-' + change.status;
    }
    scheduleRefresh();
  }

  // ---------------------------------------------------------------- live stream

  function connect() {
    if (state.source) state.source.close();
    const src = new EventSource(API + '/board/changes?since=' + encodeURIComponent(state.cursor));
    state.source = src;
    src.onopen = () => {
      state.retry = 1000;
      live(true);
    };
    src.addEventListener('job', (e) => {
      const change = JSON.parse(e.data);
      state.cursor = change.cursor;
      applyChange(change);
    });
    src.onerror = () => {
      live(false);
      if (src.readyState === EventSource.CLOSED) {
        // the browser gave up (an error answer): reconnect ourselves from the last cursor
        setTimeout(() => { if (state.source === src) connect(); }, state.retry);
        state.retry = Math.min(state.retry * 2, 30000);
      }
    };
  }

  function live(on) {
    const l = $('live');
    l.className = 'live ' + (on ? 'on' : 'off');
    l.textContent = on ? 'live' : 'reconnecting…';
  }

  // ---------------------------------------------------------------- a job: details and assignment

  function show(id) {
    for (const p of ['detail', 'create', 'sync']) $(p).hidden = p !== id;
  }

  async function openJob(id) {
    state.selected = id;
    let job;
    try {
      job = await api('GET', '/jobs/' + encodeURIComponent(id));
    } catch (e) {
      say('Job not loaded: ' + e.message, true);
      return;
    }
    const b = job.assignment || {};
    const boardJob = state.jobs.get(id) || {};
    $('d-title').textContent = job.title;
    $('d-status').textContent = job.status;
    $('d-status').className = 'status status-' + job.status;
    $('d-priority').textContent = job.priority;
    $('d-type').textContent = job.type;
    $('d-customer').textContent = boardJob.customerName || job.customerId;
    $('d-site').textContent = boardJob.siteAddress || job.siteId;
    $('d-window').textContent = job.windowStart ? hhmm(job.windowStart) + '–' + hhmm(job.windowEnd) : 'none';
    $('d-slot').textContent = b.start ? hhmm(b.start) + '–' + hhmm(b.end) : 'not assigned';
    $('d-description').textContent = job.description || '';
    const notes = $('d-notes');
    notes.replaceChildren();
    for (const n of job.notes || []) {
      if (!n.voided) notes.append(el('li', { class: 'note', text: n.text }));
    }
    const techs = $('a-techs');
    techs.replaceChildren(el('legend', { text: 'Technicians' }));
    const assigned = new Set(b.technicianIds || []);
    for (const t of state.board.technicians) {
      const box = el('input', { type: 'checkbox', value: t.id, 'data-name': t.name });
      box.checked = assigned.has(t.id);
      techs.append(el('label', {}, box, ' ' + t.name));
    }
    $('a-start').value = b.start ? hhmm(b.start) : (job.windowStart ? hhmm(job.windowStart) : '08:00');
    const minutes = job.estimatedMinutes || 60;
    $('a-end').value = b.end ? hhmm(b.end)
      : hhmm(new Date(Date.parse(onDay($('a-start').value)) + minutes * 60000).toISOString());
    $('a-warnings').replaceChildren();
    show('detail');
  }

  async function assign(technicianIds) {
    const id = state.selected;
    const body = technicianIds.length
      ? { technicianIds, start: onDay($('a-start').value), end: onDay($('a-end').value) }
      : { technicianIds: [] };
    const out = $('a-warnings');
    out.replaceChildren();
    try {
      const result = await api('PUT', '/jobs/' + encodeURIComponent(id) + '/assignment', body);
      const warnings = result.warnings || [];
      for (const w of warnings) out.append(el('li', { class: 'warning', 'data-code': w.code, text: w.code + ': ' + w.message }));
      if (!warnings.length) out.append(el('li', { class: 'ok', text: technicianIds.length ? 'Assigned.' : 'Un-assigned.' }));
      scheduleRefresh();
    } catch (e) {
      out.append(el('li', { class: 'error', text: e.message }));
    }
  }

  // ---------------------------------------------------------------- new job

  async function openCreate() {
    show('create');
    $('c-error').textContent = '';
    try {
      const customers = await api('GET', '/customers?limit=500');
      const sel = $('c-customer');
      sel.replaceChildren();
      for (const c of customers.items) sel.append(el('option', { value: c.id, text: c.name }));
      await loadSites();
    } catch (e) {
      $('c-error').textContent = e.message;
    }
  }

  async function loadSites() {
    const sel = $('c-site');
    sel.replaceChildren();
    const customer = $('c-customer').value;
    if (!customer) return;
    const sites = await api('GET', '/sites?limit=500&customerId=' + encodeURIComponent(customer));
    for (const s of sites.items) sel.append(el('option', { value: s.id, text: s.address }));
  }

  async function create(e) {
    e.preventDefault();
    const body = {
      customerId: $('c-customer').value,
      siteId: $('c-site').value,
      title: $('c-title').value,
      type: $('c-type').value,
      priority: $('c-priority').value,
      windowStart: onDay($('c-from').value),
      windowEnd: onDay($('c-to').value),
      estimatedMinutes: Number($('c-minutes').value) || null,
    };
    if ($('c-description').value) body.description = $('c-description').value;
    try {
      const job = await api('POST', '/jobs', body);
      $('create-form').reset();
      say('Created "' + job.title + '"');
      await loadBoard();
      openJob(job.id);
    } catch (err) {
      const fields = err.problem && err.problem.errors ? err.problem.errors.map((x) => x.field + ': ' + x.message).join('; ') : '';
      $('c-error').textContent = err.message + (fields ? ' (' + fields + ')' : '');
    }
  }

  // ---------------------------------------------------------------- reviews and rejections

  async function showReviews(t) {
    $('s-title').textContent = 'Open reviews: ' + t.name;
    $('s-api').href = API + '/reviews?status=OPEN&limit=500';
    const items = $('s-items');
    items.replaceChildren();
    show('sync');
    try {
      const page = await api('GET', '/reviews?status=OPEN&limit=500');
      const mine = page.items.filter((r) => r.technicianUsername === t.username);
      for (const r of mine) {
        items.append(el('li', {}, el('strong', { text: r.path }), ' ' + r.kind + ': device ', el('code', { text: r.deviceValue || '' }), ', server ', el('code', { text: r.serverValue || '' })));
      }
      if (!mine.length) items.append(el('li', { text: 'None' }));
    } catch (e) {
      items.append(el('li', { class: 'error', text: e.message }));
    }
  }

  async function showRejections(t) {
    $('s-title').textContent = 'Open rejections: ' + t.name;
    const path = '/sync/rejections?acknowledged=false&limit=500&technicianId=' + encodeURIComponent(t.id);
    $('s-api').href = API + path;
    const items = $('s-items');
    items.replaceChildren();
    show('sync');
    try {
      const page = await api('GET', path);
      for (const r of page.items) {
        items.append(el('li', {}, el('strong', { text: r.reason }), ' ' + r.type + ' (' + (r.message || '') + ')'));
      }
      if (!page.items.length) items.append(el('li', { text: 'None' }));
    } catch (e) {
      items.append(el('li', { class: 'error', text: e.message }));
    }
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener('DOMContentLoaded', () => {
    const params = new URLSearchParams(location.search);
    if (params.get('date')) $('date').value = params.get('date');
    $('date').addEventListener('change', loadBoard);
    $('today').addEventListener('click', () => { $('date').value = ''; loadBoard(); });
    $('new-job').addEventListener('click', openCreate);
    $('c-customer').addEventListener('change', () => loadSites().catch((e) => { $('c-error').textContent = e.message; }));
    $('create-form').addEventListener('submit', create);
    $('assign-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const ids = [...document.querySelectorAll('#a-techs input:checked')].map((x) => x.value);
      assign(ids);
    });
    $('a-unassign').addEventListener('click', () => assign([]));
    for (const b of document.querySelectorAll('[data-close]')) {
      b.addEventListener('click', () => {
        $(b.getAttribute('data-close')).hidden = true;
        if (b.getAttribute('data-close') === 'detail') state.selected = null;
      });
    }
    setInterval(() => { if (state.board) render(); }, 60000); // stale markers and "ago" move on
    loadBoard();
  });
})();
