/*
 * The preview's simulated LMS: our own SCORM run-time API (window.API for SCORM 1.2,
 * window.API_1484_11 for SCORM 2004 4th edition) with the data model, the error codes
 * and the rules of the ADL run-time references, so that a SCO that works here works in a
 * strict LMS. It is preview-only: no built package carries it.
 *
 * One Attempt holds what the LMS has stored (committed values, total time, how the last
 * session ended); each launch gets a new Session (one Initialize ... Terminate) that reads
 * from it and writes back on Commit and Terminate. SrmPreviewLms.launch(...) returns the
 * API object to put on the window the SCO looks up.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ value types
  var DECIMAL = /^-?\d+(\.\d+)?$/;
  var IDENTIFIER_12 = /^[\x21-\x7E]{1,255}$/; // CMIIdentifier: no white space, printable
  var TIMESPAN_12 = /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var TIME_12 = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,2})?$/;
  var CHAR_12 = "[0-9a-z]";
  var TIMESTAMP_2004 = new RegExp(
    "^(19[7-9]\\d|20[0-2]\\d|203[0-8])(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01])(T([01]\\d|2[0-3])" +
      "(:[0-5]\\d(:[0-5]\\d(\\.\\d{1,2}(Z|[+-]([01]\\d|2[0-3])(:?[0-5]\\d)?)?)?)?)?)?)?)?$"
  );
  var INTERVAL_2004 = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$/;
  var LONG_ID_2004 = /^\S{1,4000}$/;
  var SHORT_ID_2004 = /^[^\s\[\]]{1,250}$/;
  var LANGUAGE = /^([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9]{1,8})*$/;

  function vocabulary(words) {
    return function (value) {
      return words.indexOf(value) >= 0 ? null : "type";
    };
  }
  function text(limit, hard) {
    return function (value) {
      if (value.length <= limit) {
        return null;
      }
      return hard ? "type" : "spm:" + limit;
    };
  }
  function decimal(min, max, blank) {
    return function (value) {
      if (blank && value === "") {
        return null;
      }
      if (!DECIMAL.test(value)) {
        return "type";
      }
      var number = Number(value);
      return (min !== null && number < min) || (max !== null && number > max) ? "range" : null;
    };
  }
  function pattern(regex) {
    return function (value) {
      return regex.test(value) ? null : "type";
    };
  }
  function identifier12(value) {
    return IDENTIFIER_12.test(value) ? null : "type";
  }

  // --------------------------------------------------- interaction responses by type
  function list12(item) {
    return new RegExp("^(\\{)?(" + item + "(," + item + ")*)?(\\})?$");
  }
  var RESPONSE_12 = {
    "true-false": /^[01tf]$/,
    choice: list12(CHAR_12),
    "fill-in": /^[\s\S]{0,255}$/,
    numeric: DECIMAL,
    likert: new RegExp("^" + CHAR_12 + "?$"),
    matching: list12(CHAR_12 + "\\." + CHAR_12),
    performance: /^[\s\S]{0,255}$/,
    sequencing: list12(CHAR_12),
  };

  function split2004(value, delimiter) {
    return value === "" ? [] : value.split(delimiter);
  }
  function unique(items) {
    var seen = {};
    for (var i = 0; i < items.length; i += 1) {
      if (seen["$" + items[i]]) {
        return false;
      }
      seen["$" + items[i]] = true;
    }
    return true;
  }
  /** Strip the {lang=..}, {case_matters=..}, {order_matters=..} delimiters 2004 allows in front. */
  function withoutDelimiters(value, names) {
    var match;
    var rest = value;
    var found = new RegExp("^\\{(" + names + ")=([^}]*)\\}");
    while ((match = found.exec(rest))) {
      if (match[1] === "lang" ? !LANGUAGE.test(match[2]) : !/^(true|false)$/.test(match[2])) {
        return null;
      }
      rest = rest.slice(match[0].length);
    }
    return rest;
  }
  function shortIds(value, allowEmpty) {
    var ids = split2004(value, "[,]");
    if (!ids.length) {
      return allowEmpty;
    }
    return unique(ids) && ids.every(function (id) {
      return SHORT_ID_2004.test(id);
    });
  }
  function pairs(value) {
    var items = split2004(value, "[,]");
    return items.length > 0 && items.every(function (item) {
      var parts = item.split("[.]");
      return parts.length === 2 && SHORT_ID_2004.test(parts[0]) && SHORT_ID_2004.test(parts[1]);
    });
  }
  /** Is value a valid 2004 learner_response (isPattern false) or correct pattern for the type? */
  function response2004(type, value, isPattern) {
    switch (type) {
      case "true-false":
        return value === "true" || value === "false";
      case "choice":
        return shortIds(value, true);
      case "sequencing":
        return shortIds(value, false);
      case "likert":
        return SHORT_ID_2004.test(value);
      case "matching":
        return pairs(value);
      case "fill-in": {
        var rest = withoutDelimiters(value, isPattern ? "case_matters|order_matters" : "");
        if (rest === null) {
          return false;
        }
        return split2004(rest, "[,]").every(function (item) {
          var bare = withoutDelimiters(item, "lang");
          return bare !== null && bare.length <= 250;
        }) && split2004(rest, "[,]").length <= 10;
      }
      case "long-fill-in": {
        var body = withoutDelimiters(value, isPattern ? "case_matters|lang" : "lang");
        return body !== null && body.length <= 4000;
      }
      case "numeric":
        if (!isPattern) {
          return DECIMAL.test(value);
        }
        var bounds = value.split("[:]");
        return bounds.length === 2 && bounds.every(function (bound) {
          return bound === "" || DECIMAL.test(bound);
        }) && (bounds[0] === "" || bounds[1] === "" || Number(bounds[0]) <= Number(bounds[1]));
      case "performance":
        return value.length <= 4000 && value !== "";
      case "other":
        return value.length <= 4000;
      default:
        return false;
    }
  }

  // ------------------------------------------------------------------ the data models
  /*
   * Each element: access (ro / rw / wo) and a check returning null when the value is
   * acceptable, "type" / "range" for a wrong value, or "spm:N" for a 2004 text longer
   * than the length every LMS must keep (accepted, with a warning: a strict LMS may cut it).
   * Indexes are written "n"; the arrays list which paths can be counted.
   */
  var STATUS_12 = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"];
  var MODEL_12 = {
    "cmi._children": { access: "ro" },
    "cmi.core._children": { access: "ro" },
    "cmi.core.student_id": { access: "ro" },
    "cmi.core.student_name": { access: "ro" },
    "cmi.core.lesson_location": { access: "rw", check: text(255, true) },
    "cmi.core.credit": { access: "ro" },
    "cmi.core.lesson_status": { access: "rw", check: vocabulary(STATUS_12.slice(0, 5)) },
    "cmi.core.entry": { access: "ro" },
    "cmi.core.score._children": { access: "ro" },
    "cmi.core.score.raw": { access: "rw", check: decimal(0, 100, true) },
    "cmi.core.score.min": { access: "rw", check: decimal(0, 100, true) },
    "cmi.core.score.max": { access: "rw", check: decimal(0, 100, true) },
    "cmi.core.total_time": { access: "ro" },
    "cmi.core.lesson_mode": { access: "ro" },
    "cmi.core.exit": { access: "wo", check: vocabulary(["time-out", "suspend", "logout", ""]) },
    "cmi.core.session_time": { access: "wo", check: pattern(TIMESPAN_12) },
    "cmi.suspend_data": { access: "rw", check: text(4096, true) },
    "cmi.launch_data": { access: "ro" },
    "cmi.comments": { access: "rw", check: text(4096, true) },
    "cmi.comments_from_lms": { access: "ro" },
    "cmi.objectives._children": { access: "ro" },
    "cmi.objectives._count": { access: "ro" },
    "cmi.objectives.n.id": { access: "rw", check: identifier12 },
    "cmi.objectives.n.score._children": { access: "ro" },
    "cmi.objectives.n.score.raw": { access: "rw", check: decimal(0, 100, true) },
    "cmi.objectives.n.score.min": { access: "rw", check: decimal(0, 100, true) },
    "cmi.objectives.n.score.max": { access: "rw", check: decimal(0, 100, true) },
    "cmi.objectives.n.status": { access: "rw", check: vocabulary(STATUS_12) },
    "cmi.student_data._children": { access: "ro" },
    "cmi.student_data.mastery_score": { access: "ro" },
    "cmi.student_data.max_time_allowed": { access: "ro" },
    "cmi.student_data.time_limit_action": { access: "ro" },
    "cmi.student_preference._children": { access: "ro" },
    "cmi.student_preference.audio": { access: "rw", check: decimal(-1, 100) },
    "cmi.student_preference.language": { access: "rw", check: text(255, true) },
    "cmi.student_preference.speed": { access: "rw", check: decimal(-100, 100) },
    "cmi.student_preference.text": { access: "rw", check: decimal(-1, 1) },
    "cmi.interactions._children": { access: "ro" },
    "cmi.interactions._count": { access: "ro" },
    "cmi.interactions.n.id": { access: "wo", check: identifier12 },
    "cmi.interactions.n.objectives._count": { access: "ro" },
    "cmi.interactions.n.objectives.n.id": { access: "wo", check: identifier12 },
    "cmi.interactions.n.time": { access: "wo", check: pattern(TIME_12) },
    "cmi.interactions.n.type": {
      access: "wo",
      check: vocabulary(["true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric"]),
    },
    "cmi.interactions.n.correct_responses._count": { access: "ro" },
    "cmi.interactions.n.correct_responses.n.pattern": { access: "wo", response: true },
    "cmi.interactions.n.weighting": { access: "wo", check: decimal(null, null) },
    "cmi.interactions.n.student_response": { access: "wo", response: true },
    "cmi.interactions.n.result": {
      access: "wo",
      check: function (value) {
        return /^(correct|wrong|unanticipated|neutral)$/.test(value) || DECIMAL.test(value) ? null : "type";
      },
    },
    "cmi.interactions.n.latency": { access: "wo", check: pattern(TIMESPAN_12) },
  };
  var CHILDREN_12 = {
    "cmi": "core,suspend_data,launch_data,comments,objectives,student_data,student_preference,interactions",
    "cmi.core": "student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time",
    "cmi.core.score": "raw,min,max",
    "cmi.objectives": "id,score,status",
    "cmi.objectives.n.score": "raw,min,max",
    "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference": "audio,language,speed,text",
    "cmi.interactions": "id,objectives,time,type,correct_responses,weighting,student_response,result,latency",
  };

  function real(min, max) {
    return decimal(min, max, false);
  }
  var MODEL_2004 = {
    "cmi._version": { access: "ro" },
    "cmi.comments_from_learner._children": { access: "ro" },
    "cmi.comments_from_learner._count": { access: "ro" },
    "cmi.comments_from_learner.n.comment": { access: "rw", check: text(4000) },
    "cmi.comments_from_learner.n.location": { access: "rw", check: text(250) },
    "cmi.comments_from_learner.n.timestamp": { access: "rw", check: pattern(TIMESTAMP_2004) },
    "cmi.comments_from_lms._children": { access: "ro" },
    "cmi.comments_from_lms._count": { access: "ro" },
    "cmi.comments_from_lms.n.comment": { access: "ro" },
    "cmi.comments_from_lms.n.location": { access: "ro" },
    "cmi.comments_from_lms.n.timestamp": { access: "ro" },
    "cmi.completion_status": { access: "rw", check: vocabulary(["completed", "incomplete", "not attempted", "unknown"]) },
    "cmi.completion_threshold": { access: "ro" },
    "cmi.credit": { access: "ro" },
    "cmi.entry": { access: "ro" },
    "cmi.exit": { access: "wo", check: vocabulary(["time-out", "suspend", "logout", "normal", ""]) },
    "cmi.interactions._children": { access: "ro" },
    "cmi.interactions._count": { access: "ro" },
    "cmi.interactions.n.id": { access: "rw", check: pattern(LONG_ID_2004) },
    "cmi.interactions.n.type": {
      access: "rw",
      check: vocabulary(["true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert", "numeric", "other"]),
      needs: "id",
    },
    "cmi.interactions.n.objectives._count": { access: "ro" },
    "cmi.interactions.n.objectives.n.id": { access: "rw", check: pattern(LONG_ID_2004), needs: "id" },
    "cmi.interactions.n.timestamp": { access: "rw", check: pattern(TIMESTAMP_2004), needs: "id" },
    "cmi.interactions.n.correct_responses._count": { access: "ro" },
    "cmi.interactions.n.correct_responses.n.pattern": { access: "rw", response: true, needs: "type" },
    "cmi.interactions.n.weighting": { access: "rw", check: real(null, null), needs: "id" },
    "cmi.interactions.n.learner_response": { access: "rw", response: true, needs: "type" },
    "cmi.interactions.n.result": {
      access: "rw",
      needs: "id",
      check: function (value) {
        return /^(correct|incorrect|unanticipated|neutral)$/.test(value) || DECIMAL.test(value) ? null : "type";
      },
    },
    "cmi.interactions.n.latency": { access: "rw", check: pattern(INTERVAL_2004), needs: "id" },
    "cmi.interactions.n.description": { access: "rw", check: text(250), needs: "id" },
    "cmi.launch_data": { access: "ro" },
    "cmi.learner_id": { access: "ro" },
    "cmi.learner_name": { access: "ro" },
    "cmi.learner_preference._children": { access: "ro" },
    "cmi.learner_preference.audio_level": { access: "rw", check: real(0, null) },
    "cmi.learner_preference.language": { access: "rw", check: pattern(/^$|^([a-zA-Z]{2,3}|i|x)(-[a-zA-Z0-9]{1,8})*$/) },
    "cmi.learner_preference.delivery_speed": { access: "rw", check: real(0, null) },
    "cmi.learner_preference.audio_captioning": { access: "rw", check: vocabulary(["-1", "0", "1"]) },
    "cmi.location": { access: "rw", check: text(1000) },
    "cmi.max_time_allowed": { access: "ro" },
    "cmi.mode": { access: "ro" },
    "cmi.objectives._children": { access: "ro" },
    "cmi.objectives._count": { access: "ro" },
    "cmi.objectives.n.id": { access: "rw", check: pattern(LONG_ID_2004) },
    "cmi.objectives.n.score._children": { access: "ro" },
    "cmi.objectives.n.score.scaled": { access: "rw", check: real(-1, 1), needs: "id" },
    "cmi.objectives.n.score.raw": { access: "rw", check: real(null, null), needs: "id" },
    "cmi.objectives.n.score.min": { access: "rw", check: real(null, null), needs: "id" },
    "cmi.objectives.n.score.max": { access: "rw", check: real(null, null), needs: "id" },
    "cmi.objectives.n.success_status": { access: "rw", check: vocabulary(["passed", "failed", "unknown"]), needs: "id" },
    "cmi.objectives.n.completion_status": {
      access: "rw", check: vocabulary(["completed", "incomplete", "not attempted", "unknown"]), needs: "id",
    },
    "cmi.objectives.n.progress_measure": { access: "rw", check: real(0, 1), needs: "id" },
    "cmi.objectives.n.description": { access: "rw", check: text(250), needs: "id" },
    "cmi.progress_measure": { access: "rw", check: real(0, 1) },
    "cmi.scaled_passing_score": { access: "ro" },
    "cmi.score._children": { access: "ro" },
    "cmi.score.scaled": { access: "rw", check: real(-1, 1) },
    "cmi.score.raw": { access: "rw", check: real(null, null) },
    "cmi.score.min": { access: "rw", check: real(null, null) },
    "cmi.score.max": { access: "rw", check: real(null, null) },
    "cmi.session_time": { access: "wo", check: pattern(INTERVAL_2004) },
    "cmi.success_status": { access: "rw", check: vocabulary(["passed", "failed", "unknown"]) },
    "cmi.suspend_data": { access: "rw", check: text(64000) },
    "cmi.time_limit_action": { access: "ro" },
    "cmi.total_time": { access: "ro" },
  };
  var CHILDREN_2004 = {
    "cmi.comments_from_learner": "comment,location,timestamp",
    "cmi.comments_from_lms": "comment,location,timestamp",
    "cmi.interactions": "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
    "cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning",
    "cmi.objectives": "id,score,success_status,completion_status,progress_measure,description",
    "cmi.objectives.n.score": "scaled,raw,min,max",
    "cmi.score": "scaled,raw,min,max",
  };

  // ------------------------------------------------------------------- error codes
  var ERRORS_12 = {
    0: "No error", 101: "General exception", 201: "Invalid argument error",
    202: "Element cannot have children", 203: "Element not an array - cannot have count",
    301: "Not initialized", 401: "Not implemented error", 402: "Invalid set value, element is a keyword",
    403: "Element is read only", 404: "Element is write only", 405: "Incorrect data type",
  };
  var ERRORS_2004 = {
    0: "No Error", 101: "General Exception", 102: "General Initialization Failure",
    103: "Already Initialized", 104: "Content Instance Terminated", 111: "General Termination Failure",
    112: "Termination Before Initialization", 113: "Termination After Termination",
    122: "Retrieve Data Before Initialization", 123: "Retrieve Data After Termination",
    132: "Store Data Before Initialization", 133: "Store Data After Termination",
    142: "Commit Before Initialization", 143: "Commit After Termination", 201: "General Argument Error",
    301: "General Get Failure", 351: "General Set Failure", 391: "General Commit Failure",
    401: "Undefined Data Model Element", 402: "Unimplemented Data Model Element",
    403: "Data Model Element Value Not Initialized", 404: "Data Model Element Is Read Only",
    405: "Data Model Element Is Write Only", 406: "Data Model Element Type Mismatch",
    407: "Data Model Element Value Out Of Range", 408: "Data Model Dependency Not Established",
  };

  /* What each version calls its functions, elements and error cases. */
  var VERSIONS = {
    "1.2": {
      model: MODEL_12, children: CHILDREN_12, errors: ERRORS_12, apiName: "API", suspendLimit: 4096,
      fn: { initialize: "LMSInitialize", terminate: "LMSFinish", get: "LMSGetValue", set: "LMSSetValue",
            commit: "LMSCommit", lastError: "LMSGetLastError", errorString: "LMSGetErrorString",
            diagnostic: "LMSGetDiagnostic" },
      code: { alreadyInitialized: 101, terminateBefore: 301, terminateAfter: 301, getBefore: 301, getAfter: 301,
              setBefore: 301, setAfter: 301, commitBefore: 301, commitAfter: 301, initializeAfter: 101,
              argument: 201, undefinedElement: 201, noChildren: 202, noCount: 203, keyword: 402,
              readOnly: 403, writeOnly: 404, type: 405, range: 405, notInitialized: 0, dependency: 201,
              badIndex: 201, getFailure: 201 },
      element: { status: "cmi.core.lesson_status", entry: "cmi.core.entry", exit: "cmi.core.exit",
                 location: "cmi.core.lesson_location", sessionTime: "cmi.core.session_time",
                 totalTime: "cmi.core.total_time", mode: "cmi.core.lesson_mode", credit: "cmi.core.credit",
                 raw: "cmi.core.score.raw", min: "cmi.core.score.min", max: "cmi.core.score.max",
                 response: "student_response" },
    },
    "2004": {
      model: MODEL_2004, children: CHILDREN_2004, errors: ERRORS_2004, apiName: "API_1484_11", suspendLimit: 64000,
      fn: { initialize: "Initialize", terminate: "Terminate", get: "GetValue", set: "SetValue", commit: "Commit",
            lastError: "GetLastError", errorString: "GetErrorString", diagnostic: "GetDiagnostic" },
      code: { alreadyInitialized: 103, terminateBefore: 112, terminateAfter: 113, getBefore: 122, getAfter: 123,
              setBefore: 132, setAfter: 133, commitBefore: 142, commitAfter: 143, initializeAfter: 104,
              argument: 201, undefinedElement: 401, noChildren: 301, noCount: 301, keyword: 404,
              readOnly: 404, writeOnly: 405, type: 406, range: 407, notInitialized: 403, dependency: 408,
              badIndex: 351, getFailure: 301 },
      element: { status: "cmi.completion_status", success: "cmi.success_status", entry: "cmi.entry",
                 exit: "cmi.exit", location: "cmi.location", sessionTime: "cmi.session_time",
                 totalTime: "cmi.total_time", mode: "cmi.mode", credit: "cmi.credit", scaled: "cmi.score.scaled",
                 raw: "cmi.score.raw", min: "cmi.score.min", max: "cmi.score.max",
                 progress: "cmi.progress_measure", response: "learner_response" },
    },
  };

  // ------------------------------------------------------------------------- times
  function parseTimespan12(value) {
    var parts = value.split(":");
    return ((Number(parts[0]) * 60 + Number(parts[1])) * 60 + Number(parts[2])) * 1000;
  }
  function parseInterval2004(value) {
    var m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(value);
    if (!m) {
      return 0;
    }
    var days = Number(m[1] || 0) * 365 + Number(m[2] || 0) * 30 + Number(m[3] || 0);
    return (((days * 24 + Number(m[4] || 0)) * 60 + Number(m[5] || 0)) * 60 + Number(m[6] || 0)) * 1000;
  }
  function pad(number, width) {
    var out = String(number);
    while (out.length < width) {
      out = "0" + out;
    }
    return out;
  }
  function formatTime(version, ms) {
    var centis = Math.round(ms / 10);
    var hours = Math.floor(centis / 360000);
    var minutes = Math.floor((centis % 360000) / 6000);
    var seconds = (centis % 6000) / 100;
    if (version === "1.2") {
      var whole = Math.floor(seconds);
      return pad(Math.min(hours, 9999), 4) + ":" + pad(minutes, 2) + ":" + pad(whole, 2) + "." + pad(centis % 100, 2);
    }
    return "PT" + hours + "H" + minutes + "M" + seconds + "S";
  }

  // ---------------------------------------------------------------------- an attempt
  /**
   * What the LMS has stored for one learner and one SCO. course = {passingScore,
   * masteryScore (1.2, or null), scaledPassingScore (2004 text, or null)}.
   */
  function Attempt(version, course, number) {
    this.version = version;
    this.course = course;
    this.number = number || 1;
    this.stored = {}; // element -> value, as committed
    this.counts = {}; // array path -> count, as committed
    this.totalMs = 0;
    this.sessions = 0;
    this.lastExit = null; // the exit of the last session that ended, null before any
    this.lastSessionTime = "";
    this.ended = false; // 2004: a session ended without "suspend": the next launch starts a new attempt
  }

  /** 2004: with a scaled passing score, the LMS decides success from the scaled score (RTE 4.2.22). */
  function successStatus2004(values) {
    var passing = values["cmi.scaled_passing_score"];
    var scaled = values["cmi.score.scaled"];
    if (passing !== undefined && scaled !== undefined) {
      return Number(scaled) >= Number(passing) ? "passed" : "failed";
    }
    if (passing !== undefined) {
      return "unknown";
    }
    return values["cmi.success_status"] || "unknown";
  }

  // ------------------------------------------------------------------------ a session
  function Session(attempt, mode, hooks) {
    var names = VERSIONS[attempt.version];
    this.attempt = attempt;
    this.version = attempt.version;
    this.names = names;
    this.mode = mode || "normal";
    this.hooks = hooks || {};
    this.state = "not initialized";
    this.error = 0;
    this.diagnostic = "";
    this.values = {};
    this.counts = {};
    this.uncommitted = 0;
    this.startedAt = 0;
    var element = names.element;
    var resume = attempt.lastExit === "suspend";
    var entry = attempt.sessions === 0 ? "ab-initio" : resume ? "resume" : "";
    this.entry = entry;
    var copy = this.values;
    Object.keys(attempt.stored).forEach(function (key) {
      copy[key] = attempt.stored[key];
    });
    var counts = this.counts;
    Object.keys(attempt.counts).forEach(function (key) {
      counts[key] = attempt.counts[key];
    });
    // what the LMS hands the SCO: its own values, never the SCO's
    this.values[element.entry] = entry;
    this.values[element.mode] = this.mode;
    this.values[element.credit] = this.mode === "normal" ? "credit" : "no-credit";
    this.values[element.totalTime] = formatTime(this.version, attempt.totalMs);
    if (this.version === "1.2") {
      this.values["cmi.core.student_id"] = "learner-1";
      this.values["cmi.core.student_name"] = "Learner, Preview";
      this.values["cmi.launch_data"] = "";
      this.values["cmi.comments_from_lms"] = "";
      if (!(element.status in this.values)) {
        this.values[element.status] = "not attempted";
      }
      if (attempt.course.masteryScore !== null) {
        this.values["cmi.student_data.mastery_score"] = String(attempt.course.masteryScore);
      }
    } else {
      this.values["cmi._version"] = "1.0";
      this.values["cmi.learner_id"] = "learner-1";
      this.values["cmi.learner_name"] = "Learner, Preview";
      if (!(element.status in this.values)) {
        this.values[element.status] = "unknown";
      }
      if (!(element.success in this.values)) {
        this.values[element.success] = "unknown";
      }
      if (attempt.course.scaledPassingScore !== null) {
        this.values["cmi.scaled_passing_score"] = attempt.course.scaledPassingScore;
      }
    }
    this.api = this.makeApi();
  }

  Session.prototype.tell = function (method, args, result) {
    if (typeof this.hooks.onCall === "function") {
      this.hooks.onCall({
        method: method, args: Array.prototype.slice.call(args), result: result,
        error: this.error, errorText: this.names.errors[this.error] || "", diagnostic: this.diagnostic,
      });
    }
  };

  Session.prototype.fail = function (code, diagnostic) {
    this.error = code;
    this.diagnostic = diagnostic || "";
  };

  Session.prototype.ok = function () {
    this.error = 0;
    this.diagnostic = "";
  };

  /** The element with its indexes written "n", and the array paths it goes through. */
  function shape(element) {
    var original = element.split(".");
    var parts = original.slice();
    var arrays = [];
    for (var i = 0; i < parts.length; i += 1) {
      if (/^\d+$/.test(parts[i])) {
        arrays.push({ path: original.slice(0, i).join("."), index: Number(parts[i]),
                      record: original.slice(0, i + 1).join(".") });
        parts[i] = "n";
      }
    }
    return { key: parts.join("."), arrays: arrays };
  }

  Session.prototype.isKeyword = function (element) {
    return /\._(children|count|version)$/.test(element);
  };

  Session.prototype.getValue = function (element) {
    var code = this.names.code;
    element = String(element);
    if (this.state === "not initialized") {
      this.fail(code.getBefore);
      return "";
    }
    if (this.state === "terminated") {
      this.fail(code.getAfter);
      return "";
    }
    if (element === "") {
      this.fail(this.version === "1.2" ? code.argument : code.getFailure, "no element named");
      return "";
    }
    var found = shape(element);
    var last = element.slice(element.lastIndexOf(".") + 1);
    if (last === "_children" || last === "_count") {
      var parent = shape(element.slice(0, element.lastIndexOf(".")));
      var known = this.names.model[found.key];
      if (!known) {
        // an element of the model without children (1.2: 202 / 203) or no element at all (201)
        var parentKnown = Boolean(this.names.model[parent.key]) || this.isParent(parent.key);
        this.fail(parentKnown ? (last === "_children" ? code.noChildren : code.noCount) : code.undefinedElement,
                  element + " has no " + last);
        return "";
      }
      if (last === "_children") {
        this.ok();
        return this.names.children[parent.key] || "";
      }
      this.ok();
      return String(this.counts[element.slice(0, element.lastIndexOf("."))] || 0);
    }
    var definition = this.names.model[found.key];
    if (!definition) {
      this.fail(code.undefinedElement, element + " is not in the SCORM " + this.version + " data model");
      return "";
    }
    if (definition.access === "wo") {
      this.fail(code.writeOnly, element + " is write-only");
      return "";
    }
    for (var i = 0; i < found.arrays.length; i += 1) {
      var array = found.arrays[i];
      if (array.index >= (this.counts[array.path] || 0)) {
        this.fail(code.getFailure, array.record + " does not exist: " + array.path + "._count is " +
                  (this.counts[array.path] || 0));
        return "";
      }
    }
    if (!(element in this.values)) {
      if (code.notInitialized) {
        this.fail(code.notInitialized, element + " has no value yet");
      } else {
        this.ok();
      }
      return "";
    }
    this.ok();
    if (this.version === "2004" && element === "cmi.success_status") {
      return successStatus2004(this.values);
    }
    return this.values[element];
  };

  /** Is key (indexes as "n") the parent of elements in the model? */
  Session.prototype.isParent = function (key) {
    var prefix = key + ".";
    return Object.keys(this.names.model).some(function (name) {
      return name.indexOf(prefix) === 0;
    });
  };

  Session.prototype.setValue = function (element, value) {
    var code = this.names.code;
    element = String(element);
    value = String(value);
    if (this.state === "not initialized") {
      this.fail(code.setBefore);
      return "false";
    }
    if (this.state === "terminated") {
      this.fail(code.setAfter);
      return "false";
    }
    if (element === "") {
      this.fail(this.version === "1.2" ? code.argument : 351, "no element named");
      return "false";
    }
    if (this.isKeyword(element)) {
      var keyword = shape(element).key;
      this.fail(this.names.model[keyword] || this.isParent(shape(element.slice(0, element.lastIndexOf("."))).key)
        ? code.keyword : code.undefinedElement, element + " is a keyword the LMS answers");
      return "false";
    }
    var found = shape(element);
    var definition = this.names.model[found.key];
    if (!definition) {
      this.fail(code.undefinedElement, element + " is not in the SCORM " + this.version + " data model");
      return "false";
    }
    if (definition.access === "ro") {
      this.fail(code.readOnly, element + " is read-only");
      return "false";
    }
    for (var i = 0; i < found.arrays.length; i += 1) {
      var array = found.arrays[i];
      var count = this.counts[array.path] || 0;
      if (array.index > count) {
        this.fail(code.badIndex, array.record + " skips an index: " + array.path + "._count is " + count);
        return "false";
      }
    }
    var problem = null;
    if (definition.needs) {
      // 2004 dependencies (RTE 4.1.7): a record's id first, an interaction's type before responses
      var record = found.arrays[0].record;
      var needed = record + "." + definition.needs;
      if (!(needed in this.values)) {
        this.fail(code.dependency, needed + " must be set before " + element);
        return "false";
      }
    }
    if (definition.response) {
      var interaction = found.arrays[0].record;
      var type = this.values[interaction + ".type"];
      var isPattern = /pattern$/.test(element);
      var valid;
      if (this.version === "1.2") {
        valid = type ? RESPONSE_12[type].test(value) : value.length <= 255;
      } else {
        valid = response2004(type, value, isPattern);
        if (valid && isPattern && type !== "fill-in" && type !== "long-fill-in" && type !== "other") {
          // 2004: correct_responses of one interaction must differ (RTE 4.2.9.1)
          var n = this.counts[interaction + ".correct_responses"] || 0;
          for (var k = 0; k < n; k += 1) {
            var other = interaction + ".correct_responses." + k + ".pattern";
            if (other !== element && this.values[other] === value) {
              this.fail(351, "the same correct response is already at " + other);
              return "false";
            }
          }
        }
      }
      if (!valid) {
        problem = "type";
      }
    } else if (definition.check) {
      problem = definition.check(value);
    }
    var warning = "";
    if (problem && problem.indexOf("spm:") === 0) {
      warning = value.length + " characters: longer than the " + problem.slice(4) +
        " every SCORM 2004 LMS must keep; a strict LMS may cut it";
      problem = null;
    }
    if (problem === "type") {
      var shown = value.length > 60 ? value.slice(0, 60) + "... (" + value.length + " characters)" : value;
      this.fail(code.type, JSON.stringify(shown) + " is not a valid value for " + element);
      return "false";
    }
    if (problem === "range") {
      this.fail(code.range, value + " is out of range for " + element);
      return "false";
    }
    for (var j = 0; j < found.arrays.length; j += 1) {
      var path = found.arrays[j];
      if (path.index === (this.counts[path.path] || 0)) {
        this.counts[path.path] = path.index + 1;
      }
    }
    this.values[element] = value;
    this.uncommitted += 1;
    this.ok();
    this.diagnostic = warning;
    return "true";
  };

  /** Store the session's values in the attempt, as an LMS does on Commit. */
  Session.prototype.store = function () {
    if (this.mode !== "normal") {
      return; // browse and review: nothing of the session is kept
    }
    var attempt = this.attempt;
    var values = this.values;
    attempt.stored = {};
    Object.keys(values).forEach(function (key) {
      attempt.stored[key] = values[key];
    });
    attempt.counts = {};
    var counts = this.counts;
    Object.keys(counts).forEach(function (key) {
      attempt.counts[key] = counts[key];
    });
    this.uncommitted = 0;
  };

  /** The session is over: add its time, decide the next entry, apply the 1.2 status rules. */
  Session.prototype.end = function () {
    var attempt = this.attempt;
    var element = this.names.element;
    if (this.mode !== "normal") {
      if (this.version === "1.2" && this.mode === "browse" && attempt.stored[element.status] === "not attempted") {
        attempt.stored[element.status] = "browsed";
      }
      this.state = "terminated";
      return;
    }
    var exit = this.values[element.exit] || "";
    var sessionTime = this.values[element.sessionTime];
    var ms = sessionTime === undefined ? 0 : this.version === "1.2" ? parseTimespan12(sessionTime) : parseInterval2004(sessionTime);
    if (this.version === "1.2") {
      var status = this.values[element.status];
      var mastery = attempt.course.masteryScore;
      var raw = this.values[element.raw];
      if (mastery !== null && raw !== undefined && raw !== "") {
        // Mastery score overrides status, as the 1.2 RTE allows and Moodle does
        this.values[element.status] = Number(raw) >= mastery ? "passed" : "failed";
      } else if (status === "not attempted") {
        this.values[element.status] = "completed";
      }
    }
    delete this.values[element.exit]; // write-only, per session
    delete this.values[element.sessionTime];
    this.store();
    attempt.totalMs += ms;
    attempt.sessions += 1;
    attempt.lastExit = exit;
    attempt.lastSessionTime = sessionTime || "";
    attempt.ended = this.version === "2004" && exit !== "suspend";
    this.state = "terminated";
  };

  Session.prototype.makeApi = function () {
    var session = this;
    var fn = this.names.fn;
    var code = this.names.code;
    var api = {};
    function checkEmpty(args, method) {
      if (args.length && String(args[0]) !== "") {
        session.fail(code.argument, method + " takes \"\" only");
        return false;
      }
      return true;
    }
    api[fn.initialize] = function () {
      var result = "false";
      if (session.state === "running") {
        session.fail(code.alreadyInitialized);
      } else if (session.state === "terminated") {
        session.fail(code.initializeAfter);
      } else if (checkEmpty(arguments, fn.initialize)) {
        session.state = "running";
        session.startedAt = Date.now();
        session.ok();
        result = "true";
      }
      session.tell(fn.initialize, arguments, result);
      return result;
    };
    api[fn.terminate] = function () {
      var result = "false";
      if (session.state === "not initialized") {
        session.fail(code.terminateBefore);
      } else if (session.state === "terminated") {
        session.fail(code.terminateAfter);
      } else if (checkEmpty(arguments, fn.terminate)) {
        session.end();
        session.ok();
        result = "true";
      }
      session.tell(fn.terminate, arguments, result);
      return result;
    };
    api[fn.get] = function (element) {
      var result = session.getValue(element);
      session.tell(fn.get, arguments, result);
      return result;
    };
    api[fn.set] = function (element, value) {
      var result = session.setValue(element, value);
      session.tell(fn.set, arguments, result);
      return result;
    };
    api[fn.commit] = function () {
      var result = "false";
      if (session.state === "not initialized") {
        session.fail(code.commitBefore);
      } else if (session.state === "terminated") {
        session.fail(code.commitAfter);
      } else if (checkEmpty(arguments, fn.commit)) {
        session.store();
        session.ok();
        result = "true";
      }
      session.tell(fn.commit, arguments, result);
      return result;
    };
    api[fn.lastError] = function () {
      return String(session.error);
    };
    api[fn.errorString] = function (errorCode) {
      return session.names.errors[Number(errorCode)] || "";
    };
    api[fn.diagnostic] = function (errorCode) {
      return errorCode === undefined || errorCode === "" || Number(errorCode) === session.error
        ? session.diagnostic : session.names.errors[Number(errorCode)] || "";
    };
    return api;
  };

  /** The interactions the LMS holds, as rows: {index, id, type, response, pattern, result, weighting}. */
  function interactions(attempt) {
    var names = VERSIONS[attempt.version];
    var rows = [];
    for (var i = 0; i < (attempt.counts["cmi.interactions"] || 0); i += 1) {
      var prefix = "cmi.interactions." + i + ".";
      rows.push({
        index: i,
        id: attempt.stored[prefix + "id"] || "",
        type: attempt.stored[prefix + "type"] || "",
        response: attempt.stored[prefix + names.element.response] || "",
        pattern: attempt.stored[prefix + "correct_responses.0.pattern"] || "",
        result: attempt.stored[prefix + "result"] || "",
        weighting: attempt.stored[prefix + "weighting"] || "",
      });
    }
    return rows;
  }

  window.SrmPreviewLms = {
    VERSIONS: VERSIONS,
    Attempt: Attempt,
    Session: Session,
    interactions: interactions,
    successStatus2004: successStatus2004,
    formatTime: formatTime,
    apiName: function (version) {
      return VERSIONS[version].apiName;
    },
  };
})();
