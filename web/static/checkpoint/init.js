// Progressive enhancement only: every page works without JavaScript.
window.GOVUKFrontend.initAll();
if (window.MOJFrontend) {
  window.MOJFrontend.initAll();
}
// Offence and service pickers: a <select data-autocomplete> becomes an accessible autocomplete.
if (window.accessibleAutocomplete) {
  document.querySelectorAll("select[data-autocomplete]").forEach(function (select) {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      showAllValues: true,
      dropdownArrow: function () { return ""; },
    });
  });
}
// "Print" buttons (hidden without JavaScript, where the browser's own Print command works).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
