// The dossier page's scans: a photo from the desk's webcam goes into the upload form's file input.
(function () {
  "use strict";
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  document.querySelectorAll(".file-upload").forEach(function (form) {
    var start = form.querySelector("button.camera");
    var video = form.querySelector("video.camera-preview");
    var input = form.querySelector("input[type=file]");
    if (!start || !video || !input) return;
    start.hidden = false;
    var stream = null;

    start.addEventListener("click", function () {
      if (stream) { capture(); return; }
      navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1920 } } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.textContent = start.dataset.capture;
      }).catch(function () { start.textContent = start.dataset.unavailable; });
    });

    function capture() {
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth || 1280;
      canvas.height = video.videoHeight || 720;
      canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var files = new DataTransfer();
        Array.prototype.forEach.call(input.files, function (file) { files.items.add(file); });
        var stamp = new Date().toISOString().replace(/[:.]/g, "-");
        files.items.add(new File([blob], "webcam-" + stamp + ".jpg", { type: "image/jpeg" }));
        input.files = files.files;
        input.required = false;
        stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
        video.hidden = true;
        start.textContent = start.dataset.again;
      }, "image/jpeg", 0.9);
    }
  });
})();
