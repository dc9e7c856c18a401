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
 * and the load-time measurement read; window.tsdenetCharts holds the
 * uPlot instances (the tests read their axis ticks). A failure is shown on the page and
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
  function fmtSecs(v) { return v == null ? '-' : (v < 10 ? v.toFixed(2) : v.toFixed(1)) + ' s'; }
  function fmtPercent(v) { return v == null ? '-' : v.toFixed(1) + ' %'; }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function fmtElapsed(s, precise) {
    if (s == null) return '-';
    if (Math.abs(s) < 60) return (precise ? s.toFixed(s < 10 ? 2 : 1) : String(+s.toFixed(2))) + ' s';
    var w = Math.round(s), h = Math.floor(w / 3600), m = Math.floor((w % 3600) / 60), sec = w % 60;
    return h > 0 ? h + ':' + pad(m) + ':' + pad(sec) : m + ':' + pad(sec);
  }
  function axisValues(fmt) { return function (u, splits) { return splits.map(function (v) { return fmt(v); }); }; }
  // Elapsed-time ticks with as many decimals as the tick step needs: 0.005 s steps read 0.005, 0.010, ..., never 0.01 0.01.
  function elapsedTicks(u, splits, axisIdx, space, incr) {
    var digits = incr >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(incr) - 1e-9));
    return splits.map(function (v) { return incr >= 15 ? fmtElapsed(v, false) : v.toFixed(digits) + ' s'; });
  }
  // A y axis as wide as its longest label (uPlot's fixed width clipped "2,500,000 /s").
  function axisSize(u, values, axisIdx, cycleNum) {
    var axis = u.axes[axisIdx];
    if (cycleNum > 1 && axis._size) return axis._size;
    var size = axis.ticks.size + axis.gap + 8;
    var longest = (values || []).reduce(function (m, v) { return v != null && String(v).length > m.length ? String(v) : m; }, '');
    if (longest) {
      u.ctx.font = axis.font[0];
      size += u.ctx.measureText(longest).width / (window.devicePixelRatio || 1);
    }
    return Math.ceil(size);
  }
  // Legends name the series; values appear while the cursor is over a chart (uPlot's idle legend shows "-" for each).
  function markIdle(u) { u.root.classList.toggle('idle', u.cursor.idx == null); }
  // Tick steps: whole numbers for counts; for bytes powers of two times a power of 1024, so ticks read 512 MiB, 1.00 GiB, 1.50 GiB (never 95.4 MiB, nor 1000 MiB beside 1.46 GiB).
  var COUNT_STEPS = [], BYTE_STEPS = [];
  for (var e = 0; e < 16; e++) [1, 2, 5].forEach(function (m) { COUNT_STEPS.push(m * Math.pow(10, e)); });
  for (var k = 0; k < 6; k++) [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].forEach(function (m) { BYTE_STEPS.push(m * Math.pow(1024, k)); });
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
        { values: elapsedTicks, incrs: TIME_STEPS },
        { values: axisValues(fmt), size: axisSize, incrs: options.steps },
      ],
      hooks: { init: [markIdle], setCursor: [markIdle] },
      series: [{ label: 'elapsed', value: function (u, v) { return v == null ? '' : fmtElapsed(v, true); } }].concat(series.map(function (s) {
        return {
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: s.fill ? alpha(s.color, options.stacked ? 0.85 : 0.15) : undefined,
          spanGaps: false,
          points: { show: false },
          value: function (u, v, si, i) {
            var x = i == null ? null : s.raw ? s.raw[i] : v;
            return x == null ? (i == null ? '' : 'no value') : fmt(x);
          },
        };
      })),
      bands: options.bands,
    };
    var values = [options.t].concat(series.map(function (s) { return s.values; }));
    charts.push({ host: host, plot: new uPlot(opts, values, host) });
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

  /** --offcpu: seconds off CPU so far, sleeping below, runnable stacked on it. */
  function drawOffcpu() {
    var tl = data.timeline;
    if (!tl || !(tl.offcpuSleepingSecs || tl.offcpuRunnableSecs)) return;
    var sleeping = tl.offcpuSleepingSecs || tl.t.map(function () { return null; });
    var runnable = tl.offcpuRunnableSecs || tl.t.map(function () { return null; });
    var both = runnable.map(function (v, j) { return v == null || sleeping[j] == null ? null : v + sleeping[j]; });
    var series = [
      { label: 'sleeping or blocked', values: sleeping, color: '#4e79a7', fill: true },
      { label: 'preempted, runnable', values: both, raw: runnable, color: '#f28e2b', fill: true },
    ];
    timeChart('chart-offcpu', series, fmtSecs, { t: tl.t, stacked: true, bands: [{ series: [2, 1] }], height: 240 });
  }

  /** A "show all N" / "show the top N" button after a table that shows its top rows only. */
  function showAllButton(table, total, shown, noun, onToggle) {
    if (total <= shown) return null;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'show-all';
    var expanded = false;
    function label() { button.textContent = expanded ? 'Show the top ' + fmtCount(shown) + ' only' : 'Show all ' + fmtCount(total) + ' ' + noun; }
    button.addEventListener('click', function () { expanded = !expanded; label(); onToggle(expanded); });
    label();
    table.closest('.table-wrap').after(button);
    return button;
  }

  /** Header buttons that sort: numbers start largest first, text A to Z; a second click reverses. */
  function sortHeader(headRow, onSort) {
    var current = null, descending = false;
    headRow.querySelectorAll('th').forEach(function (th, index) {
      var button = th.querySelector('button');
      var numeric = th.classList.contains('num');
      button.addEventListener('click', function () {
        descending = current === index ? !descending : numeric;
        current = index;
        headRow.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        onSort(index, numeric, descending);
      });
    });
  }

  function compareValues(x, y, numeric) {
    var emptyX = x == null || x === '', emptyY = y == null || y === '';
    if (emptyX || emptyY) return emptyX === emptyY ? 0 : emptyX ? 1 : -1;
    return numeric ? Number(x) - Number(y) : String(x).localeCompare(String(y));
  }

  /** Tables drawn by the page's HTML (per syscall, errno): sorted by each cell's data-v; the top rows shown. */
  function drawSortableTables() {
    document.querySelectorAll('table.sortable').forEach(function (table) {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      // Each row's place in the page's order, the tie-break of every sort.
      var original = new Map(rows.map(function (tr, i) { return [tr, i]; }));
      var shown = Number(table.dataset.shown) || rows.length;
      var expanded = false;
      function show() {
        Array.prototype.forEach.call(body.rows, function (tr, i) { tr.hidden = !expanded && i >= shown; });
      }
      sortHeader(table.tHead.rows[0], function (index, numeric, descending) {
        var sorted = rows.slice().sort(function (a, b) {
          var x = a.cells[index].dataset.v, y = b.cells[index].dataset.v;
          var d = compareValues(x, y, numeric);
          // Rows without a value (not timed) stay last either way: only two values turn round.
          var bothValues = x != null && x !== '' && y != null && y !== '';
          return (descending && bothValues ? -d : d) || original.get(a) - original.get(b);
        });
        body.replaceChildren.apply(body, sorted);
        show();
      });
      showAllButton(table, rows.length, shown, table.dataset.noun || 'rows', function (all) { expanded = all; show(); });
    });
  }

  var PROCESS_ROWS_SHOWN = 25;
  var COLUMNS = [
    { key: 'pid', label: 'PID', num: true },
    { key: 'ppid', label: 'PPID', num: true },
    { key: 'comm', label: 'Name' },
    { key: 'threads', label: 'Threads', num: true },
    { key: 'total', label: 'Syscalls', num: true, fmt: fmtCount },
    { key: 'share', label: 'Share', num: true, fmt: function (v) { return v > 0 && v < 0.0005 ? '< 0.1 %' : (v * 100).toFixed(1) + ' %'; } },
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
    var list = rows, expanded = false;
    var unread = rows.some(function (r) { return r.command == null; });

    function render() {
      var frag = document.createDocumentFragment();
      list.slice(0, expanded ? list.length : PROCESS_ROWS_SHOWN).forEach(function (r) {
        var tr = document.createElement('tr');
        COLUMNS.forEach(function (c) {
          var td = document.createElement('td');
          var v = r[c.key];
          if (c.key === 'command' && v == null) {
            // Ended before its command line was read: its name, in brackets as ps shows such processes.
            td.textContent = r.comm ? '[' + r.comm + ']' : 'not read';
            td.className = 'wrap mono muted';
            td.title = 'ended before tsdenet read its command line';
          } else {
            td.textContent = v == null ? '' : c.fmt ? c.fmt(v) : String(v);
            if (c.num) td.className = 'num';
            if (c.wrap) td.className = 'wrap' + (c.mono ? ' mono' : '');
          }
          tr.appendChild(td);
        });
        frag.appendChild(tr);
      });
      body.replaceChildren(frag);
    }

    COLUMNS.forEach(function (c) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.dataset.key = c.key;
      if (c.num) th.className = 'num';
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = c.label;
      th.appendChild(button);
      headRow.appendChild(th);
    });
    sortHeader(headRow, function (index, numeric, descending) {
      var key = COLUMNS[index].key;
      list = rows.slice().sort(function (a, b) {
        var d = compareValues(a[key], b[key], numeric);
        if ((a[key] == null) !== (b[key] == null)) return d;
        return (descending ? -d : d) || a.pid - b.pid;
      });
      render();
    });
    if (info) {
      info.textContent = fmtCount(rows.length) + ' process' + (rows.length === 1 ? '' : 'es') + '. Click a column to sort.' +
        (unread ? ' [name]: the process ended before its command line was read.' : '');
    }
    showAllButton(table, rows.length, PROCESS_ROWS_SHOWN, 'processes', function (all) { expanded = all; render(); });
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
  step('off-CPU time', drawOffcpu);
  step('syscall tables', drawSortableTables);
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
      window.tsdenetCharts = charts.map(function (c) { return c.plot; });
      document.body.dataset.rendered = 'true';
    });
  });
})();
`;
