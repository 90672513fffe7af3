// Material for MkDocs' inline start-up script (partials/javascripts/base.html, MIT licence), as
// a file: the site then needs no inline script under its Content-Security-Policy. Its globals
// are the theme's bundle's interface, so they keep their names.
/* eslint-disable no-undef */
(function (script) {
  window.__md_scope = new URL(script.dataset.mdScope, location);
  window.__md_hash = function (text) {
    return [...text].reduce(function (hash, ch) {
      return (hash << 5) - hash + ch.charCodeAt(0);
    }, 0);
  };
  window.__md_get = function (key, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    return JSON.parse(storage.getItem(scope.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, scope) {
    storage = storage || localStorage;
    scope = scope || window.__md_scope;
    try {
      storage.setItem(scope.pathname + "." + key, JSON.stringify(value));
    } catch (error) {
      // storage full or denied: the theme works without it
    }
  };
})(document.currentScript);
