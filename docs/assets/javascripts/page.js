/* 年报库 page tools: the 打印 and 复制链接 buttons (overrides/partials/actions.html), and the
 * highlighting of the searched terms on a page reached from a search result (`?h=` in its
 * address, set by search.js). Without JavaScript the buttons stay hidden and nothing is marked. */
(function () {
  "use strict";

  // Parts of a page that are not its text: navigation, the search panel, tools.
  var SKIP = "script, style, nav, header, footer, .nb-search-panel, .nb-actions, .nb-outline, .headerlink";

  var normalise = window.nianbaoText.normalise;

  function setUpActions() {
    document.querySelectorAll(".nb-actions").forEach(function (bar) {
      var status = bar.querySelector(".nb-action__status");
      bar.querySelectorAll("[data-nb-action]").forEach(function (button) {
        var action = button.getAttribute("data-nb-action");
        if (action === "copy-link" && !(navigator.clipboard && window.isSecureContext)) {
          // Plain http on an intranet host: the clipboard is not offered, so the address is
          // shown selected instead for the reader to copy.
          button.textContent = "本页链接";
        }
        button.addEventListener("click", function () {
          if (action === "print") window.print();
          else copyLink(status);
        });
      });
      bar.hidden = false;
    });
  }

  /* The page's address without the highlight and search parameters. */
  function pageAddress() {
    var url = new URL(window.location.href);
    url.searchParams.delete("h");
    url.searchParams.delete("q");
    return url.href;
  }

  function copyLink(status) {
    var address = pageAddress();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(address).then(
        function () { status.textContent = "已复制本页链接。"; },
        function () { showAddress(status, address); }
      );
    } else {
      showAddress(status, address);
    }
  }

  function showAddress(status, address) {
    status.replaceChildren();
    var field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = address;
    field.className = "nb-action__address";
    field.setAttribute("aria-label", "本页链接（已选中，可复制）");
    status.append(field);
    field.focus();
    field.select();
  }

  /* Terms to mark: one `h=` a term (a phrase may hold spaces). */
  function highlightTerms() {
    return new URL(window.location.href).searchParams.getAll("h")
      .map(function (term) { return normalise(term).trim(); })
      .filter(Boolean);
  }

  /* Wrap every occurrence of the terms in the article's text in <mark class="nb-hit">; scroll to
   * the first one unless the address names a section. */
  function highlight() {
    var terms = highlightTerms();
    var article = document.querySelector("article.md-content__inner");
    if (!terms.length || !article) return;
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (!parent || parent.closest(SKIP)) return NodeFilter.FILTER_REJECT;
        return node.data.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var marks = [];
    nodes.forEach(function (node) { marks.push.apply(marks, markNode(node, terms)); });
    if (!marks.length) return;
    // With a #section the browser has scrolled there already; otherwise show the first match.
    if (!window.location.hash) marks[0].scrollIntoView({ block: "center" });
  }

  /* Marks in one text node, matching after NFKC (so "99.85％" finds "99.85%"). */
  function markNode(node, terms) {
    var text = node.data;
    var mapped = window.nianbaoText.normaliseWithMap(text);
    var norm = mapped.norm;
    var map = mapped.map;
    var spans = [];
    terms.forEach(function (term) {
      for (var at = norm.indexOf(term); at !== -1; at = norm.indexOf(term, at + term.length)) {
        spans.push([map[at], map[at + term.length]]);
      }
    });
    if (!spans.length) return [];
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var fragment = document.createDocumentFragment();
    var marks = [];
    var cursor = 0;
    spans.forEach(function (span) {
      if (span[0] < cursor) return;
      fragment.append(text.slice(cursor, span[0]));
      var mark = document.createElement("mark");
      mark.className = "nb-hit";
      mark.textContent = text.slice(span[0], span[1]);
      fragment.append(mark);
      marks.push(mark);
      cursor = span[1];
    });
    fragment.append(text.slice(cursor));
    node.replaceWith(fragment);
    return marks;
  }

  function start() {
    setUpActions();
    highlight();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
