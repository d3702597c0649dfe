// Public schedule pages: "use my location" fills the finder form with the phone's position and
// submits it; the copy button copies the social-media text; the poster's print button.
// Everything works without this script (plain forms and a selectable text).
(function () {
  "use strict";

  function setupLocate() {
    var button = document.getElementById("locate");
    var form = document.getElementById("locate-form");
    if (!button || !form || !navigator.geolocation) { return; }
    var status = document.getElementById("locate-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = form.dataset.locating;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        form.elements.lat.value = position.coords.latitude.toFixed(6);
        form.elements.lon.value = position.coords.longitude.toFixed(6);
        form.submit();
      }, function () {
        status.textContent = form.dataset.denied;
        button.disabled = false;
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  }

  function setupCopy() {
    var button = document.getElementById("copy");
    if (!button) { return; }
    var field = document.getElementById(button.dataset.target);
    var status = document.getElementById("copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { status.textContent = button.dataset.done; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          field.select();
        });
      } else {
        field.select();
        if (document.execCommand("copy")) { done(); }
      }
    });
  }

  function setupPrint() {
    var button = document.getElementById("print");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  setupLocate();
  setupCopy();
  setupPrint();
}());
