// vnetscope report: draws every view from the analysis document embedded in the page.
// Plain ES5-level browser JavaScript, no libraries, so the file works offline in any browser.
(function () {
  'use strict';

  var errorBox = document.getElementById('errors');
  function reportError(message) {
    errorBox.hidden = false;
    var item = document.createElement('li');
    item.textContent = String(message);
    errorBox.appendChild(item);
  }
  // Errors land in the page so that a reader (and the headless test) sees them.
  window.addEventListener('error', function (e) {
    reportError((e.message || 'script error') + (e.lineno ? ' (line ' + e.lineno + ')' : ''));
  });

  // A blocked fetch means the page is not self-contained after all: surface it like an error.
  document.addEventListener('securitypolicyviolation', function (e) {
    reportError('blocked by the content security policy: ' + e.violatedDirective + ' ' + (e.blockedURI || ''));
  });

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var PALETTE = ['#2563eb', '#e4572e', '#17a398', '#f3a712', '#8e44ad', '#29335c', '#d1495b', '#66a182',
    '#00798c', '#edae49', '#6d597a', '#3d5a80', '#b56576', '#4f772d', '#9c6644', '#577590'];
  // VLAN outlines: calm colours, none of them the red that marks drops and removals.
  var VLAN_PALETTE = ['#2563eb', '#17a398', '#f3a712', '#8e44ad', '#00798c', '#6d597a', '#4f772d', '#9c6644'];
  var CHART_WIDTH = 1100;

  // ---------- DOM helpers ----------
  function el(tag, attrs, parent, text) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    if (text !== undefined && text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function sv(tag, attrs, parent, text) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    if (text !== undefined && text !== null) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function setAttrs(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, attrs[k]);
    });
  }
  function svgRoot(parent, width, height, label) {
    return sv('svg', {viewBox: '0 0 ' + width + ' ' + height, width: width, height: height,
      role: 'img', 'aria-label': label, style: 'width:100%;height:auto'}, parent);
  }
  function tooltip(node, text) { sv('title', null, node, text); }

  // ---------- formatting ----------
  function fmtInt(n) {
    if (n === null || n === undefined || isNaN(n)) return '';
    return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  function fmtScaled(n, base, units) {
    if (n === null || n === undefined || isNaN(n)) return '';
    var i = 0, v = Math.abs(n);
    while (v >= base && i < units.length - 1) { v /= base; i++; }
    var digits = i === 0 ? 0 : (v < 10 ? 2 : (v < 100 ? 1 : 0));
    return (n < 0 ? '-' : '') + v.toFixed(digits) + ' ' + units[i];
  }
  function fmtBytes(n) { return fmtScaled(n, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB']); }
  function fmtRate(bitsPerSecond) { return fmtScaled(bitsPerSecond, 1000, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s']); }
  function fmtDuration(ns) {
    if (ns === null || ns === undefined || isNaN(ns)) return '';
    var a = Math.abs(ns);
    if (a < 1e3) return ns.toFixed(0) + ' ns';
    if (a < 1e6) return (ns / 1e3).toFixed(a < 1e4 ? 2 : 1) + ' \u00b5s';
    if (a < 1e9) return (ns / 1e6).toFixed(a < 1e7 ? 2 : 1) + ' ms';
    return (ns / 1e9).toFixed(3) + ' s';
  }
  function fmtPercent(share) { return share === null || isNaN(share) ? '' : (100 * share).toFixed(1) + ' %'; }

  // ---------- tolerant access to the documented JSON shape ----------
  function get(obj, path) {
    var parts = path.split('.'), v = obj;
    for (var i = 0; i < parts.length; i++) {
      if (v === null || v === undefined || typeof v !== 'object') return undefined;
      v = v[parts[i]];
    }
    return v;
  }
  function pick(obj, paths) {
    for (var i = 0; i < paths.length; i++) {
      var v = get(obj, paths[i]);
      if (v !== undefined && v !== null) return v;
    }
    return null;
  }
  function num(obj, paths) {
    var v = pick(obj, paths);
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && v !== '' && !isNaN(+v)) return +v;
    return null;
  }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function text(v) {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'object') return String(v);
    var name = pick(v, ['name', 'interface']);
    if (name !== null) return v.netns !== null && v.netns !== undefined ? name + ' (netns ' + v.netns + ')' : String(name);
    return JSON.stringify(v);
  }

  var doc;
  try {
    doc = JSON.parse(document.getElementById('vnetscope-data').textContent);
  } catch (e) {
    reportError('the embedded analysis document is not valid JSON: ' + e.message);
    doc = {};
  }

  // Several hosts' document: every device is named "host:device" in the views, since two hosts' eth0 are two
  // interfaces; a VM that moved between hosts is drawn as a move from one host's port to the other's.
  var HOSTS = arr(doc.hosts);
  if (HOSTS.length > 1) nameDevicesByHost(doc);
  function nameDevicesByHost(d) {
    function on(host, name) { return name === null || name === undefined || host === undefined ? name : host + ':' + name; }
    arr(d.interfaces).forEach(function (r) { r.name = on(r.host, r.name); });
    ['drops', 'offload'].forEach(function (k) { arr(d[k]).forEach(function (r) { r.interface = on(r.host, r.interface); }); });
    // a hop names its host ({device, host}); documents written before hops did so carry the path's host
    arr(d.paths).forEach(function (p) {
      p.hops = arr(p.hops).map(function (h) { return h !== null && typeof h === 'object' ? on(h.host, h.device) : on(p.host, h); });
      arr(p.hop_latency_ns).forEach(function (e) {
        e.from = on(e.from_host !== undefined ? e.from_host : p.host, e.from);
        e.to = on(e.to_host !== undefined ? e.to_host : p.host, e.to);
      });
      arr(p.drops).forEach(function (e) { if (e.at !== undefined) e.at = on(e.host !== undefined ? e.host : p.host, e.at); });
    });
    var topo = d.topology || {};
    arr(topo.bridges).forEach(function (b) {
      b.name = on(b.host, b.name);
      arr(b.ports).forEach(function (port) { port.name = on(b.host, port.name); });
    });
    arr(topo.changes).forEach(function (c) {
      if (c.kind === 'migrated') { c.from = on(c.from_host, c.from); c.to = on(c.to_host, c.to); return; }
      c.from = on(c.host, c.from); c.to = on(c.host, c.to);
    });
    arr(topo.changes).sort(function (a, b) { return (a.time_ns || 0) - (b.time_ns || 0); });
  }

  var interfaces = arr(doc.interfaces);
  var timeBounds = traceBounds();
  var T0 = timeBounds[0], T1 = timeBounds[1];
  var BIN_NS = binWidth();
  // A bound the tracer did not tell (no timestamps in the packet contexts) is Long.MIN_VALUE in the document: the
  // range is then at an unknown time, told in the banner but not shaded in the plots.
  function knownTime(ns) { return ns === null || ns <= -9e18 ? null : ns; }
  var lostRanges = arr(doc.lost_events).map(function (l) {
    var s = knownTime(num(l, ['begin_ns'])), e = knownTime(num(l, ['end_ns']));
    return {start: s, end: e === null ? s : e, count: num(l, ['count']), where: pick(l, ['stream']), kind: pick(l, ['kind'])};
  });
  var timedLostRanges = lostRanges.filter(function (r) { return r.start !== null; });

  function traceBounds() {
    var lo = num(doc, ['start_ns']), hi = num(doc, ['end_ns']);
    if (lo !== null && hi !== null && hi > lo) return [lo, hi];
    var min = Infinity, max = -Infinity;
    function see(t) { if (t !== null) { if (t < min) min = t; if (t > max) max = t; } }
    interfaces.forEach(function (itf) { arr(itf.timeline).forEach(function (p) { see(pointTime(p)); }); });
    arr(doc.streams).forEach(function (s) { see(num(s, ['start_ns'])); see(num(s, ['end_ns'])); });
    if (min === Infinity) return [0, 1];
    return [min, max > min ? max : min + 1];
  }
  function binWidth() {
    return num(doc, ['bin_ns']) || (T1 - T0) / 100 || 1;
  }
  function pointTime(p) { return num(p, ['start_ns']); }
  function relSeconds(ns) { return (ns - T0) / 1e9; }
  function fmtAt(ns) { return ns === null ? '' : relSeconds(ns).toFixed(3) + ' s'; }
  // As the analysis names interfaces in drops[] and offload[]: equal names are told apart by their veth peer.
  function ifaceLabel(itf) {
    var label = itf.peer ? itf.name + '<->' + itf.peer : String(itf.name);
    // pairs with the same names in several namespaces (a user-space relay per VM) are told apart by namespace
    return sharedLabel(interfaces, label) && itf.netns !== null && itf.netns !== undefined ? label + ' ' + itf.netns : label;
  }
  function sharedLabel(rows, label) {
    var namespaces = {};
    rows.forEach(function (r) {
      var l = r.interface !== undefined ? String(r.interface) : r.peer ? r.name + '<->' + r.peer : String(r.name);
      if (l === label) namespaces[String(r.netns)] = true;
    });
    return Object.keys(namespaces).length > 1;
  }

  // ---------- views and their missing-event notes ----------
  var VIEWS = [
    {id: 'bandwidth', title: 'Bandwidth over time', key: 'interfaces', what: 'per-interface traffic',
      events: ['net_dev_xmit', 'net_dev_queue', 'net_if_receive_skb', 'netif_receive_skb', 'net_if_rx', 'netif_rx'],
      command: "lttng enable-event -k 'net_*' ; lttng enable-event -k 'netif_*'", draw: drawBandwidth},
    {id: 'drops', title: 'Drops', key: 'drops', what: 'drops (skb_kfree)',
      events: ['skb_kfree', 'kfree_skb'], command: "lttng enable-event -k 'skb_*'", draw: drawDrops},
    {id: 'offload', title: 'Offload share', key: 'offload', what: 'GRO/GSO figures',
      events: ['net_napi_gro_receive_entry', 'net_napi_gro_frags_entry', 'net_dev_queue'],
      command: "lttng enable-event -k 'napi_*' ; lttng enable-event -k 'net_*'", draw: drawOffload},
    {id: 'topology', title: 'Topology', key: 'topology', what: 'bridges and ports (bridge FDB events also need a bridge probe added to lttng-modules)',
      events: ['lttng_statedump_network_interface', 'br_fdb_update', 'br_fdb_add', 'br_fdb_external_learn_add', 'fdb_delete'],
      command: "lttng enable-event -k 'lttng_statedump_*' ; lttng enable-event -k br_fdb_update,br_fdb_add,br_fdb_external_learn_add,fdb_delete",
      draw: drawTopology},
    {id: 'paths', title: 'Packet paths between VMs', key: 'paths', what: 'packet paths',
      events: ['skb_consume', 'consume_skb', 'skb_kfree', 'net_dev_xmit', 'net_if_receive_skb'],
      command: "lttng enable-event -k 'skb_*' ; lttng enable-event -k 'net_*'", draw: drawPaths},
    {id: 'streams', title: 'Streams', key: 'streams', what: 'streams (network headers)',
      events: ['net_dev_queue', 'net_if_receive_skb', 'net_if_rx'], command: "lttng enable-event -k 'net_*'", draw: drawStreams},
    {id: 'vm-matrix', title: 'VM traffic matrix', key: 'vm_matrix', what: 'traffic between VMs',
      events: ['net_dev_xmit', 'net_if_receive_skb'], command: "lttng enable-event -k 'net_*'", draw: drawVmMatrix},
    {id: 'datapath', title: 'Open vSwitch datapath', key: 'datapaths', what: 'Open vSwitch datapath figures (they need a datapath probe added to lttng-modules)',
      events: ['ovs_dp_upcall', 'ovs_do_execute_action'], command: 'lttng enable-event -k ovs_dp_upcall,ovs_do_execute_action',
      draw: drawDatapaths},
    {id: 'interfaces', title: 'Interfaces', key: 'interfaces', what: 'per-interface totals',
      events: ['net_dev_xmit', 'net_if_receive_skb', 'net_if_rx'],
      command: "lttng enable-event -k 'net_*' ; lttng enable-event -k 'netif_*'", draw: drawInterfaceTable}
  ];

  if (HOSTS.length > 1) {
    VIEWS.unshift({id: 'hosts', title: 'Hosts and their clocks', key: 'hosts', what: 'hosts', events: [], command: null,
      draw: drawHosts});
  }

  // The placement `vnetscope report --hosts` (or a saved `placement --format json`) adds; absent, the page is as before.
  var placement = doc.placement !== null && typeof doc.placement === 'object' && !Array.isArray(doc.placement) ? doc.placement : null;
  // A document that is a placement alone (`vnetscope report placement.json`) has no trace whose views could be drawn.
  var placementOnly = placement !== null && doc.interfaces === undefined && doc.start_ns === undefined;
  if (placement) {
    var placementView = {id: 'placement', title: 'VM placement', key: 'placement', what: 'VM placement', events: [],
      command: null, draw: drawPlacement};
    if (placementOnly) VIEWS = [placementView];
    else VIEWS.splice(VIEWS.map(function (v) { return v.id; }).indexOf('vm-matrix') + 1, 0, placementView);
  }

  // Notes the analysis wrote itself (missing events, caveats), matched to the views they concern.
  // Over many hosts the same note comes once per host ("host: ..."): one line says it for all of them.
  function groupedByHost(notes) {
    // maps without a prototype: a host or a note may be called anything ('constructor', '__proto__')
    var names = Object.create(null), byText = Object.create(null), order = [];
    HOSTS.forEach(function (h) { names[String(h.name)] = true; });
    notes.forEach(function (n) {
      var note = String(n), colon = note.indexOf(': ');
      var host = colon > 0 && names[note.slice(0, colon)] === true ? note.slice(0, colon) : null;
      var text = host === null ? note : note.slice(colon + 2);
      if (!(text in byText)) { byText[text] = []; order.push(text); }
      byText[text].push(host);
    });
    return order.map(function (text) {
      var hosts = byText[text];
      if (hosts.length === 1) return hosts[0] === null ? text : hosts[0] + ': ' + text;
      if (hosts.indexOf(null) >= 0) return text;
      var shown = hosts.slice(0, 5).join(', ') + (hosts.length > 5 ? ' and ' + (hosts.length - 5) + ' more' : '');
      return (hosts.length === HOSTS.length ? 'every host (' + hosts.length + ')' : hosts.length + ' hosts (' + shown + ')') +
        ': ' + text;
    });
  }
  var docNotes = (HOSTS.length > 1 ? groupedByHost(arr(doc.notes)) : arr(doc.notes)).map(function (n) {
    var note = String(n), quoted = /`([^`]+)`/.exec(note);
    var command = quoted && /^lttng /.test(quoted[1]) ? quoted[1] : null;
    var message = command ? note.replace(quoted[0], '').replace(/[\s:]+$/, '') : note;
    return {message: message, command: command, events: eventsNamedIn(note), views: []};
  });
  function eventsNamedIn(message) {
    return message.match(/\b(net|netif|napi|skb|lttng_statedump|br_fdb|fdb|kfree|consume)_[a-z_]+\*?/g) || [];
  }
  function notesFor(view) {
    return docNotes.filter(function (n) {
      var byView = n.views.some(function (v) {
        var s = String(v).toLowerCase().replace(/_/g, '-');
        return s === view.id || s === view.key.replace(/_/g, '-');
      });
      var byEvent = n.events.some(function (e) {
        return view.events.some(function (want) { return eventMatches(String(e), want); });
      });
      if (byView || byEvent) n.placed = true;
      return byView || byEvent;
    });
  }
  // Notes that concern no single view (or the whole trace) go under the banner.
  function buildGeneralNotes() {
    var rest = docNotes.filter(function (n) { return !n.placed; });
    if (!rest.length) return;
    var box = el('div', {'class': 'banner notes', id: 'analysis-notes'}, document.getElementById('banner'));
    el('strong', null, box, 'Notes from the analysis');
    var list = el('ul', null, box);
    rest.forEach(function (n) {
      var item = el('li', null, list, n.message);
      if (n.command) { item.appendChild(document.createTextNode(' ')); el('code', null, item, n.command); }
    });
  }
  function eventMatches(pattern, name) {
    if (pattern.slice(-1) === '*') return name.indexOf(pattern.slice(0, -1)) === 0;
    return pattern === name;
  }
  function addNote(section, message, command) {
    var note = el('div', {'class': 'note', 'data-note': 'missing-events'}, section);
    var sentence = /[.!?]$/.test(message) ? message : message + '.';
    el('span', null, note, sentence + (command ? ' Record them with ' : ''));
    if (command) { el('code', null, note, command); el('span', null, note, '.'); }
  }

  function buildSummary() {
    var parts = [];
    if (placementOnly) {
      var vmCount = arr(placement.placement).length, hostCount = arr(placement.hosts).length;
      parts.push('placement of ' + vmCount + ' VM' + (vmCount === 1 ? '' : 's') + ' on ' + hostCount + ' host' + (hostCount === 1 ? '' : 's'));
      if (num(placement, ['window_ns'])) parts.push('traffic measured over ' + fmtDuration(num(placement, ['window_ns'])));
      document.getElementById('summary').textContent = parts.join(' \u00b7 ');
      return;
    }
    var name = pick(doc, ['trace.name', 'trace.path', 'trace']);
    // a cluster's traces are listed in the hosts' table: a long list of them would fill the page's head
    if (HOSTS.length > 3) parts.push(HOSTS.length + " hosts' traces");
    else if (name && typeof name !== 'object') parts.push(String(name));
    parts.push('span ' + fmtDuration(T1 - T0));
    parts.push(interfaces.length + ' interfaces');
    if (doc.streams) parts.push(arr(doc.streams).length + ' streams');
    var dropped = arr(doc.drops).reduce(function (s, d) { return s + (num(d, ['packets', 'count']) || 0); }, 0);
    if (doc.drops) parts.push(fmtInt(dropped) + ' dropped packets');
    document.getElementById('summary').textContent = parts.join(' \u00b7 ');
  }

  function buildBanner() {
    if (!lostRanges.length) return;
    var total = lostRanges.reduce(function (s, r) { return s + (r.count || 0); }, 0);
    var banner = el('div', {'class': 'banner', id: 'lost-events-banner', role: 'alert'}, document.getElementById('banner'));
    el('strong', null, banner, 'The tracer lost ' + (total ? fmtInt(total) + ' ' : '') + 'events');
    function describe(r) {
      return (r.start === null ? 'at an unknown time' : fmtAt(r.start) + ' \u2013 ' + fmtAt(r.end)) + (r.count ? ' (' + fmtInt(r.count) + ')' : '') + (r.where !== null ? ' in ' + r.where : '') + (r.kind ? ' [' + r.kind + ']' : '');
    }
    var many = lostRanges.length > 5;
    if (many) {
      // Per stream rather than a wall of ranges: the full list is one click away.
      var perStream = {};
      lostRanges.forEach(function (r) {
        var key = r.where === null ? 'the trace' : r.where;
        var entry = perStream[key] || (perStream[key] = {count: 0, ranges: 0, start: null, end: null});
        entry.count += r.count || 0; entry.ranges++;
        if (r.start !== null) {
          entry.start = entry.start === null ? r.start : Math.min(entry.start, r.start);
          entry.end = entry.end === null ? r.end : Math.max(entry.end, r.end);
        }
      });
      el('span', null, banner, ' in ' + lostRanges.length + ' time ranges: ' + Object.keys(perStream).sort().map(function (k) {
        var e = perStream[k];
        return fmtInt(e.count) + ' in ' + e.ranges + ' ranges of ' + k + (e.start === null ? ' at unknown times'
          : ' between ' + fmtAt(e.start) + ' and ' + fmtAt(e.end));
      }).join('; ') + '. ');
    } else {
      el('span', null, banner, ' in ' + lostRanges.length + ' time range' + (lostRanges.length > 1 ? 's' : '') + ': ' +
        lostRanges.map(describe).join('; ') + '. ');
    }
    el('span', null, banner, 'Every figure covering these ranges may be short (shaded in the plots). Larger sub-buffers help: ');
    el('code', null, banner, 'vnetscope record --subbuf-size 1M --num-subbuf 16');
    if (many) {
      var details = el('details', null, banner);
      el('summary', null, details, 'all ' + lostRanges.length + ' ranges');
      var list = el('ol', {'class': 'lost-ranges'}, details);
      lostRanges.forEach(function (r) { el('li', null, list, describe(r)); });
    }
  }

  // ---------- charts ----------
  function niceStep(range, count) {
    var raw = range / Math.max(1, count), p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var r = raw / p;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * p;
  }

  // A time chart over the whole trace: step lines or stacked bars, lost ranges shaded, topology changes marked.
  function timeChart(parent, opts) {
    var W = CHART_WIDTH, H = opts.height || 300, L = 78, R = 16, T = 16, B = 34;
    var svg = svgRoot(parent, W, H, opts.label);
    var plotW = W - L - R, plotH = H - T - B, span = T1 - T0;
    function x(ns) { return L + plotW * (ns - T0) / span; }
    var max = opts.maxValue || 0;
    if (!max) max = 1;
    var yStep = niceStep(max, 5), yMax = Math.ceil(max / yStep) * yStep;
    function y(v) { return T + plotH - plotH * v / yMax; }
    var axis = sv('g', {'class': 'axis'}, svg);
    for (var v = 0; v <= yMax + yStep / 2; v += yStep) {
      sv('line', {x1: L, x2: W - R, y1: y(v), y2: y(v), 'class': 'grid'}, axis);
      sv('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'class': 'tick'}, axis, opts.yFormat(v));
    }
    var tStep = niceStep(span / 1e9, 10);
    for (var t = 0; t <= span / 1e9 + 1e-9; t += tStep) {
      var tx = x(T0 + t * 1e9);
      sv('line', {x1: tx, x2: tx, y1: T + plotH, y2: T + plotH + 4}, axis);
      sv('text', {x: tx, y: T + plotH + 17, 'text-anchor': 'middle', 'class': 'tick'}, axis, +t.toFixed(6) + ' s');
    }
    sv('path', {d: 'M' + L + ' ' + T + 'V' + (T + plotH) + 'H' + (W - R), fill: 'none'}, axis);
    timedLostRanges.forEach(function (r) {
      var rect = sv('rect', {x: x(r.start), y: T, width: Math.max(4, x(r.end) - x(r.start)), height: plotH, 'class': 'lost'}, svg);
      tooltip(rect, 'events lost ' + fmtAt(r.start) + ' \u2013 ' + fmtAt(r.end));
    });
    var markLabels = new LabelRows(1, L, W - R);
    topologyChanges().forEach(function (c) {
      if (c.time === null || !isMarked(c)) return;
      var cx = x(c.time);
      sv('line', {x1: cx, x2: cx, y1: T, y2: T + plotH, 'class': 'change-mark'}, svg);
      var spot = markLabels.place(cx - 3, c.kind, 10);
      if (!spot) return;
      var label = sv('text', {x: spot.x, y: T + 10 + spot.row * 11, 'text-anchor': spot.anchor, 'class': 'change-label'}, svg, c.kind);
      tooltip(label, changeText(c) + ' at ' + fmtAt(c.time));
    });
    var plot = sv('g', {'class': 'plot'}, svg);
    if (opts.bars) {
      var base = {};
      opts.series.forEach(function (s) {
        s.points.forEach(function (p) {
          if (!p[1]) return;
          var b0 = base[p[0]] || 0;
          var rect = sv('rect', {x: x(p[0]), y: y(b0 + p[1]), width: Math.max(1.5, x(p[0] + BIN_NS) - x(p[0]) - 1),
            height: y(b0) - y(b0 + p[1]), fill: s.color}, plot);
          tooltip(rect, s.label + ': ' + opts.valueFormat(p[1]) + ' at ' + fmtAt(p[0]));
          base[p[0]] = b0 + p[1];
        });
      });
    } else {
      opts.series.forEach(function (s) {
        if (!s.points.length) return;
        var d = '';
        s.points.forEach(function (p, i) {
          var x0 = x(p[0]), x1 = x(Math.min(T1, p[0] + BIN_NS)), yy = y(p[1]);
          d += (i ? 'L' : 'M') + x0.toFixed(1) + ' ' + yy.toFixed(1) + 'H' + x1.toFixed(1);
        });
        var line = sv('path', {d: d, fill: 'none', stroke: s.color, 'stroke-width': 1.6,
          'stroke-dasharray': s.dashed ? '5 3' : null, 'data-series': s.label}, plot);
        tooltip(line, s.label);
      });
    }
    return svg;
  }

  var interfaceColors = {};
  interfaces.forEach(function (itf, i) { interfaceColors[ifaceLabel(itf)] = PALETTE[i % PALETTE.length]; });

  function drawBandwidth(section) {
    var withTimeline = interfaces.filter(function (itf) { return arr(itf.timeline).length; });
    if (!withTimeline.length) { el('p', {'class': 'empty'}, section, 'No per-interface time series in this document.'); return; }
    el('p', {'class': 'hint'}, section, 'Bits per second in bins of ' + fmtDuration(BIN_NS) +
      '. Solid: received (Rx), dashed: transmitted (Tx). Shaded: events lost; purple marks: topology changes.');
    var controls = el('div', {'class': 'controls'}, section);
    var direction = el('select', {'aria-label': 'direction'}, controls);
    [['both', 'Rx and Tx'], ['rx', 'Rx only'], ['tx', 'Tx only']].forEach(function (o) { el('option', {value: o[0]}, direction, o[1]); });
    var ranked = withTimeline.slice().sort(function (a, b) { return totalBytes(b) - totalBytes(a); });
    var chosen = {};
    ranked.forEach(function (itf, i) { chosen[ifaceLabel(itf)] = i < 6 && totalBytes(itf) > 0; });
    ranked.forEach(function (itf) {
      var label = ifaceLabel(itf);
      var lab = el('label', null, controls);
      var box = el('input', {type: 'checkbox', 'data-interface': label}, lab);
      box.checked = chosen[label];
      box.addEventListener('change', function () { chosen[label] = box.checked; redraw(); });
      el('span', {'class': 'swatch', style: 'background:' + interfaceColors[label]}, lab);
      lab.appendChild(document.createTextNode(label));
    });
    direction.addEventListener('change', redraw);
    var holder = el('div', {'class': 'chart'}, section);
    function redraw() {
      holder.textContent = '';
      var series = [], max = 0, dir = direction.value, seconds = BIN_NS / 1e9;
      ranked.forEach(function (itf) {
        var label = ifaceLabel(itf);
        if (!chosen[label]) return;
        ['rx', 'tx'].forEach(function (d) {
          if (dir !== 'both' && dir !== d) return;
          var points = arr(itf.timeline).map(function (p) {
            var v = (num(p, [d + '_bytes', d + '.bytes']) || 0) * 8 / seconds;
            if (v > max) max = v;
            return [pointTime(p), v];
          });
          series.push({label: label + ' ' + d.toUpperCase(), color: interfaceColors[label], dashed: d === 'tx', points: points});
        });
      });
      timeChart(holder, {label: 'bandwidth per interface', series: series, maxValue: max, yFormat: fmtRate, height: 320});
    }
    redraw();
  }
  function totalBytes(itf) { return (num(itf, ['rx.bytes']) || 0) + (num(itf, ['tx.bytes']) || 0); }

  function drawDrops(section) {
    var drops = arr(doc.drops);
    var total = drops.reduce(function (s, d) { return s + (num(d, ['packets', 'count']) || 0); }, 0);
    el('p', {'class': 'hint'}, section, fmtInt(total) + ' packets freed as dropped (skb_kfree), by interface where the skb was last seen. ' +
      'Drops in the NIC ring never reach a tracepoint and are not counted.');
    var series = [], max = 0, perBin = {};
    interfaces.forEach(function (itf) {
      var points = arr(itf.timeline).map(function (p) { return [pointTime(p), num(p, ['drop_packets']) || 0]; })
        .filter(function (p) { return p[1] > 0; });
      if (!points.length) return;
      points.forEach(function (p) { perBin[p[0]] = (perBin[p[0]] || 0) + p[1]; if (perBin[p[0]] > max) max = perBin[p[0]]; });
      series.push({label: ifaceLabel(itf), color: interfaceColors[ifaceLabel(itf)], points: points});
    });
    var left = el('div', null, section), right = el('div', null, section);
    if (series.length) {
      var legend = el('div', {'class': 'controls'}, left);
      series.forEach(function (s) {
        var item = el('span', null, legend);
        el('span', {'class': 'swatch', style: 'background:' + s.color + ';height:10px'}, item);
        item.appendChild(document.createTextNode(s.label));
      });
      timeChart(left, {label: 'drops over time', series: series, bars: true, maxValue: max, height: 240,
        yFormat: function (v) { return fmtInt(v) + ' pkt'; }, valueFormat: function (v) { return fmtInt(v) + ' packets'; }});
    } else {
      el('p', {'class': 'empty'}, left, total ? 'The document has no drops per time bin.' : 'No drops in this trace.');
    }
    // Without --kallsyms the location is the address itself: one column is enough.
    var sameAddress = drops.every(function (d) { return d.address === undefined || d.address === d.location; });
    var rows = drops.map(function (d) { return d.interface === null ? Object.assign({}, d, {interface: '(no interface)'}) : d; });
    makeTable(right, {id: 'drops', rows: rows, sort: {key: 'packets', desc: true}, filter: 'filter drops (interface, reason, location)',
      columns: orderedColumns(drops, ['interface', 'reason', 'location', 'packets', 'ethertype']).filter(function (c) {
        return !(sameAddress && c.key === 'address');
      }).map(function (c) {
        if (c.key === 'ethertype') c.fmt = function (v) { return '0x' + ('000' + v.toString(16)).slice(-4); };
        return c;
      })});
  }

  function drawOffload(section) {
    var rows = arr(doc.offload).filter(function (o) { return num(o, ['queued_packets']) || num(o, ['received']) || num(o, ['gro_entered']); });
    if (!rows.length) { el('p', {'class': 'empty'}, section, 'No interface queued or received packets in this trace.'); return; }
    el('p', {'class': 'hint'}, section, 'GSO/TSO: share of the queued bytes that left as super-packets larger than the MTU (' +
      (num(rows[0], ['mtu']) || '?') + ' B + Ethernet header); the stack splits them late or the NIC does. ' +
      'GRO: packets that entered GRO per skb the interface delivered (above 1 means GRO merged packets).');
    rows.sort(function (a, b) { return (num(b, ['queued_bytes']) || 0) - (num(a, ['queued_bytes']) || 0); });
    var rowH = 26, W = CHART_WIDTH, L = 190, barW = (W - L - 40) / 2 - 150, groX = L + barW + 190;
    var maxGro = rows.reduce(function (m, o) {
      var r = num(o, ['received']) ? num(o, ['gro_entered']) / num(o, ['received']) : 0;
      return Math.max(m, r);
    }, 1);
    var svg = svgRoot(section, W, rows.length * rowH + 30, 'offload share per interface');
    sv('text', {x: L, y: 14, 'font-weight': 'bold'}, svg, 'GSO/TSO share of queued bytes');
    sv('text', {x: groX, y: 14, 'font-weight': 'bold'}, svg, 'GRO: packets in per skb delivered');
    rows.forEach(function (o, i) {
      var y0 = 24 + i * rowH, label = String(o.interface);
      if (sharedLabel(rows, label) && o.netns !== null && o.netns !== undefined) label += ' ' + o.netns;
      var share = num(o, ['gso_byte_share']), entered = num(o, ['gro_entered']) || 0, received = num(o, ['received']) || 0;
      sv('text', {x: L - 8, y: y0 + 15, 'text-anchor': 'end'}, svg, label);
      sv('rect', {x: L, y: y0 + 3, width: barW, height: 16, fill: '#eef1f6'}, svg);
      var bar = sv('rect', {x: L, y: y0 + 3, width: Math.max(share ? 1 : 0, barW * (share || 0)), height: 16, fill: '#2563eb'}, svg);
      tooltip(bar, label + ': ' + fmtBytes(num(o, ['gso_bytes'])) + ' of ' + fmtBytes(num(o, ['queued_bytes'])) + ' in ' +
        fmtInt(num(o, ['gso_packets'])) + ' super-packets');
      sv('text', {x: L + barW + 6, y: y0 + 15, 'class': 'tick'}, svg, fmtPercent(share || 0) + ' of ' + fmtBytes(num(o, ['queued_bytes'])));
      sv('rect', {x: groX, y: y0 + 3, width: barW, height: 16, fill: '#eef1f6'}, svg);
      if (!entered) { sv('text', {x: groX + 6, y: y0 + 15, 'class': 'tick'}, svg, 'no GRO entry seen'); return; }
      var ratio = received ? entered / received : 0;
      var groBar = sv('rect', {x: groX, y: y0 + 3, width: Math.max(1, barW * ratio / maxGro), height: 16, fill: '#17a398'}, svg);
      tooltip(groBar, label + ': ' + fmtInt(entered) + ' packets entered GRO, ' + fmtInt(received) + ' skbs delivered');
      sv('text', {x: groX + barW + 6, y: y0 + 15, 'class': 'tick'}, svg, ratio.toFixed(2) + ' (' + fmtInt(entered) + ' in)');
    });
  }

  // ---------- topology ----------
  var changesCache = null;
  function topologyChanges() {
    if (changesCache) return changesCache;
    changesCache = arr(get(doc, 'topology.changes')).map(function (c) {
      return {time: num(c, ['time_ns']), kind: String(c.kind || 'change'), mac: c.mac || null, ip: c.ip || null,
        from: c.from || '', to: c.to || '', left: num(c, ['left_ns']), vm: c.vm || null,
        downtime: num(c, ['downtime_ns'])};
    });
    return changesCache;
  }
  // Moves (a MAC or an address on another port: a migration) and port removals change the picture;
  // MAC learning and ageing happen all the time and are only listed.
  function isMarked(c) { return c.kind === 'move' || c.kind === 'removal' || c.kind === 'migrated'; }
  function changeText(c) {
    var what = c.mac || c.ip || '';
    if (c.kind === 'migrated') return 'VM ' + (c.vm || what) + ' migrated from ' + c.from + ' to ' + c.to +
      (c.downtime !== null ? ' (downtime ' + fmtDuration(c.downtime) + ')' : '');
    if (c.kind === 'move') return 'move ' + what + ' from ' + c.from + ' to ' + c.to;
    if (c.kind === 'removal') return 'port ' + c.from + ' removed';
    if (c.kind === 'added') return 'learned ' + what + ' on ' + c.to;
    if (c.kind === 'deleted') return 'forgot ' + what + ' on ' + c.from;
    return c.kind + ' ' + what + (c.from ? ' from ' + c.from : '') + (c.to ? ' to ' + c.to : '');
  }
  function isHeld(v) { return v.until_ns === null || v.until_ns === undefined; }
  function portVlans(port) {
    var vlans = [];
    function add(v) { if (v !== null && v !== undefined && vlans.indexOf(v) < 0) vlans.push(v); }
    arr(port.macs).forEach(function (m) { add(m.vlan); });
    arr(port.vlans).forEach(add);
    arr(port.vlan_membership).filter(isHeld).forEach(function (v) { add(v.vid); });
    return vlans;
  }
  // VLANs of a port that only an inference gives (no FDB event on it carried them).
  function inferredVlans(port) {
    var seen = [];
    arr(port.macs).forEach(function (m) { seen.push(m.vlan); });
    arr(port.vlans).forEach(function (v) { seen.push(v); });
    return arr(port.vlan_membership).filter(function (v) { return isHeld(v) && v.source !== 'fdb' && seen.indexOf(v.vid) < 0; })
      .map(function (v) { return v.vid; });
  }
  // A VLAN of a port or bridge with how it is known: seen in a forwarding-database event, inferred, or assumed.
  function vlanText(v) {
    var flags = (v.pvid ? ' PVID' : '') + (v.untagged ? ' untagged' : '');
    var how = v.source === 'fdb' ? (v.flags_source ? 'seen in FDB events, flags inferred' : 'seen in FDB events')
      : v.source === 'kernel_default' ? 'assumed: the kernel\'s default PVID, no event carried a VLAN id'
      : 'inferred: the bridge\'s default PVID';
    return 'VLAN ' + v.vid + flags + ' (' + how + ')' + (isHeld(v) ? '' : ' until ' + fmtAt(num(v, ['until_ns'])));
  }
  var vlanColors = {};
  function vlanColor(v) {
    if (v === null || v === undefined) return '#6b7280';
    if (!vlanColors[v]) vlanColors[v] = VLAN_PALETTE[Object.keys(vlanColors).length % VLAN_PALETTE.length];
    return vlanColors[v];
  }
  // What sits behind a port: the VM when the analysis could name it, else the peer device and its namespace.
  function behindPort(port) {
    var peer = port.peer || null, ipv4 = arr(port.ipv4);
    var title = port.vm || ipv4[0] || (peer ? peer.name : '');
    var detail = peer ? peer.name + (peer.netns !== null && peer.netns !== undefined ? ' \u00b7 ns ' + peer.netns : '') : '';
    if (port.vm && ipv4.length) detail = ipv4[0];
    return {title: String(title || ''), detail: detail};
  }

  function drawTopology(section) {
    var bridges = arr(get(doc, 'topology.bridges'));
    var changes = topologyChanges();
    if (!bridges.length) { el('p', {'class': 'empty'}, section, 'No bridge was found in this trace.'); return; }
    el('p', {'class': 'hint'}, section, 'Bridges, their ports and what sits behind each port (VM, or the peer device and its namespace). ' +
      'Port outline colour: VLAN (badge: VLAN id, hollow when inferred rather than seen in an FDB event); dashed: port removed during the trace; purple arrows: a MAC or an address that moved to another port (a migration).');
    var W = CHART_WIDTH, portW = 124, gapX = 12, left = 58;
    var perRow = Math.max(1, Math.floor((W - left - 10) / (portW + gapX)));
    var rowH = 138, layout = {}, y = 10, blocks = [], hostFrames = [];
    bridges.forEach(function (b) {
      // several hosts: each host's bridges in a frame of their own, headed by the host's name
      if (b.host !== undefined && (!hostFrames.length || hostFrames[hostFrames.length - 1].host !== b.host)) {
        if (hostFrames.length) { hostFrames[hostFrames.length - 1].bottom = y; y += 14; }
        hostFrames.push({host: b.host, top: y});
        y += 26;
      }
      var ports = arr(b.ports);
      var rows = Math.max(1, Math.ceil(ports.length / perRow));
      blocks.push({bridge: b, ports: ports, y: y, rows: rows});
      y += 44 + rows * rowH + 10;
    });
    if (hostFrames.length) hostFrames[hostFrames.length - 1].bottom = y;
    var changeStripH = changes.length ? 74 : 0;
    var H = y + changeStripH + 36;
    var svg = svgRoot(section, W, H, 'topology diagram');
    var defs = sv('defs', null, svg);
    var marker = sv('marker', {id: 'arrow-move', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'}, defs);
    sv('path', {d: 'M0 0L10 5L0 10z', fill: '#8e44ad'}, marker);
    hostFrames.forEach(function (frame) {
      sv('rect', {x: 4, y: frame.top, width: W - 8, height: frame.bottom - frame.top, rx: 8, fill: '#f8fafc',
        stroke: '#9aa3b2', 'stroke-dasharray': '6 4', 'class': 'host-frame'}, svg);
      sv('text', {x: 14, y: frame.top + 18, 'font-weight': 'bold', 'font-size': 13}, svg, 'host ' + frame.host);
    });
    blocks.forEach(function (blk) {
      var b = blk.bridge, top = blk.y;
      var head = sv('g', {'class': 'bridge'}, svg);
      var title = 'bridge ' + b.name + (arr(b.ipv4).length ? '  ' + arr(b.ipv4).join(', ') : '');
      sv('rect', {x: 10, y: top, width: Math.max(200, 24 + title.length * 8.6), height: 30, rx: 5, fill: '#1d2330'}, head);
      sv('text', {x: 20, y: top + 20, style: 'fill:#fff', 'font-weight': 'bold'}, head, title);
      var bridgeInfo = [title];
      if (b.vlan_filtering !== null && b.vlan_filtering !== undefined) bridgeInfo.push('VLAN filtering ' + (b.vlan_filtering ? 'on' : 'off'));
      arr(b.vlan_membership).forEach(function (v) { bridgeInfo.push(vlanText(v)); });
      var groups = arr(b.forwarding_groups);
      if (groups.length > 1) bridgeInfo.push('forwarding groups (inferred, no frame crossed between them): ' +
        groups.map(function (g) { return arr(g).join(' '); }).join(' | '));
      tooltip(head, bridgeInfo.join('\n'));
      var trunkBottom = top + 30 + (blk.rows - 1) * rowH + 24;
      sv('line', {x1: 34, x2: 34, y1: top + 30, y2: trunkBottom, stroke: '#1d2330', 'stroke-width': 3}, svg);
      blk.ports.forEach(function (port, i) {
        var row = Math.floor(i / perRow), col = i % perRow;
        var busY = top + 54 + row * rowH, px = left + col * (portW + gapX), cx = px + portW / 2;
        if (col === 0) {
          var lastCol = Math.min(perRow, blk.ports.length - row * perRow) - 1;
          sv('line', {x1: 34, x2: left + lastCol * (portW + gapX) + portW / 2, y1: busY, y2: busY, stroke: '#1d2330', 'stroke-width': 3}, svg);
        }
        var vlans = portVlans(port), gone = num(port, ['removed_ns']), removed = gone !== null;
        var g = sv('g', {'class': 'port', 'data-port': port.name}, svg);
        sv('line', {x1: cx, x2: cx, y1: busY, y2: busY + 14, stroke: '#1d2330', 'stroke-width': 2}, g);
        sv('rect', {x: px, y: busY + 14, width: portW, height: 40, rx: 4, fill: removed ? '#f3f4f6' : '#fff',
          stroke: vlanColor(vlans[0]), 'stroke-width': 2.5, 'stroke-dasharray': removed ? '5 3' : null}, g);
        sv('text', {x: px + 6, y: busY + 30, 'font-weight': 'bold', 'font-size': 12}, g, shownName(port.name, b.host) + (port.kind ? ' (' + port.kind + ')' : ''));
        var macs = arr(port.macs).map(function (m) { return m.mac; }).filter(Boolean);
        sv('text', {x: px + 6, y: busY + 46, 'font-size': 10, 'class': 'tick'}, g,
          removed ? 'removed at ' + relSeconds(gone).toFixed(2) + ' s' : macs.length ? macs[0] + (macs.length > 1 ? ' +' + (macs.length - 1) : '') : 'no MAC learned');
        var inferred = inferredVlans(port);
        vlans.forEach(function (v, k) {
          // a hollow badge: a VLAN inferred, not seen in an FDB event
          var hollow = inferred.indexOf(v) >= 0;
          sv('rect', {x: px + portW - 30, y: busY + 18 + k * 11, width: 26, height: 10, rx: 2,
            fill: hollow ? '#fff' : vlanColor(v), stroke: vlanColor(v), 'class': hollow ? 'vlan-inferred' : 'vlan-seen'}, g);
          sv('text', {x: px + portW - 17, y: busY + 26 + k * 11, 'font-size': 8, 'text-anchor': 'middle',
            style: 'fill:' + (hollow ? vlanColor(v) : '#fff')}, g, String(v));
        });
        var info = [port.name + ' on ' + b.name];
        arr(port.macs).forEach(function (m) { info.push(m.mac + (m.vlan !== null && m.vlan !== undefined ? ' vlan ' + m.vlan : '')); });
        arr(port.vlan_membership).forEach(function (v) { info.push(vlanText(v)); });
        if (arr(port.ipv4).length) info.push('IPv4 ' + arr(port.ipv4).join(', '));
        if (removed) info.push('removed at ' + fmtAt(gone));
        tooltip(g, info.join('\n'));
        var behind = behindPort(port);
        if (behind.title) {
          sv('line', {x1: cx, x2: cx, y1: busY + 54, y2: busY + 70, stroke: '#9aa3b2', 'stroke-width': 2}, g);
          sv('rect', {x: px - 2, y: busY + 70, width: portW + 4, height: 40, rx: 12, fill: removed ? '#f3f4f6' : '#e8f0fe', stroke: '#93b4f5'}, g);
          sv('text', {x: cx, y: busY + 87, 'text-anchor': 'middle', 'font-weight': 'bold', 'font-size': 12}, g, shorten(behind.title, portW - 12));
          sv('text', {x: cx, y: busY + 102, 'text-anchor': 'middle', 'font-size': 9, 'class': 'tick'}, g, shorten(behind.detail, portW * 1.35));
        }
        // Move arrows meet the VM box right of centre, clear of the removal label.
        layout[port.name] = {x: cx + 30, y: busY + 110};
      });
    });
    var drawnMoves = {};
    changes.forEach(function (c) {
      if (c.kind !== 'move' && c.kind !== 'migrated') return;
      var a = layout[c.from], b = layout[c.to], key = c.from + '>' + c.to;
      if (!a || !b || a === b || drawnMoves[key]) return;
      drawnMoves[key] = true;
      var dip = 26 + Math.abs(b.x - a.x) / 12;
      var path = sv('path', {d: 'M' + a.x + ' ' + (a.y + 2) + 'C' + a.x + ' ' + (a.y + dip) + ' ' + b.x + ' ' + (b.y + dip) + ' ' + b.x + ' ' + (b.y + 2),
        fill: 'none', stroke: '#8e44ad', 'stroke-width': 2, 'marker-end': 'url(#arrow-move)', 'class': 'move'}, svg);
      tooltip(path, changeText(c) + ' at ' + fmtAt(c.time));
    });
    if (changes.length) drawChangeStrip(svg, y + 6, W, changes);
    var legendY = H - 12, lx = 12;
    var seen = Object.keys(vlanColors);
    [['untagged / unknown VLAN', vlanColor(null)]].concat(seen.map(function (v) { return ['VLAN ' + v, vlanColors[v]]; })).forEach(function (item) {
      sv('rect', {x: lx, y: legendY - 9, width: 18, height: 10, fill: item[1]}, svg);
      sv('text', {x: lx + 24, y: legendY, 'font-size': 11}, svg, item[0]);
      lx += 40 + item[0].length * 7;
    });
    if (!changes.length) return;
    var LIST_LIMIT = 60;
    el('p', {'class': 'hint'}, section, 'Changes during the trace' + (changes.length > LIST_LIMIT ? ' (first ' + LIST_LIMIT + ' of ' + changes.length + ')' : '') + ':');
    var list = el('ol', {'class': 'changes'}, section);
    changes.slice(0, LIST_LIMIT).forEach(function (c) {
      el('li', {'class': isMarked(c) ? 'marked' : null}, list, fmtAt(c.time) + ': ' + changeText(c) +
        (c.left !== null ? ' (left ' + c.from + ' at ' + fmtAt(c.left) + ')' : ''));
    });
  }
  // Inside its host's frame a device needs no "host:" before its name.
  function shownName(name, host) {
    return host !== undefined && String(name).indexOf(host + ':') === 0 ? String(name).slice(host.length + 1) : name;
  }
  function drawChangeStrip(svg, top, W, changes) {
    var L = 58, R = 20, span = T1 - T0;
    function x(ns) { return L + (W - L - R) * (ns - T0) / span; }
    sv('text', {x: 10, y: top + 12, 'font-size': 11, 'font-weight': 'bold'}, svg, 'changes over time (purple: moves, red: port removals, grey: MAC learned or forgotten)');
    var axisY = top + 50;
    sv('line', {x1: L, x2: W - R, y1: axisY, y2: axisY, stroke: '#9aa3b2'}, svg);
    var tStep = niceStep(span / 1e9, 10);
    for (var t = 0; t <= span / 1e9 + 1e-9; t += tStep) {
      sv('text', {x: x(T0 + t * 1e9), y: axisY + 16, 'text-anchor': 'middle', 'class': 'tick'}, svg, +t.toFixed(6) + ' s');
    }
    var rows = new LabelRows(2, L, W - R), unlabelled = 0;
    changes.forEach(function (c) {
      if (c.time === null) return;
      var cx = x(c.time), marked = isMarked(c);
      var dot = sv('circle', {cx: cx, cy: axisY, r: marked ? 5 : 3, fill: c.kind === 'move' || c.kind === 'migrated' ? '#8e44ad' : c.kind === 'removal' ? '#c62828' : '#9aa3b2'}, svg);
      tooltip(dot, changeText(c) + ' at ' + fmtAt(c.time));
      if (!marked) return;
      var text = changeText(c), spot = rows.place(cx, text, 10);
      if (!spot) { unlabelled++; return; }
      sv('text', {x: spot.x, y: top + 26 + spot.row * 12, 'font-size': 10, 'text-anchor': spot.anchor, 'class': 'change-label'}, svg, text);
    });
    if (unlabelled) {
      sv('text', {x: W - R, y: top + 12, 'font-size': 10, 'text-anchor': 'end', 'class': 'hint'}, svg,
        unlabelled + ' more too close to label: hover the dots');
    }
  }
  // Labels beside marks on a time axis, each in the first of a few rows where it overlaps no label already placed
  // (text width estimated from its length), right of its mark, or left of it at the right edge; null when no row
  // has room, so that close changes never print over each other.
  function LabelRows(count, left, right) {
    this.ends = [];
    for (var i = 0; i < count; i++) this.ends.push([]);
    this.left = left; this.right = right;
  }
  LabelRows.prototype.place = function (cx, text, fontSize) {
    var width = String(text).length * fontSize * 0.56, from = cx + 6, anchor = 'start';
    if (from + width > this.right) { from = cx - 6 - width; anchor = 'end'; }
    if (from < this.left - 40) return null;
    for (var row = 0; row < this.ends.length; row++) {
      var spans = this.ends[row], free = spans.every(function (s) { return from + width + 4 < s[0] || from > s[1] + 4; });
      if (free) {
        spans.push([from, from + width]);
        return {row: row, x: anchor === 'start' ? from : from + width, anchor: anchor};
      }
    }
    return null;
  };

  // ---------- packet paths ----------
  // A hop is a device name, or "eth0@vnet2": the eth0 whose veth partner is vnet2 (interfaces call it eth0<->vnet2).
  function hopLabel(h) {
    var parts = String(h).split('@');
    return parts.length > 1 ? {name: parts[0], detail: '\u2194 ' + parts[1], key: parts[0] + '<->' + parts[1], raw: String(h)}
      : {name: parts[0], detail: '', key: parts[0], raw: String(h)};
  }
  // The entry of hop_latency_ns from hop i - 1 to hop i; a path between hosts marks the hop between them wire.
  function hopEntry(path, i) {
    var hops = arr(path.hops), entries = arr(path.hop_latency_ns);
    return entries.filter(function (e) { return e.from === hops[i - 1] && e.to === hops[i]; })[0] || entries[i - 1] || null;
  }
  function drawPaths(section) {
    var paths = arr(doc.paths).slice().sort(function (a, b) { return (num(b, ['packets']) || 0) - (num(a, ['packets']) || 0); });
    if (!paths.length) { el('p', {'class': 'empty'}, section, 'No packet path in this trace.'); return; }
    el('p', {'class': 'hint'}, section, 'Each lane is one device sequence shared by the packets counted on its right. ' +
      'Above an arrow: median latency of that hop; below: 99th percentile (hover for all percentiles and sample counts). ' +
      'Red: where packets were dropped, with the kernel\u2019s reason.' +
      (paths.some(function (p) { return p.cross_host; }) ? ' Dashed purple: the wire between two hosts, from the ' +
        'packet\u2019s last queue on the sender to its first receive on the receiver, on the reference clock.' : ''));
    var controls = el('div', {'class': 'controls'}, section);
    var filter = el('input', {'class': 'filter', type: 'search', placeholder: 'filter paths (device)'}, controls);
    var count = el('span', {'class': 'rowcount'}, controls);
    var holder = el('div', null, section);
    var LIMIT = 40;
    function redraw() {
      holder.textContent = '';
      var q = filter.value.toLowerCase();
      var shown = paths.filter(function (p) { return !q || arr(p.hops).join(' ').toLowerCase().indexOf(q) >= 0; });
      count.textContent = shown.length + ' of ' + paths.length + ' paths' + (shown.length > LIMIT ? ' (first ' + LIMIT + ' drawn)' : '');
      shown = shown.slice(0, LIMIT);
      var maxHops = shown.reduce(function (m, p) { return Math.max(m, arr(p.hops).length); }, 1);
      var W = CHART_WIDTH, info = 300, laneH = 78, arrowW = 70;
      // a path through two hosts has twice the devices: wider lanes, so that its boxes keep their size
      if (shown.some(function (p) { return p.cross_host; })) W = Math.max(W, 10 + maxHops * (70 + arrowW) - arrowW + info + 20);
      var nodeW = Math.min(130, Math.max(70, (W - info - 20 - (maxHops - 1) * arrowW) / maxHops));
      var svg = svgRoot(holder, W, Math.max(1, shown.length) * laneH + 10, 'packet path graph');
      var defs = sv('defs', null, svg);
      var marker = sv('marker', {id: 'arrow-hop', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto'}, defs);
      sv('path', {d: 'M0 0L10 5L0 10z', fill: '#5d6678'}, marker);
      shown.forEach(function (p, lane) {
        var y0 = 8 + lane * laneH, hops = arr(p.hops);
        var dropsAt = {};
        arr(p.drops).forEach(function (d) { (dropsAt[d.at] = dropsAt[d.at] || []).push(d); });
        if (lane % 2) sv('rect', {x: 0, y: y0 - 4, width: W, height: laneH, fill: '#f8fafc'}, svg);
        hops.forEach(function (h, i) {
          var x0 = 10 + i * (nodeW + arrowW), label = hopLabel(h), drops = dropsAt[label.raw];
          var node = sv('g', {'class': 'hop'}, svg);
          sv('rect', {x: x0, y: y0 + 8, width: nodeW, height: 34, rx: 6, fill: drops ? '#fde8e8' : '#fff',
            stroke: drops ? '#c62828' : (interfaceColors[label.key] || '#93b4f5'), 'stroke-width': 2}, node);
          sv('text', {x: x0 + nodeW / 2, y: y0 + 24, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 'bold'}, node, shorten(label.name, nodeW));
          if (label.detail) sv('text', {x: x0 + nodeW / 2, y: y0 + 37, 'text-anchor': 'middle', 'font-size': 10, 'class': 'tick'}, node, shorten(label.detail, nodeW));
          tooltip(node, label.key);
          if (drops) {
            var dropText = drops.map(function (d) { return fmtInt(d.packets) + ' ' + d.reason; }).join(', ');
            var t = sv('text', {x: x0 + 2, y: y0 + 56, 'font-size': 10, style: 'fill:#c62828'}, svg, '\u2715 ' + shorten(dropText, nodeW + arrowW - 8));
            tooltip(t, 'dropped at ' + label.key + ': ' + dropText);
          }
          if (i > 0) {
            var ax = x0 - arrowW, entry = hopEntry(p, i), lat = entry ? entry.latency_ns || null : null;
            var wire = !!(entry && entry.wire);
            var line = {x1: ax + 2, x2: x0 - 2, y1: y0 + 25, y2: y0 + 25, stroke: wire ? '#8e44ad' : '#5d6678', 'stroke-width': wire ? 2.5 : 1.5, 'marker-end': 'url(#arrow-hop)'};
            if (wire) { line['stroke-dasharray'] = '5 3'; line['class'] = 'wire'; }
            var arrow = sv('line', line, svg);
            if (wire) sv('text', {x: ax + arrowW / 2, y: y0 + 7, 'text-anchor': 'middle', 'font-size': 9, style: 'fill:#8e44ad'}, svg, 'wire');
            if (lat) {
              sv('text', {x: ax + arrowW / 2, y: y0 + 19, 'text-anchor': 'middle', 'font-size': 10}, svg, fmtDuration(num(lat, ['p50'])));
              sv('text', {x: ax + arrowW / 2, y: y0 + 38, 'text-anchor': 'middle', 'font-size': 9, 'class': 'tick'}, svg, fmtDuration(num(lat, ['p99'])));
              tooltip(arrow, (wire ? 'wire between the hosts: ' : '') + hops[i - 1] + ' \u2192 ' + hops[i] + ': ' + latencyText(lat));
            }
          }
        });
        var ix = W - info;
        sv('text', {x: ix, y: y0 + 18, 'font-size': 12, 'font-weight': 'bold'}, svg,
          fmtInt(num(p, ['packets'])) + ' packets \u00b7 ' + fmtBytes(num(p, ['bytes'])));
        var total = p.latency_ns;
        if (total) {
          var t = sv('text', {x: ix, y: y0 + 34, 'font-size': 11, 'class': 'tick'}, svg,
            'first to last event p50 ' + fmtDuration(num(total, ['p50'])) + ', p99 ' + fmtDuration(num(total, ['p99'])));
          tooltip(t, latencyText(total));
        }
        var fates = [['delivered', 'delivered'], ['dropped', 'dropped'], ['unterminated', 'not followed to the end'],
          ['segmented', 'cut into GSO segments']]
          .filter(function (f) { return num(p, [f[0]]); }).map(function (f) { return fmtInt(num(p, [f[0]])) + ' ' + f[1]; });
        sv('text', {x: ix, y: y0 + 50, 'font-size': 11, 'class': 'tick'}, svg, fates.join(', '));
      });
    }
    filter.addEventListener('input', redraw);
    redraw();
  }
  function latencyText(l) {
    return ['p50', 'p90', 'p99', 'max'].filter(function (k) { return num(l, [k]) !== null; })
      .map(function (k) { return k + ' ' + fmtDuration(num(l, [k])); }).join(', ') +
      (num(l, ['samples']) !== null ? ' (' + fmtInt(num(l, ['samples'])) + ' samples)' : '');
  }
  function shorten(s, width) {
    var max = Math.max(4, Math.floor(width / 7));
    return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
  }

  // ---------- sortable, filterable tables ----------
  var tables = [];
  var KNOWN_FORMATS = [
    [/^netns$/, function (v) { return String(v); }],
    [/(^|[_.])bytes($|_)|^payload_/, function (v) { return fmtBytes(v); }],
    [/_ns$/, function (v, key) { return /^(start|end|time|first|last)/.test(key) ? fmtAt(v) : fmtDuration(v); }],
    [/bps|bits_per_s|_rate/, function (v) { return fmtRate(v); }],
    [/share|ratio|rate$/, function (v) { return fmtPercent(v); }]
  ];
  function cellFormat(key) {
    for (var i = 0; i < KNOWN_FORMATS.length; i++) {
      if (KNOWN_FORMATS[i][0].test(key)) return KNOWN_FORMATS[i][1];
    }
    return null;
  }
  // Columns: the preferred keys first, then whatever else the rows carry (the schema may grow).
  function orderedColumns(rows, preferred, extra) {
    var keys = preferred.slice(), flat = rows.slice(0, 200).map(flatten);
    flat.forEach(function (r) { Object.keys(r).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); }); });
    var columns = keys.filter(function (k) { return flat.some(function (r) { return r[k] !== undefined; }); }).map(function (k) {
      var numeric = flat.every(function (r) { return r[k] === undefined || r[k] === null || typeof r[k] === 'number'; });
      return {key: k, label: columnLabel(k), num: numeric, get: function (row) { return flatten(row)[k]; }, fmt: cellFormat(k)};
    });
    return columns.concat(extra || []);
  }
  function columnLabel(key) {
    return key.replace(/_ns$/, '').replace(/^bits_per_second/, 'rate').replace(/^retransmitted/, 'retrans.')
      .replace(/_ab$/, ' a\u2192b').replace(/_ba$/, ' b\u2192a').replace(/_/g, ' ');
  }
  function flatten(obj) {
    if (obj.__flat) return obj.__flat;
    var out = {};
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      if (Array.isArray(v)) out[k] = v.map(text).join(', ');
      else if (v !== null && typeof v === 'object' && !('mac' in v) && !('name' in v) && !('interface' in v)) {
        Object.keys(v).forEach(function (k2) {
          var v2 = v[k2];
          out[k + '.' + k2] = v2 !== null && typeof v2 === 'object' ? text(v2) : v2;
        });
      } else out[k] = v !== null && typeof v === 'object' ? text(v) : v;
    });
    Object.defineProperty(obj, '__flat', {value: out, enumerable: false});
    return out;
  }
  function makeTable(parent, spec) {
    var controls = el('div', {'class': 'controls'}, parent);
    var filter = el('input', {'class': 'filter', type: 'search', placeholder: spec.filter || 'filter'}, controls);
    var count = el('span', {'class': 'rowcount'}, controls);
    var wrap = el('div', {'class': 'table-wrap'}, parent);
    var table = el('table', {'data-table': spec.id}, wrap);
    var head = el('tr', null, el('thead', null, table));
    var body = el('tbody', null, table);
    var state = {key: spec.sort ? spec.sort.key : null, desc: spec.sort ? spec.sort.desc : false};
    var LIMIT = spec.limit || 500;
    var rows = spec.rows.map(function (r) {
      var values = spec.columns.map(function (c) { var v = c.get(r); return v === undefined ? null : v; });
      var shown = values.map(function (v, i) { var c = spec.columns[i]; return v === null ? '' : (c.fmt ? c.fmt(v, c.key, r) : (c.num ? fmtInt(v) : String(v))); });
      return {values: values, shown: shown, search: shown.join(' ').toLowerCase() + ' ' + values.join(' ').toLowerCase()};
    });
    var headers = spec.columns.map(function (c) {
      var th = el('th', {'class': c.num ? 'num' : null, scope: 'col', 'data-key': c.key, title: 'sort by ' + c.label}, head, c.label);
      th.addEventListener('click', function () { sortBy(c.key, state.key === c.key ? !state.desc : c.num); });
      return th;
    });
    function sortBy(key, desc) { state.key = key; state.desc = desc; render(); }
    function render() {
      var q = filter.value.toLowerCase().trim();
      var visible = rows.filter(function (r) { return !q || r.search.indexOf(q) >= 0; });
      var idx = spec.columns.map(function (c) { return c.key; }).indexOf(state.key);
      if (idx >= 0) {
        var numeric = spec.columns[idx].num;
        visible.sort(function (a, b) {
          var x = a.values[idx], y = b.values[idx], r;
          if (x === null || y === null) r = (x === null) - (y === null);
          else r = numeric ? x - y : String(x).localeCompare(String(y), undefined, {numeric: true});
          return state.desc && x !== null && y !== null ? -r : r;
        });
      }
      headers.forEach(function (th, i) { th.setAttribute('aria-sort', i === idx ? (state.desc ? 'descending' : 'ascending') : 'none'); });
      body.textContent = '';
      visible.slice(0, LIMIT).forEach(function (r) {
        var tr = el('tr', null, body);
        r.shown.forEach(function (s, i) {
          var v = r.values[i];
          el('td', {'class': spec.columns[i].num ? 'num' : null, 'data-v': typeof v === 'number' ? v : null,
            title: typeof v === 'number' && spec.columns[i].fmt ? fmtInt(v) : null}, tr, s);
        });
      });
      count.textContent = visible.length + ' of ' + rows.length + ' rows' + (visible.length > LIMIT ? ' (first ' + LIMIT + ' shown)' : '');
    }
    filter.addEventListener('input', render);
    render();
    var api = {id: spec.id, table: table, columns: spec.columns, filter: filter, sortBy: sortBy, render: render, size: rows.length};
    tables.push(api);
    return api;
  }

  function drawStreams(section) {
    var streams = arr(doc.streams);
    if (!streams.length) { el('p', {'class': 'empty'}, section, 'No stream in this trace.'); return; }
    el('p', {'class': 'hint'}, section, 'Conversations from the network headers of net_dev_queue / net_if_receive_skb / net_if_rx; ' +
      'a packet crossing several devices counts once. Click a column to sort, type to filter.');
    var columns = orderedColumns(streams, ['protocol', 'a', 'b', 'packets_ab', 'bytes_ab', 'bits_per_second_ab', 'packets_ba', 'bytes_ba',
      'bits_per_second_ba', 'duration_ns', 'start_ns', 'end_ns', 'retransmitted_packets', 'retransmitted_bytes', 'payload_ab', 'payload_ba'], [
      {key: 'total_bytes', label: 'total bytes', num: true, fmt: fmtBytes, get: function (s) { return (num(s, ['bytes_ab']) || 0) + (num(s, ['bytes_ba']) || 0); }}
    ]);
    makeTable(section, {id: 'streams', rows: streams, sort: {key: 'total_bytes', desc: true}, filter: 'filter streams (address, port, protocol)',
      columns: columns});
  }

  function drawVmMatrix(section) {
    var cells = arr(doc.vm_matrix);
    if (!cells.length) { el('p', {'class': 'empty'}, section, 'No traffic between VMs in this trace.'); return; }
    el('p', {'class': 'hint'}, section, 'Traffic between every pair of VMs (a VM is a namespace or a tap/veth port); traffic that left the host is listed as such.');
    makeTable(section, {id: 'vm_matrix', rows: cells, sort: {key: 'bytes', desc: true}, filter: 'filter VMs',
      columns: orderedColumns(cells, ['from', 'to', 'packets', 'bytes', 'dropped'])});
  }

  // Several hosts: which traces, how each clock was put on the reference one, and the VMs that moved.
  function drawHosts(section) {
    el('p', {'class': 'hint'}, section, HOSTS.length + ' hosts, each analysed on its own; devices are named host:device ' +
      'and every time is on the reference clock.');
    makeTable(section, {id: 'hosts', rows: HOSTS, filter: 'filter hosts',
      columns: orderedColumns(HOSTS, ['name', 'trace', 'clock_uuid', 'start_ns', 'end_ns'])});
    var transforms = arr(get(doc, 'sync.transforms'));
    if (transforms.length) {
      el('h3', null, section, 'Clock synchronization (reference: ' + text(get(doc, 'sync.reference')) + ')');
      el('p', {'class': 'hint'}, section, 'time on the reference = slope \u00d7 time on the host + offset; accuracy: how far ' +
        'the true offset can be from the estimate, from the packets matched between hosts.');
      var rows = transforms.map(function (t) {
        return {host: t.host, quality: t.quality, 'offset (s)': (num(t, ['offset_ns']) + (num(t, ['slope']) - 1) * T0) / 1e9,
          'drift (ppm)': (num(t, ['slope']) - 1) * 1e6, matches: t.matches, 'accuracy (ns)': t.accuracy_ns};
      });
      makeTable(section, {id: 'sync', rows: rows, filter: 'filter hosts',
        columns: orderedColumns(rows, ['host', 'quality', 'offset (s)', 'drift (ppm)', 'matches', 'accuracy (ns)'])});
    }
    var moved = arr(get(doc, 'topology.changes')).filter(function (c) { return c.kind === 'migrated'; });
    el('h3', null, section, moved.length ? 'VMs that moved between hosts' : 'No VM moved between hosts.');
    if (moved.length) {
      var list = el('ol', {'class': 'changes'}, section);
      moved.forEach(function (c) {
        el('li', {'class': 'marked migration'}, list, (c.vm || c.mac) + ': ' + c.from + ' \u2192 ' + c.to +
          ', last frame at ' + fmtAt(num(c, ['last_packet_ns'])) + ', first at ' + fmtAt(num(c, ['first_packet_ns'])) +
          ', downtime ' + fmtDuration(num(c, ['downtime_ns'])));
      });
    }
  }

  function drawDatapaths(section) {
    var datapaths = arr(doc.datapaths);
    if (!datapaths.length) { el('p', {'class': 'empty'}, section, 'No Open vSwitch datapath in this trace.'); return; }
    datapaths.forEach(function (dp, i) {
      el('p', {'class': 'hint'}, section, dp.name + (dp.bridge ? ' (bridge ' + dp.bridge + ')' : '') + ': ' +
        fmtInt(dp.upcalls) + ' upcalls, ' + fmtInt(dp.executed_packets) + ' packets executed, ' +
        fmtInt(dp.output_actions) + ' OUTPUT actions, ' + fmtInt(dp.drops) + ' dropped (no output action). ' +
        'Port numbers are datapath port numbers; OUTPUT to an internal port counts in its rx packets, to a netdev port in its tx packets.');
      var ports = arr(dp.ports);
      makeTable(section, {id: 'datapath_ports' + (i ? i : ''), rows: ports, sort: {key: 'output_actions', desc: true}, filter: 'filter ports',
        columns: orderedColumns(ports, ['number', 'name', 'internal', 'output_actions', 'upcalls', 'drops', 'first_upcall_ns', 'last_upcall_ns'])});
      var flows = arr(dp.flows).map(function (f) {
        var row = {in_port: f.port || f.in_port};
        Object.keys(f.key || {}).forEach(function (k) { row[k] = f.key[k]; });
        row.eth_type = '0x' + ('000' + Number(row.eth_type).toString(16)).slice(-4);
        row.packets = f.packets; row.bytes = f.bytes; row.output_ports = arr(f.output_ports).join(' ');
        return row;
      });
      if (flows.length) {
        makeTable(section, {id: 'datapath_flows' + (i ? i : ''), rows: flows, sort: {key: 'packets', desc: true}, filter: 'filter flows (port, MAC, address)',
          columns: orderedColumns(flows, ['in_port', 'eth_src', 'eth_dst', 'eth_type', 'ipv4_src', 'ipv4_dst', 'ip_proto', 'tp_src', 'tp_dst', 'packets', 'bytes', 'output_ports'])});
      }
    });
  }

  function drawInterfaceTable(section) {
    if (!interfaces.length) { el('p', {'class': 'empty'}, section, 'No interface carried traffic in this trace.'); return; }
    var rows = interfaces.map(function (itf) {
      var copy = {interface: ifaceLabel(itf)};
      Object.keys(itf).forEach(function (k) { if (k !== 'timeline' && k !== 'name' && k !== 'peer') copy[k] = itf[k]; });
      return copy;
    });
    el('p', {'class': 'hint'}, section, 'Bytes as ip -s link counts them (skb bytes: the traced lengths). Equal names are told apart by their veth peer (name<->peer); ' +
      'ambiguous: packets of equal-named interfaces that no hand-over told apart.');
    makeTable(section, {id: 'interfaces', rows: rows, sort: {key: 'rx.bytes', desc: true}, filter: 'filter interfaces',
      columns: orderedColumns(rows, ['interface', 'netns', 'kind', 'rx.packets', 'rx.bytes', 'tx.packets', 'tx.bytes', 'drops.packets', 'drops.rate'])});
  }

  // ---------- VM placement ----------
  // Colours: red for traffic between hosts (what the placement cuts), grey for traffic within a host, purple for a
  // VM that migrates (as the topology's move arrows).
  var CROSS_COLOR = '#d1495b', WITHIN_COLOR = '#7b8496', MOVED_COLOR = '#8e44ad', HOST_MATRIX_WITHIN = '#2563eb';
  // Beyond a few hundred lines the picture is a smear: the heaviest pairs carry what matters.
  var PLACEMENT_EDGE_LIMIT = 300;
  var PLACEMENT_WIDTH = 540;

  // Host name -> its VMs in a state ('before' or 'after'), hosts in the document's order.
  function placementState(name) {
    var order = [], vms = {}, loads = {};
    function addHost(host) { if (!vms[host]) { vms[host] = []; order.push(host); } }
    arr(placement.hosts).forEach(function (h) { if (h && h.name !== undefined) addHost(String(h.name)); });
    var hosts = arr(get(placement, name + '.hosts'));
    hosts.forEach(function (h) {
      var host = String(h.host);
      addHost(host);
      vms[host] = arr(h.vms).map(String);
      loads[host] = h;
    });
    // Without per-host loads, the assignments after are still in placement[].
    if (!hosts.length && name === 'after') {
      arr(placement.placement).forEach(function (p) { addHost(String(p.host)); vms[String(p.host)].push(String(p.vm)); });
    }
    return {name: name, order: order, vms: vms, loads: loads};
  }
  function overCapacity(load) {
    if (!load) return false;
    var cpu = num(load, ['cpu']), cpuCap = num(load, ['cpu_capacity']), mem = num(load, ['memory_mib']), memCap = num(load, ['memory_capacity_mib']);
    return (cpu !== null && cpuCap !== null && cpu > cpuCap + 1e-9) || (mem !== null && memCap !== null && mem > memCap);
  }
  function hostLoadText(host, load, vms) {
    var lines = [host + ': ' + vms.length + ' VM' + (vms.length === 1 ? '' : 's')];
    if (load) {
      lines.push('vCPU ' + num(load, ['cpu']) + ' of ' + num(load, ['cpu_capacity']) + ', memory ' + fmtInt(num(load, ['memory_mib'])) +
        ' of ' + fmtInt(num(load, ['memory_capacity_mib'])) + ' MiB');
      if (num(load, ['nic_bits_per_second'])) lines.push('NIC p95 of the cross-host rate ' + fmtRate(num(load, ['nic_p95_bits_per_second'])) +
        ' of ' + fmtRate(num(load, ['nic_bits_per_second'])));
      if (overCapacity(load)) lines.push('over capacity');
    }
    return lines.join('\n');
  }
  function clip(s, chars) {
    s = String(s);
    return s.length > chars ? s.slice(0, Math.max(1, chars - 1)) + '\u2026' : s;
  }
  // The same grid for both pictures, so a host is at the same place before and after.
  function placementLayout(states) {
    var n = Math.max(1, states[0].order.length, states[1].order.length), pad = 10, gap = 4;
    var cols = n <= 3 ? n : Math.ceil(Math.sqrt(n));
    while (cols > 1 && (PLACEMENT_WIDTH - pad * (cols + 1)) / cols < 110) cols--;
    var hostW = (PLACEMENT_WIDTH - pad * (cols + 1)) / cols, innerW = hostW - 12;
    var maxVms = 1, longest = 3;
    states.forEach(function (s) {
      s.order.forEach(function (h) {
        maxVms = Math.max(maxVms, s.vms[h].length);
        s.vms[h].forEach(function (vm) { longest = Math.max(longest, vm.length); });
      });
    });
    // Room for full names (about 6 units a character at 10 px, at least 40 units), in as few columns as keep a host
    // box about as tall as it is wide: one column leaves the lines between hosts clear of other VMs.
    var vmH = 18, headH = 24;
    var wanted = Math.max(40, Math.min(innerW, longest * 6 + 8));
    // Each column of VMs keeps a gutter on its right, where the arcs between VMs of one host run.
    var gutter = 12;
    var fit = Math.max(1, Math.min(maxVms, Math.floor(innerW / (wanted + gutter))));
    var vmCols = 1;
    while (vmCols < fit && Math.ceil(maxVms / vmCols) * (vmH + gap) > hostW) vmCols++;
    // A lone column is not stretched across the box, so its gutter has room for wider arcs.
    var vmW = vmCols === 1 ? Math.min(innerW - 30, Math.max(wanted, innerW * 0.6)) : innerW / vmCols - gutter;
    var hostH = headH + Math.ceil(maxVms / vmCols) * (vmH + gap) + 4;
    var rows = Math.ceil(n / cols);
    return {width: PLACEMENT_WIDTH, height: pad + rows * (hostH + pad), hostW: hostW, hostH: hostH, vmCols: vmCols, vmW: vmW, vmH: vmH,
      gap: gap, headH: headH, colW: innerW / vmCols, arcRoom: vmCols === 1 ? innerW - vmW - 4 : gutter, labelChars: Math.max(3, Math.floor((vmW - 6) / 6)),
      hostAt: function (i) { return {x: pad + (i % cols) * (hostW + pad), y: pad + Math.floor(i / cols) * (hostH + pad)}; }};
  }
  // Width grows with the square root of the bytes: pairs differ by orders of magnitude (a ping beside a bulk copy).
  function edgeWidth(bytes, maxBytes) { return 1 + 9 * Math.sqrt(Math.max(0, bytes) / Math.max(1, maxBytes)); }

  function drawPlacementPicture(parent, state, layout, pairs, maxBytes, moved) {
    var svg = svgRoot(parent, layout.width, layout.height, 'hosts and their VMs ' + state.name);
    svg.setAttribute('data-state', state.name);
    var hostLayer = sv('g', null, svg), vmLayer = sv('g', null, svg), edgeLayer = sv('g', null, svg), labelLayer = sv('g', null, svg);
    var centre = {}, hostOf = {};
    state.order.forEach(function (host, i) {
      var at = layout.hostAt(i), load = state.loads[host], vms = state.vms[host], over = overCapacity(load);
      var g = sv('g', {'class': 'host', 'data-host': host, 'data-over': over ? 'true' : null}, hostLayer);
      sv('rect', {x: at.x, y: at.y, width: layout.hostW, height: layout.hostH, rx: 6, fill: over ? '#fdf0f0' : '#f6f8fb',
        stroke: over ? '#c62828' : '#9aa3b2', 'stroke-width': over ? 2 : 1.2}, g);
      // A narrow box says it is over capacity by its colour alone (and its tooltip).
      var count = (over && layout.hostW > 200 ? 'over capacity \u00b7 ' : '') + vms.length + ' VM' + (vms.length === 1 ? '' : 's');
      // The heading goes with the VMs' names, above the lines.
      sv('text', {x: at.x + 7, y: at.y + 16, 'font-weight': 'bold', 'font-size': 12, 'class': 'vm-label', 'data-host-label': host}, labelLayer,
        clip(host, Math.max(4, Math.floor((layout.hostW - 14 - count.length * 5.5) / 7))));
      sv('text', {x: at.x + layout.hostW - 7, y: at.y + 16, 'text-anchor': 'end', 'font-size': 10,
        style: over ? 'fill:#c62828' : 'fill:#5d6678', 'class': 'vm-label'}, labelLayer, count);
      tooltip(g, hostLoadText(host, load, vms));
      vms.forEach(function (vm, k) {
        var x = at.x + 6 + (k % layout.vmCols) * layout.colW;
        var y = at.y + layout.headH + Math.floor(k / layout.vmCols) * (layout.vmH + layout.gap);
        var move = moved[vm];
        var box = sv('g', {'class': 'vm', 'data-vm': vm, 'data-on': host, 'data-moved': move ? 'true' : null}, vmLayer);
        sv('rect', {x: x, y: y, width: layout.vmW, height: layout.vmH, rx: 3, fill: move ? '#f3e8fa' : '#e8f0fe',
          stroke: move ? MOVED_COLOR : '#93b4f5', 'stroke-width': move ? 2 : 1,
          'stroke-dasharray': move && state.name === 'before' ? '4 2' : null}, box);
        tooltip(box, vm + ' on ' + host + (move ? (state.name === 'before' ? ', migrates to ' + move.to : ', migrated from ' + move.from) : ''));
        // Labels above the lines, so that a line never hides a name.
        sv('text', {x: x + layout.vmW / 2, y: y + 12.5, 'text-anchor': 'middle', 'font-size': 10, 'class': 'vm-label'}, labelLayer,
          clip(vm, layout.labelChars));
        centre[vm] = {x: x + layout.vmW / 2, y: y + layout.vmH / 2, w: layout.vmW, h: layout.vmH};
        hostOf[vm] = host;
      });
    });
    var drawn = pairs.filter(function (p) { return centre[p.a] && centre[p.b] && p.a !== p.b; });
    var within = drawn.filter(function (p) { return hostOf[p.a] === hostOf[p.b]; });
    var across = drawn.filter(function (p) { return hostOf[p.a] !== hostOf[p.b]; });
    function byBytes(a, b) { return a.bytes - b.bytes; }
    // Heaviest last, on top; lines across hosts over those within.
    within.sort(byBytes).concat(across.sort(byBytes)).forEach(function (p) {
      var a = centre[p.a], b = centre[p.b], cross = hostOf[p.a] !== hostOf[p.b], d;
      if (cross) {
        // From border to border, so that a line does not run over the names of the two VMs it joins.
        var from = boxBorder(a, b), to = boxBorder(b, a);
        d = 'M' + from.x.toFixed(1) + ' ' + from.y.toFixed(1) + 'L' + to.x.toFixed(1) + ' ' + to.y.toFixed(1);
      } else if (Math.abs(b.y - a.y) >= Math.abs(b.x - a.x)) {
        // VMs above one another: an arc between their right sides, bowing right.
        // A cubic with both control points at bowX reaches three quarters of the way to it: the arc stays in the gutter.
        var right = Math.max(a.x, b.x) + a.w / 2;
        var bowX = right + Math.min(layout.arcRoom / 0.75, 8 + 0.3 * Math.abs(b.y - a.y));
        d = 'M' + (a.x + a.w / 2).toFixed(1) + ' ' + a.y.toFixed(1) + 'C' + bowX.toFixed(1) + ' ' + a.y.toFixed(1) + ' ' +
          bowX.toFixed(1) + ' ' + b.y.toFixed(1) + ' ' + (b.x + b.w / 2).toFixed(1) + ' ' + b.y.toFixed(1);
      } else {
        // VMs side by side: an arc between their tops, bowing up.
        var bowY = Math.min(a.y, b.y) - a.h / 2 - 4 - 0.08 * Math.abs(b.x - a.x);
        d = 'M' + a.x.toFixed(1) + ' ' + (a.y - a.h / 2).toFixed(1) + 'C' + a.x.toFixed(1) + ' ' + bowY.toFixed(1) + ' ' +
          b.x.toFixed(1) + ' ' + bowY.toFixed(1) + ' ' + b.x.toFixed(1) + ' ' + (b.y - b.h / 2).toFixed(1);
      }
      var line = sv('path', {d: d, fill: 'none', stroke: cross ? CROSS_COLOR : WITHIN_COLOR, 'stroke-width': edgeWidth(p.bytes, maxBytes).toFixed(2),
        'stroke-opacity': cross ? 0.75 : 0.5, 'stroke-linecap': 'round', 'class': cross ? 'edge cross' : 'edge within',
        'data-a': p.a, 'data-b': p.b, 'data-bytes': p.bytes}, edgeLayer);
      tooltip(line, p.a + ' \u2194 ' + p.b + ': ' + fmtBytes(p.bytes) + (cross ? ', across hosts (' + hostOf[p.a] + ', ' + hostOf[p.b] + ')' : ', within ' + hostOf[p.a]));
    });
    return {within: within.length, across: across.length};
  }

  // Where the segment from box a's centre to box b's centre leaves box a.
  function boxBorder(a, b) {
    var dx = b.x - a.x, dy = b.y - a.y;
    var t = Math.min(dx ? (a.w / 2) / Math.abs(dx) : Infinity, dy ? (a.h / 2) / Math.abs(dy) : Infinity, 1);
    return {x: a.x + dx * t, y: a.y + dy * t};
  }
  function mixColor(hex, t) {
    var c = parseInt(hex.slice(1), 16), r = c >> 16, g = (c >> 8) & 255, b = c & 255;
    function ch(v) { return Math.round(255 + (v - 255) * t); }
    return 'rgb(' + ch(r) + ',' + ch(g) + ',' + ch(b) + ')';
  }
  // Host-by-host bytes: red off the diagonal (across hosts), blue on it (within a host); the same scale before and after.
  function drawHostMatrix(parent, state, names, matrix, maxAcross, maxWithin) {
    var n = names.length, longest = names.reduce(function (m, h) { return Math.max(m, h.length); }, 3);
    var labelW = Math.min(110, 12 + 7 * longest);
    var cell = Math.max(14, Math.min(84, Math.floor((PLACEMENT_WIDTH - labelW - 10) / Math.max(1, n))));
    var rotated = 7 * longest > cell;
    var top = rotated ? Math.min(110, 12 + 5.2 * longest) + 8 : 22;
    // Slanted column names reach past the last column by about 4 units a character.
    var W = labelW + n * cell + (rotated ? 4 * Math.min(16, longest) : 10), H = top + n * cell + 6;
    var svg = svgRoot(parent, W, H, 'bytes between hosts ' + state);
    svg.setAttribute('style', 'width:100%;max-width:' + W + 'px;height:auto');
    svg.setAttribute('data-state', state);
    names.forEach(function (h, i) {
      var cx = labelW + i * cell + cell / 2;
      sv('text', {x: labelW - 6, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'end', 'font-size': 11}, svg, clip(h, Math.floor((labelW - 8) / 7)));
      if (rotated) {
        sv('text', {x: cx, y: top - 6, 'font-size': 11, transform: 'rotate(-50 ' + cx + ' ' + (top - 6) + ')'}, svg, clip(h, 16));
      } else {
        sv('text', {x: cx, y: top - 8, 'text-anchor': 'middle', 'font-size': 11}, svg, h);
      }
    });
    names.forEach(function (a, i) {
      names.forEach(function (b, j) {
        var bytes = num(arr(matrix[i]), [String(j)]) || 0, diagonal = i === j;
        var t = Math.sqrt(bytes / Math.max(1, diagonal ? maxWithin : maxAcross)) * (diagonal ? 0.7 : 1);
        var rect = sv('rect', {x: labelW + j * cell, y: top + i * cell, width: cell - 1, height: cell - 1,
          fill: bytes ? mixColor(diagonal ? HOST_MATRIX_WITHIN : CROSS_COLOR, 0.08 + 0.92 * t) : '#fbfcfd', stroke: '#e3e7ee',
          'class': 'host-cell', 'data-a': a, 'data-b': b, 'data-bytes': bytes}, svg);
        tooltip(rect, (diagonal ? 'within ' + a : a + ' \u2194 ' + b) + ' ' + state + ': ' + fmtBytes(bytes) + ' (' + fmtInt(bytes) + ' B)');
        if (cell >= 50 && bytes) {
          sv('text', {x: labelW + j * cell + cell / 2, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'middle', 'font-size': 10,
            style: t > 0.55 ? 'fill:#fff' : null}, svg, fmtBytes(bytes));
        }
      });
    });
  }
  function hostMatrixNames(state) {
    var hosts = arr(get(placement, state + '.hosts'));
    return hosts.length ? hosts.map(function (h) { return String(h.host); }) : arr(placement.hosts).map(function (h) { return String(h.name); });
  }

  // 99.97 % is not 100 %: a cut that leaves some traffic says so.
  function changeShare(share) {
    var percent = 100 * share;
    return (percent > 99.9 && percent < 100 ? percent.toFixed(2) : percent.toFixed(1)) + ' %';
  }
  function placementFigure(parent, label, before, after, attrs) {
    var box = el('div', {'class': 'figure', 'data-figure-group': attrs.name}, parent);
    el('div', {'class': 'figure-label'}, box, label);
    var value = el('div', {'class': 'figure-value'}, box);
    if (after === undefined) {
      el('span', attrs.single, value, before);
    } else {
      el('span', attrs.before, value, before);
      el('span', {'class': 'arrow'}, value, ' \u2192 ');
      el('span', attrs.after, value, after);
    }
    if (attrs.sub) el('div', {'class': 'figure-sub'}, box, attrs.sub);
    return box;
  }

  function drawPlacement(section) {
    var P = placement;
    var before = placementState('before'), after = placementState('after');
    var moves = arr(P.moves), unordered = arr(P.unordered_moves), moved = {};
    moves.concat(unordered).forEach(function (m) {
      var vm = String(m.vm);
      // A VM that goes through a third host moves twice: from its first host to its last.
      moved[vm] = moved[vm] ? {from: moved[vm].from, to: String(m.to)} : {from: String(m.from), to: String(m.to)};
    });
    var vmCount = arr(P.placement).length || Object.keys(after.vms).reduce(function (s, h) { return s + after.vms[h].length; }, 0);
    var windowNs = num(P, ['window_ns']);
    el('p', {'class': 'hint'}, section, 'Where ' + fmtInt(vmCount) + ' VM' + (vmCount === 1 ? '' : 's') + ' on ' + before.order.length +
      ' host' + (before.order.length === 1 ? '' : 's') + ' should run so that the least traffic crosses between hosts, within every host\u2019s ' +
      'CPU, memory and NIC' + (windowNs ? ', from the traffic measured over ' + fmtDuration(windowNs) : '') +
      ' (vnetscope placement; the model and its limits: docs/placement.md).');

    var crossBefore = num(P, ['before.cross_host_bytes']), crossAfter = num(P, ['after.cross_host_bytes']);
    var figures = el('div', {'class': 'figures'}, section);
    placementFigure(figures, 'cross-host traffic', fmtBytes(crossBefore), fmtBytes(crossAfter), {name: 'cross-host',
      before: {'data-figure': 'cross-host-before', 'data-bytes': crossBefore, title: fmtInt(crossBefore) + ' B'},
      after: {'data-figure': 'cross-host-after', 'data-bytes': crossAfter, title: fmtInt(crossAfter) + ' B'},
      sub: crossBefore ? (crossAfter <= crossBefore ? changeShare((crossBefore - crossAfter) / crossBefore) + ' less'
        : changeShare((crossAfter - crossBefore) / crossBefore) + ' more, to fit the capacities')
        : crossAfter ? 'more, to fit the capacities' : null});
    var nicBefore = num(P, ['before.max_nic_utilization']), nicAfter = num(P, ['after.max_nic_utilization']);
    // The NICs are checked when a host has a speed and the traffic has time bins to take the percentile of.
    var nicSpeeds = arr(P.hosts).some(function (h) { return num(h, ['nic_bits_per_second']); });
    var nicKnown = nicSpeeds && num(P, ['bin_ns']) > 0;
    placementFigure(figures, 'busiest NIC (p95 of the cross-host rate)', nicKnown ? fmtPercent(nicBefore) : 'not checked',
      nicKnown ? fmtPercent(nicAfter) : undefined, {name: 'nic', before: {'data-figure': 'nic-before', 'data-share': nicBefore},
        after: {'data-figure': 'nic-after', 'data-share': nicAfter}, single: {'data-figure': 'nic-unknown'},
        sub: nicKnown ? null : nicSpeeds ? 'the traffic has no time bins' : 'no NIC speed in HOSTS.json'});
    var bound = num(P, ['lower_bound_bytes']);
    placementFigure(figures, 'lower bound', fmtBytes(bound), undefined, {name: 'lower-bound',
      single: {'data-figure': 'lower-bound', 'data-bytes': bound, title: fmtInt(bound) + ' B'},
      sub: 'no placement cuts less'});
    var stopped = P.stopped_by ? String(P.stopped_by).replace(/_/g, ' ') : '';
    placementFigure(figures, 'optimal', P.optimal ? 'yes' : 'not proven', undefined, {name: 'optimal',
      single: {'data-figure': 'optimal', 'data-optimal': P.optimal ? 'true' : 'false'},
      sub: P.optimal ? (P.stopped_by === 'proven' ? 'proven by exhaustive search' : 'meets the lower bound') : (stopped ? 'search stopped: ' + stopped : null)});
    placementFigure(figures, 'migrations', fmtInt(moves.length) + (unordered.length ? ' + ' + fmtInt(unordered.length) + ' unordered' : ''), undefined,
      {name: 'migrations', single: {'data-figure': 'migrations', 'data-count': moves.length},
        sub: num(P, ['max_moves']) !== null && num(P, ['max_moves']) >= 0 ? 'at most ' + num(P, ['max_moves']) + ' allowed' : null});
    var feasibleBefore = get(P, 'before.feasible'), feasibleAfter = get(P, 'after.feasible');
    if (feasibleBefore === false || feasibleAfter === false) {
      placementFigure(figures, 'capacities', feasibleBefore === false ? 'broken' : 'kept', feasibleAfter === false ? 'broken' : 'kept',
        {name: 'capacities', before: {'data-figure': 'feasible-before', 'class': feasibleBefore === false ? 'bad' : null},
          after: {'data-figure': 'feasible-after', 'class': feasibleAfter === false ? 'bad' : null}, sub: 'CPU, memory, NIC and pins'});
    }
    var warnings = arr(P.warnings);
    if (warnings.length) {
      var warningList = el('ul', null, el('div', {'class': 'note warnings', 'data-note': 'placement-warnings'}, section));
      warnings.forEach(function (w) { el('li', null, warningList, String(w)); });
    }

    // The same pairs in both pictures: the heaviest, whatever their hosts.
    var pairs = arr(P.traffic).map(function (t) { return {a: String(t.a), b: String(t.b), bytes: num(t, ['bytes']) || 0}; })
      .filter(function (p) { return p.bytes > 0; }).sort(function (x, y) { return y.bytes - x.bytes; });
    var totalBytes = pairs.reduce(function (s, p) { return s + p.bytes; }, 0);
    var shownPairs = pairs.slice(0, PLACEMENT_EDGE_LIMIT);
    var maxBytes = pairs.length ? pairs[0].bytes : 1;
    el('h3', null, section, 'Hosts and their VMs, before and after');
    var legend = el('div', {'class': 'controls placement-legend'}, section);
    [['swatch', CROSS_COLOR, 'traffic across hosts'], ['swatch', WITHIN_COLOR, 'traffic within a host'],
      ['vm-swatch', MOVED_COLOR, 'a VM that migrates (dashed where it leaves)'], ['host-swatch', '#c62828', 'a host over its capacity']].forEach(function (l) {
      var item = el('span', null, legend);
      el('span', {'class': l[0], style: (l[0] === 'swatch' ? 'height:5px;background:' : 'border-color:') + l[1]}, item);
      item.appendChild(document.createTextNode(l[2]));
    });
    el('span', {'class': 'rowcount'}, legend, 'line width grows with the bytes (square root, one scale for both); hover for figures');
    if (pairs.length > shownPairs.length) {
      var shownBytes = shownPairs.reduce(function (s, p) { return s + p.bytes; }, 0);
      el('p', {'class': 'hint', 'data-note': 'edges-capped'}, section, 'The ' + fmtInt(shownPairs.length) + ' heaviest of ' + fmtInt(pairs.length) +
        ' VM pairs are drawn (' + fmtPercent(shownBytes / totalBytes) + ' of the bytes); the host-by-host maps below count them all.');
    }
    var layout = placementLayout([before, after]);
    var pair = el('div', {'class': 'side-by-side'}, section);
    [[before, 'Before', crossBefore], [after, 'After', crossAfter]].forEach(function (s) {
      var col = el('div', {'class': 'side', 'data-state': s[0].name}, pair);
      var heading = el('h4', null, col, s[1] + ': ');
      el('span', {'class': 'cross-figure'}, heading, fmtBytes(s[2]) + ' across hosts');
      var counts = drawPlacementPicture(col, s[0], layout, shownPairs, maxBytes, moved);
      col.setAttribute('data-cross-edges', counts.across);
    });

    el('h3', null, section, 'Migrations, in an order that keeps every host within CPU and memory after each');
    if (!moves.length && !unordered.length) {
      el('p', {'class': 'empty'}, section, 'No migration: the current placement is the best found.');
    }
    if (moves.length) {
      var list = el('ol', {'class': 'moves'}, section);
      moves.forEach(function (m) {
        var item = el('li', {'data-vm': m.vm}, list);
        var saved = num(m, ['bytes_saved']) || 0;
        el('strong', null, item, String(m.vm));
        item.appendChild(document.createTextNode(' ' + m.from + ' \u2192 ' + m.to + (m.transit ? ' (on the way, to make room)' : '') +
          ': ' + (saved >= 0 ? 'saves ' + fmtBytes(saved) : 'adds ' + fmtBytes(-saved)) + ' across hosts, copies ' + fmtInt(num(m, ['memory_mib'])) + ' MiB'));
        if (m.virsh) el('code', {'class': 'virsh'}, item, String(m.virsh));
      });
    }
    if (unordered.length) {
      el('p', {'class': 'hint'}, section, 'Moves no order keeps within capacity on the way:');
      var rest = el('ul', {'class': 'moves'}, section);
      unordered.forEach(function (m) { el('li', {'data-vm': m.vm}, rest, m.vm + ' ' + m.from + ' \u2192 ' + m.to); });
    }

    var namesBefore = hostMatrixNames('before'), namesAfter = hostMatrixNames('after');
    var mBefore = arr(get(P, 'before.host_matrix')), mAfter = arr(get(P, 'after.host_matrix'));
    if (mBefore.length || mAfter.length) {
      el('h3', null, section, 'Bytes between hosts');
      el('p', {'class': 'hint'}, section, 'Row and column: a host. Red: bytes between two hosts (each pair in two cells); blue, on the diagonal: bytes between VMs of one host. ' +
        'Darker is more, on one scale for both maps.');
      var maxAcross = 1, maxWithin = 1;
      [mBefore, mAfter].forEach(function (m) {
        m.forEach(function (row, i) { arr(row).forEach(function (v, j) { if (i === j) maxWithin = Math.max(maxWithin, v); else maxAcross = Math.max(maxAcross, v); }); });
      });
      var maps = el('div', {'class': 'side-by-side'}, section);
      [['before', 'Before', namesBefore, mBefore], ['after', 'After', namesAfter, mAfter]].forEach(function (s) {
        var col = el('div', {'class': 'side', 'data-state': s[0]}, maps);
        el('h4', null, col, s[1]);
        drawHostMatrix(col, s[0], s[2], s[3], maxAcross, maxWithin);
      });
    }

    el('h3', null, section, 'Host loads');
    var loadRows = after.order.map(function (host) {
      var was = before.loads[host] || {}, now = after.loads[host] || {};
      return {host: host, vms_before: (before.vms[host] || []).length, vms_after: (after.vms[host] || []).length,
        cpu_before: num(was, ['cpu']), cpu_after: num(now, ['cpu']), cpu_capacity: num(now, ['cpu_capacity']),
        memory_before: num(was, ['memory_mib']), memory_after: num(now, ['memory_mib']), memory_capacity: num(now, ['memory_capacity_mib']),
        nic_before: num(was, ['nic_p95_bits_per_second']), nic_after: num(now, ['nic_p95_bits_per_second']), nic: num(now, ['nic_bits_per_second'])};
    });
    function column(key, label, fmt) {
      return {key: key, label: label, num: key !== 'host', fmt: fmt || null, get: function (r) { return r[key]; }};
    }
    function mib(v) { return fmtInt(v) + ' MiB'; }
    function cpu(v) { return String(Math.round(v * 10) / 10); }
    makeTable(section, {id: 'placement_hosts', rows: loadRows, sort: {key: 'host', desc: false}, filter: 'filter hosts', columns: [
      column('host', 'host'), column('vms_before', 'VMs before'), column('vms_after', 'VMs after'),
      column('cpu_before', 'vCPU before', cpu), column('cpu_after', 'vCPU after', cpu), column('cpu_capacity', 'vCPU capacity', cpu),
      column('memory_before', 'memory before', mib), column('memory_after', 'memory after', mib), column('memory_capacity', 'memory capacity', mib),
      column('nic_before', 'NIC p95 before', fmtRate), column('nic_after', 'NIC p95 after', fmtRate), column('nic', 'NIC speed', fmtRate)]});

    var remaining = arr(P.remaining);
    if (remaining.length) {
      el('h3', null, section, 'Largest pairs still across hosts, and what keeps them apart');
      var kept = el('ul', {'class': 'remaining'}, section);
      remaining.forEach(function (r) {
        var item = el('li', null, kept, r.a + ' (' + r.a_host + ') \u2194 ' + r.b + ' (' + r.b_host + '): ' + fmtBytes(num(r, ['bytes'])));
        var why = arr(r.kept_apart);
        if (why.length) el('div', {'class': 'why'}, item, why.join('; '));
      });
    }
    var baselines = arr(P.baselines);
    if (baselines.length) {
      el('p', {'class': 'hint'}, section, 'Baselines, cross-host bytes: ' + baselines.map(function (b) {
        return String(b.name).replace(/_/g, ' ') + ' ' + fmtBytes(num(b, ['cross_host_bytes'])) + (b.feasible === false ? ' (breaks a rule)' : '');
      }).join('; ') + '.');
    }
  }

  // ---------- page assembly ----------
  function render() {
    buildSummary();
    buildBanner();
    var main = document.getElementById('views'), toc = document.getElementById('toc');
    VIEWS.forEach(function (view) {
      var section = el('section', {'class': 'view', id: view.id, 'data-view': view.id}, main);
      el('h2', null, section, view.title);
      el('a', {href: '#' + view.id}, toc, view.title);
      var notes = notesFor(view);
      notes.forEach(function (n) { addNote(section, n.message || ('Missing events: ' + n.events.join(', ') + '.'), n.command); });
      var present = doc[view.key] !== undefined && doc[view.key] !== null;
      if (!present) {
        if (!notes.length) addNote(section, 'No ' + view.what + ' in this document. They need the events ' + view.events.slice(0, 3).join(', ') +
          ' (a document written by a vnetscope without this analysis lacks them too)', view.command);
        section.setAttribute('data-missing', 'true');
        return;
      }
      try {
        view.draw(section);
      } catch (e) {
        reportError(view.title + ': ' + (e && e.message ? e.message : e));
      }
    });
    buildGeneralNotes();
    document.body.setAttribute('data-rendered', 'true');
  }

  // #selftest: exercise the page the way a reader would and record the outcome in the DOM for the headless test.
  function selfTest() {
    var result = {errors: [], views: {}, tables: {}};
    VIEWS.forEach(function (v) {
      var section = document.getElementById(v.id);
      result.views[v.id] = {svg: section.querySelectorAll('svg').length,
        shapes: section.querySelectorAll('svg path, svg rect, svg line, svg circle').length,
        notes: section.querySelectorAll('[data-note]').length};
    });
    tables.forEach(function (t) {
      var column = t.columns.filter(function (c) { return c.num; })[0];
      var out = {rows: t.size};
      if (column) {
        var idx = t.columns.indexOf(column);
        t.sortBy(column.key, true);
        out.sortedDescending = ordered(t, idx, function (a, b) { return a >= b; });
        t.sortBy(column.key, false);
        out.sortedAscending = ordered(t, idx, function (a, b) { return a <= b; });
        out.column = column.key;
      }
      var firstCell = t.table.querySelector('tbody td');
      if (firstCell && firstCell.textContent) {
        t.filter.value = firstCell.textContent;
        t.render();
        var kept = t.table.querySelectorAll('tbody tr');
        out.filterKeeps = kept.length;
        out.filterMatches = Array.prototype.every.call(kept, function (tr) { return tr.textContent.toLowerCase().indexOf(firstCell.textContent.toLowerCase()) >= 0; });
        t.filter.value = '';
        t.render();
      }
      result.tables[t.id] = out;
    });
    result.errors = Array.prototype.map.call(errorBox.querySelectorAll('li'), function (li) { return li.textContent; });
    el('pre', {id: 'selftest-result'}, document.body, JSON.stringify(result));
  }
  function ordered(t, idx, ok) {
    var cells = Array.prototype.map.call(t.table.querySelectorAll('tbody tr'), function (tr) {
      var v = tr.children[idx].getAttribute('data-v');
      return v === null ? null : +v;
    }).filter(function (v) { return v !== null; });
    for (var i = 1; i < cells.length; i++) if (!ok(cells[i - 1], cells[i])) return false;
    return true;
  }

  try {
    render();
  } catch (e) {
    reportError('report: ' + (e && e.message ? e.message : e));
  }
  if (location.hash === '#selftest') {
    try { selfTest(); } catch (e) { reportError('self-test: ' + e.message); }
  }
  // #only=<view id>: that view alone under the heading, e.g. for a picture of one view in the documentation.
  // The lost-events banner stays: it qualifies every view; notes about no view in particular go.
  var only = /^#only=([\w-]+)$/.exec(location.hash);
  if (only) {
    var shown = VIEWS.filter(function (v) { return v.id === only[1]; });
    if (!shown.length) reportError('#only: no view "' + only[1] + '"; views: ' + VIEWS.map(function (v) { return v.id; }).join(', '));
    else Array.prototype.forEach.call(document.querySelectorAll('section.view, nav, footer, #analysis-notes'), function (node) {
      node.hidden = node.id !== only[1];
    });
  }
})();
