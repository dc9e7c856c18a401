/**
 * The script of the page: draws the charts with uPlot from the data block
 * and makes the process table sortable. It is plain browser JavaScript kept
 * as a string, because this project compiles without the DOM typings and
 * the page must work as it is, offline, in any current browser; the
 * browser tests (test/integration/report-browser.test.ts) run it in real
 * Chromium. It must not contain a backtick or a dollar-brace: it lives in
 * a template literal.
 *
 * When everything is drawn it sets <body data-rendered="true"> and
 * window.tsdenetRenderedMs (ms since navigation start), which the tests
 * and the load-time measurement read. A failure is shown on the page and
 * logged with console.error, so a test sees it.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = [];
  var sync = uPlot.sync('timeline');
  var BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

  function fmtBytes(v) {
    if (v == null) return '-';
    var u = 0;
    while (Math.abs(v) >= 1024 && u < BYTE_UNITS.length - 1) { v /= 1024; u++; }
    if (u === 0) return Math.round(v) + ' B';
    return v.toFixed(Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2) + ' ' + BYTE_UNITS[u];
  }
  function fmtRate(v) { return v == null ? '-' : fmtBytes(v) + '/s'; }
  function fmtCount(v) { return v == null ? '-' : Math.round(v).toLocaleString('en-US'); }
  function fmtCalls(v) { return v == null ? '-' : fmtCount(v) + ' /s'; }
  function fmtPercent(v) { return v == null ? '-' : v.toFixed(1) + ' %'; }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function fmtElapsed(s, precise) {
    if (s == null) return '-';
    if (Math.abs(s) < 60) return (precise ? s.toFixed(s < 10 ? 2 : 1) : String(+s.toFixed(2))) + ' s';
    var w = Math.round(s), h = Math.floor(w / 3600), m = Math.floor((w % 3600) / 60), sec = w % 60;
    return h > 0 ? h + ':' + pad(m) + ':' + pad(sec) : m + ':' + pad(sec);
  }
  function axisValues(fmt) { return function (u, splits) { return splits.map(function (v) { return fmt(v); }); }; }
  // Tick steps: whole numbers for counts, 1-2-5 times a power of 1024 for bytes (so ticks read 100 MiB, not 95.4 MiB).
  var COUNT_STEPS = [], BYTE_STEPS = [];
  for (var e = 0; e < 16; e++) [1, 2, 5].forEach(function (m) { COUNT_STEPS.push(m * Math.pow(10, e)); });
  for (var k = 0; k < 6; k++) [1, 2, 5, 10, 20, 50, 100, 200, 500].forEach(function (m) { BYTE_STEPS.push(m * Math.pow(1024, k)); });
  // Elapsed time: decimal below a second, then steps a clock reads well (15 s, 1 min, 5 min, 1 h).
  var TIME_STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  function widthOf(el) { return Math.max(280, Math.floor(el.getBoundingClientRect().width)); }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  /** A line chart over the run's elapsed time; series: [{label, values, color, fill}]. */
  function timeChart(id, series, fmt, options) {
    var el = document.getElementById(id);
    if (!el) return;
    options = options || {};
    var host = el.querySelector('.plot');
    var opts = {
      width: widthOf(host),
      height: options.height || 200,
      cursor: { sync: { key: sync.key }, points: { size: 6 } },
      // A little room below 0, so a series that stays at 0 is a visible line, not hidden in the axis.
      scales: { x: { time: false }, y: { range: function (u, min, max) { var top = max > 0 ? max * 1.05 : 1; return [-top * 0.02, top]; } } },
      axes: [
        { values: axisValues(function (v) { return fmtElapsed(v, false); }), incrs: TIME_STEPS },
        { values: axisValues(fmt), size: 84, incrs: options.steps },
      ],
      series: [{ label: 'elapsed', value: function (u, v) { return fmtElapsed(v, true); } }].concat(series.map(function (s) {
        return {
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: s.fill ? alpha(s.color, options.stacked ? 0.85 : 0.15) : undefined,
          spanGaps: false,
          points: { show: false },
          value: function (u, v, si, i) { return fmt(s.raw ? s.raw[i] : v); },
        };
      })),
      bands: options.bands,
    };
    var values = [options.t].concat(series.map(function (s) { return s.values; }));
    charts.push({ host: host, plot: new uPlot(opts, values, host) });
  }

  /** Horizontal bars (index on a vertical x scale), largest at the top. */
  function barChart(id, names, counts, color) {
    var el = document.getElementById(id);
    if (!el) return;
    var host = el.querySelector('.plot');
    var n = names.length;
    var idx = names.map(function (_, i) { return i; });
    var longest = names.reduce(function (m, s) { return Math.max(m, s.length); }, 0);
    var opts = {
      width: widthOf(host),
      height: Math.max(120, n * 22 + 50),
      legend: { show: true, live: true },
      cursor: { points: { show: false }, drag: { x: false, y: false } },
      scales: {
        x: { time: false, ori: 1, dir: -1, range: [-0.5, n - 0.5] },
        y: { ori: 0, range: function (u, min, max) { return [0, max * 1.05]; } },
      },
      axes: [
        { side: 3, splits: function () { return idx; }, values: function (u, splits) { return splits.map(function (i) { return names[i] || ''; }); },
          size: Math.min(220, 14 + longest * 7.5), gap: 4, grid: { show: false }, ticks: { show: false } },
        { side: 0, values: axisValues(fmtCount), size: 28, incrs: COUNT_STEPS, space: 70 },
      ],
      series: [
        { label: 'syscall', value: function (u, v) { return v == null ? '-' : names[Math.round(v)] || '-'; } },
        { label: 'calls', fill: alpha(color, 0.8), stroke: color, width: 0, points: { show: false },
          paths: uPlot.paths.bars({ size: [0.75, 28] }), value: function (u, v) { return fmtCount(v); } },
      ],
    };
    charts.push({ host: host, plot: new uPlot(opts, [idx, counts], host) });
  }

  function drawTimelines() {
    var tl = data.timeline;
    if (!tl) return;
    var opt = { t: tl.t };
    if (tl.cpuPercent) timeChart('chart-cpu', [{ label: 'CPU', values: tl.cpuPercent, color: '#e15759', fill: true }], fmtPercent, opt);
    if (tl.rssBytes) timeChart('chart-memory', [{ label: 'RSS', values: tl.rssBytes, color: '#4e79a7', fill: true }], fmtBytes, { t: tl.t, steps: BYTE_STEPS });
    var disk = [];
    if (tl.diskReadRate) disk.push({ label: 'read', values: tl.diskReadRate, color: '#59a14f' });
    if (tl.diskWriteRate) disk.push({ label: 'write', values: tl.diskWriteRate, color: '#f28e2b' });
    if (disk.length) timeChart('chart-disk', disk, fmtRate, { t: tl.t, steps: BYTE_STEPS });
    var net = [];
    if (tl.netRxRate) net.push({ label: 'received', values: tl.netRxRate, color: '#76b7b2' });
    if (tl.netTxRate) net.push({ label: 'sent', values: tl.netTxRate, color: '#b07aa1' });
    if (net.length) timeChart('chart-network', net, fmtRate, { t: tl.t, steps: BYTE_STEPS });
    var counts = [];
    if (tl.processes) counts.push({ label: 'processes', values: tl.processes, color: '#9c755f', fill: true });
    if (tl.threads) counts.push({ label: 'threads', values: tl.threads, color: tl.processes ? '#bab0ac' : '#9c755f' });
    if (counts.length) timeChart('chart-processes', counts, fmtCount, { t: tl.t, steps: COUNT_STEPS });
  }

  /** Syscall rate stacked by category: each band from the sum below it to the sum with it. */
  function drawSyscallRate() {
    var sr = data.syscallRate;
    if (!sr) return;
    var shown = [];
    sr.names.forEach(function (name, i) {
      if (sr.rates[i].some(function (v) { return v != null && v > 0; })) shown.push(i);
    });
    if (shown.length === 0) shown = sr.names.map(function (_, i) { return i; });
    var sums = sr.t.map(function () { return 0; });
    var series = shown.map(function (i) {
      var raw = sr.rates[i];
      var stacked = raw.map(function (v, j) {
        if (v == null || sums[j] == null) { sums[j] = null; return null; }
        sums[j] += v;
        return sums[j];
      });
      return { label: sr.names[i], values: stacked, raw: raw, color: data.rateColors[i], fill: true };
    });
    var bands = [];
    for (var s = 2; s <= series.length; s++) bands.push({ series: [s, s - 1] });
    timeChart('chart-syscall-rate', series, fmtCalls, { t: sr.t, stacked: true, bands: bands, height: 260, steps: COUNT_STEPS });
  }

  function drawTopSyscalls() {
    var top = data.topSyscalls;
    if (!top || !top.length) return;
    barChart('chart-top-syscalls', top.map(function (s) { return s.name; }), top.map(function (s) { return s.count; }), '#4e79a7');
  }

  var MAX_ROWS = 1000;
  var COLUMNS = [
    { key: 'pid', label: 'PID', num: true },
    { key: 'ppid', label: 'PPID', num: true },
    { key: 'comm', label: 'Name' },
    { key: 'threads', label: 'Threads', num: true },
    { key: 'total', label: 'Syscalls', num: true, fmt: fmtCount },
    { key: 'share', label: 'Share', num: true, fmt: function (v) { return (v * 100).toFixed(1) + ' %'; } },
    { key: 'top', label: 'Most frequent', wrap: true },
    { key: 'command', label: 'Command', wrap: true, mono: true },
  ];

  function drawProcessTable() {
    var rows = data.processes;
    var table = document.getElementById('process-table');
    if (!rows || !table) return;
    var thead = table.createTHead();
    var headRow = thead.insertRow();
    var body = table.tBodies[0] || table.createTBody();
    var info = document.getElementById('process-table-info');
    var sortKey = null, descending = false;

    function render() {
      var list = rows;
      if (sortKey) {
        var col = COLUMNS.filter(function (c) { return c.key === sortKey; })[0];
        list = rows.slice().sort(function (a, b) {
          var x = a[sortKey], y = b[sortKey], d;
          if (x == null && y == null) d = 0;
          else if (x == null) return 1;
          else if (y == null) return -1;
          else d = col.num ? x - y : String(x).localeCompare(String(y));
          return (descending ? -d : d) || a.pid - b.pid;
        });
      }
      var frag = document.createDocumentFragment();
      list.slice(0, MAX_ROWS).forEach(function (r) {
        var tr = document.createElement('tr');
        COLUMNS.forEach(function (c) {
          var td = document.createElement('td');
          var v = r[c.key];
          td.textContent = v == null ? '' : c.fmt ? c.fmt(v) : String(v);
          if (c.num) td.className = 'num';
          if (c.wrap) td.className = 'wrap' + (c.mono ? ' mono' : '');
          tr.appendChild(td);
        });
        frag.appendChild(tr);
      });
      body.replaceChildren(frag);
      if (info) {
        info.textContent = rows.length > MAX_ROWS
          ? 'Showing ' + fmtCount(MAX_ROWS) + ' of ' + fmtCount(rows.length) + ' processes; sort to see others.'
          : fmtCount(rows.length) + ' process' + (rows.length === 1 ? '' : 'es') + '. Click a column to sort.';
      }
    }

    COLUMNS.forEach(function (c) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.dataset.key = c.key;
      if (c.num) th.className = 'num';
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = c.label;
      button.addEventListener('click', function () {
        // Numbers start largest first, text A to Z; a second click reverses.
        descending = sortKey === c.key ? !descending : !!c.num;
        sortKey = c.key;
        headRow.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        render();
      });
      th.appendChild(button);
      headRow.appendChild(th);
    });
    render();
  }

  function resize() {
    charts.forEach(function (c) {
      var w = widthOf(c.host);
      if (Math.abs(w - c.plot.width) > 1) c.plot.setSize({ width: w, height: c.plot.height });
    });
  }

  function step(name, fn) {
    try {
      fn();
    } catch (error) {
      console.error('tsdenet report: ' + name + ' failed:', error);
      var p = document.createElement('p');
      p.className = 'chart-error';
      p.textContent = name + ' could not be drawn: ' + (error && error.message ? error.message : String(error));
      document.querySelector('main').appendChild(p);
    }
  }

  step('timelines', drawTimelines);
  step('syscall rate', drawSyscallRate);
  step('top syscalls', drawTopSyscalls);
  step('process table', drawProcessTable);
  var pending = 0;
  window.addEventListener('resize', function () {
    if (pending) return;
    pending = requestAnimationFrame(function () { pending = 0; resize(); });
  });
  // Two frames: the first runs before the charts' frame is painted, the second after it.
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      window.tsdenetRenderedMs = performance.now();
      document.body.dataset.rendered = 'true';
    });
  });
})();
`;
