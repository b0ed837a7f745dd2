// Renders every [data-spec] element with vega-embed; the table beside each chart is the fallback.
window.addEventListener("DOMContentLoaded", function () {
  if (typeof vegaEmbed !== "function") return;
  document.querySelectorAll("[data-spec]").forEach(function (el) {
    vegaEmbed(el, JSON.parse(el.dataset.spec), { actions: false, renderer: "svg" }).catch(function () {});
  });
});
