(function () {
  "use strict";
  var ready = { drawn: null, iterationsDone: null, stabilized: null };
  window.aiecoReady = ready;
  var data = JSON.parse(document.getElementById("aieco-data").textContent);
  var tips = {};
  data.nodes.forEach(function (n) {
    if (n.tooltip) {
      // The tooltip HTML is built in Python from escaped strings only.
      var el = document.createElement("div");
      el.innerHTML = n.tooltip;
      tips[n.id] = n.tooltip;
      n.title = el;
      delete n.tooltip;
    }
  });
  data.nodes.forEach(function (n) { if (n.title === undefined && n.search) { n.title = n.search; } });
  data.edges.forEach(function (e, i) { if (e.id === undefined) { e.id = "e" + i; } });
  // labels are painted by the page (paintLabels), not by vis-network: kept aside here
  var names = {}, edgeNames = {};
  data.nodes.forEach(function (n) { if (n.label) { names[n.id] = String(n.label); } delete n.label; });
  data.edges.forEach(function (e) { if (e.label) { edgeNames[e.id] = String(e.label); } delete e.label; });
  // big views: vis-network spends ~25 µs making each edge an object before the first frame,
  // so their edges are painted by the page itself, under the nodes (see paintEdges below)
  var painted = !!data.paint_edges;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(painted ? [] : data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.nodes = nodes; window.edges = edges; window.network = network;
  // small views fill the pane (vis-network's fit stops at zoom 1 by default)
  var FIT = { maxZoomLevel: 1.8, minZoomLevel: 0.001 };
  network.fit(FIT);
  window.aiecoFit = function () { network.fit(FIT); };
  var physics = !!(data.options.physics && data.options.physics.enabled);
  // the map: outlines drawn under the network, in the network's own coordinates
  var outlines = data.outlines || [];
  window.aiecoOutlines = { count: outlines.length, drawn: 0, layers: outlines };
  if (outlines.length) {
    network.on("beforeDrawing", function (ctx) {
      ctx.save();
      outlines.forEach(function (o) {
        var division = o.layer !== "countries";  // US states, China's provinces
        ctx.lineWidth = division ? 1.2 : 2;
        ctx.strokeStyle = division ? "#b4bfcb" : "#8d9aa8";
        ctx.fillStyle = division ? "rgba(0,0,0,0)" : "#f3f5f2";
        o.rings.forEach(function (r) {
          ctx.beginPath();
          ctx.moveTo(r[0], r[1]);
          for (var i = 2; i < r.length; i += 2) { ctx.lineTo(r[i], r[i + 1]); }
          ctx.closePath();
          if (o.layer === "countries") { ctx.fill(); }
          ctx.stroke();
        });
      });
      ctx.restore();
      window.aiecoOutlines.drawn += 1;
    });
  }
  var edgeOn = painted ? paintEdges() : null;
  window.aiecoEdges = { painted: painted, drawn: 0, frames: 0 };

  // Every edge a straight line from its nodes' current positions (so dragging and zooming move
  // them), one path per colour and width; a selected node's edges are drawn again on top,
  // thicker. Edges of hidden nodes or years are left out (edgeOn, set by the filters).
  function paintEdges() {
    var index = {}, ids = [];
    data.nodes.forEach(function (n, i) { index[n.id] = i; ids.push(n.id); });
    var m = data.edges.length, from = new Int32Array(m), to = new Int32Array(m);
    var on = new Uint8Array(m).fill(1), styles = [], styleAt = {}, touching = {};
    var edgeOptions = data.options.edges || {};
    data.edges.forEach(function (e, i) {
      from[i] = index[e.from]; to[i] = index[e.to];
      var color = (e.color && typeof e.color === "object") ? e.color.color : e.color;
      color = color || (edgeOptions.color && edgeOptions.color.color) || "#848484";
      var width = e.width || edgeOptions.width || 1;
      var key = color + " " + width;
      if (styleAt[key] === undefined) { styleAt[key] = styles.length; styles.push({ color: color, width: width, edges: [] }); }
      styles[styleAt[key]].edges.push(i);
      (touching[from[i]] = touching[from[i]] || []).push(i);
      (touching[to[i]] = touching[to[i]] || []).push(i);
    });
    var xs = new Float64Array(ids.length), ys = new Float64Array(ids.length);
    function stroke(ctx, list, width, color) {
      ctx.beginPath();
      ctx.strokeStyle = color; ctx.lineWidth = width;
      var n = 0;
      for (var j = 0; j < list.length; j++) {
        var i = list[j];
        if (!on[i]) { continue; }
        ctx.moveTo(xs[from[i]], ys[from[i]]); ctx.lineTo(xs[to[i]], ys[to[i]]);
        n += 1;
      }
      ctx.stroke();
      return n;
    }
    network.on("beforeDrawing", function (ctx) {
      var positions = network.getPositions();
      for (var k = 0; k < ids.length; k++) { var p = positions[ids[k]]; if (p) { xs[k] = p.x; ys[k] = p.y; } }
      var least = 0.3 / network.getScale(), drawn = 0;  // vis-network's thinnest line
      ctx.save();
      styles.forEach(function (s) { drawn += stroke(ctx, s.edges, Math.max(s.width, least), s.color); });
      network.getSelectedNodes().forEach(function (id) {  // by a click or by the finder
        stroke(ctx, touching[index[id]] || [], Math.max(3, 3 * least), "#2B7CE9");
      });
      ctx.restore();
      window.aiecoEdges.drawn = drawn; window.aiecoEdges.frames += 1;
    });
    return on;
  }

  network.once("afterDrawing", function () {
    ready.drawn = performance.now();
    if (!physics) { ready.stabilized = ready.drawn; }
  });
  network.once("stabilizationIterationsDone", function () { ready.iterationsDone = performance.now(); });
  network.once("stabilized", function () { if (ready.stabilized === null) { ready.stabilized = performance.now(); } });

  var details = document.getElementById("details");
  function show(id) {
    if (tips[id]) { details.innerHTML = tips[id]; }
    else { details.textContent = names[id] || String(id); }
  }

  // ---- labels, the way VOSviewer draws them ------------------------------------------------
  // At a constant size on screen, most important first (the node's size carries the view's
  // measure), each only where it meets no label already drawn and no other node; redrawn on
  // every frame, so zooming in shows more. Edge labels (a flow's count, a rank) come after the
  // nodes' on views of up to EDGE_LABELS_UP_TO edges, and on any view for the edge under the mouse.
  var EDGE_LABELS_UP_TO = 150, MOST_LABELS = 600, BOLD_TOP = 12;
  var order = data.nodes.map(function (n, i) { return i; }).filter(function (i) { return names[data.nodes[i].id]; });
  order.sort(function (a, b) { return ((data.nodes[b].size || 0) - (data.nodes[a].size || 0)) || (a - b); });
  var hiddenNow = {}, hoveredEdge = null, widths = {};
  var labelStats = { drawn: 0, edgeLabels: 0 };
  window.aiecoLabels = labelStats;
  network.on("hoverEdge", function (p) { hoveredEdge = p.edge; network.redraw(); });
  network.on("blurEdge", function () { hoveredEdge = null; network.redraw(); });
  network.on("afterDrawing", paintLabels);
  function paintLabels(ctx) {
    var canvas = ctx.canvas, W = canvas.clientWidth, H = canvas.clientHeight;
    var ratio = canvas.width / (W || 1), scale = network.getScale();
    var positions = network.getPositions(), CELL = 40, grid = {};
    function cells(b, visit) {
      for (var gx = Math.floor(b[0] / CELL); gx <= Math.floor((b[0] + b[2]) / CELL); gx++) {
        for (var gy = Math.floor(b[1] / CELL); gy <= Math.floor((b[1] + b[3]) / CELL); gy++) {
          if (visit(gx + "," + gy) === false) { return false; }
        }
      }
      return true;
    }
    function put(b, owner) { cells(b, function (k) { (grid[k] = grid[k] || []).push([b, owner]); }); }
    function free(b, self) {
      if (b[0] < 0 || b[1] < 0 || b[0] + b[2] > W || b[1] + b[3] > H) { return false; }
      return cells(b, function (k) {
        var list = grid[k] || [];
        for (var i = 0; i < list.length; i++) {
          var o = list[i][0];
          if (list[i][1] !== self && o[0] < b[0] + b[2] && b[0] < o[0] + o[2] && o[1] < b[1] + b[3] && b[1] < o[1] + o[3]) { return false; }
        }
      });
    }
    var screen = {};
    data.nodes.forEach(function (n) {  // every node on screen is an obstacle for labels
      if (hiddenNow[n.id]) { return; }
      var p = positions[n.id]; if (!p) { return; }
      var d = network.canvasToDOM(p), r = (n.size === undefined ? 25 : n.size) * scale;
      if (d.x + r < 0 || d.y + r < 0 || d.x - r > W || d.y - r > H) { return; }
      screen[n.id] = [d.x, d.y, r];
      put([d.x - r, d.y - r, 2 * r, 2 * r], n.id);
    });
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textBaseline = "top"; ctx.textAlign = "left"; ctx.lineJoin = "round";
    function draw(text, b, font, color) {
      ctx.font = font; ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.92)";
      ctx.strokeText(text, b[0], b[1] + 1); ctx.fillStyle = color; ctx.fillText(text, b[0], b[1] + 1);
    }
    function width(key, text, font) {
      if (widths[key] === undefined) { ctx.font = font; widths[key] = ctx.measureText(text).width; }
      return widths[key];
    }
    var drawn = 0, budget = performance.now() + 25;
    for (var k = 0; k < order.length && drawn < MOST_LABELS; k++) {
      var n = data.nodes[order[k]], s = screen[n.id];
      if (!s) { continue; }
      var big = k < BOLD_TOP, font = big ? "600 13px system-ui, sans-serif" : "12px system-ui, sans-serif";
      var text = names[n.id], w = width((big ? "b" : "n") + n.id, text, font), h = big ? 16 : 15;
      var d = s[2] * 0.72;  // the diagonals touch the disc's edge
      var spots = [[s[0] - w / 2, s[1] + s[2] + 2], [s[0] + s[2] + 3, s[1] - h / 2],
                   [s[0] - w / 2, s[1] - s[2] - h - 2], [s[0] - s[2] - 3 - w, s[1] - h / 2],
                   [s[0] + d + 2, s[1] + d], [s[0] + d + 2, s[1] - d - h],
                   [s[0] - d - 2 - w, s[1] + d], [s[0] - d - 2 - w, s[1] - d - h]];
      for (var j = 0; j < spots.length; j++) {
        var b = [spots[j][0], spots[j][1], w, h];
        if (free(b, n.id)) { put(b, "label"); draw(text, b, font, "#1d2733"); drawn += 1; break; }
      }
      if ((k & 63) === 63 && performance.now() > budget) { break; }  // a huge view: the rest on zoom
    }
    var edgeDrawn = 0, few = data.edges.length <= EDGE_LABELS_UP_TO;
    if (!painted && (few || hoveredEdge !== null)) {
      var ids = few ? Object.keys(edgeNames) : [hoveredEdge];
      if (hoveredEdge !== null && few) { ids.sort(function (a) { return a === hoveredEdge ? -1 : 0; }); }
      ids.forEach(function (id) {
        var e = edges.get(id), body = network.body.edges[id];
        if (!e || e.hidden || !edgeNames[id] || !body || !body.edgeType || hiddenNow[e.from] || hiddenNow[e.to]) { return; }
        var m = network.canvasToDOM(body.edgeType.getPoint(0.5)), font = "11px system-ui, sans-serif";
        var text = edgeNames[id], w = width("e" + id, text, font), b = [m.x - w / 2, m.y - 7, w, 14];
        if (free(b, null)) { put(b, "label"); draw(text, b, font, "#5b3a73"); edgeDrawn += 1; }
      });
    }
    ctx.restore();
    labelStats.drawn = drawn; labelStats.edgeLabels = edgeDrawn;
  }
  network.on("click", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });

  // ---- the map: places fold what they hold when zoomed out -----------------------------
  // Each place (city, or a state or country at the centre of its cities) is drawn at least
  // min_px on screen, most central first; a place whose symbol would meet one already drawn is
  // folded into it (hidden) for this zoom. The organisations around a place are drawn from the
  // zoom at which their ring clears every place's symbol (spread_at), else folded into it.
  var geo = data.geo || null, filtered = {}, folded = {}, lastScale = null;
  var baseSize = {};
  data.nodes.forEach(function (n) { baseSize[n.id] = n.size === undefined ? 25 : n.size; });
  var homeOf = {};
  data.nodes.forEach(function (n) { if (n.home !== undefined) { homeOf[n.id] = n.home; } });
  var foldStats = { folded: 0, places: 0 };
  window.aiecoFolds = foldStats;
  function fold(force) {
    var s = network.getScale();
    if (!force && s === lastScale) { return; }
    lastScale = s;
    var pos = network.getPositions(geo.places), CELL = 24, grid = {}, next = {}, sizes = {};
    geo.places.forEach(function (id) {
      if (filtered[id] || !pos[id]) { return; }
      var r = Math.max(baseSize[id] * s, geo.min_px[id] || 0), x = pos[id].x * s, y = pos[id].y * s;
      var gx = Math.floor(x / CELL), gy = Math.floor(y / CELL), reach = Math.ceil((r + 20) / CELL), hit = false;
      for (var i = gx - reach; i <= gx + reach && !hit; i++) {
        for (var j = gy - reach; j <= gy + reach && !hit; j++) {
          (grid[i + "," + j] || []).forEach(function (o) { if (Math.hypot(o[0] - x, o[1] - y) < o[2] + r + 2) { hit = true; } });
        }
      }
      if (hit) { next[id] = true; return; }
      (grid[gx + "," + gy] = grid[gx + "," + gy] || []).push([x, y, r]);
      sizes[id] = r / s;
    });
    Object.keys(homeOf).forEach(function (m) {
      var h = homeOf[m];
      if (next[h] || filtered[h] || s < (geo.spread_at[h] || 0)) { next[m] = true; }
    });
    var updates = [], n = 0;
    data.nodes.forEach(function (node) {
      var id = node.id, was = folded[id] === true, now = next[id] === true;
      if (now) { n += 1; }
      var size = sizes[id] !== undefined ? Math.max(sizes[id], baseSize[id]) : baseSize[id];
      if (was !== now || (sizes[id] !== undefined && Math.abs(size - (node.shownSize || baseSize[id])) > 1e-6 * size)) {
        node.shownSize = size;
        updates.push({ id: id, hidden: filtered[id] === true || now, size: size });
      }
      hiddenNow[id] = filtered[id] === true || now;
    });
    folded = next;
    foldStats.folded = n; foldStats.places = geo.places.length;
    if (updates.length) { nodes.update(updates); }
  }
  if (geo) {
    network.on("beforeDrawing", function () { fold(false); });
    fold(true);
  }

  // ---- flows painted as flows: curved arrows, width on screen proportional to the count ------
  data.flows = data.flows || [];
  var flowOn = new Uint8Array(data.flows.length);
  data.flows.forEach(function (f, i) { flowOn[i] = f.all ? 1 : 0; });
  var flowStats = { drawn: 0, list: [], flows: data.flows };
  window.aiecoFlows = flowStats;
  if (data.flows.length) {
    network.on("beforeDrawing", function (ctx) {
      var s = network.getScale(), drawn = [];
      ctx.save();
      data.flows.forEach(function (f, i) {
        if (!flowOn[i]) { return; }
        var dx = f.x1 - f.x0, dy = f.y1 - f.y0, len = Math.hypot(dx, dy);
        if (len * s < 4) { return; }
        // bend to the right of the direction: A → B and B → A do not lie on each other
        var cx = (f.x0 + f.x1) / 2 - dy * 0.18, cy = (f.y0 + f.y1) / 2 + dx * 0.18;
        var w = f.width / s, head = Math.max(7, 2.2 * f.width) / s;
        var tx = f.x1 - cx, ty = f.y1 - cy, tl = Math.hypot(tx, ty) || 1;
        var ex = f.x1 - tx / tl * head, ey = f.y1 - ty / tl * head;  // the line stops at the head
        ctx.beginPath();
        ctx.moveTo(f.x0, f.y0); ctx.quadraticCurveTo(cx, cy, ex, ey);
        ctx.lineWidth = w; ctx.lineCap = "butt";
        ctx.strokeStyle = "rgba(142, 68, 173, 0.72)";
        ctx.setLineDash(f.dashes ? [6 / s, 4 / s] : []);
        ctx.stroke();
        ctx.setLineDash([]);
        var nx = -ty / tl, ny = tx / tl, half = Math.max(w, 4 / s) * 0.9 + 2 / s;
        ctx.beginPath();
        ctx.moveTo(f.x1, f.y1);
        ctx.lineTo(ex + nx * half, ey + ny * half); ctx.lineTo(ex - nx * half, ey - ny * half);
        ctx.closePath(); ctx.fillStyle = "rgba(110, 44, 140, 0.9)"; ctx.fill();
        drawn.push(i);
      });
      ctx.restore();
      flowStats.drawn = drawn.length; flowStats.list = drawn;
    });
  }

  // ---- preset frames (the map) ----------------------------------------------------------
  document.querySelectorAll("#frames button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.dataset.frame;
      if (key === "fit") { network.fit(FIT); return; }
      var f = data.frames[Number(key)], box = container.getBoundingClientRect();
      var scale = Math.min(box.width / (f.x1 - f.x0), box.height / (f.y1 - f.y0));
      network.moveTo({ position: { x: (f.x0 + f.x1) / 2, y: (f.y0 + f.y1) / 2 }, scale: scale });
    });
  });

  // ---- filters: node types (legend) and the year slider, one rule for both ----------------
  var hiddenType = {};
  document.querySelectorAll("#legend input").forEach(function (box) {
    box.addEventListener("change", function () {
      hiddenType[box.dataset.type] = !box.checked;
      apply();
    });
  });
  var years = [];
  data.nodes.concat(data.edges, data.flows).forEach(function (x) {
    if (x.start !== undefined) { years.push(x.start); }
    if (x.end !== undefined) { years.push(x.end); }
  });
  var yearBox = document.getElementById("years");
  var slider = document.getElementById("year");
  var allYears = document.getElementById("all-years");
  var since = document.getElementById("since");
  var yearOut = document.getElementById("year-out");
  var summary = document.getElementById("year-summary");
  var counts = document.getElementById("counts");
  function validIn(x, y) {
    return (x.start === undefined || x.start <= y) && (x.end === undefined || x.end >= y);
  }
  if (years.length) {
    // the slider starts at the first modern year the data give (seed 004 cites the year 1000)
    var modern = years.filter(function (y) { return y >= 1900; });
    var lo = Math.min.apply(null, modern.length ? modern : years), hi = Math.max.apply(null, years);
    yearBox.hidden = false;
    slider.min = lo; slider.max = hi; slider.value = hi;
    for (var y = lo; y <= hi; y++) {
      var opt = document.createElement("option");
      opt.value = String(y); opt.textContent = String(y);
      since.appendChild(opt);
    }
  }
  var visible = { nodes: data.nodes.length, edges: data.edges.length, added: 0, gone: 0 };
  window.aiecoVisible = visible;
  function apply() {
    var year = allYears.checked ? null : Number(slider.value);
    var then = since.value === "" || year === null ? null : Number(since.value);
    yearOut.textContent = year === null ? "all years" : String(year);
    var shown = {}, nodeUpdates = [], edgeUpdates = [], added = 0, gone = 0;
    data.nodes.forEach(function (n) {
      var on = !hiddenType[n.type] && (year === null || validIn(n, year));
      var fresh = on && then !== null && !validIn(n, then);
      if (on) { shown[n.id] = true; }
      if (fresh) { added += 1; }
      if (!on && then !== null && !hiddenType[n.type] && validIn(n, then)) { gone += 1; }
      filtered[n.id] = !on;
      nodeUpdates.push({ id: n.id, hidden: !on || folded[n.id] === true, borderWidth: fresh ? 5 : 1 });
      hiddenNow[n.id] = !on || folded[n.id] === true;
    });
    // every year: one arrow a corridor (distinct researchers over all years); a year: that year's
    data.flows.forEach(function (f, i) { flowOn[i] = (year === null ? f.all : !f.all && validIn(f, year)) ? 1 : 0; });
    var nEdges = 0;
    data.edges.forEach(function (e, i) {
      var on = shown[e.from] === true && shown[e.to] === true && (year === null || validIn(e, year));
      if (on) { nEdges += 1; }
      if (edgeOn) { edgeOn[i] = on ? 1 : 0; } else { edgeUpdates.push({ id: e.id, hidden: !on }); }
    });
    nodes.update(nodeUpdates);
    if (geo) { fold(true); }
    if (data.flows.length) { network.redraw(); }
    if (edgeOn) { network.redraw(); } else { edges.update(edgeUpdates); }
    visible.nodes = Object.keys(shown).length; visible.edges = nEdges;
    visible.added = added; visible.gone = gone;
    counts.textContent = visible.nodes + " of " + data.nodes.length + " nodes · " +
      nEdges + " of " + data.edges.length + " edges shown";
    summary.textContent = then === null ? "" :
      "Since " + then + ": " + added + " new (thick border), " + gone + " no longer valid.";
  }
  // moving the slider chooses a year; the checkbox and "changes since" re-apply as they are
  slider.addEventListener("input", function () { allYears.checked = false; apply(); });
  // the play button walks the years, one a second, from the first (or the one shown) to the last
  var play = document.getElementById("play"), timer = null;
  function stop() { if (timer !== null) { clearInterval(timer); timer = null; } play.textContent = "▶ play"; }
  play.addEventListener("click", function () {
    if (timer !== null) { stop(); return; }
    allYears.checked = false;
    if (Number(slider.value) >= Number(slider.max)) { slider.value = slider.min; }
    apply();
    play.textContent = "❚❚ pause";
    timer = setInterval(function () {
      if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
      slider.value = String(Number(slider.value) + 1);
      apply();
    }, Number(play.dataset.interval || 1000));
  });
  allYears.addEventListener("change", apply);
  since.addEventListener("change", apply);

  // the finder is built after the first frame: with thousands of entities its options cost
  // more than drawing them, and nobody searches before the map is on screen
  var select = document.getElementById("find");
  function buildFinder() {
    var finder = new TomSelect(select, {
      maxOptions: 50,
      create: false,
      valueField: "id",
      labelField: "text",
      searchField: ["text"],
      options: data.nodes.map(function (n) { return { id: n.id, text: n.search || names[n.id] || n.id }; })
    });
    finder.on("change", function (id) {
      if (!id || !nodes.get(id)) { return; }
      network.selectNodes([id]);
      network.focus(id, { scale: 1.2, animation: { duration: 400 } });
      show(id);
    });
    window.aiecoFinder = finder;
  }
  network.once("afterDrawing", function () { setTimeout(buildFinder, 0); });
})();
