/* unmask network map: draws the embedded network with sigma.js, opens an account card on a click, finds
 * accounts by handle, name or id, and highlights a cluster from the legend.
 *
 * Every value from the data is hostile text: it is only ever set with textContent, and links are built from
 * the page's own prefixes (data-cluster-href, data-account-href) plus encodeURIComponent.
 */
(function () {
  "use strict";

  var MUTED = "#e3e7ec";
  var EDGE = "#c3cad3";
  var MAX_RESULTS = 20;

  var container = document.getElementById("network-map");
  var source = document.getElementById("network-data");
  if (!container || !source) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var graph = new graphology.Graph({ type: "undirected" });
  var cards = {};
  data.nodes.forEach(function (node) {
    graph.addNode(node.id, {
      x: node.x, y: node.y, size: node.size, color: node.color, label: node.label, cluster: node.cluster
    });
    cards[node.id] = node.card;
  });
  data.edges.forEach(function (edge) {
    var a = data.nodes[edge[0]].id;
    var b = data.nodes[edge[1]].id;
    if (!graph.hasEdge(a, b)) {
      graph.addEdge(a, b, { size: 0.4 + 1.6 * edge[2], color: EDGE });
    }
  });

  var state = { selected: null, neighbours: null, cluster: null };
  var renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: 10,
    labelFont: "system-ui, sans-serif",
    zIndex: true,
    nodeReducer: function (node, attrs) {
      var shown = Object.assign({}, attrs);
      var muted = state.selected !== null
        ? node !== state.selected && !state.neighbours.has(node)
        : state.cluster !== null && attrs.cluster !== state.cluster;
      if (muted) {
        shown.color = MUTED;
        shown.label = "";
        shown.zIndex = 0;
      } else {
        shown.zIndex = 1;
      }
      if (node === state.selected) {
        shown.highlighted = true;
      }
      return shown;
    },
    edgeReducer: function (edge, attrs) {
      var shown = Object.assign({}, attrs);
      if (state.selected !== null) {
        shown.hidden = !graph.hasExtremity(edge, state.selected);
      } else if (state.cluster !== null) {
        var ends = graph.extremities(edge);
        shown.hidden = graph.getNodeAttribute(ends[0], "cluster") !== state.cluster ||
          graph.getNodeAttribute(ends[1], "cluster") !== state.cluster;
      }
      return shown;
    }
  });

  var card = document.getElementById("network-card");
  var clusterHref = container.getAttribute("data-cluster-href");

  /* A cluster links to its section ("#cluster-3", only when the page has one) or to its page ("/cluster/3"). */
  function clusterLinked(cluster) {
    if (!clusterHref) {
      return false;
    }
    return clusterHref.charAt(0) !== "#" || document.getElementById(clusterHref.slice(1) + cluster) !== null;
  }

  function element(tag, text, className) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) {
      el.textContent = String(text);
    }
    if (className) {
      el.className = className;
    }
    return el;
  }

  function row(list, name, value) {
    if (value === undefined || value === null || value === "") {
      return;
    }
    list.appendChild(element("dt", name));
    var dd = element("dd");
    if (value instanceof Node) {
      dd.appendChild(value);
    } else {
      dd.appendChild(element("bdi", value));
    }
    list.appendChild(dd);
  }

  function link(prefix, parts, text) {
    var a = element("a", text);
    a.setAttribute("href", prefix + parts.map(function (p) { return encodeURIComponent(String(p)); }).join("/"));
    return a;
  }

  function showCard(node) {
    if (!card) {
      return;
    }
    card.replaceChildren();
    if (node === null) {
      card.appendChild(element("p", "Click an account on the map, or find one by name.", "muted"));
      return;
    }
    var info = cards[node];
    var title = element("h3");
    title.appendChild(element("bdi", info.handle ? "@" + info.handle : info.account_id));
    card.appendChild(title);
    if (info.name) {
      card.appendChild(element("p", null, "card-name")).appendChild(element("bdi", info.name));
    }
    var list = element("dl");
    row(list, "Platform", info.platform);
    row(list, "Account id", info.account_id);
    var cluster = graph.getNodeAttribute(node, "cluster");
    if (cluster !== null && cluster !== undefined) {
      row(list, "Cluster", clusterLinked(cluster) ? link(clusterHref, [cluster], "C" + cluster) : "C" + cluster);
    }
    row(list, "Coordination score", info.score);
    row(list, "Persona score", info.persona_score);
    row(list, "Created", info.created);
    row(list, "Followers", info.followers);
    row(list, "Posts in case", info.posts);
    row(list, "Verdict", info.verdict);
    card.appendChild(list);
    if (info.reasons && info.reasons.length) {
      card.appendChild(element("h4", "Why flagged"));
      var reasons = element("ul");
      info.reasons.forEach(function (reason) {
        reasons.appendChild(element("li")).appendChild(element("bdi", reason));
      });
      card.appendChild(reasons);
    }
    var accountHref = container.getAttribute("data-account-href");
    if (accountHref) {
      card.appendChild(element("p")).appendChild(link(accountHref, [info.platform, info.account_id],
        "Open account and evidence"));
    }
  }

  function select(node) {
    state.selected = node;
    state.neighbours = node === null ? null : new Set(graph.neighbors(node));
    if (node !== null) {
      state.cluster = null;
      var shown = renderer.getNodeDisplayData(node);
      renderer.getCamera().animate({ x: shown.x, y: shown.y, ratio: 0.35 }, { duration: 300 });
    }
    showCard(node);
    renderer.refresh();
  }

  function highlightCluster(cluster) {
    state.cluster = state.cluster === cluster ? null : cluster;
    state.selected = null;
    state.neighbours = null;
    showCard(null);
    renderer.refresh();
  }

  renderer.on("clickNode", function (event) { select(event.node); });
  renderer.on("clickStage", function () { select(null); });

  var search = document.getElementById("network-search");
  var results = document.getElementById("network-results");
  if (search && results) {
    search.addEventListener("input", function () {
      results.replaceChildren();
      var query = search.value.trim().toLowerCase().replace(/^@/, "");
      if (!query) {
        return;
      }
      var found = 0;
      graph.forEachNode(function (node) {
        var info = cards[node];
        var text = [info.handle, info.name, info.account_id].join("\n").toLowerCase();
        if (found < MAX_RESULTS && text.indexOf(query) !== -1) {
          var button = element("button", null, "result");
          button.type = "button";
          button.appendChild(element("bdi", info.handle ? "@" + info.handle : info.account_id));
          if (info.name) {
            button.appendChild(element("span", " "));
            button.appendChild(element("bdi", info.name, "muted"));
          }
          button.addEventListener("click", function () { select(node); });
          results.appendChild(element("li")).appendChild(button);
          found += 1;
        }
      });
      if (!found) {
        results.appendChild(element("li", "No account on the map matches.", "muted"));
      }
    });
  }

  document.querySelectorAll("[data-legend-cluster]").forEach(function (button) {
    button.addEventListener("click", function () {
      highlightCluster(Number(button.getAttribute("data-legend-cluster")));
    });
  });

  showCard(null);
  window.unmaskNetwork = { graph: graph, renderer: renderer, select: select };
})();
