/* 年报库 search box: the query goes through the same analysis as the index (scripts/nianbao/
 * analysis.py), Pagefind finds the candidate sections, and every candidate is checked against
 * its own text, so a result always contains every term as written. No external requests:
 * Pagefind's bundle is served from the site's own pagefind/ folder. */
(function () {
  "use strict";

  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u3007";
  var RUN_SOURCE = "([" + HAN + "]+)|((?:(?![" + HAN + "])[\\p{L}\\p{N}])+)";
  var INVISIBLE = /[\u00ad\u200b-\u200f\u2060\ufeff]/g;
  var BATCH = 10; // fragments (one a report) loaded at a time
  var FIRST_BATCH = 3; // fragments loaded before the first results are shown
  var PAGE_RESULTS = 10; // verified reports shown before "显示更多"
  var EXCERPT_CHARS = 60; // characters of context on each side of a match
  var FILTER_NAMES = ["年度", "机构", "类型", "主题"];

  function normalise(text) {
    return text.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
  }

  /* Mirrors analysis._spell: three base-35 digits from U+3400, else "z" + five hex digits. */
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxy";
  function spell(ch) {
    var code = ch.codePointAt(0);
    var offset = code - 0x3400;
    if (offset < 0 || offset >= 35 * 35 * 35) return "z" + code.toString(16).padStart(5, "0");
    return DIGITS[Math.floor(offset / 1225)] + DIGITS[Math.floor(offset / 35) % 35] + DIGITS[offset % 35];
  }

  function hanToken(chars) {
    var token = "h";
    for (var ch of chars) token += spell(ch);
    return token;
  }

  function bigrams(run) {
    var chars = Array.from(run);
    if (chars.length === 1) return [hanToken(chars[0])];
    var out = [];
    for (var i = 0; i < chars.length - 1; i++) out.push(hanToken(chars[i] + chars[i + 1]));
    return out;
  }

  /* Tokens every result must hold: mirrors analysis.query_tokens. */
  function queryTokens(query) {
    var tokens = [];
    for (var match of normalise(query).matchAll(new RegExp(RUN_SOURCE, "gu"))) {
      if (match[1]) tokens.push.apply(tokens, bigrams(match[1]));
      else tokens.push("t" + match[2]);
    }
    return Array.from(new Set(tokens));
  }

  /* Terms every result must contain as written (after NFKC): mirrors analysis.query_terms. */
  function queryTerms(query) {
    var run = new RegExp(RUN_SOURCE, "u");
    return normalise(query).split(/\s+/).filter(function (term) { return run.test(term); });
  }

  /* The site root: this script is <root>/assets/javascripts/search.js. (It runs async, maybe
   * before the rest of the page is parsed, so it does not read the page's config.) */
  function siteBase() {
    var script = document.currentScript;
    if (script && script.src) return new URL("../../", script.src);
    var config = document.getElementById("__config");
    var base = config ? JSON.parse(config.textContent).base : ".";
    return new URL(base.replace(/\/?$/, "/"), window.location.href);
  }

  var base = siteBase();
  var engine = null;

  /* The index is one Pagefind bundle a year, newest first (pagefind/shards.json). Each year's
   * instance is made when first needed; the newest year's is loaded with the page. */
  function loadEngine() {
    if (!engine) {
      var root = new URL("pagefind/", base);
      // The year list and Pagefind's script (the same for every year) load side by side.
      var listed = fetch(new URL("shards.json", root)).then(function (response) {
        if (!response.ok) throw new Error("检索索引缺失（" + response.status + "）");
        return response.json();
      });
      var script = import(new URL("pagefind.js", root).href);
      script.catch(function () {}); // reported through `engine` below
      engine = listed.then(function (listing) {
        var shards = listing.shards.map(function (shard) {
          return { year: shard.year, url: new URL(shard.path, root).href, instance: null };
        });
        if (!shards.length) return { shards: shards, open: null };
        return script.then(function (pagefind) {
          var result = { shards: shards, open: open };
          function open(shard) {
            if (!shard.instance) {
              var instance = pagefind.createInstance({ basePath: shard.url });
              shard.instance = instance.options({ excerptLength: 0 }).then(function () {
                return instance.init();
              }).then(function () { return instance; });
            }
            return shard.instance;
          }
          return open(shards[0]).then(function () { return result; });
        });
      });
    }
    return engine;
  }

  /* The shards a search looks in: all of them, or the chosen year's. */
  function shardsFor(found, filters) {
    var years = filters["年度"];
    if (!years || !years.length) return found.shards;
    return found.shards.filter(function (shard) { return years.indexOf(shard.year) !== -1; });
  }

  /* Where each normalised character came from in the original text. */
  function normaliseWithMap(text) {
    var norm = "";
    var map = [];
    var index = 0;
    for (var ch of text) {
      var n = normalise(ch);
      for (var k = 0; k < n.length; k++) map.push(index);
      norm += n;
      index += ch.length;
    }
    map.push(index);
    return { norm: norm, map: map };
  }

  function countOf(haystack, term) {
    var count = 0;
    for (var at = haystack.indexOf(term); at !== -1; at = haystack.indexOf(term, at + term.length)) count++;
    return count;
  }

  /* A candidate report is a hit only if its text contains every term. Its sections that hold
   * every term are its places (the heading or title holding them all ranks first); when the
   * terms are spread over several sections, the report as a whole is the place. */
  function verify(data, terms, order) {
    var meta = data.meta;
    var sections = JSON.parse(meta.sections || "[]");
    var title = normalise(meta.title || "");
    var whole = normalise(
      meta.title + "\n" + sections.map(function (s) { return s[1] + "\n" + s[2]; }).join("\n")
    );
    if (!terms.every(function (term) { return whole.indexOf(term) !== -1; })) return null;
    var places = [];
    sections.forEach(function (section) {
      var head = title + "\n" + normalise(section[1]);
      var body = normalise(section[2]);
      var occurrences = 0;
      for (var term of terms) {
        var inBody = countOf(body, term);
        if (!inBody && head.indexOf(term) === -1) return;
        occurrences += inBody;
      }
      var inHeading = terms.every(function (term) { return head.indexOf(term) !== -1; });
      places.push({
        anchor: section[0], heading: section[1], text: section[2],
        tier: inHeading ? 0 : 1, occurrences: occurrences,
      });
    });
    if (!places.length) {
      var spread = sections.map(function (s) { return s[1] + "\n" + s[2]; }).join("\n");
      places.push({ anchor: "", heading: "", text: spread, tier: 2, occurrences: 0, whole: true });
    }
    places.sort(function (a, b) { return a.tier - b.tier || b.occurrences - a.occurrences; });
    return {
      data: data, places: places, order: order,
      tier: places[0].tier,
      occurrences: places.reduce(function (sum, p) { return sum + p.occurrences; }, 0),
    };
  }

  function rank(hits) {
    return hits.slice().sort(function (a, b) {
      return a.tier - b.tier || b.occurrences - a.occurrences || a.order - b.order;
    });
  }

  /* Excerpt around the first match, matches wrapped in <mark>; built from text nodes only. */
  function excerpt(text, terms) {
    var mapped = normaliseWithMap(text);
    var spans = [];
    terms.forEach(function (term) {
      for (var at = mapped.norm.indexOf(term); at !== -1; at = mapped.norm.indexOf(term, at + 1)) {
        spans.push([mapped.map[at], mapped.map[at + term.length]]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var fragment = document.createDocumentFragment();
    var first = spans.length ? spans[0][0] : 0;
    var start = Math.max(0, first - EXCERPT_CHARS);
    var end = Math.min(text.length, first + EXCERPT_CHARS * 2);
    if (start > 0) fragment.append("…");
    var cursor = start;
    spans.forEach(function (span) {
      if (span[0] < cursor || span[1] > end) return;
      fragment.append(text.slice(cursor, span[0]).replace(/\n/g, " "));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      fragment.append(mark);
      cursor = span[1];
    });
    fragment.append(text.slice(cursor, end).replace(/\n/g, " "));
    if (end < text.length) fragment.append("…");
    return fragment;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* ---- the user interface ---- */

  var ui = null; // built once the page is parsed (start, below)
  var state = null;
  var generation = 0;

  function buildInterface() {
    var form = element("form", "nb-search");
    form.setAttribute("role", "search");
    var input = element("input", "nb-search__input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "搜索报告（中文全文）";
    input.setAttribute("aria-label", "搜索报告");
    input.autocomplete = "off";
    form.append(input);
    var header = document.querySelector(".md-header__inner");
    var title = header && header.querySelector(".md-header__title");
    if (title) title.after(form);
    else document.body.prepend(form);

    var panel = element("section", "nb-search-panel");
    panel.hidden = true;
    panel.setAttribute("aria-label", "搜索结果");
    var top = element("div", "nb-search-panel__top");
    var status = element("p", "nb-search-status");
    status.setAttribute("role", "status");
    var close = element("button", "nb-search-close", "关闭");
    close.type = "button";
    top.append(status, close);
    var facets = element("div", "nb-search-facets");
    var results = element("ol", "nb-search-results");
    var more = element("button", "nb-search-more", "显示更多结果");
    more.type = "button";
    more.hidden = true;
    panel.append(top, facets, results, more);
    placePanel(form, panel);

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input.value, {}); }, 300);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search(input.value, {});
    });
    more.addEventListener("click", function () { loadMore(generation); });
    var parts = { input: input, panel: panel, status: status, facets: facets, results: results, more: more };
    bindKeys(parts, form, close);
    return parts;
  }

  /* ---- keyboard and screen readers (kept apart from querying and rendering) ---- */

  /* The panel goes right after the search box in the document, so Tab and a screen reader
   * reach the results from the box (it is still shown fixed below the header). */
  function placePanel(form, panel) {
    panel.id = "nb-search-panel";
    panel.tabIndex = -1;
    form.after(panel);
    var input = form.querySelector("input");
    input.setAttribute("aria-controls", panel.id);
  }

  function typing(target) {
    return target && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName));
  }

  /* `/` (or `s`) focuses the box; Enter moves focus into the panel once results are in; Tab
   * (or ↓) from the box goes to the first result; Esc and 关闭 close the panel and give focus
   * back to the box. */
  function bindKeys(parts, form, close) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if ((event.key === "/" || event.key === "s") && !typing(event.target)) {
        event.preventDefault();
        parts.input.focus();
        parts.input.select();
      } else if (event.key === "Escape" && !parts.panel.hidden) {
        closePanel(parts);
      }
    });
    parts.input.addEventListener("keydown", function (event) {
      var first = parts.results.querySelector("a");
      if (!first || parts.panel.hidden || event.shiftKey) return;
      if (event.key === "Tab" || event.key === "ArrowDown") {
        event.preventDefault();
        first.focus();
      }
    });
    form.addEventListener("submit", function () {
      focusPanelWhenDone(parts, generation);
    });
    close.addEventListener("click", function () { closePanel(parts); });
  }

  /* After Enter: focus the panel (its status is read out) once this search's results are all
   * in (the list is re-drawn while they come, which would drop a focus inside it). */
  function focusPanelWhenDone(parts, mine) {
    var tries = 0;
    (function wait() {
      if (mine !== generation) return; // a newer search took over
      var busy = parts.results.getAttribute("aria-busy") === "true";
      if (!busy && !parts.panel.hidden) {
        parts.panel.focus();
      } else if (++tries < 100) {
        setTimeout(wait, 100);
      }
    })();
  }

  function closePanel(parts) {
    hide();
    parts.input.focus();
  }

  /* A result's link carries the query's terms (`?h=`): page.js marks them on the page. */
  function withHighlight(url, terms) {
    var target = new URL(url);
    if (terms.length) target.searchParams.set("h", terms.join(" "));
    return target.href;
  }

  function hide() {
    ui.panel.hidden = true;
    var url = new URL(window.location.href);
    url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  }

  function show(message) {
    ui.panel.hidden = false;
    ui.status.textContent = message;
  }

  function search(query, filters) {
    var terms = queryTerms(query);
    var tokens = queryTokens(query);
    var mine = ++generation;
    ui.results.replaceChildren();
    ui.results.setAttribute("aria-busy", "true");
    ui.more.hidden = true;
    if (!tokens.length) {
      if (query.trim()) show("请输入汉字、数字或字母作为检索词。");
      else ui.panel.hidden = true;
      return Promise.resolve();
    }
    var url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url);
    show(engine ? "正在搜索…" : "正在载入检索索引…");
    var sameQuery = state && state.query === query;
    return loadEngine().then(function (found) {
      if (mine !== generation) return;
      state = {
        query: query, terms: terms, tokens: tokens, filters: filters,
        engine: found, shards: shardsFor(found, filters), searched: 0,
        candidates: [], position: 0, hits: [],
        facetOptions: sameQuery ? state.facetOptions : null,
      };
      renderFacets();
      return loadMore(mine).then(function () {
        if (!state.facetOptions && mine === generation) return loadFacets(mine);
      });
    }).catch(function (error) {
      ui.results.setAttribute("aria-busy", "false");
      show("检索出错：" + error.message);
    });
  }

  function searchShard(found, shard, tokens, filters) {
    return found.open(shard).then(function (instance) {
      return instance.search(tokens.join(" "), { filters: filters });
    });
  }

  function remaining() {
    return state.position < state.candidates.length || state.searched < state.shards.length;
  }

  /* Facet counts need Pagefind's filter index, summed over the years: loaded after the first
   * results are shown. */
  function loadFacets(mine) {
    var totals = {};
    var chain = Promise.resolve();
    state.shards.forEach(function (shard) {
      chain = chain.then(function () {
        if (mine !== generation) return;
        return state.engine.open(shard).then(function (instance) {
          return instance.filters().then(function () {
            return instance.search(state.tokens.join(" "), { filters: state.filters });
          });
        }).then(function (response) {
          Object.keys(response.filters || {}).forEach(function (name) {
            var values = (totals[name] = totals[name] || {});
            Object.keys(response.filters[name]).forEach(function (value) {
              values[value] = (values[value] || 0) + response.filters[name][value];
            });
          });
        });
      });
    });
    return chain.then(function () {
      if (mine !== generation) return;
      state.facetOptions = totals;
      renderFacets();
    });
  }

  /* Verify candidates until PAGE_RESULTS more reports are shown, asking the next (older) year
   * when this year's candidates run out. */
  function loadMore(mine) {
    var target = state.hits.length + PAGE_RESULTS;
    ui.results.setAttribute("aria-busy", "true");
    function step() {
      if (mine !== generation) return Promise.resolve();
      if (state.hits.length >= target || !remaining()) {
        render();
        ui.results.setAttribute("aria-busy", "false");
        return Promise.resolve();
      }
      if (state.position >= state.candidates.length) {
        var shard = state.shards[state.searched++];
        return searchShard(state.engine, shard, state.tokens, state.filters).then(
          function (response) {
            if (mine !== generation) return;
            state.candidates = state.candidates.concat(response.results);
            return step();
          }
        );
      }
      // A small first batch shows the first results sooner; the rest follow as they load.
      var size = state.position === 0 ? FIRST_BATCH : BATCH;
      var batch = state.candidates.slice(state.position, state.position + size);
      var offset = state.position;
      state.position += batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
        if (mine !== generation) return;
        datas.forEach(function (data, i) {
          var hit = verify(data, state.terms, offset + i);
          if (hit) state.hits.push(hit);
        });
        if (state.hits.length) render();
        return step();
      });
    }
    return step();
  }

  function quoted(terms) {
    return terms.map(function (t) { return "“" + t + "”"; }).join("、");
  }

  function render() {
    var hits = rank(state.hits);
    var more = remaining();
    ui.results.replaceChildren();
    if (!hits.length && !more) {
      show("没有找到包含 " + quoted(state.terms) + " 的报告。可以减少检索词，或换一种写法。");
      return;
    }
    var places = hits.reduce(function (sum, hit) { return sum + hit.places.length; }, 0);
    show(
      "找到 " + hits.length + " 篇报告中的 " + places + " 处" +
      (state.terms.length > 1 ? "同时包含 " + quoted(state.terms) : "包含 " + quoted(state.terms)) +
      (more ? "，还有更多" : "") + "。"
    );
    hits.forEach(function (hit) {
      var meta = hit.data.meta;
      var item = element("li", "nb-result");
      var title = element("a", "nb-result__title", meta.title);
      title.href = withHighlight(new URL(meta.page, base).href, state.terms);
      var about = element("p", "nb-result__about", [meta.org, meta.year, meta.type].join(" · "));
      var sections = element("ul", "nb-result__sections");
      hit.places.forEach(function (place) {
        var li = element("li", "nb-result__section");
        var label = place.whole ? "（检索词分布在报告的不同部分）" : place.heading || "（开头部分）";
        var link = element("a", "nb-result__heading", label);
        link.href = withHighlight(
          new URL(meta.page + (place.anchor ? "#" + place.anchor : ""), base).href, state.terms
        );
        var text = element("p", "nb-result__excerpt");
        text.append(excerpt(place.text, state.terms));
        li.append(link, text);
        sections.append(li);
      });
      item.append(title, about, sections);
      ui.results.append(item);
    });
    ui.more.hidden = !more;
  }

  function renderFacets() {
    ui.facets.replaceChildren();
    var options = state.facetOptions || {};
    FILTER_NAMES.forEach(function (name) {
      var values = options[name];
      if (!values || !Object.keys(values).length) return;
      var label = element("label", "nb-facet");
      label.append(name + " ");
      var select = element("select");
      select.name = name;
      select.append(new Option("全部", ""));
      Object.keys(values).sort().forEach(function (value) {
        var option = new Option(value + "（" + values[value] + "）", value);
        option.selected = (state.filters[name] || [])[0] === value;
        select.append(option);
      });
      select.addEventListener("change", function () {
        var filters = {};
        ui.facets.querySelectorAll("select").forEach(function (s) {
          if (s.value) filters[s.name] = [s.value];
        });
        search(state.query, filters);
      });
      label.append(select);
      ui.facets.append(label);
    });
  }

  /* For tests and benchmarks: every verified page URL for a query (checks all candidates). */
  window.nianbaoSearch = {
    queryTokens: queryTokens,
    queryTerms: queryTerms,
    all: function (query, filters) {
      var terms = queryTerms(query);
      var tokens = queryTokens(query);
      if (!tokens.length) return Promise.resolve([]);
      filters = filters || {};
      return loadEngine().then(function (found) {
        return Promise.all(shardsFor(found, filters).map(function (shard) {
          return searchShard(found, shard, tokens, filters);
        }));
      }).then(function (responses) {
        var results = [].concat.apply([], responses.map(function (r) { return r.results; }));
        return Promise.all(results.map(function (r) { return r.data(); }));
      }).then(function (datas) {
        var hits = datas.map(function (d, i) { return verify(d, terms, i); }).filter(Boolean);
        return rank(hits).map(function (hit) { return hit.data.meta.page; });
      });
    },
  };

  // Start loading the engine (Pagefind's script, wasm and a few kB of index metadata, cached
  // after the first page) at once: the first query is then answered without waiting for it.
  loadEngine();

  function start() {
    ui = buildInterface();
    var initial = new URL(window.location.href).searchParams.get("q");
    if (initial) {
      ui.input.value = initial;
      search(initial, {});
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
