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
  // The query syntax (parseQuery), as the search panel explains it.
  var HELP =
    "检索语法：空格分隔的词须同时出现；引号（\"…\" “…” ‘…’ 「…」 『…』）或书名号《…》内的文字" +
    "按整体短语检索；-词 排除含该词的报告；A | B 或 A OR B 表示含其一即可。";

  var normalise = window.nianbaoText.normalise;
  var normaliseWithMap = window.nianbaoText.normaliseWithMap;

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

  function termTokens(term) {
    var tokens = [];
    for (var match of term.matchAll(new RegExp(RUN_SOURCE, "gu"))) {
      if (match[1]) tokens.push.apply(tokens, bigrams(match[1]));
      else tokens.push("t" + match[2]);
    }
    return tokens;
  }

  function unique(list) {
    return Array.from(new Set(list));
  }

  /* Mirrors analysis.QUOTES: paired quotation marks that make a phrase. */
  var QUOTES = {
    '"': '"', "\u201c": "\u201d", "\u201d": "\u201d", "\u2018": "\u2019", "'": "'",
    "\u300c": "\u300d", "\u300e": "\u300f", "\u300a": "\u300b",
  };
  var KEPT_PUNCTUATION = "%\u2030#@&";
  var SPACE = /\s/u;
  var PUNCTUATION = /\p{P}/u;

  /* (word, excluded?, quoted phrase?) in order: mirrors analysis._words. */
  function words(text) {
    var chars = Array.from(text);
    var out = [];
    var position = 0;
    while (position < chars.length) {
      var ch = chars[position];
      if (SPACE.test(ch)) { position++; continue; }
      if (ch === "|") { out.push(["|", false, false]); position++; continue; }
      var negated = ch === "-" && position + 1 < chars.length && !SPACE.test(chars[position + 1]);
      if (negated) ch = chars[++position];
      var close = ch in QUOTES ? chars.indexOf(QUOTES[ch], position + 1) : -1;
      if (close !== -1) {
        out.push([chars.slice(position + 1, close).join(""), negated, true]);
        position = close + 1;
        continue;
      }
      var stop = position;
      while (stop < chars.length && !SPACE.test(chars[stop]) && chars[stop] !== "|") stop++;
      out.push([chars.slice(position, stop).join(""), negated, false]);
      position = stop;
    }
    return out;
  }

  function edgePunctuation(ch) {
    return PUNCTUATION.test(ch) && KEPT_PUNCTUATION.indexOf(ch) === -1;
  }

  /* Mirrors analysis._clean_term. */
  function cleanTerm(word) {
    var chars = Array.from(word.split(/\s+/u).filter(Boolean).join(" "));
    var start = 0;
    var stop = chars.length;
    while (start < stop && edgePunctuation(chars[start])) start++;
    while (stop > start && edgePunctuation(chars[stop - 1])) stop--;
    var term = chars.slice(start, stop).join("").toLowerCase();
    return new RegExp(RUN_SOURCE, "u").test(term) ? term : "";
  }

  /* The query as typed, read the way web search engines read one: mirrors analysis.parse_query.
   * {groups: every group must occur (any one of its terms), excluded: none may}. */
  function parseQuery(query) {
    var text = query.normalize("NFKC").replace(INVISIBLE, "");
    var groups = [];
    var excluded = [];
    var either = false;
    words(text).forEach(function (w) {
      if (!w[2] && (w[0] === "|" || w[0] === "OR")) {
        either = groups.length > 0;
        return;
      }
      var term = cleanTerm(w[0]);
      if (!term) return;
      if (w[1]) excluded.push(term);
      else if (either && groups.length) groups[groups.length - 1].push(term);
      else groups.push([term]);
      either = false;
    });
    var seen = new Set();
    groups = groups.map(unique).filter(function (group) {
      var key = JSON.stringify(group);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { groups: groups, excluded: unique(excluded) };
  }

  /* The token lists to search for, one search each: mirrors analysis.query_token_sets. */
  function queryTokenSets(query) {
    var parsed = parseQuery(query);
    var required = [];
    parsed.groups.forEach(function (group) {
      if (group.length === 1) required.push.apply(required, termTokens(group[0]));
    });
    var either = parsed.groups.find(function (group) { return group.length > 1; }) || [];
    var sets = either.map(function (term) { return required.concat(termTokens(term)); });
    return (sets.length ? sets : [required]).map(unique);
  }

  function queryTokens(query) {
    return queryTokenSets(query)[0];
  }

  /* Every term asked for, once each (what an excerpt marks): mirrors analysis.query_terms. */
  function queryTerms(query) {
    return unique([].concat.apply([], parseQuery(query).groups));
  }

  function matches(query, text) {
    return query.groups.every(function (group) {
      return group.some(function (term) { return text.indexOf(term) !== -1; });
    }) && !query.excluded.some(function (term) { return text.indexOf(term) !== -1; });
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

  function countOf(haystack, term) {
    var count = 0;
    for (var at = haystack.indexOf(term); at !== -1; at = haystack.indexOf(term, at + term.length)) count++;
    return count;
  }

  /* A candidate report is a hit only if its title and text together match the query (every
   * group, no excluded term). Its places are the sections whose own heading and text match
   * it: the report's title never makes a section a place. A report with no such section (the
   * terms are in its title, or spread over several sections) is listed with its summary. */
  function verify(data, query, order) {
    var meta = data.meta;
    var sections = JSON.parse(meta.sections || "[]");
    var title = normalise(meta.title || "");
    var whole = title + "\n" + normalise(
      sections.map(function (s) { return s[1] + "\n" + s[2]; }).join("\n")
    );
    if (!matches(query, whole)) return null;
    var terms = [].concat.apply([], query.groups);
    var places = [];
    sections.forEach(function (section) {
      var head = normalise(section[1]);
      var own = head + "\n" + normalise(section[2]);
      if (!matches(query, own)) return;
      places.push({
        anchor: section[0], heading: section[1], text: section[2],
        tier: matches(query, head) ? 0 : 1,
        occurrences: terms.reduce(function (sum, term) { return sum + countOf(own, term); }, 0),
      });
    });
    places.sort(function (a, b) { return a.tier - b.tier || b.occurrences - a.occurrences; });
    var first = sections.find(function (s) { return s[2].trim(); });
    return {
      data: data, places: places, order: order,
      inTitle: matches(query, title),
      summary: first ? first[2] : "",
      tier: places.length ? places[0].tier : 2,
      occurrences: places.reduce(function (sum, p) { return sum + p.occurrences; }, 0),
    };
  }

  /* Reports with a matching section first (a heading that matches first of all), a matching
   * title next; then by how often the terms occur, then in the engine's order. */
  function rank(hits) {
    return hits.slice().sort(function (a, b) {
      return a.tier - b.tier || b.inTitle - a.inTitle || b.occurrences - a.occurrences ||
        a.order - b.order;
    });
  }

  /* An excerpt showing each group of the query where it first occurs (windows that overlap are
   * joined, "…" between the others), every match wrapped in <mark>; text nodes only. Without
   * any match (a summary), the opening of the text. */
  function excerpt(text, groups) {
    var mapped = normaliseWithMap(text);
    var spans = [];
    var firsts = [];
    groups.forEach(function (group) {
      var first = -1;
      group.forEach(function (term) {
        for (var at = mapped.norm.indexOf(term); at !== -1; at = mapped.norm.indexOf(term, at + 1)) {
          var span = [mapped.map[at], mapped.map[at + term.length]];
          spans.push(span);
          if (first === -1 || span[0] < firsts[first][0]) first = firsts.push(span) - 1;
        }
      });
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var windows = firsts.length
      ? firsts.map(function (span) {
          return [Math.max(0, span[0] - EXCERPT_CHARS), Math.min(text.length, span[1] + EXCERPT_CHARS)];
        })
      : [[0, Math.min(text.length, EXCERPT_CHARS * 2)]];
    windows.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    windows.forEach(function (w) {
      var last = merged[merged.length - 1];
      if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
      else merged.push(w.slice());
    });
    var fragment = document.createDocumentFragment();
    merged.forEach(function (w, i) {
      // A match that runs past a window's end widens it: a term is never cut in two.
      spans.forEach(function (span) { if (span[0] < w[1] && span[1] > w[1]) w[1] = span[1]; });
      if (w[0] > 0 || i > 0) fragment.append("…");
      var cursor = w[0];
      spans.forEach(function (span) {
        if (span[0] < cursor || span[1] > w[1]) return;
        fragment.append(text.slice(cursor, span[0]).replace(/\n/g, " "));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(span[0], span[1]);
        fragment.append(mark);
        cursor = span[1];
      });
      fragment.append(text.slice(cursor, w[1]).replace(/\n/g, " "));
    });
    var end = merged.length ? merged[merged.length - 1][1] : 0;
    if (end < text.length) fragment.append("…");
    return fragment;
  }

  /* A short text (a heading) whole, every match of the query wrapped in <mark>. */
  function marked(text, groups) {
    var mapped = normaliseWithMap(text);
    var spans = [];
    [].concat.apply([], groups).forEach(function (term) {
      for (var at = mapped.norm.indexOf(term); at !== -1; at = mapped.norm.indexOf(term, at + 1)) {
        spans.push([mapped.map[at], mapped.map[at + term.length]]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var fragment = document.createDocumentFragment();
    var cursor = 0;
    spans.forEach(function (span) {
      if (span[0] < cursor) return;
      fragment.append(text.slice(cursor, span[0]));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      fragment.append(mark);
      cursor = span[1];
    });
    fragment.append(text.slice(cursor));
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
    var help = element("p", "nb-search-help", HELP);
    panel.append(top, help, facets, results, more);
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

  /* A result's link carries the query's terms, one `h=` each: page.js marks them on the page. */
  function withHighlight(url, groups) {
    var target = new URL(url);
    [].concat.apply([], groups).forEach(function (term) { target.searchParams.append("h", term); });
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
    var parsed = parseQuery(query);
    var tokens = queryTokenSets(query);
    var mine = ++generation;
    ui.results.replaceChildren();
    ui.results.setAttribute("aria-busy", "true");
    ui.more.hidden = true;
    if (!parsed.groups.length) {
      if (parsed.excluded.length) show("请再输入至少一个要查找的词：只有排除词（-词）无法检索。");
      else if (query.trim()) show("请输入汉字、数字或字母作为检索词。");
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
        query: query, parsed: parsed, tokens: tokens, filters: filters,
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

  /* One search a token list (an either-or query has several), results merged: each report
   * once, in the order first found. */
  function searchShard(found, shard, tokenSets, filters) {
    return found.open(shard).then(function (instance) {
      return Promise.all(tokenSets.map(function (tokens) {
        return instance.search(tokens.join(" "), { filters: filters });
      }));
    }).then(function (responses) {
      var seen = new Set();
      var results = [];
      responses.forEach(function (response) {
        response.results.forEach(function (result) {
          if (!seen.has(result.id)) results.push(result);
          seen.add(result.id);
        });
      });
      return { results: results, responses: responses };
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
          return instance.filters();
        }).then(function () {
          return searchShard(state.engine, shard, state.tokens, state.filters);
        }).then(function (merged) {
          // An either-or query searches several times: a value counts the most reports any
          // one search found with it (a lower bound, never a double count).
          var shardCounts = {};
          merged.responses.forEach(function (response) {
            Object.keys(response.filters || {}).forEach(function (name) {
              var values = (shardCounts[name] = shardCounts[name] || {});
              Object.keys(response.filters[name]).forEach(function (value) {
                values[value] = Math.max(values[value] || 0, response.filters[name][value]);
              });
            });
          });
          Object.keys(shardCounts).forEach(function (name) {
            var values = (totals[name] = totals[name] || {});
            Object.keys(shardCounts[name]).forEach(function (value) {
              values[value] = (values[value] || 0) + shardCounts[name][value];
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
          var hit = verify(data, state.parsed, offset + i);
          if (hit) state.hits.push(hit);
        });
        if (state.hits.length) render();
        return step();
      });
    }
    return step();
  }

  /* The status line: reports and matching sections counted apart, the query echoed once as
   * typed (no quotes added: the reader's own may be part of it). */
  function statusLine(hits, more) {
    var echo = "（检索式：" + state.query.trim() + "）";
    if (!hits.length) return "没有找到符合的报告" + echo + "。可以减少检索词，或换一种写法。";
    var places = hits.reduce(function (sum, hit) { return sum + hit.places.length; }, 0);
    var without = hits.filter(function (hit) { return !hit.places.length; }).length;
    var line = "找到 " + hits.length + " 篇报告，其中 " + places + " 个段落包含全部检索词";
    if (without) line += "；" + without + " 篇没有这样的段落（检索词在标题中，或分散在不同段落）";
    return line + (more ? "，还有更多" : "") + echo + "。";
  }

  function render() {
    var hits = rank(state.hits);
    var more = remaining();
    ui.results.replaceChildren();
    show(statusLine(hits, more));
    if (!hits.length && !more) return;
    hits.forEach(function (hit) {
      var meta = hit.data.meta;
      var item = element("li", "nb-result");
      var title = element("a", "nb-result__title", meta.title);
      title.href = withHighlight(new URL(meta.page, base).href, state.parsed.groups);
      var about = element(
        "p", "nb-result__about", [meta.org, meta.year, meta.type, meta.pair].filter(Boolean).join(" · ")
      );
      item.append(title, about);
      if (hit.places.length) {
        var sections = element("ul", "nb-result__sections");
        hit.places.forEach(function (place) {
          var li = element("li", "nb-result__section");
          var link = element("a", "nb-result__heading");
          if (place.heading) link.append(marked(place.heading, state.parsed.groups));
          else link.append("（开头部分）");
          link.href = withHighlight(
            new URL(meta.page + (place.anchor ? "#" + place.anchor : ""), base).href,
            state.parsed.groups
          );
          var text = element("p", "nb-result__excerpt");
          text.append(excerpt(place.text, state.parsed.groups));
          li.append(link, text);
          sections.append(li);
        });
        item.append(sections);
      } else {
        var why = hit.inTitle
          ? "检索词见于标题，正文中没有同时包含全部检索词的段落。报告开头："
          : "检索词分散在报告的不同段落，没有一个段落同时包含全部检索词。报告开头：";
        var summary = element("p", "nb-result__summary");
        summary.append(element("span", "nb-result__why", why), excerpt(hit.summary, []));
        item.append(summary);
      }
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
    parseQuery: function (query) {
      var parsed = parseQuery(query);
      return [parsed.groups, parsed.excluded];
    },
    queryTokenSets: queryTokenSets,
    queryTokens: queryTokens,
    queryTerms: queryTerms,
    all: function (query, filters) {
      var parsed = parseQuery(query);
      var tokens = queryTokenSets(query);
      if (!parsed.groups.length) return Promise.resolve([]);
      filters = filters || {};
      return loadEngine().then(function (found) {
        return Promise.all(shardsFor(found, filters).map(function (shard) {
          return searchShard(found, shard, tokens, filters);
        }));
      }).then(function (responses) {
        var results = [].concat.apply([], responses.map(function (r) { return r.results; }));
        return Promise.all(results.map(function (r) { return r.data(); }));
      }).then(function (datas) {
        var hits = datas.map(function (d, i) { return verify(d, parsed, i); }).filter(Boolean);
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
