/* On-screen keys for a touch screen with no keyboard: the digit keypad for dossier codes and the
   letter keyboard for searching and comments, with Vietnamese tone marks put on the right vowel. */
(function () {
  "use strict";

  var TONES = {acute: "\u0301", grave: "\u0300", hook: "\u0309", tilde: "\u0303", dot: "\u0323"};
  var TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var VOWELS = "aăâeêioôơuưy";
  var MARKED = "ăâêôơư";

  function isVowel(letter) { return VOWELS.indexOf(letter.toLowerCase()) >= 0; }

  /* Where Vietnamese puts the tone of a syllable (the "new style": hoà, thuý, người, khuỷu). */
  function toneIndex(word) {
    var lower = word.toLowerCase();
    var start = -1, end = -1;
    for (var i = 0; i < lower.length; i++) {
      if (isVowel(lower[i])) {
        // "qu" and "gi" before another vowel: u and i belong to the consonant.
        var glide = i > 0 && ((lower[i] === "u" && lower[i - 1] === "q") || (lower[i] === "i" && lower[i - 1] === "g"));
        if (glide && i + 1 < lower.length && isVowel(lower[i + 1])) continue;
        if (start < 0) start = i;
        end = i;
      } else if (start >= 0) {
        break;
      }
    }
    if (start < 0) return -1;
    var cluster = lower.slice(start, end + 1);
    if (cluster.indexOf("ơ") >= 0) return start + cluster.indexOf("ơ");
    for (var j = cluster.length - 1; j >= 0; j--) {
      if (MARKED.indexOf(cluster[j]) >= 0) return start + j;
    }
    var closed = end + 1 < lower.length;
    if (cluster.length === 1) return start;
    if (closed || ["oa", "oe", "uy"].indexOf(cluster) >= 0) return end;
    return cluster.length === 2 ? start : start + 1;
  }

  function withTone(word, tone) {
    var bare = word.normalize("NFD").replace(TONE_MARKS, "").normalize("NFC");
    var current = (word.normalize("NFD").match(TONE_MARKS) || [])[0];
    var index = toneIndex(bare);
    if (index < 0) return word;
    if (current === TONES[tone]) return bare; // the same tone again takes it off
    var letter = (bare[index].normalize("NFD") + TONES[tone]).normalize("NFC");
    return bare.slice(0, index) + letter + bare.slice(index + 1);
  }

  function insert(field, text) {
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? field.value.length : field.selectionEnd;
    var max = field.maxLength > 0 ? field.maxLength : Infinity;
    if (field.value.length - (end - start) + text.length > max) return;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.selectionStart = field.selectionEnd = start + text.length;
  }

  function backspace(field) {
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? field.value.length : field.selectionEnd;
    if (start === end && start > 0) start -= 1;
    field.value = field.value.slice(0, start) + field.value.slice(end);
    field.selectionStart = field.selectionEnd = start;
  }

  function tone(field, name) {
    var caret = field.selectionStart == null ? field.value.length : field.selectionStart;
    var before = field.value.slice(0, caret);
    var word = before.match(/[\p{L}\p{M}]+$/u);
    if (!word) return;
    var changed = withTone(word[0], name);
    var head = before.slice(0, before.length - word[0].length) + changed;
    field.value = head + field.value.slice(caret);
    field.selectionStart = field.selectionEnd = head.length;
  }

  function press(button, field) {
    if (!field || !button) return;
    var data = button.dataset;
    if (data.key !== undefined) insert(field, data.key);
    else if (data.action === "backspace") backspace(field);
    else if (data.action === "clear") field.value = "";
    else if (data.tone) tone(field, data.tone);
    field.dispatchEvent(new Event("input", {bubbles: true}));
    field.focus({preventScroll: true});
  }

  /* The keypad types into the field it names. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-keys-for]"), function (pad) {
    var field = document.getElementById(pad.dataset.keysFor);
    pad.addEventListener("click", function (event) { press(event.target.closest("button"), field); });
  });

  /* A keyboard types into the last text field touched in its form, and shows when one is touched. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-keyboard-panel]"), function (panel) {
    var form = panel.closest("form");
    var fields = form.querySelectorAll("[data-keyboard-target]");
    var target = fields[0];
    Array.prototype.forEach.call(fields, function (field) {
      field.addEventListener("focus", function () {
        target = field;
        panel.hidden = false;
      });
    });
    panel.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the caret
    panel.addEventListener("click", function (event) { press(event.target.closest("button"), target); });
  });

  window.kioskKeys = {withTone: withTone}; // for the tests of tone placement
})();
