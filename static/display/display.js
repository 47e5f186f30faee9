/* Lobby board: polls feed.json (If-None-Match, 304 when unchanged), pages through the results and the
   week's schedule, keeps a clock on the server's time, and recovers by itself when the server or the
   network comes back. Runs unattended all day: it never needs a reload. */
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board) { return; }

  var HOUR = 3600 * 1000;
  var VN_OFFSET = 7 * HOUR;  // Asia/Ho_Chi_Minh has no daylight saving
  var config = {
    feedUrl: board.dataset.feedUrl,
    poll: seconds(board.dataset.pollSeconds, 4),
    page: seconds(board.dataset.pageSeconds, 12),
    maxBackoff: seconds(board.dataset.maxBackoffSeconds, 30)
  };
  var words = readJson("board-words");
  var data = readJson("board-data");
  var etag = board.dataset.etag ? '"' + board.dataset.etag + '"' : null;  // as the ETag header quotes it
  var clockOffset = 0;
  var knownCodes = codesOf(data);
  var knownCalls = callsOf(data);
  var view = { section: "results", page: 0, pages: 1 };
  var pageTimer = null;
  var delay = config.poll;
  var chime = { on: false, context: null };

  var el = {
    clockTime: byId("clock-time"), clockDate: byId("clock-date"),
    results: byId("slide-results"), readyList: byId("ready-list"), readyEmpty: byId("ready-empty"),
    resultsPager: byId("results-pager"),
    agenda: byId("slide-agenda"), agendaList: byId("agenda-list"), agendaTitle: byId("agenda-title"),
    agendaPager: byId("agenda-pager"),
    received: byId("fig-received"), returned: byId("fig-returned"), onTime: byId("fig-ontime"),
    month: byId("fig-month"), offline: byId("offline"), chime: byId("chime-toggle"),
    readyRow: byId("ready-row"), agendaRow: byId("agenda-row")
  };

  function byId(id) { return document.getElementById(id); }
  function readJson(id) { return JSON.parse(byId(id).textContent); }
  function seconds(text, fallback) {
    var value = parseFloat(text);
    return (value > 0 ? value : fallback) * 1000;
  }
  function callsOf(payload) {
    return (payload.calls || []).map(function (call) { return call.number + "@" + call.called_at; });
  }
  function codesOf(payload) {
    return payload.ready.items.map(function (item) { return item.code; });
  }

  /* Clock: the server's time (pinned in tests), shown in Vietnam's time zone whatever the TV's is. */
  function syncClock(serverTime) {
    var moment = serverTime ? Date.parse(serverTime) : NaN;
    if (!isNaN(moment)) { clockOffset = moment - Date.now(); }
  }
  function two(number) { return (number < 10 ? "0" : "") + number; }
  function tick() {
    var local = new Date(Date.now() + clockOffset + VN_OFFSET);
    el.clockTime.textContent = two(local.getUTCHours()) + ":" + two(local.getUTCMinutes());
    el.clockDate.textContent = words.weekdays[(local.getUTCDay() + 6) % 7] + ", " + two(local.getUTCDate()) + "/" +
      two(local.getUTCMonth() + 1) + "/" + local.getUTCFullYear();
  }

  /* Rows are clones of the <template>s, so every label comes translated from the server. */
  function fill(row, values) {
    Object.keys(values).forEach(function (name) {
      var target = row.querySelector("." + name);
      if (target) { target.textContent = values[name]; }
    });
    return row;
  }
  function readyRow(item, newest) {
    var row = el.readyRow.content.firstElementChild.cloneNode(true);
    row.classList.toggle("is-newest", newest);
    row.dataset.code = item.code;
    return fill(row, { code: item.short_code, name: item.name, "since-value": item.since, procedure: item.procedure });
  }
  function agendaRow(entry, sameDay) {
    var row = el.agendaRow.content.firstElementChild.cloneNode(true);
    row.classList.toggle("is-today", entry.today);
    row.classList.toggle("same-day", sameDay);
    row.querySelector(".place-part").hidden = !entry.place;
    return fill(row, { day: entry.day, time: entry.time, content: entry.content, presiding: entry.presiding,
                       place: entry.place });
  }

  /* Pages are filled row by row until the next row would overflow: rows differ in height (a long
     procedure or schedule item takes two lines), and another screen size or font still pages right. */
  function pageStarts(list, rows, makeRow) {
    var starts = [0];
    list.replaceChildren();
    rows.forEach(function (row, index) {
      var start = starts[starts.length - 1];
      list.appendChild(makeRow(row, index, index - start));
      if (index > start && list.scrollHeight > list.clientHeight + 1) {
        starts.push(index);
        list.replaceChildren(makeRow(row, index, 0));
      }
    });
    return starts;
  }
  function showPage(list, pager, rows, makeRow) {
    var starts = pageStarts(list, rows, makeRow);
    view.pages = starts.length;
    view.page = Math.min(view.page, view.pages - 1);
    var first = starts[view.page];
    var end = view.page + 1 < starts.length ? starts[view.page + 1] : rows.length;
    list.replaceChildren.apply(list, rows.slice(first, end).map(function (row, index) {
      return makeRow(row, first + index, index);
    }));
    pager.textContent = view.pages > 1 ?
      words.page.replace("{page}", view.page + 1).replace("{pages}", view.pages) : "";
  }
  function render() {
    var agendaShown = view.section === "agenda";
    board.dataset.section = view.section;
    el.results.hidden = agendaShown;
    el.agenda.hidden = !agendaShown;
    if (agendaShown) {
      var entries = data.agenda.entries;
      el.agendaTitle.textContent = data.agenda.title;
      showPage(el.agendaList, el.agendaPager, entries, function (entry, index, onPage) {
        return agendaRow(entry, onPage > 0 && entries[index - 1].day === entry.day);
      });
    } else {
      var items = data.ready.items;
      el.readyEmpty.hidden = items.length > 0;
      el.readyList.hidden = !items.length;
      showPage(el.readyList, el.resultsPager, items, function (item, index) { return readyRow(item, index === 0); });
    }
  }
  function renderFigures() {
    var figures = data.figures;
    el.received.textContent = figures.received_today;
    el.returned.textContent = figures.returned_today;
    el.onTime.textContent = figures.on_time_percent === null ? words.no_figure : figures.on_time_percent + " %";
    el.month.textContent = figures.month;
  }

  /* Rotation: every page of results, then every page of the week's schedule (when it has entries). */
  function advance() {
    if (view.page + 1 < view.pages) {
      view.page += 1;
    } else if (view.section === "results" && data.agenda.entries.length) {
      view = { section: "agenda", page: 0, pages: 1 };
    } else {
      view = { section: "results", page: 0, pages: 1 };
    }
    render();
  }
  function restartRotation() {
    clearInterval(pageTimer);
    pageTimer = setInterval(advance, config.page);
  }

  /* Chime: browsers let a page make sound only after a click, so staff switch it on once. */
  function tone(context, frequency, start, length) {
    var oscillator = context.createOscillator();
    var gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + length);
  }
  function ring() {
    if (!chime.on || !chime.context) { return; }
    var now = chime.context.currentTime;
    tone(chime.context, 659.25, now, 0.9);        // E5, then C5: a door-bell "ding-dong"
    tone(chime.context, 523.25, now + 0.45, 1.2);
    board.dataset.chimes = String(Number(board.dataset.chimes || 0) + 1);
  }
  function toggleChime() {
    chime.on = !chime.on;
    if (chime.on && !chime.context) {
      var AudioContext = window.AudioContext || window.webkitAudioContext;
      chime.context = AudioContext ? new AudioContext() : null;
    }
    if (chime.on && chime.context) { chime.context.resume(); }
    el.chime.setAttribute("aria-pressed", String(chime.on));
    el.chime.textContent = chime.on ? el.chime.dataset.onText : el.chime.dataset.offText;
    ring();  // so whoever switched it on hears that it works
  }

  /* Queue calls (issue 20): the band lists the latest; a call not seen before is highlighted and spoken. */
  function renderCalls(fresh) {
    var calls = (data.calls || []).slice(0, 4);
    var band = byId("calls");
    band.hidden = !calls.length;
    byId("calls-list").replaceChildren.apply(byId("calls-list"), calls.map(function (call, index) {
      var item = document.createElement("li");
      item.className = "call" + (index === 0 && fresh ? " is-new" : "");
      var number = document.createElement("b");
      number.className = "call-number";
      number.textContent = call.number;
      item.append(number, " → " + words.counter.replace("{counter}", call.counter));
      return item;
    }));
    if (fresh && calls.length) { speak(calls[0]); }
  }
  function speak(call) {
    var audio = byId("call-audio");
    audio.src = board.dataset.speechUrl + encodeURIComponent(call.number) + "-" + call.counter + ".wav";
    board.dataset.spoken = String(Number(board.dataset.spoken || 0) + 1);
    board.dataset.lastCall = call.number + "-" + call.counter;
    var playing = audio.play();
    if (playing && playing.catch) { playing.catch(function () {}); }  // a TV without a click may refuse sound
  }

  /* Polling with If-None-Match; on failure show the marker and wait twice as long, up to the maximum. */
  function update(payload) {
    var codes = codesOf(payload);
    var fresh = codes.some(function (code) { return knownCodes.indexOf(code) === -1; });
    knownCodes = codes;
    var calls = callsOf(payload);
    var newCall = calls.length && knownCalls.indexOf(calls[0]) === -1;
    knownCalls = calls;
    data = payload;
    renderCalls(newCall);
    renderFigures();
    if (fresh) {
      view = { section: "results", page: 0, pages: 1 };  // the newest result is on the first page
      restartRotation();
      ring();
    } else if (view.section === "agenda" && !data.agenda.entries.length) {
      view = { section: "results", page: 0, pages: 1 };
    }
    render();
  }
  function setOnline(online) {
    el.offline.hidden = online;
    board.classList.toggle("is-offline", !online);
  }
  function poll() {
    var headers = { Accept: "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = setTimeout(function () { if (controller) { controller.abort(); } },
                             Math.max(10000, 2 * config.poll));
    fetch(config.feedUrl, { headers: headers, cache: "no-store", credentials: "omit",
                            signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (response.status === 304) { return response; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json().then(function (payload) {
          etag = response.headers.get("ETag");
          update(payload);
          return response;
        });
      })
      .then(function (response) {
        syncClock(response.headers.get("X-Server-Time"));
        setOnline(true);
        delay = config.poll;
      })
      .catch(function () {
        setOnline(false);
        delay = Math.min(delay * 2, Math.max(config.maxBackoff, config.poll));
      })
      .then(function () {
        clearTimeout(timeout);
        setTimeout(poll, delay);
      });
  }

  syncClock(board.dataset.now);
  tick();
  setInterval(tick, 1000);
  renderFigures();
  render();
  restartRotation();
  el.chime.addEventListener("click", toggleChime);
  setTimeout(poll, config.poll);
})();
