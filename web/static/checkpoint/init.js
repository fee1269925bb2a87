// Progressive enhancement only: every page works without JavaScript.
window.GOVUKFrontend.initAll();
if (window.MOJFrontend) {
  window.MOJFrontend.initAll();
}
// Offence and service pickers: a <select data-autocomplete> becomes an accessible autocomplete.
// Each word typed must appear in the option's text or its everyday names (data-keywords, e.g.
// "shoplifting" for "Theft from a shop"), ignoring case and accents; matches on the text first.
function pickerFold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}
function pickerSource(select) {
  var options = [].filter.call(select.options, function (option) { return option.value; })
    .map(function (option) {
      var label = option.textContent;
      return { label: label, text: pickerFold(label),
               keywords: pickerFold(option.getAttribute("data-keywords") || "") };
    });
  return function (query, populateResults) {
    var words = pickerFold(query).split(/[\s,]+/).filter(Boolean);
    var onText = [], onKeywords = [];
    options.forEach(function (option) {
      var all = option.text + " " + option.keywords;
      if (!words.every(function (word) { return all.indexOf(word) !== -1; })) { return; }
      var inText = words.every(function (word) { return option.text.indexOf(word) !== -1; });
      (inText ? onText : onKeywords).push(option.label);
    });
    populateResults(onText.concat(onKeywords));
  };
}
if (window.accessibleAutocomplete) {
  document.querySelectorAll("select[data-autocomplete]").forEach(function (select) {
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      source: pickerSource(select),
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
