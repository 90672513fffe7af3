/* 年报库 text helpers shared by search.js and page.js: the normalisation every comparison of a
 * query with a page's text goes through (as scripts/nianbao/search/analysis.py normalises), and where
 * each normalised character came from, to mark matches in the text as written. Loaded before
 * both, without async, so they can rely on it. */
(function () {
  "use strict";

  var INVISIBLE = /[\u00ad\u200b-\u200f\u2060\ufeff]/g;

  function normalise(text) {
    return text.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
  }

  /* The normalised text, and for each of its characters the index it came from in `text`
   * (one index more at the end), so "99.85％" found as "99.85%" is marked where it stands. */
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

  window.nianbaoText = { normalise: normalise, normaliseWithMap: normaliseWithMap };
})();
