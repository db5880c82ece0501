/*
 * The preview's LMS panel: launches the course in the frame beside it under the simulated
 * run-time API (lms.js) and shows, live, what the LMS stores. Each launch first unloads the
 * frame (so the course ends its session as it does when a learner leaves), then puts a new
 * session's API on this window, where the course finds it through its parent chain.
 */
(function () {
  "use strict";

  var Lms = window.SrmPreviewLms;
  var frame = document.getElementById("sco");
  var versionSelect = document.getElementById("version");
  var MAX_CALLS = 300;

  var course = null; // from /__srm__/state.json
  var version = "1.2";
  var attempts = {}; // version -> Attempt
  var session = null;
  var mode = "normal";
  var calls = [];
  var failedCalls = 0;
  var renderPending = false;

  function byId(id) {
    return document.getElementById(id);
  }

  function setText(element, value) {
    if (element) {
      element.textContent = value;
    }
  }

  function courseUrl() {
    return "/course/" + (version === "1.2" ? "scorm12" : "scorm2004") + "/index.html";
  }

  function newAttempt(number) {
    var info = {
      passingScore: course.passingScore,
      masteryScore: course.masteryScore,
      scaledPassingScore: course.scaledPassingScore,
    };
    attempts[version] = new Lms.Attempt(version, info, number);
    return attempts[version];
  }

  /** Load url in the frame and call then() once it has loaded. */
  function navigate(url, then) {
    function loaded() {
      frame.removeEventListener("load", loaded);
      if (then) {
        then();
      }
    }
    frame.addEventListener("load", loaded);
    frame.src = url;
  }

  /** A session the course left without finishing: the LMS keeps only what was committed. */
  function closeAbandoned() {
    if (session && session.state === "running") {
      var lost = session.uncommitted;
      session.state = "terminated";
      session.attempt.sessions += 1;
      session.attempt.lastExit = "";
      log({ method: "LMS", args: [], result: "", error: 0, errorText: "",
            diagnostic: "the course was unloaded without " + session.names.fn.terminate +
              (lost ? "; " + lost + " value(s) never committed are lost" : "") });
    }
  }

  function installApi(api) {
    ["API", "API_1484_11"].forEach(function (name) {
      try {
        delete window[name];
      } catch (error) {
        window[name] = undefined;
      }
    });
    if (api) {
      window[Lms.apiName(version)] = api;
    }
  }

  /** The next session's API on this window, once the last session has ended. */
  function prepareSession(launchMode, fresh) {
    closeAbandoned();
    var attempt = attempts[version];
    if (fresh || !attempt || attempt.ended) {
      attempt = newAttempt(attempt ? attempt.number + 1 : 1);
    }
    mode = launchMode;
    session = new Lms.Session(attempt, launchMode, { onCall: log });
    installApi(session.api);
    render();
  }

  /** End what runs, then launch the course: mode "normal", "browse" or "review". */
  function launch(launchMode, fresh) {
    navigate("about:blank", function () {
      prepareSession(launchMode, fresh);
      navigate(courseUrl(), render);
    });
  }

  /**
   * Reload the course page as a relaunch, without a blank page between (the quicker way for
   * live reload): the page's own pagehide handler ends its session first (it was added when
   * the page started), then the one added here starts the next session before the new page
   * looks for the API.
   */
  function relaunchInPlace() {
    var page = frame.contentWindow;
    page.addEventListener("pagehide", function () {
      prepareSession(mode, false);
    });
    page.location.reload();
  }

  function endSession() {
    navigate("/__srm__/ended.html", function () {
      closeAbandoned();
      installApi(null);
      render();
    });
  }

  // --------------------------------------------------------------------- showing
  function log(call) {
    calls.push(call);
    if (call.error && call.error !== 0) {
      failedCalls += 1;
    }
    if (calls.length > MAX_CALLS) {
      calls.shift();
    }
    scheduleRender();
  }

  function scheduleRender() {
    if (!renderPending) {
      renderPending = true;
      window.setTimeout(function () {
        renderPending = false;
        render();
      }, 0);
    }
  }

  function field(name) {
    return document.querySelector('[data-field="' + name + '"]');
  }

  function showField(name, element, value) {
    var row = field(name);
    if (!row) {
      return;
    }
    setText(row.querySelector("[data-element]"), element);
    setText(row.querySelector("dd"), value === undefined || value === "" ? "—" : value);
  }

  function number(value) {
    return Number(value).toLocaleString("en-US");
  }

  function render() {
    if (!course) {
      return;
    }
    var names = Lms.VERSIONS[version];
    var element = names.element;
    var attempt = attempts[version];
    var stored = attempt ? attempt.stored : {};
    document.querySelectorAll("[data-versions]").forEach(function (row) {
      row.hidden = row.getAttribute("data-versions").split(" ").indexOf(version) < 0;
    });
    var line = "";
    if (attempt && session) {
      line = "SCORM " + version + ", attempt " + attempt.number + ", session " + (attempt.sessions + (session.state === "terminated" ? 0 : 1)) +
        ": " + session.state + " (" + mode + " mode)";
      if (session.uncommitted) {
        line += "; " + session.uncommitted + " value(s) set but not committed yet";
      }
      if (mode !== "normal") {
        line += ". In " + mode + " mode the LMS keeps nothing of the session.";
      }
    }
    setText(byId("session-line"), line);
    showField("status", element.status, stored[element.status] || (version === "1.2" ? "not attempted" : "unknown"));
    if (version === "2004") {
      // stored holds the LMS's own values too (the scaled passing score it handed the course)
      showField("success", element.success, Lms.successStatus2004(stored));
      showField("scaled", element.scaled, stored[element.scaled]);
      showField("progress", element.progress, stored[element.progress]);
    }
    var raw = stored[element.raw];
    var score = raw === undefined || raw === "" ? "" : raw;
    if (score !== "" && (stored[element.min] !== undefined || stored[element.max] !== undefined)) {
      score += " (min " + (stored[element.min] || "—") + ", max " + (stored[element.max] || "—") + ")";
    }
    showField("score", element.raw, score);
    showField("location", element.location, stored[element.location]);
    showField("entry", element.entry, session ? session.entry || "\"\" (empty)" : "");
    showField("mode", element.mode + ", " + element.credit,
              session ? session.mode + ", " + (session.mode === "normal" ? "credit" : "no-credit") : "");
    showField("exit", element.exit, attempt && attempt.lastExit !== null ? attempt.lastExit || "\"\" (empty)" : "");
    showField("session-time", element.sessionTime, attempt ? attempt.lastSessionTime : "");
    showField("total-time", element.totalTime, attempt ? Lms.formatTime(version, attempt.totalMs) : "");

    var suspend = stored["cmi.suspend_data"] || "";
    var limit = names.suspendLimit;
    setText(byId("suspend-size"), number(suspend.length) + " of " + number(limit) + " characters (" +
            (Math.round((suspend.length / limit) * 1000) / 10) + "%)");
    var meter = byId("suspend-meter");
    meter.max = limit;
    meter.high = limit * 0.9;
    meter.value = suspend.length;
    setText(byId("suspend-text"), suspend || "(empty)");

    var rows = attempt ? Lms.interactions(attempt) : [];
    byId("no-interactions").hidden = rows.length > 0;
    var table = byId("interactions");
    table.hidden = rows.length === 0;
    var body = table.querySelector("tbody");
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      [String(row.index), row.id, row.type, row.response, row.pattern, row.result].forEach(function (value, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) {
          cell.scope = "row";
        }
        cell.textContent = value;
        tr.appendChild(cell);
      });
      tr.setAttribute("data-interaction", row.id);
      body.appendChild(tr);
    });

    setText(byId("call-summary"), calls.length ? calls.length + " call(s) shown, " + failedCalls +
            " refused" + (failedCalls ? ": see the error codes below" : "") : "No calls yet.");
    var list = byId("calls");
    list.textContent = "";
    calls.slice(-60).forEach(function (call) {
      var item = document.createElement("li");
      var args = call.args.map(function (arg) {
        var text = String(arg);
        return JSON.stringify(text.length > 80 ? text.slice(0, 80) + "…" : text);
      }).join(", ");
      var line = call.method + (call.method === "LMS" ? "" : "(" + args + ") → " + JSON.stringify(String(call.result)));
      if (call.error) {
        line += "  error " + call.error + " " + call.errorText;
        item.className = "is-error";
      }
      if (call.diagnostic) {
        line += (call.method === "LMS" ? ": " : " — ") + call.diagnostic;
      }
      item.textContent = line;
      list.appendChild(item);
    });
  }

  // ------------------------------------------------------------------------ start
  function start(info) {
    course = info;
    version = info.version;
    versionSelect.value = version;
    setText(byId("course-name"), info.title);
    document.title = "Preview: " + info.title + " — simulated LMS";
    byId("end-session").addEventListener("click", endSession);
    byId("relaunch").addEventListener("click", function () {
      launch("normal", false);
    });
    byId("new-attempt").addEventListener("click", function () {
      launch("normal", true);
    });
    byId("browse").addEventListener("click", function () {
      launch("browse", false);
    });
    byId("review").addEventListener("click", function () {
      launch("review", false);
    });
    versionSelect.addEventListener("change", function () {
      // the frame unloads first, so the course ends its session under the version it began with
      navigate("about:blank", function () {
        closeAbandoned();
        version = versionSelect.value;
        session = null;
        launch("normal", false);
      });
    });
    launch("normal", false);
  }

  /* The course page's reload script asks here: relaunch in the same mode, as a learner would. */
  window.SrmPreview = {
    reloadCourse: function () {
      relaunchInPlace();
    },
  };

  var request = new XMLHttpRequest();
  request.open("GET", "/__srm__/state.json");
  request.responseType = "json";
  request.addEventListener("load", function () {
    start(request.response);
  });
  request.send();
})();
