/* Kiosk screens: go home after a quiet spell (with a visible countdown), accept a barcode scan on
   any screen, and show the parts of a form that depend on an answer. No network, no libraries. */
(function () {
  "use strict";
  var body = document.body;
  var homeUrl = body.dataset.homeUrl;
  var lookupUrl = body.dataset.lookupUrl;

  /* Idle reset. The countdown shows in the last seconds so a slow reader can ask for more time. */
  function startIdleTimer() {
    var idleSeconds = parseInt(body.dataset.idleSeconds, 10) || 60;
    var warnSeconds = Math.min(10, Math.ceil(idleSeconds / 2));
    var overlay = document.getElementById("idle");
    var count = document.getElementById("idle-count");
    var lastActivity = Date.now();

    function stay() {
      lastActivity = Date.now();
      if (!overlay.hidden) overlay.hidden = true;
    }
    function tick() {
      var left = idleSeconds - Math.floor((Date.now() - lastActivity) / 1000);
      if (left <= 0) {
        window.location.replace(homeUrl);
        return;
      }
      if (left <= warnSeconds) {
        count.textContent = String(left);
        if (overlay.hidden) {
          overlay.hidden = false;
          document.getElementById("idle-stay").focus();
        }
      }
    }
    ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (name) {
      document.addEventListener(name, stay, {capture: true, passive: true});
    });
    document.addEventListener("scroll", stay, {capture: true, passive: true});
    document.getElementById("idle-stay").addEventListener("click", stay);
    window.setInterval(tick, 250);
  }

  /* A USB barcode gun is a keyboard: it types the receipt's code (or the QR's lookup link) and Enter.
     Whatever has the focus, an Enter after typed text holding a full dossier code opens its lookup.
     No timing rule: a busy PC can pause between the scanner's keys, and a code typed on a physical
     keyboard is as welcome. The kiosk's own keys do not type, so they never trigger this. */
  // The agency e-ID is opaque: dot-separated A–Z/0–9 segments, up to 35 characters (onestop/codes.py).
  var FULL_CODE = /[A-Z0-9]+(?:\.[A-Z0-9]+)*-\d{6}-\d{1,9}/gi;
  /* The receipt's QR is the phone page's link with its token (`/tra-cuu/<code>?t=…`): the token goes
     along, so a screen that is not an enrolled kiosk still shows that citizen the details and the survey. */
  var LINK_TOKEN = /\/tra-cuu\/[^?#\s]*\?(?:[^#\s]*&)?t=([A-Za-z0-9_-]+)/i;
  function listenForScanner() {
    var typed = "";
    document.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var text = typed, found = text.match(FULL_CODE);  // the last code, if the gun read two
        typed = "";
        if (found) {
          event.preventDefault();
          var code = found[found.length - 1];
          var link = text.slice(Math.max(0, text.toLowerCase().lastIndexOf("/tra-cuu/")));
          var token = link.indexOf(code) >= 0 ? link.match(LINK_TOKEN) : null;
          window.location.assign(lookupUrl + "?code=" + encodeURIComponent(code) +
                                 (token ? "&t=" + encodeURIComponent(token[1]) : ""));
        }
      } else if (event.key.length === 1) {
        typed = (typed + event.key).slice(-200);
      }
    }, true);
  }

  /* <fieldset data-show-when="overall=unsatisfied"> is shown only while that radio is chosen. */
  function showWhenChosen() {
    var parts = document.querySelectorAll("[data-show-when]");
    Array.prototype.forEach.call(parts, function (part) {
      var rule = part.dataset.showWhen.split("=");
      var form = part.closest("form");
      function update() {
        var chosen = form.querySelector("input[name='" + rule[0] + "']:checked");
        part.hidden = !chosen || chosen.value !== rule[1];
      }
      form.addEventListener("change", update);
      update();
    });
  }

  /* Pinching and long-press menus only confuse people at a public screen. */
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });

  showWhenChosen();
  if (lookupUrl) listenForScanner();
  // The home screen has nothing to forget, and a phone that opened a shared page is nobody's kiosk.
  if (homeUrl && !body.classList.contains("screen-home") && window.innerWidth >= 800) startIdleTimer();
})();
