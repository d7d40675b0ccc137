/*
 * barcast dashboard: the query API's answers on one page, live through the stream endpoints.
 * Plain script, no build step. The API key is asked once, kept in sessionStorage (this tab only)
 * and sent as X-API-Key; streams are opened with short-lived stream tokens, never with the key.
 * The chart is uPlot; the drawn chart is window.barcastChart (its data: x in epoch seconds, then
 * one array per series, labels in its series).
 */
(function () {
  'use strict';

  const KEY = 'barcast.apiKey';
  const STREAMS = ['predictions', 'recommendations', 'alerts'];
  const HOUR = 3600 * 1000;
  const DAY = 24 * HOUR;
  /** Closes shown before the latest forecast's as-of bar. */
  const CLOSES_BEFORE = 3 * DAY;
  const MAX_BAR_PAGES = 10;
  const MAX_ALERTS = 100;
  /** Earlier forecasts a symbol view offers. */
  const MAX_HISTORY = 100;
  /** Okabe-Ito. */
  const COLOURS = {
    actual: '#000000', forecast: '#0072B2', band: '#56B4E9', earlier: '#E69F00',
    entry: '#CC79A7', target: '#009E73', stop: '#D55E00',
  };

  const state = {
    forecasts: new Map(),  // symbol -> the latest forecast, in the REST shape
    trades: new Map(),     // symbol -> its active recommendation
    skill: new Map(),      // symbol -> performance over all horizons
    alerts: [],
    status: null,
    sort: { column: 'symbol', dir: 1 },
    symbol: null,          // the symbol view's data, or null
    navigation: 0,         // bumped on each view change: late answers of an old view are dropped
    streams: [],
    lastEventIds: {},
    ready: new Set(),
    reconnect: null,
  };

  const $ = (id) => document.getElementById(id);

  // ---- the API

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || 'HTTP ' + status);
      this.status = status;
      this.problem = problem || {};
    }
  }

  async function api(path, options) {
    const headers = { 'X-API-Key': sessionStorage.getItem(KEY) || '', Accept: 'application/json' };
    const init = { headers: headers, cache: 'no-store' };
    if (options && options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.method = 'POST';
      init.body = JSON.stringify(options.body);
    } else if (options && options.method) {
      init.method = options.method;
    }
    const response = await fetch(path, init);
    if (!response.ok) {
      let problem = null;
      try {
        problem = await response.json();
      } catch (e) {
        problem = null;
      }
      const error = new ApiError(response.status, problem);
      if (response.status === 429) {
        error.retryAfter = response.headers.get('Retry-After');
      }
      throw error;
    }
    return response.json();
  }

  const enc = encodeURIComponent;

  /** What went wrong, for people; a refused key sends them back to the key form. */
  function fail(error) {
    if (error instanceof ApiError && error.status === 401) {
      askForKey('The API refused the key (401): ' + error.message);
      return;
    }
    let text;
    if (error instanceof ApiError && error.status === 429) {
      text = 'Too many requests for this key; try again in ' + (error.retryAfter || 'a few') + ' s.';
    } else if (error instanceof ApiError) {
      text = 'The API answered ' + error.status + ': ' + error.message;
    } else {
      text = 'The API could not be reached: ' + error.message;
    }
    showMessage(text);
  }

  function showMessage(text) {
    const message = $('message');
    message.textContent = text;
    message.hidden = !text;
  }

  function announce(text) {
    $('announce').textContent = text;
  }

  // ---- the key

  function askForKey(error) {
    sessionStorage.removeItem(KEY);
    stopLive();
    state.navigation++;
    showMessage('');
    $('key-error').textContent = error || '';
    for (const id of ['refresh', 'forget']) {
      $(id).hidden = true;
    }
    showView('key-view');
    $('key-input').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const key = $('key-input').value.trim();
    if (!key) {
      $('key-error').textContent = 'Enter an API key.';
      return;
    }
    sessionStorage.setItem(KEY, key);
    $('key-input').value = '';
    $('key-error').textContent = '';
    try {
      await loadAll();
    } catch (error) {
      fail(error);
      return;
    }
    $('refresh').hidden = false;
    $('forget').hidden = false;
    startLive();
    route();
  }

  // ---- loading

  async function loadAll() {
    const [latest, trades, performance, status, alerts] = await Promise.all([
      api('/api/v1/predictions?limit=500'),
      api('/api/v1/recommendations?limit=500'),
      api('/api/v1/performance?horizon=all'),
      api('/api/v1/status'),
      api('/api/v1/alerts?limit=' + MAX_ALERTS),
    ]);
    const symbols = latest.items.map((s) => s.symbol);
    const forecasts = new Map();
    for (let i = 0; i < symbols.length; i += 100) {
      const batch = await api('/api/v1/predictions/batch', {
        body: { symbols: symbols.slice(i, i + 100), detail: 'full' },
      });
      batch.items.forEach((f) => forecasts.set(f.symbol, f));
    }
    state.forecasts = forecasts;
    state.trades = new Map();
    // newest created first: the first of a symbol is its active trade
    trades.items.forEach((t) => {
      if (!state.trades.has(t.symbol)) {
        state.trades.set(t.symbol, t);
      }
    });
    state.skill = new Map(performance.items.map((p) => [p.symbol, p]));
    state.status = status;
    state.alerts = alerts.items;
  }

  async function refresh() {
    try {
      await loadAll();
      showMessage('');
      route();
    } catch (error) {
      fail(error);
    }
  }

  // ---- views

  function showView(id) {
    for (const view of document.querySelectorAll('.view')) {
      view.hidden = view.id !== id;
    }
    for (const [link, view] of [['nav-overview', 'overview-view'], ['nav-alerts', 'alerts-view']]) {
      if (id === view) {
        $(link).setAttribute('aria-current', 'page');
      } else {
        $(link).removeAttribute('aria-current');
      }
    }
    document.documentElement.dataset.view = id.replace('-view', '');
  }

  function route() {
    if (!sessionStorage.getItem(KEY)) {
      askForKey('');
      return;
    }
    state.navigation++;
    // a symbol view's data belong to it alone: live updates draw into the view now shown
    state.symbol = null;
    const hash = location.hash || '#/';
    if (hash.startsWith('#/symbol/')) {
      showSymbol(decodeURIComponent(hash.substring('#/symbol/'.length)));
    } else if (hash === '#/alerts') {
      showView('alerts-view');
      renderAlerts();
    } else {
      showView('overview-view');
      renderOverview();
    }
    renderAlertCount();
  }

  function focusHeading(id) {
    const heading = $(id);
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }

  // ---- formatting

  const time = (iso) => Date.parse(iso);

  function fmtTime(ms) {
    return new Date(ms).toISOString().substring(0, 16).replace('T', ' ') + ' UTC';
  }

  function fmtAge(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 120) {
      return seconds + ' s ago';
    }
    if (seconds < 7200) {
      return Math.round(seconds / 60) + ' min ago';
    }
    if (seconds < 2 * 86400) {
      return Math.round(seconds / 3600) + ' h ago';
    }
    return Math.round(seconds / 86400) + ' d ago';
  }

  function fmtNumber(value, digits) {
    return value == null ? '–' : value.toLocaleString('en-US', {
      minimumFractionDigits: digits, maximumFractionDigits: digits,
    });
  }

  function fmtPercent(value) {
    return value == null ? '–' : (value > 0 ? '+' : '') + value.toFixed(2) + ' %';
  }

  function fmtShare(value) {
    return value == null ? '–' : (100 * value).toFixed(1) + ' %';
  }

  function levelText(level) {
    return level ? level.replace('_', ' ') : '–';
  }

  function tradeText(t) {
    return t.side + ' · entry ' + fmtNumber(t.entry_price, 2) + ' · target '
        + fmtNumber(t.target_price, 2) + ' · stop ' + fmtNumber(t.stop_loss, 2);
  }

  /** The band's width at the week's end in percent of the predicted price; null without band. */
  function bandWidth(f) {
    const last = f.path[f.path.length - 1];
    if (!last || last.lower == null || last.upper == null) {
      return null;
    }
    return (last.upper - last.lower) / last.price * 100;
  }

  function cell(row, column, text, value, className) {
    const td = document.createElement('td');
    td.dataset.column = column;
    if (value !== undefined && value !== null) {
      td.dataset.value = String(value);
    }
    if (className) {
      td.className = className;
    }
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function direction(value) {
    return value > 0 ? 'up' : value < 0 ? 'down' : '';
  }

  // ---- overview

  function overviewRows() {
    const now = Date.now();
    const rows = [];
    for (const [symbol, f] of state.forecasts) {
      const skill = state.skill.get(symbol);
      rows.push({
        symbol: symbol,
        forecast: f,
        trade: state.trades.get(symbol) || null,
        move: f.expected_return_percent,
        confidence: f.confidence,
        band: bandWidth(f),
        skill: skill ? skill.skill : null,
        bar_age: now - time(f.as_of),
        forecast_age: now - time(f.predicted_at),
      });
    }
    return rows;
  }

  function sortValue(row, column) {
    if (column === 'trade') {
      return row.trade ? row.trade.side : null;
    }
    return row[column];
  }

  /** @param fresh the symbols to mark as just updated, if any */
  function renderOverview(fresh) {
    const symbolFilter = $('filter-symbol').value.trim().toUpperCase();
    const level = $('filter-level').value;
    const onlyTrades = $('filter-trades').checked;
    const { column, dir } = state.sort;
    const rows = overviewRows()
        .filter((r) => !symbolFilter || r.symbol.includes(symbolFilter))
        .filter((r) => !level || r.forecast.confidence_level === level)
        .filter((r) => !onlyTrades || r.trade)
        .sort((a, b) => {
          const x = sortValue(a, column);
          const y = sortValue(b, column);
          if (x == null || y == null) {
            return x == null && y == null ? 0 : x == null ? 1 : -1;
          }
          const order = typeof x === 'string' ? x.localeCompare(y) : x - y;
          return order * dir || a.symbol.localeCompare(b.symbol);
        });
    const body = document.querySelector('#overview tbody');
    body.replaceChildren();
    for (const r of rows) {
      const tr = document.createElement('tr');
      tr.dataset.symbol = r.symbol;
      if (fresh && fresh.has(r.symbol)) {
        tr.className = 'fresh';
      }
      const th = document.createElement('th');
      th.scope = 'row';
      th.dataset.column = 'symbol';
      const link = document.createElement('a');
      link.href = '#/symbol/' + enc(r.symbol);
      link.textContent = r.symbol;
      th.appendChild(link);
      tr.appendChild(th);
      cell(tr, 'move', fmtPercent(r.move), r.move, 'num ' + direction(r.move));
      const confidence = cell(tr, 'confidence', fmtNumber(r.confidence, 2) + ' ', r.confidence, 'num');
      const badge = document.createElement('span');
      badge.className = 'level';
      badge.dataset.level = r.forecast.confidence_level || '';
      badge.textContent = levelText(r.forecast.confidence_level);
      confidence.appendChild(badge);
      cell(tr, 'band', r.band == null ? '–' : r.band.toFixed(2) + ' %', r.band, 'num');
      cell(tr, 'trade', r.trade ? tradeText(r.trade) : 'none', r.trade ? r.trade.recommendation_id : null);
      cell(tr, 'skill', r.skill == null ? '–' : r.skill.toFixed(3), r.skill, 'num');
      cell(tr, 'bar_age', fmtAge(r.bar_age), time(r.forecast.as_of), 'num').title =
          'as of ' + fmtTime(time(r.forecast.as_of));
      cell(tr, 'forecast_age', fmtAge(r.forecast_age), time(r.forecast.predicted_at), 'num').title =
          'made ' + fmtTime(time(r.forecast.predicted_at));
      body.appendChild(tr);
    }
    $('overview-empty').hidden = rows.length > 0;
    for (const th of document.querySelectorAll('#overview thead th')) {
      if (th.dataset.column === column) {
        th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      } else {
        th.removeAttribute('aria-sort');
      }
    }
    renderStatusLine();
  }

  function sortBy(column) {
    if (state.sort.column === column) {
      state.sort.dir = -state.sort.dir;
    } else {
      state.sort = { column: column, dir: column === 'symbol' || column === 'trade' ? 1 : -1 };
    }
    renderOverview();
  }

  function renderStatusLine() {
    const s = state.status;
    if (!s) {
      return;
    }
    const parts = [state.forecasts.size + ' symbols'];
    if (s.bars.newest_bar_time) {
      parts.push('newest bar ' + fmtTime(time(s.bars.newest_bar_time)));
    }
    parts.push(s.recommendations.active + ' active trades');
    parts.push(s.alerts_last_hour + ' alerts in the last hour');
    parts.push('job: ' + (s.job ? s.job.state : 'not known to the API'));
    $('status-line').textContent = parts.join(' · ');
  }

  // ---- alerts and status

  function renderAlertCount() {
    const hour = Date.now() - HOUR;
    const recent = state.alerts.filter((a) => time(a.raised_at) >= hour).length;
    $('alert-count').textContent = recent ? String(recent) : '';
    $('alert-count').title = recent ? recent + ' alerts in the last hour' : '';
  }

  function renderAlerts() {
    const s = state.status;
    const facts = $('status');
    facts.replaceChildren();
    const fact = (name, value) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      facts.append(dt, dd);
    };
    if (s) {
      fact('Flink job', s.job ? s.job.state + (s.job.name ? ' (' + s.job.name + ')' : '') : 'not known to the API');
      fact('Symbols with bars', String(s.bars.symbols));
      fact('Newest bar', s.bars.newest_bar_time ? fmtTime(time(s.bars.newest_bar_time)) + ', ' + fmtAge(s.bars.lag_seconds * 1000) : 'none');
      fact('Newest forecast', s.forecasts.newest_as_of ? 'as of ' + fmtTime(time(s.forecasts.newest_as_of)) + ', made ' + fmtTime(time(s.forecasts.newest_predicted_at)) : 'none');
      fact('Forecasts in the last hour', String(s.forecasts.last_hour));
      fact('Models (last 24 h)', s.forecasts.models.map((m) => m.model_name + ' ' + m.model_version + ': ' + m.forecasts_24h).join(', ') || 'none');
      fact('Active trades', String(s.recommendations.active));
      fact('Alerts, dead letters in the last hour', s.alerts_last_hour + ', ' + s.dead_letters_last_hour);
      fact('Status read', fmtTime(time(s.time)));
    }
    const body = document.querySelector('#alerts tbody');
    body.replaceChildren();
    for (const a of state.alerts) {
      const tr = document.createElement('tr');
      tr.dataset.alert = a.alert_id;
      cell(tr, 'raised', fmtTime(time(a.raised_at)));
      cell(tr, 'severity', a.severity, a.severity, 'sev-' + a.severity);
      cell(tr, 'category', a.category);
      cell(tr, 'symbol', a.symbol || '–');
      cell(tr, 'message', a.message, null, 'message-cell');
      body.appendChild(tr);
    }
    $('alerts-empty').hidden = state.alerts.length > 0;
  }

  // ---- symbol view

  async function showSymbol(symbol) {
    const navigation = state.navigation;
    const current = () => navigation === state.navigation;
    showView('symbol-view');
    $('symbol-title').textContent = symbol;
    $('symbol-summary').textContent = 'Loading…';
    $('history').replaceChildren();
    drawChart(null);
    try {
      const path = enc(symbol);
      const [latest, history, performance] = await Promise.all([
        api('/api/v1/predictions/' + path),
        api('/api/v1/predictions/' + path + '/history?limit=' + MAX_HISTORY),
        api('/api/v1/performance?symbols=' + path).catch((e) => {
          if (e instanceof ApiError && e.status === 404) {
            return { items: [] };  // no validated points yet
          }
          throw e;
        }),
      ]);
      if (!current()) {
        return;
      }
      state.symbol = {
        symbol: symbol, latest: latest, earlier: null, bars: [], barsFrom: null,
        history: history.items, performance: performance.items,
      };
      renderHistory();
      await loadEarlier(defaultEarlier());
      if (!current()) {
        return;
      }
      renderSymbol();
      focusHeading('symbol-title');
    } catch (error) {
      if (current()) {
        if (error instanceof ApiError && error.status === 404) {
          $('symbol-summary').textContent = 'No forecast of ' + symbol + ': ' + error.message;
        } else {
          fail(error);
        }
      }
    }
  }

  /** The newest earlier forecast at least a day older than the latest: one that met its bars. */
  function defaultEarlier() {
    const s = state.symbol;
    const latestAsOf = time(s.latest.as_of);
    const older = s.history.filter((h) => h.prediction_id !== s.latest.prediction_id);
    const dayOld = older.find((h) => time(h.as_of) <= latestAsOf - DAY);
    const chosen = dayOld || older[older.length - 1];
    return chosen ? chosen.as_of : '';
  }

  function renderHistory(selected) {
    const s = state.symbol;
    const select = $('history');
    select.replaceChildren();
    const none = document.createElement('option');
    none.value = '';
    none.textContent = 'none';
    select.appendChild(none);
    const seen = new Set();
    for (const h of s.history) {
      // one per as-of bar: the API looks an earlier forecast up by its as-of time
      if (h.prediction_id === s.latest.prediction_id || seen.has(h.as_of)) {
        continue;
      }
      seen.add(h.as_of);
      const option = document.createElement('option');
      option.value = h.as_of;
      option.textContent = 'as of ' + fmtTime(time(h.as_of)) + ' · ' + h.reason + ' · '
          + fmtPercent(h.expected_return_percent);
      select.appendChild(option);
    }
    select.value = selected === undefined ? defaultEarlier() : selected;
  }

  async function loadEarlier(asOf) {
    const s = state.symbol;
    $('history').value = asOf;
    s.earlier = asOf
        ? await api('/api/v1/predictions/' + enc(s.symbol) + '?as_of=' + enc(asOf))
        : null;
    const from = Math.min(
        time(s.latest.as_of) - CLOSES_BEFORE,
        s.earlier ? time(s.earlier.as_of) - 12 * HOUR : Infinity);
    if (s.barsFrom === null || from < s.barsFrom) {
      s.bars = await bars(s.symbol, from);
      s.barsFrom = from;
    }
  }

  /** The symbol's bars from {@code from} on, oldest first, page by page. */
  async function bars(symbol, from) {
    const all = [];
    let cursor = null;
    for (let page = 0; page < MAX_BAR_PAGES; page++) {
      const answer = await api('/api/v1/bars/' + enc(symbol) + '?order=oldest&limit=500&from='
          + enc(new Date(from).toISOString()) + (cursor ? '&cursor=' + enc(cursor) : ''));
      all.push(...answer.items);
      cursor = answer.next_cursor;
      if (!cursor) {
        break;
      }
    }
    return all;
  }

  async function chooseEarlier() {
    const navigation = state.navigation;
    try {
      await loadEarlier($('history').value);
      if (navigation === state.navigation) {
        renderSymbol();
      }
    } catch (error) {
      fail(error);
    }
  }

  function renderSymbol() {
    const s = state.symbol;
    const f = s.latest;
    const trade = state.trades.get(s.symbol) || null;
    $('symbol-summary').textContent = 'As of ' + fmtTime(time(f.as_of)) + ': '
        + fmtPercent(f.expected_return_percent) + ' to ' + fmtNumber(f.final_price, 2)
        + ' by ' + fmtTime(time(f.horizon_end)) + ' · confidence ' + fmtNumber(f.confidence, 2)
        + ' (' + levelText(f.confidence_level) + ') · band ' + (bandWidth(f) == null ? '–' : bandWidth(f).toFixed(2) + ' %')
        + ' wide at the end · model ' + f.model_name + ' ' + f.model_version + ' · ' + f.reason;
    drawChart(s, trade);
    $('trade').textContent = trade
        ? tradeText(trade) + ' · from ' + fmtTime(time(trade.entry_time)) + ' to '
            + fmtTime(time(trade.exit_time)) + ' · expected ' + fmtPercent(trade.expected_return_percent)
            + ' · confidence ' + fmtNumber(trade.confidence, 2)
        : 'No active trade.';
    renderAccuracy(s.performance);
    renderFactors(f);
  }

  function renderAccuracy(items) {
    const body = document.querySelector('#accuracy tbody');
    body.replaceChildren();
    if (!items.length) {
      const tr = document.createElement('tr');
      const td = cell(tr, 'none', 'No forecast point of this symbol has been checked yet.');
      td.colSpan = 7;
      body.appendChild(tr);
      return;
    }
    for (const p of items) {
      const tr = document.createElement('tr');
      tr.dataset.horizon = p.horizon;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = p.horizon === 'all' ? 'all' : 'up to ' + p.horizon;
      tr.appendChild(th);
      cell(tr, 'points', fmtNumber(p.points, 0), p.points, 'num');
      cell(tr, 'mae', p.mae_percent.toFixed(3) + ' %', p.mae_percent, 'num');
      cell(tr, 'naive_mae', p.naive_mae_percent.toFixed(3) + ' %', p.naive_mae_percent, 'num');
      cell(tr, 'direction', fmtShare(p.directional_accuracy), p.directional_accuracy, 'num');
      cell(tr, 'coverage', fmtShare(p.band_coverage), p.band_coverage, 'num');
      cell(tr, 'skill', p.skill == null ? '–' : p.skill.toFixed(3), p.skill, 'num');
      body.appendChild(tr);
    }
  }

  function renderFactors(f) {
    const body = document.querySelector('#factors tbody');
    body.replaceChildren();
    const factors = (f.confidence_detail && f.confidence_detail.factors) || {};
    for (const name of Object.keys(factors).sort()) {
      const value = factors[name];
      const tr = document.createElement('tr');
      tr.dataset.factor = name;
      cell(tr, 'name', name.replace(/_/g, ' '));
      cell(tr, 'value', fmtNumber(value, 2), value, 'num');
      const td = cell(tr, 'bar', '');
      const track = document.createElement('span');
      track.className = 'meter-track';
      const meter = document.createElement('span');
      meter.className = 'meter';
      meter.style.width = Math.max(0, Math.min(1, value)) * 100 + '%';
      track.appendChild(meter);
      td.appendChild(track);
      body.appendChild(tr);
    }
  }

  // ---- the chart

  const seconds = (iso) => time(iso) / 1000;

  /** A forecast's path from its as-of bar (the last close) on, with its band. */
  function pathOf(f) {
    const start = { time: f.as_of, price: f.last_close, lower: f.last_close, upper: f.last_close };
    return [start].concat(f.path);
  }

  /**
   * The chart's data on one x axis: the closes, the latest forecast and its band, the earlier
   * forecast, and the trade's entry, target and stop from its entry to its exit.
   */
  function chartData(s, trade) {
    const xs = new Set();
    s.bars.forEach((b) => xs.add(seconds(b.bar_time)));
    const latest = pathOf(s.latest);
    latest.forEach((p) => xs.add(seconds(p.time)));
    const earlier = s.earlier ? pathOf(s.earlier) : [];
    earlier.forEach((p) => xs.add(seconds(p.time)));
    if (trade) {
      xs.add(seconds(trade.entry_time));
      xs.add(seconds(trade.exit_time));
    }
    const x = Array.from(xs).sort((a, b) => a - b);
    const index = new Map(x.map((t, i) => [t, i]));
    const column = () => new Array(x.length).fill(null);
    const close = column();
    const price = column();
    const lower = column();
    const upper = column();
    const before = column();
    const entry = column();
    const target = column();
    const stop = column();
    s.bars.forEach((b) => { close[index.get(seconds(b.bar_time))] = b.close; });
    latest.forEach((p) => {
      const i = index.get(seconds(p.time));
      price[i] = p.price;
      lower[i] = p.lower;
      upper[i] = p.upper;
    });
    earlier.forEach((p) => { before[index.get(seconds(p.time))] = p.price; });
    if (trade) {
      const from = index.get(seconds(trade.entry_time));
      const to = index.get(seconds(trade.exit_time));
      for (let i = from; i <= to; i++) {
        entry[i] = trade.entry_price;
        target[i] = trade.target_price;
        stop[i] = trade.stop_loss;
      }
    }
    return [x, close, price, lower, upper, before, entry, target, stop];
  }

  function chartSize() {
    const width = Math.max(280, $('chart').parentElement.clientWidth);
    return { width: width, height: window.innerWidth <= 600 ? 260 : 360 };
  }

  function drawChart(s, trade) {
    if (window.barcastChart) {
      window.barcastChart.destroy();
      window.barcastChart = null;
    }
    if (!s) {
      $('chart-caption').textContent = '';
      return;
    }
    const value = (u, v) => (v == null ? '–' : fmtNumber(v, 2));
    const line = (label, stroke, extra) => Object.assign(
        { label: label, stroke: stroke, width: 1.5, spanGaps: true, value: value, points: { show: false } },
        extra || {});
    const data = chartData(s, trade);
    const options = Object.assign(chartSize(), {
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true } },
      series: [
        { label: 'Time (UTC)' },
        line('Actual close', COLOURS.actual, { width: 2 }),
        line('Forecast', COLOURS.forecast, { width: 2 }),
        line('Band lower', COLOURS.band, { dash: [4, 4] }),
        line('Band upper', COLOURS.band, { dash: [4, 4] }),
        line('Earlier forecast', COLOURS.earlier, { dash: [8, 3], width: 2 }),
        line('Trade entry', COLOURS.entry, { dash: [2, 3] }),
        line('Target', COLOURS.target, { dash: [10, 4] }),
        line('Stop', COLOURS.stop, { dash: [2, 2, 8, 2] }),
      ],
      bands: [{ series: [4, 3], fill: 'rgba(86, 180, 233, 0.18)' }],
      axes: [{}, { values: (u, ticks) => ticks.map((t) => fmtNumber(t, 0)), size: 70 }],
    });
    window.barcastChart = new uPlot(options, data, $('chart'));
    const f = s.latest;
    $('chart-caption').textContent = 'Actual closes (black) since ' + fmtTime(data[0][0] * 1000)
        + '; the latest forecast (blue) and its band (light blue, dashed) to '
        + fmtTime(time(f.horizon_end))
        + (s.earlier ? '; the forecast as of ' + fmtTime(time(s.earlier.as_of)) + ' (orange)' : '')
        + (trade ? '; the trade\'s entry (purple), target (green) and stop (vermillion)' : '')
        + '.';
  }

  // ---- live
  //
  // Each stream is an HTTP connection that stays open, and browsers open at most six to one
  // server: streams in every tab would soon leave none for the API calls. So one tab at a time
  // (the holder of a Web Lock) opens the streams and passes their events to the others on a
  // BroadcastChannel; when it closes, the next tab takes over. A page being left closes its
  // streams at once (pagehide), so a page kept in the back-forward cache holds none.

  const LOCK = 'barcast-live';
  const live = {
    channel: null,     // to and from the other tabs
    release: null,     // ends this tab's hold of the lock
    abort: null,       // stops waiting for the lock
    leader: false,
    leaderOn: false,   // another tab's streams are up
  };

  function startLive() {
    stopLive();
    if (!navigator.locks || !window.BroadcastChannel) {
      openStreams();
      return;
    }
    live.channel = new BroadcastChannel(LOCK);
    live.channel.onmessage = (message) => fromOtherTab(message.data);
    live.channel.postMessage({ type: 'hello' });
    live.abort = new AbortController();
    navigator.locks.request(LOCK, { signal: live.abort.signal }, () => {
      live.leader = true;
      openStreams();
      return new Promise((resolve) => { live.release = resolve; });
    }).catch(() => { /* stopped while waiting */ });
  }

  function stopLive() {
    closeStreams();
    clearTimeout(state.reconnect);
    if (live.abort) {
      live.abort.abort();
      live.abort = null;
    }
    if (live.release) {
      live.release();
      live.release = null;
    }
    if (live.channel) {
      if (live.leader) {
        live.channel.postMessage({ type: 'state', on: false });
      }
      live.channel.close();
      live.channel = null;
    }
    live.leader = false;
    live.leaderOn = false;
    renderLive();
  }

  function closeStreams() {
    state.streams.forEach((s) => s.close());
    state.streams = [];
    state.ready.clear();
  }

  function fromOtherTab(message) {
    if (!sessionStorage.getItem(KEY)) {
      return;
    }
    if (message.type === 'hello' && live.leader) {
      live.channel.postMessage({ type: 'state', on: streamsOn() });
    } else if (message.type === 'state' && !live.leader) {
      live.leaderOn = message.on;
      renderLive();
    } else if (message.type === 'event' && !live.leader) {
      dispatch(message.kind, message.record);
    }
  }

  function streamsOn() {
    return state.streams.length > 0 && state.ready.size === STREAMS.length;
  }

  function renderLive() {
    const on = live.leader || !live.channel ? streamsOn() : live.leaderOn;
    $('live').dataset.state = on ? 'on' : 'off';
    $('live').textContent = on ? 'Live' : state.streams.length ? 'Live: connecting' : 'Live: off';
    document.documentElement.dataset.live = on ? 'on' : 'off';
    if (live.leader && live.channel) {
      live.channel.postMessage({ type: 'state', on: on });
    }
  }

  /** Opens the streams with a new token, resuming each from the last event it had. */
  async function openStreams() {
    closeStreams();
    let token;
    try {
      token = (await api('/api/v1/stream/tokens', { method: 'POST' })).token;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        fail(error);
      } else {
        reopenStreams();
      }
      return;
    }
    for (const kind of STREAMS) {
      const resume = state.lastEventIds[kind];
      const source = new EventSource('/api/v1/stream/' + kind + '?token=' + enc(token)
          + (resume ? '&last_event_id=' + enc(resume) : ''));
      const remember = (event) => {
        if (event.lastEventId) {
          state.lastEventIds[kind] = event.lastEventId;
        }
      };
      source.addEventListener('ready', (event) => {
        remember(event);
        state.ready.add(kind);
        renderLive();
      });
      for (const label of ['prediction', 'recommendation', 'alert']) {
        source.addEventListener(label, (event) => {
          remember(event);
          const record = JSON.parse(event.data);
          dispatch(label, record);
          if (live.channel) {
            live.channel.postMessage({ type: 'event', kind: label, record: record });
          }
        });
      }
      source.addEventListener('dropped', () => reopenStreams());
      source.onerror = () => {
        // the browser retries by itself with the same URL; once the token has expired it
        // gives up (CLOSED): then open again with a new token
        state.ready.delete(kind);
        renderLive();
        if (source.readyState === EventSource.CLOSED) {
          reopenStreams();
        }
      };
      state.streams.push(source);
    }
    renderLive();
  }

  function reopenStreams() {
    closeStreams();
    renderLive();
    clearTimeout(state.reconnect);
    if (sessionStorage.getItem(KEY)) {
      state.reconnect = setTimeout(openStreams, 3000);
    }
  }

  function dispatch(kind, record) {
    if (kind === 'prediction') {
      onForecast(forecastOf(record));
    } else if (kind === 'recommendation') {
      onTrade(tradeOf(record));
    } else if (kind === 'alert') {
      onAlert(alertOf(record));
    }
  }

  const iso = (ms) => (ms == null ? null : new Date(ms).toISOString());

  /** A pushed forecast record (the job's JSON) in the REST shape. */
  function forecastOf(r) {
    const last = r.times.length - 1;
    return {
      prediction_id: r.id,
      symbol: r.symbol,
      as_of: iso(r.asOf),
      reason: r.reason,
      model_folder: r.modelFolder,
      model_name: r.modelName,
      model_version: r.modelVersion,
      last_close: r.lastClose,
      horizon_end: iso(r.times[last]),
      final_price: r.prices[last],
      expected_return_percent: 100 * (r.prices[last] / r.lastClose - 1),
      confidence: r.confidence,
      confidence_level: r.confidenceLevel,
      predicted_at: iso(r.predictedAt),
      path: r.times.map((t, i) => ({
        time: iso(t),
        price: r.prices[i],
        lower: r.lower ? r.lower[i] : null,
        upper: r.upper ? r.upper[i] : null,
      })),
      confidence_detail: {
        value: r.confidence, level: r.confidenceLevel, decay: r.confidenceDecay,
        factors: r.confidenceFactors || {},
      },
    };
  }

  function tradeOf(r) {
    return {
      recommendation_id: r.id, prediction_id: r.predictionId, symbol: r.symbol, as_of: iso(r.asOf),
      side: r.side, entry_time: iso(r.entryTime), entry_price: r.entryPrice,
      exit_time: iso(r.exitTime), target_price: r.targetPrice, stop_loss: r.stopLoss,
      expected_return_percent: r.expectedReturnPercent, risk_reward: r.riskReward,
      confidence: r.confidence, model_version: r.modelVersion, status: r.status,
      created_at: iso(r.createdAt),
    };
  }

  function alertOf(r) {
    return {
      alert_id: r.id, severity: r.severity, category: r.category, symbol: r.symbol || '',
      message: r.message, raised_at: iso(r.time),
    };
  }

  /** Whether {@code a} is the later forecast: the newer as-of bar, then the one made last. */
  function newer(a, b) {
    return !b || a.as_of > b.as_of || (a.as_of === b.as_of && a.predicted_at >= b.predicted_at);
  }

  /**
   * Live events change the state at once and the page at most every 300 ms: the job may send
   * hundreds of forecasts a second, and a table or a chart redrawn for each would not keep up.
   */
  const pending = { timer: null, fresh: new Set(), symbol: false };

  function renderSoon(symbol) {
    pending.fresh.add(symbol);
    if (state.symbol && state.symbol.symbol === symbol) {
      pending.symbol = true;
    }
    if (pending.timer === null) {
      pending.timer = setTimeout(renderPending, 300);
    }
  }

  function renderPending() {
    const view = document.documentElement.dataset.view;
    if (view === 'overview') {
      renderOverview(pending.fresh);
      if (pending.fresh.size > 1) {
        announce(pending.fresh.size + ' symbols have new forecasts or trades.');
      }
    } else if (view === 'symbol' && pending.symbol && state.symbol) {
      renderSymbol();
    }
    pending.timer = null;
    pending.fresh = new Set();
    pending.symbol = false;
  }

  function onForecast(f) {
    if (!newer(f, state.forecasts.get(f.symbol))) {
      return;
    }
    state.forecasts.set(f.symbol, f);
    const s = state.symbol;
    if (s && s.symbol === f.symbol) {
      const selected = $('history').value;
      s.history.unshift(summaryOf(s.latest));
      s.history.length = Math.min(s.history.length, MAX_HISTORY);
      s.latest = f;
      renderHistory(selected);
    }
    announce('New forecast of ' + f.symbol + ': ' + fmtPercent(f.expected_return_percent)
        + ' to the end of the week.');
    renderSoon(f.symbol);
  }

  function summaryOf(f) {
    return {
      prediction_id: f.prediction_id, symbol: f.symbol, as_of: f.as_of, reason: f.reason,
      expected_return_percent: f.expected_return_percent,
    };
  }

  function onTrade(t) {
    const active = state.trades.get(t.symbol);
    if (t.status === 'active') {
      if (!active || t.created_at >= active.created_at) {
        state.trades.set(t.symbol, t);
      }
    } else if (active && active.recommendation_id === t.recommendation_id) {
      state.trades.delete(t.symbol);
    } else {
      return;
    }
    renderSoon(t.symbol);
  }

  function onAlert(a) {
    if (state.alerts.some((x) => x.alert_id === a.alert_id)) {
      return;
    }
    state.alerts.unshift(a);
    state.alerts.length = Math.min(state.alerts.length, MAX_ALERTS);
    announce(a.severity + ' alert: ' + a.message);
    renderAlertCount();
    if (document.documentElement.dataset.view === 'alerts') {
      renderAlerts();
    }
  }

  // ---- start

  function start() {
    $('key-form').addEventListener('submit', signIn);
    $('forget').addEventListener('click', () => askForKey(''));
    $('refresh').addEventListener('click', refresh);
    $('history').addEventListener('change', chooseEarlier);
    for (const id of ['filter-symbol', 'filter-level', 'filter-trades']) {
      $(id).addEventListener('input', () => renderOverview());
    }
    for (const th of document.querySelectorAll('#overview thead th')) {
      th.querySelector('button').addEventListener('click', () => sortBy(th.dataset.column));
    }
    window.addEventListener('hashchange', route);
    window.addEventListener('pagehide', stopLive);
    window.addEventListener('pageshow', (event) => {
      if (event.persisted && sessionStorage.getItem(KEY)) {
        startLive();
      }
    });
    let resizing = null;
    window.addEventListener('resize', () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => {
        if (window.barcastChart) {
          window.barcastChart.setSize(chartSize());
        }
      }, 150);
    });
    if (sessionStorage.getItem(KEY)) {
      loadAll().then(() => {
        $('refresh').hidden = false;
        $('forget').hidden = false;
        startLive();
        route();
      }, fail);
    } else {
      askForKey('');
    }
  }

  start();
}());
