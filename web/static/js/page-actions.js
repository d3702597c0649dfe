// Small page behaviours wired here, not in onclick/onchange attributes (the CSP runs no inline
// handler): a button with data-print prints the page, a select with data-autosubmit sends its
// form when changed.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
