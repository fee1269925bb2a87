// Loaded first thing in <body>: lets GOV.UK Frontend style for JavaScript before it runs.
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
