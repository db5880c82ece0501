/*
 * SCORM run-time adapter shared by SCORM 1.2 and SCORM 2004 4th edition.
 *
 * The quiz talks to this module in quiz terms (start, answer, save, complete, finish);
 * this module turns them into the CMI calls and value formats each version and
 * Moodle accept (docs: lms-targets.md §3-§4, measured facts in §6). Every call is
 * checked with GetLastError; a failure is logged with its details and reported
 * through hooks.onProblem, and never throws into the page. A failed commit is
 * retried a few times with growing pauses; hooks.onSaved hears of each commit that
 * went through.
 *
 * Every commit carries the session time so far and the exit the LMS should act on
 * ("suspend" until the quiz is complete): Moodle commits with a synchronous request,
 * which Chromium refuses while a page closes, so a commit from pagehide never
 * arrives when the learner closes the tab.
 *
 * Exposes window.SrmScormRuntime.connect(version, hooks).
 */
(function () {
  "use strict";

  /** How far up the frame chain to look for the API before giving up. */
  var MAX_HOPS = 500;

  /** Pauses before retrying a failed commit: a short outage is bridged, a dead LMS is not pressed. */
  var RETRY_DELAYS_MS = [1000, 2000, 4000];

  var VERSIONS = {
    scorm12: {
      apiName: "API",
      initialize: "LMSInitialize",
      terminate: "LMSFinish",
      getValue: "LMSGetValue",
      setValue: "LMSSetValue",
      commit: "LMSCommit",
      lastError: "LMSGetLastError",
      errorString: "LMSGetErrorString",
      status: "cmi.core.lesson_status",
      entry: "cmi.core.entry",
      location: "cmi.core.lesson_location",
      mode: "cmi.core.lesson_mode",
      exit: "cmi.core.exit",
      sessionTime: "cmi.core.session_time",
      scoreRaw: "cmi.core.score.raw",
      scoreMin: "cmi.core.score.min",
      scoreMax: "cmi.core.score.max",
      /* 1.2 GetValue errors that only mean "this LMS has no value here" */
      benignReadErrors: ["401", "403"],
    },
    scorm2004: {
      apiName: "API_1484_11",
      initialize: "Initialize",
      terminate: "Terminate",
      getValue: "GetValue",
      setValue: "SetValue",
      commit: "Commit",
      lastError: "GetLastError",
      errorString: "GetErrorString",
      status: "cmi.completion_status",
      entry: "cmi.entry",
      location: "cmi.location",
      mode: "cmi.mode",
      exit: "cmi.exit",
      sessionTime: "cmi.session_time",
      scoreRaw: "cmi.score.raw",
      scoreMin: "cmi.score.min",
      scoreMax: "cmi.score.max",
      /* 2004: 403 = "value not initialized", e.g. cmi.location on a first launch */
      benignReadErrors: ["401", "403"],
    },
  };

  // ---------------------------------------------------------------- finding the API
  function apiIn(win, name) {
    try {
      return win[name] || null;
    } catch (error) {
      return null; // a cross-origin frame: keep climbing past it
    }
  }

  function climb(win, name) {
    for (var hops = 0; win && hops <= MAX_HOPS; hops += 1) {
      var api = apiIn(win, name);
      if (api) {
        return api;
      }
      var parent = null;
      try {
        parent = win.parent;
      } catch (error) {
        return null;
      }
      if (!parent || parent === win) {
        return null;
      }
      win = parent;
    }
    return null;
  }

  /** The LMS API: up the parent chain, then up the chain of the top window's opener. */
  function findApi(name) {
    var api = climb(window, name);
    if (api) {
      return api;
    }
    try {
      var opener = window.top && window.top.opener;
      return opener ? climb(opener, name) : null;
    } catch (error) {
      return null;
    }
  }

  // ------------------------------------------------------------------ value formats
  function pad(number, width) {
    var text = String(number);
    while (text.length < width) {
      text = "0" + text;
    }
    return text;
  }

  /** SCORM 1.2 CMITimespan HHHH:MM:SS.SS (Moodle accepts 2-4 hour digits). */
  function timespan12(milliseconds) {
    var centis = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.min(9999, Math.floor(centis / 360000));
    var minutes = Math.floor((centis % 360000) / 6000);
    var secs = Math.floor((centis % 6000) / 100);
    var fraction = centis % 100;
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(secs, 2) + "." + pad(fraction, 2);
  }

  /** SCORM 2004 ISO 8601 duration, at most 2 decimals on seconds; PT0S when zero. */
  function duration2004(milliseconds) {
    var centis = Math.max(0, Math.round(milliseconds / 10));
    var hours = Math.floor(centis / 360000);
    var minutes = Math.floor((centis % 360000) / 6000);
    var secs = (centis % 6000) / 100;
    var text = "PT";
    if (hours) {
      text += hours + "H";
    }
    if (minutes) {
      text += minutes + "M";
    }
    if (secs || text === "PT") {
      text += decimal(secs, 2) + "S";
    }
    return text;
  }

  /** SCORM 1.2 CMITime: the local time of day, HH:MM:SS. */
  function clock12(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  /** SCORM 2004 timestamp YYYY-MM-DDThh:mm:ss: no milliseconds, no zone (Moodle rejects them). */
  function timestamp2004(date) {
    return (
      pad(date.getFullYear(), 4) + "-" + pad(date.getMonth() + 1, 2) + "-" + pad(date.getDate(), 2) +
      "T" + clock12(date)
    );
  }

  /** A number with at most `places` decimals and no trailing zeros, as the LMS wants it: 80, 66.67, 12.5. */
  function decimal(value, places) {
    var factor = Math.pow(10, places);
    return String(Math.round(value * factor) / factor);
  }

  // ------------------------------------------------------------------------ adapter
  function Adapter(version, api, hooks) {
    this.version = version;
    this.names = VERSIONS[version];
    this.api = api;
    this.hooks = hooks || {};
    this.connected = Boolean(api);
    this.initialized = false;
    this.refused = false; // an LMS was found but refused Initialize
    this.terminated = false;
    this.readOnly = false;
    this.startedAt = Date.now();
    this.nextInteraction = 0;
    this.finishing = false; // the score is set: the session ends once a commit goes through
    this.retryTimer = null;
    this.retriesMade = 0;
  }

  /** Tell the page, never letting its code break the runtime. */
  Adapter.prototype.notify = function (hook, detail) {
    if (typeof this.hooks[hook] === "function") {
      try {
        this.hooks[hook](detail);
      } catch (error) {
        /* the page's reporting must never break the runtime */
      }
    }
  };

  Adapter.prototype.log = function (message) {
    if (window.console && window.console.warn) {
      window.console.warn("[SCORM " + (this.version === "scorm12" ? "1.2" : "2004") + "] " + message);
    }
  };

  /**
   * A call the LMS refused: logged, and reported to the page as data, e.g.
   * {call: "commit", code: "101", description: "101 General exception", thrown: false}
   * (call: initialize, getValue, setValue, commit or terminate, whatever the version).
   */
  Adapter.prototype.failed = function (label, call, code) {
    var description = this.describe(code);
    this.log(label + " failed (error " + description + ")");
    this.notify("onProblem", { call: call, code: code, description: description, thrown: false });
  };

  /** A call the LMS's script threw on: the error text goes to the console only; learners get a plain message. */
  Adapter.prototype.threw = function (label, call, error) {
    this.log(label + " threw: " + error);
    this.notify("onProblem", { call: call, code: "", description: "", thrown: true });
  };

  /** The LMS's last error code as a string, "0" when there is none. */
  Adapter.prototype.lastError = function () {
    try {
      return String(this.api[this.names.lastError]());
    } catch (error) {
      return "0";
    }
  };

  Adapter.prototype.describe = function (code) {
    try {
      var text = String(this.api[this.names.errorString](code) || "");
      return text ? code + " " + text : code;
    } catch (error) {
      return code;
    }
  };

  /** Call an API function; true when it returned "true" and left no error. */
  Adapter.prototype.call = function (fn, args, label) {
    var result;
    try {
      result = this.api[this.names[fn]].apply(this.api, args);
    } catch (error) {
      this.threw(label, fn, error);
      return false;
    }
    var code = this.lastError();
    if (String(result) !== "true" || code !== "0") {
      this.failed(label, fn, code);
      return false;
    }
    return true;
  };

  Adapter.prototype.get = function (element) {
    if (!this.initialized || this.terminated) {
      return "";
    }
    var value;
    var label = "GetValue(" + element + ")";
    try {
      value = this.api[this.names.getValue](element);
    } catch (error) {
      this.threw(label, "getValue", error);
      return "";
    }
    var code = this.lastError();
    if (code !== "0") {
      if (this.names.benignReadErrors.indexOf(code) < 0) {
        this.failed(label, "getValue", code);
      }
      return "";
    }
    return value === null || value === undefined ? "" : String(value);
  };

  Adapter.prototype.set = function (element, value) {
    if (!this.initialized || this.terminated || this.readOnly) {
      return false;
    }
    return this.call("setValue", [element, String(value)], "SetValue(" + element + ", " + value + ")");
  };

  /**
   * The session time so far and the exit the LMS acts on if the session ends here:
   * "suspend" (resume next time) until the quiz is done. Set before every commit, so a tab
   * closed at any moment leaves the LMS with both (see the top of this file).
   */
  Adapter.prototype.markSession = function (done) {
    var elapsed = Date.now() - this.startedAt;
    var sessionTime = this.version === "scorm12" ? timespan12(elapsed) : duration2004(elapsed);
    var ok = this.set(this.names.sessionTime, sessionTime);
    var exit = done ? (this.version === "scorm12" ? "" : "normal") : "suspend";
    return this.set(this.names.exit, exit) && ok;
  };

  /**
   * Commit what was set, with the session time and exit (done: the quiz is complete).
   * A failed commit is retried after RETRY_DELAYS_MS; true when the first try went through.
   */
  Adapter.prototype.save = function (done) {
    if (!this.initialized || this.terminated || this.readOnly) {
      return false;
    }
    this.markSession(done);
    this.cancelRetry();
    this.retriesMade = 0;
    return this.tryCommit();
  };

  Adapter.prototype.cancelRetry = function () {
    if (this.retryTimer !== null) {
      window.clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  };

  /** One commit; on failure the next retry is scheduled, on success the page hears of it. */
  Adapter.prototype.tryCommit = function () {
    this.retryTimer = null;
    if (this.terminated) {
      return false;
    }
    if (!this.call("commit", [""], "Commit")) {
      if (this.retriesMade < RETRY_DELAYS_MS.length) {
        var adapter = this;
        this.retryTimer = window.setTimeout(function () {
          adapter.tryCommit();
        }, RETRY_DELAYS_MS[this.retriesMade]);
        this.retriesMade += 1;
      }
      return false;
    }
    this.retriesMade = 0;
    var resultSent = this.finishing;
    this.notify("onSaved", { resultSent: resultSent });
    if (resultSent) {
      this.terminate();
    }
    return true;
  };

  /** LMSFinish/Terminate, once; nothing is sent after it. */
  Adapter.prototype.terminate = function () {
    this.cancelRetry();
    var ok = this.call("terminate", [""], this.version === "scorm12" ? "LMSFinish" : "Terminate");
    this.terminated = true;
    return ok;
  };

  /**
   * Initialize and read what the quiz needs to resume. Marks a first attempt as
   * incomplete at once: a 1.2 status left "not attempted" becomes "completed" on finish.
   * The caller commits once it has saved its initial state.
   */
  Adapter.prototype.start = function () {
    var names = this.names;
    var info = { entry: "", suspendData: "", location: "", mode: "normal", passMark: null };
    if (!this.connected) {
      return info;
    }
    this.initialized = this.call("initialize", [""], "Initialize");
    if (!this.initialized) {
      this.connected = false;
      this.refused = true;
      return info;
    }
    this.startedAt = Date.now();
    var status = this.get(names.status);
    info.status = status;
    info.entry = this.get(names.entry);
    info.suspendData = this.get("cmi.suspend_data");
    info.location = this.get(names.location);
    info.mode = this.get(names.mode) || "normal";
    // browse: "presented without the intent of recording" (2004 RTE cmi.mode; 1.2 lesson_mode alike)
    this.readOnly = info.mode === "review" || info.mode === "browse";
    if (this.version === "scorm12") {
      var mastery = this.get("cmi.student_data.mastery_score");
      info.passMark = mastery === "" || isNaN(Number(mastery)) ? null : Number(mastery);
    } else {
      var scaled = this.get("cmi.scaled_passing_score");
      info.passMark = scaled === "" || isNaN(Number(scaled)) ? null : Number(scaled) * 100;
    }
    var count = parseInt(this.get("cmi.interactions._count"), 10);
    this.nextInteraction = isNaN(count) || count < 0 ? 0 : count;
    if (status === "not attempted" || status === "unknown" || status === "") {
      // saved by the caller together with the initial state, in one round trip
      this.set(names.status, "incomplete");
    }
    return info;
  };

  /** Save the quiz state (compact string) and the place to come back to. */
  Adapter.prototype.saveState = function (suspendData, location) {
    this.set("cmi.suspend_data", suspendData);
    if (location) {
      // 2004 refuses an empty location (406); an old one is harmless, it is only a hint
      this.set(this.names.location, location);
    }
  };

  /**
   * Record one answered question as the next interaction, in the order Moodle
   * checks (id, type, pattern, response, result...). answer = {id, type (SCORM's
   * interaction type), learner and correctPattern (already in this version's format;
   * null leaves the field out), correct, weighting, description, answeredAt (Date),
   * latencyMs}. The question types format the responses (assets/questions/*.js).
   */
  Adapter.prototype.recordInteraction = function (answer) {
    var n = this.nextInteraction;
    var prefix = "cmi.interactions." + n + ".";
    this.nextInteraction = n + 1;
    var v12 = this.version === "scorm12";
    this.set(prefix + "id", answer.id);
    this.set(prefix + "type", answer.type);
    if (answer.correctPattern !== null && answer.correctPattern !== undefined) {
      this.set(prefix + "correct_responses.0.pattern", answer.correctPattern);
    }
    if (answer.learner !== null && answer.learner !== undefined) {
      this.set(prefix + (v12 ? "student_response" : "learner_response"), answer.learner);
    }
    this.set(prefix + "result", answer.correct ? "correct" : v12 ? "wrong" : "incorrect");
    this.set(prefix + "weighting", String(answer.weighting));
    if (v12) {
      this.set(prefix + "time", clock12(answer.answeredAt));
      this.set(prefix + "latency", timespan12(answer.latencyMs));
    } else {
      if (answer.description) {
        this.set(prefix + "description", answer.description);
      }
      this.set(prefix + "timestamp", timestamp2004(answer.answeredAt));
      this.set(prefix + "latency", duration2004(answer.latencyMs));
    }
  };

  /**
   * The quiz is over: score as a 0-100 percentage (Moodle grades raw against 100),
   * pass/fail set by the SCO itself, then save and finish. result = {percent, passed}.
   * Once a commit of the score goes through (at once or on a retry), onSaved hears
   * {resultSent: true} and the session is finished.
   */
  Adapter.prototype.complete = function (result) {
    var names = this.names;
    var raw = decimal(Math.min(100, Math.max(0, result.percent)), 2);
    this.set(names.scoreMin, "0");
    this.set(names.scoreMax, "100");
    this.set(names.scoreRaw, raw);
    if (this.version === "scorm12") {
      this.set(names.status, result.passed === null ? "completed" : result.passed ? "passed" : "failed");
    } else {
      this.set("cmi.score.scaled", decimal(Number(raw) / 100, 4));
      if (result.passed !== null) {
        this.set("cmi.success_status", result.passed ? "passed" : "failed");
      }
      this.set(names.status, "completed");
      this.set("cmi.progress_measure", "1");
    }
    this.finishing = true;
    return this.save(true);
  };

  /** A course without questions is complete once opened. */
  Adapter.prototype.completeWithoutScore = function () {
    this.set(this.names.status, "completed");
    if (this.version === "scorm2004") {
      this.set("cmi.progress_measure", "1");
    }
    return this.save(true);
  };

  /**
   * The learner leaves (pagehide): session time, exit, one commit, then LMSFinish/Terminate;
   * at most once. done=false exits with "suspend" so the LMS resumes. In Chromium the LMS's
   * synchronous request fails here, which is why save() already sent all of it.
   */
  Adapter.prototype.finish = function (done) {
    if (!this.initialized || this.terminated) {
      return false;
    }
    this.cancelRetry();
    var ok = true;
    if (!this.readOnly) {
      ok = this.markSession(done) && ok;
      ok = this.call("commit", [""], "Commit") && ok;
    }
    return this.terminate() && ok;
  };

  window.SrmScormRuntime = {
    /** An adapter for "scorm12" or "scorm2004"; adapter.connected is false without an LMS. */
    connect: function (version, hooks) {
      if (!VERSIONS[version]) {
        throw new Error("unknown SCORM version " + version);
      }
      return new Adapter(version, findApi(VERSIONS[version].apiName), hooks);
    },
    formats: {
      timespan12: timespan12,
      duration2004: duration2004,
      clock12: clock12,
      timestamp2004: timestamp2004,
      decimal: decimal,
    },
  };
})();
