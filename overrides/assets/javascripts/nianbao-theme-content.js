// Material for MkDocs' inline script after the page content (partials/javascripts/content.html,
// MIT licence), as a file: no inline script under the site's Content-Security-Policy.
(function (script) {
  if (script.dataset.tabsLink === "True") {
    var tabs = __md_get("__tabs");
    if (Array.isArray(tabs)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = [...set.querySelector(".tabbed-labels").getElementsByTagName("label")];
        tabs.some(function (tab) {
          var label = labels.find(function (each) {
            return each.innerText.trim() === tab;
          });
          if (label) document.getElementById(label.htmlFor).checked = true;
          return Boolean(label);
        });
      });
    }
  }
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
})(document.currentScript);
