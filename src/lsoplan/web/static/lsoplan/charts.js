// Renders every [data-spec] element with vega-embed; the table beside each chart is the fallback.
window.addEventListener("DOMContentLoaded", function () {
  if (typeof vegaEmbed !== "function") return;
  document.querySelectorAll("[data-spec]").forEach(function (el) {
    // ast + expressionInterpreter: no eval, so the Content-Security-Policy can stay strict.
    var options = { actions: false, renderer: "svg", ast: true, defaultStyle: false,
                    tooltip: { disableDefaultStyle: true } };
    if (window.vega && vega.expressionInterpreter) options.expr = vega.expressionInterpreter;
    vegaEmbed(el, JSON.parse(el.dataset.spec), options).catch(function () {});
  });
});
