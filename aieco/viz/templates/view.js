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
  // big views: vis-network spends ~25 µs making each edge an object before the first frame,
  // so their edges are painted by the page itself, under the nodes (see paintEdges below)
  var painted = !!data.paint_edges;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(painted ? [] : data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.nodes = nodes; window.edges = edges; window.network = network;
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
    else { details.textContent = String(nodes.get(id) ? nodes.get(id).label : id); }
  }
  network.on("click", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });

  // ---- filters: node types (legend) and the year slider, one rule for both ----------------
  var hiddenType = {};
  document.querySelectorAll("#legend input").forEach(function (box) {
    box.addEventListener("change", function () {
      hiddenType[box.dataset.type] = !box.checked;
      apply();
    });
  });
  var years = [];
  data.nodes.concat(data.edges).forEach(function (x) {
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
      nodeUpdates.push({ id: n.id, hidden: !on, borderWidth: fresh ? 5 : 1 });
    });
    var nEdges = 0;
    data.edges.forEach(function (e, i) {
      var on = shown[e.from] === true && shown[e.to] === true && (year === null || validIn(e, year));
      if (on) { nEdges += 1; }
      if (edgeOn) { edgeOn[i] = on ? 1 : 0; } else { edgeUpdates.push({ id: e.id, hidden: !on }); }
    });
    nodes.update(nodeUpdates);
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
      options: data.nodes.map(function (n) { return { id: n.id, text: n.search || n.label || n.id }; })
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
