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
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  window.nodes = nodes; window.edges = edges; window.network = network;
  var physics = !!(data.options.physics && data.options.physics.enabled);
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

  var hidden = {};
  document.querySelectorAll("#legend input").forEach(function (box) {
    box.addEventListener("change", function () {
      hidden[box.dataset.type] = !box.checked;
      nodes.update(nodes.get({ filter: function (n) { return n.type === box.dataset.type; } })
        .map(function (n) { return { id: n.id, hidden: !box.checked }; }));
    });
  });

  var select = document.getElementById("find");
  data.nodes.forEach(function (n) {
    var opt = document.createElement("option");
    opt.value = n.id;
    opt.textContent = n.search || n.label || n.id;
    select.appendChild(opt);
  });
  var finder = new TomSelect(select, { maxOptions: 50, create: false });
  finder.on("change", function (id) {
    if (!id || !nodes.get(id)) { return; }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: { duration: 400 } });
    show(id);
  });
})();
