// Set a service point's position on its form: click the map or drag the pin, and the lat/lon
// inputs take the new values. The inputs stay the truth: typing in them moves the pin, and the
// form works without this script (or without the map) by typing the coordinates.
(function () {
  "use strict";
  var frame = document.querySelector("[data-map-name]");
  if (!frame || !window.L) return;
  var map = window[frame.getAttribute("data-map-name")];
  var latInput = document.getElementById(frame.getAttribute("data-lat-input"));
  var lonInput = document.getElementById(frame.getAttribute("data-lon-input"));
  var status = document.getElementById("stop-map-status");
  if (!map || !latInput || !lonInput) return;
  var pin = null;

  function number(input) {
    var value = parseFloat(input.value.replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function typedPoint() {
    var lat = number(latInput), lon = number(lonInput);
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return L.latLng(lat, lon);
  }

  function place(point) {
    if (pin) {
      pin.setLatLng(point);
      return;
    }
    pin = L.marker(point, {
      draggable: true,
      autoPan: true,
      title: frame.getAttribute("data-pin-title") || ""
    }).addTo(map);
    pin.on("dragend", function () { write(pin.getLatLng()); });
  }

  function write(point) {
    latInput.value = point.lat.toFixed(6);
    lonInput.value = point.lng.toFixed(6);
    place(point);
    frame.setAttribute("data-moved", "true");
    if (status) status.textContent = frame.getAttribute("data-moved-text") || "";
  }

  map.on("click", function (event) { write(event.latlng); });
  [latInput, lonInput].forEach(function (input) {
    input.addEventListener("change", function () {
      var point = typedPoint();
      if (point) {
        place(point);
        map.panTo(point);
      }
    });
  });

  var start = typedPoint();
  if (start) {
    place(start);
    map.setView(start, Math.max(map.getZoom(), 15));
  }
})();
