// Progressive enhancement only: every task works without this file.
// Moves keyboard and screen-reader focus to a form's error summary.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
    return;
  }
  // A result the person asked for (an estimate): read it out, not the page from the top.
  var answer = document.querySelector("[data-focus-on-load]");
  if (answer) {
    answer.focus();
  }
});

// Members: nearby providers. With location consent, offer the device's position;
// the server keeps only the nearest coarse area. The postal code works without this.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-geolocate='on']");
  if (!form || !("geolocation" in navigator)) {
    return;
  }
  var button = form.querySelector("[data-use-position]");
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("[name='latitude']").value = position.coords.latitude.toFixed(3);
      form.querySelector("[name='longitude']").value = position.coords.longitude.toFixed(3);
      form.querySelector("[name='postal_code']").value = "";
      form.submit();
    });
  });
});

// Sign-in: the passkey button, only where a browser can use one (hidden otherwise,
// and without JavaScript: no dead button).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.PublicKeyCredential) {
    return;
  }
  document.querySelectorAll("[data-passkey]").forEach(function (element) {
    element.hidden = false;
  });
});
